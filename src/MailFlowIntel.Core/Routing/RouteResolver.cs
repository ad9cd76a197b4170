using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Repair;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Routing
{
    /// <summary>
    /// Where Exchange Online sends one recipient's mail (DESIGN.md 2d), from the tenant as read once: the recipient first
    /// (in the tenant: internal; a mail user: its ExternalEmailAddress; unknown in an Authoritative domain: rejected), then
    /// enabled connectors only, a connector scoped to transport rules only through an acting rule that names it, then the
    /// most specific RecipientDomains match, AllAcceptedDomains for accepted-domain addresses not in the tenant, and the
    /// domain's MX when nothing matches. Precedences Microsoft does not document are marked Assumed and said so.
    /// </summary>
    public sealed class RouteResolver
    {
        static readonly string[] External = { "MailUser", "GuestMailUser", "MailContact" };

        readonly IReadOnlyList<ConnectorState> connectors;
        readonly IReadOnlyList<AcceptedDomainState> domains;
        readonly Func<string, RecipientState> lookup;
        readonly Language language;

        /// <param name="connectors">Every outbound connector of the tenant.</param>
        /// <param name="domains">Its accepted domains.</param>
        /// <param name="rules">Its transport rules; null when they were not read (see <paramref name="rulesError"/>).</param>
        /// <param name="rulesError">Why the rules could not be read; null when they were, or were not needed.</param>
        /// <param name="lookup">The recipient of an address, null when Exchange knows none; null when the session cannot look (no Get-Recipient). May throw <see cref="ExchangeSessionException"/>.</param>
        public RouteResolver(IReadOnlyList<ConnectorState> connectors, IReadOnlyList<AcceptedDomainState> domains, IReadOnlyList<TransportRuleState> rules,
            string rulesError, Func<string, RecipientState> lookup, Language language)
        {
            this.connectors = connectors ?? Array.Empty<ConnectorState>();
            this.domains = domains ?? Array.Empty<AcceptedDomainState>();
            Rules = rules;
            RulesError = rulesError;
            this.lookup = lookup;
            this.language = language;
        }

        public IReadOnlyList<TransportRuleState> Rules { get; }
        public string RulesError { get; }

        /// <summary>Whether any enabled connector is scoped to transport rules (only then do the rules matter).</summary>
        public static bool NeedsRules(IEnumerable<ConnectorState> connectors) => connectors.Any(c => c.Enabled && c.IsTransportRuleScoped);

        /// <summary>The route of one address; <paramref name="warnings"/> gets what the admin should hear at once (a tie, unread rules).</summary>
        public OutboundRoute Resolve(string address, List<string> warnings)
        {
            string recipient = (address ?? "").Trim();
            var because = new List<string>();
            var route = new OutboundRoute { Recipient = recipient, RoutedAddress = recipient, Domain = DomainOf(recipient), RecipientType = "", Connector = "",
                MatchedValue = "", Candidates = "", RuleConditions = "", CentralizedTransport = "", SmartHosts = "" };
            AcceptedDomainState accepted = Accepted(route.Domain);
            RecipientState found = null;
            bool looked = false;
            if (lookup != null)
            {
                try { found = lookup(recipient); looked = true; }
                catch (ExchangeSessionException ex) { because.Add(Say(RoutingTexts.LookupFailed, recipient, Untrusted.Clean(ex.Message, 300))); }
            }
            else because.Add(Say(RoutingTexts.LookupFailed, recipient, "Get-Recipient"));

            // Every address that reaches the connectors did not resolve inside the tenant (or could not be looked up).
            const bool outside = true;
            if (found != null)
            {
                route.RecipientType = Untrusted.Clean(found.RecipientTypeDetails ?? "", 64);
                string external = found.ExternalAddress;
                bool isExternal = External.Any(t => string.Equals(t, found.RecipientTypeDetails, StringComparison.OrdinalIgnoreCase));
                if (!isExternal || external == null)
                {
                    route.MatchedBy = RouteMatch.Internal;
                    because.Add(Say(RoutingTexts.Internal, recipient, route.RecipientType));
                    return Done(route, because);
                }
                if (!string.Equals(external, recipient, StringComparison.OrdinalIgnoreCase))
                {
                    route.MatchedBy = RouteMatch.MailUser;
                    route.RoutedAddress = Untrusted.Clean(external, 320);
                    route.Domain = DomainOf(external);
                    because.Add(Say(RoutingTexts.MailUser, recipient, route.RecipientType, route.RoutedAddress));
                    accepted = Accepted(route.Domain);
                }
                // A mail user's external address is outside the tenant by definition: it is not looked up again.
            }
            else if (looked)
            {
                because.Add(Say(RoutingTexts.NotInTenant, recipient));
                if (accepted != null && string.Equals(accepted.DomainType, "Authoritative", StringComparison.OrdinalIgnoreCase))
                {
                    route.MatchedBy = RouteMatch.Rejected;
                    because[because.Count - 1] = Say(RoutingTexts.Rejected, recipient, route.Domain);
                    return Done(route, because);
                }
            }
            Connect(route, accepted, outside, because, warnings);
            return Done(route, because);
        }

        /// <summary>The connector (or MX) for route.Domain.</summary>
        void Connect(OutboundRoute route, AcceptedDomainState accepted, bool outside, List<string> because, List<string> warnings)
        {
            string domain = route.Domain;
            List<ConnectorState> enabled = connectors.Where(c => c.Enabled).ToList();
            ConnectorState centralized = enabled.FirstOrDefault(c => c.RouteAllMessagesViaOnPremises);

            // The most specific RecipientDomains (or AllAcceptedDomains) match among connectors not scoped to rules.
            bool allAccepted = accepted != null && outside;
            var ranked = enabled.Where(c => !c.IsTransportRuleScoped)
                .Select(c => (Connector: c, Rank: Rank(c, domain, allAccepted, out string entry), Entry: entry))
                .Where(x => x.Rank >= 0).OrderByDescending(x => x.Rank).ToList();

            // A connector scoped to rules is used only through an acting rule that names it (Conditional mail routing).
            List<ConnectorState> scoped = enabled.Where(c => c.IsTransportRuleScoped).ToList();
            if (scoped.Count > 0 && Rules == null)
            {
                string text = Say(RoutingTexts.RulesUnread, Untrusted.Clean(RulesError ?? "Get-TransportRule", 300), Names(scoped));
                because.Add(text);
                warnings.Add(text);   // the same for every recipient: said once
            }
            else if (scoped.Count > 0)
            {
                TransportRuleState rule = Rules.Where(r => r.Acts && r.Connector != null && r.CoversDomain(domain) && scoped.Any(c => Names(c, r.Connector)))
                    .OrderBy(r => r.Priority).FirstOrDefault();
                if (rule != null)
                {
                    ConnectorState c = scoped.First(x => Names(x, rule.Connector));
                    Take(route, c, RouteMatch.TransportRule, Untrusted.Clean(rule.Name, 128));
                    because.Add(Say(RoutingTexts.Rule, route.MatchedValue, rule.Priority.ToString(CultureInfo.InvariantCulture), route.Connector));
                    if (rule.OtherConditions.Count > 0)
                    {
                        route.RuleConditions = string.Join("; ", rule.OtherConditions);
                        because.Add(Say(RoutingTexts.RuleConditions, route.RuleConditions));
                    }
                    if (ranked.Count > 0)
                    {
                        route.Assumed = true;
                        route.Candidates = Names(ranked.Select(x => x.Connector));
                        because.Add(Say(RoutingTexts.RuleFirst, route.Candidates));
                    }
                    Centralized(route, centralized, because);
                    return;
                }
            }

            List<string> disabled = connectors.Where(c => !c.Enabled && Rank(c, domain, allAccepted, out _) >= 0).Select(c => Untrusted.Clean(c.Name, 128)).ToList();
            if (disabled.Count > 0) because.Add(Say(RoutingTexts.Disabled, string.Join("; ", disabled)));
            if (ranked.Count == 0)
            {
                if (route.MatchedBy == RouteMatch.MailUser) route.MatchedValue = nameof(RouteMatch.MX);
                else route.MatchedBy = RouteMatch.MX;
                route.UseMXRecord = true;
                because.Add(Say(RoutingTexts.Mx, domain));
                Centralized(route, centralized, because);
                return;
            }
            var best = ranked.Where(x => x.Rank == ranked[0].Rank).ToList();
            if (best.Count > 1)
            {
                route.MatchedBy = RouteMatch.Ambiguous;
                route.Candidates = Names(best.Select(x => x.Connector));
                string text = Say(RoutingTexts.Tie, domain, route.Candidates);
                because.Add(text);
                warnings.Add(route.Recipient + ": " + text);
                return;
            }
            var pick = ranked[0];
            bool byAll = pick.Rank == DomainPattern.AllAcceptedDomains;
            Take(route, pick.Connector, byAll ? RouteMatch.AllAcceptedDomains : RouteMatch.RecipientDomain, byAll ? "" : Untrusted.Clean(pick.Entry, 256));
            if (byAll) because.Add(Say(RoutingTexts.AllAccepted, route.Connector, domain, accepted.DomainType ?? ""));
            else
            {
                because.Add(Say(RoutingTexts.Domain, route.Connector, domain, route.MatchedValue));
                if (pick.Entry.StartsWith("*.", StringComparison.Ordinal) && DomainPattern.Normal(pick.Entry).Substring(2) == DomainPattern.Normal(domain))
                    because.Add(Say(RoutingTexts.WildcardCoversDomain, route.MatchedValue, domain));
            }
            if (ranked.Count > 1)
            {
                route.Assumed = true;
                route.Candidates = Names(ranked.Skip(1).Select(x => x.Connector));
                because.Add(Say(RoutingTexts.Longest, route.Candidates));
            }
            Centralized(route, centralized, because);
        }

        /// <summary>A connector's best rank for the domain, and the RecipientDomains entry that gave it.</summary>
        static int Rank(ConnectorState c, string domain, bool allAccepted, out string entry)
        {
            entry = null;
            int best = DomainPattern.NoMatch;
            foreach (string pattern in c.RecipientDomains)
            {
                int r = DomainPattern.Rank(pattern, domain);
                if (r > best) { best = r; entry = pattern.Trim(); }
            }
            if (allAccepted && c.AllAcceptedDomains && best < DomainPattern.AllAcceptedDomains) { best = DomainPattern.AllAcceptedDomains; entry = null; }
            return best;
        }

        static void Take(OutboundRoute route, ConnectorState c, RouteMatch match, string value)
        {
            // Under MailUser the route keeps that word; MatchedValue says what the external address matched ("RecipientDomain *.x").
            if (route.MatchedBy != RouteMatch.MailUser) { route.MatchedBy = match; route.MatchedValue = value ?? ""; }
            else route.MatchedValue = (match + " " + value).Trim();
            route.Connector = Untrusted.Clean(c.Name ?? c.Identity, 128);
            route.SmartHosts = string.Join("; ", c.SmartHosts.Select(h => Untrusted.Clean(h, 256)));
            route.UseMXRecord = c.UseMXRecord;
            route.Enabled = true;
            route.ConnectorType = Untrusted.Clean(c.ConnectorType ?? "", 32);
            route.TlsSettings = Untrusted.Clean(c.TlsSettings ?? "", 32);
            route.TlsDomain = Untrusted.Clean(c.TlsDomain ?? "", 256);
            route.SmtpDaneMode = Untrusted.Clean(c.SmtpDaneMode ?? "", 32);
            route.MtaStsMode = Untrusted.Clean(c.MtaStsMode ?? "", 32);
        }

        void Centralized(OutboundRoute route, ConnectorState centralized, List<string> because)
        {
            if (centralized == null) return;
            route.CentralizedTransport = Untrusted.Clean(centralized.Name, 128);
            because.Add(Say(RoutingTexts.Centralized, route.CentralizedTransport));
        }

        static OutboundRoute Done(OutboundRoute route, List<string> because)
        {
            route.Because = string.Join(" ", because);
            return route;
        }

        AcceptedDomainState Accepted(string domain) =>
            domains.FirstOrDefault(d => DomainPattern.Normal(d.DomainName) == DomainPattern.Normal(domain) && DomainPattern.Normal(domain).Length > 0);

        static bool Names(ConnectorState c, string name) =>
            string.Equals(c.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase) || string.Equals(c.Identity, name?.Trim(), StringComparison.OrdinalIgnoreCase);

        static string Names(IEnumerable<ConnectorState> list) => string.Join("; ", list.Select(c => Untrusted.Clean(c.Name ?? c.Identity, 128)));

        /// <summary>The domain of an address, lower case; empty when it has none.</summary>
        public static string DomainOf(string address)
        {
            string a = (address ?? "").Trim();
            int at = a.LastIndexOf('@');
            return at < 0 ? "" : DomainPattern.Normal(a.Substring(at + 1));
        }

        string Say(Phrase phrase, params object[] args) => string.Format(CultureInfo.InvariantCulture, phrase.In(language), args);
    }
}
