using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// What -Decommissioned checks before it acts, read from the tenant and DNS (the cmdlet's -DnsServer): for each accepted
    /// domain it would change, its MX (a smart host of the connector, or one of its addresses, means internet mail still goes
    /// on-premises) and whether any mail user of it exists (one, never a listing); the connector's ConnectorSource; and,
    /// for piped input, whether Microsoft 365 itself saw the refusal. The accepted-domain check needs no reading and is
    /// made by <see cref="Decommission"/> itself.
    /// </summary>
    internal static class DecommissionChecks
    {
        public static List<CheckFinding> Run(RepairRunner run, ConnectorState connector, RepairInput input, IReadOnlyList<AcceptedDomainState> accepted)
        {
            Language language = run.Language;
            string prefix = run.Options.Prefix;
            string name = Untrusted.Clean(connector.Name, 128);
            var found = new List<CheckFinding>();
            List<AcceptedDomainState> changing = Decommission.DomainsToChange(run.Options, connector, accepted)
                .Where(d => !string.Equals(d.DomainType, "Authoritative", StringComparison.OrdinalIgnoreCase)).ToList();
            var resolver = new DnsResolver(run.ProbeOptions.DnsServers, run.ProbeOptions.Timeout, run.ProbeOptions.Port);
            Lazy<SmartHostAddresses> smartHosts = new Lazy<SmartHostAddresses>(() => SmartHostAddresses.Resolve(resolver, connector, run));
            foreach (AcceptedDomainState d in changing)
            {
                found.Add(Mx(run, resolver, smartHosts, d.DomainName, name, language));
                found.Add(MailUser(run, d.DomainName, prefix, language));
            }
            found.Add(Source(connector, name, prefix, language));
            found.Add(Vantage(input, name, language));
            return found;
        }

        static CheckFinding Mx(RepairRunner run, DnsResolver resolver, Lazy<SmartHostAddresses> smartHosts, string domain, string connector, Language language)
        {
            var check = new CheckFinding
            {
                Action = "CheckMx", Target = domain, Why = Say(language, DecommissionTexts.MxWhy, domain),
                Command = new PsCommand("Resolve-DnsName").Param("Name", domain).Param("Type", "MX").Render(),
            };
            DnsOutcome mx;
            try { mx = resolver.ResolveDomainAsync(domain, run.Cancel).GetAwaiter().GetResult(); }
            catch (DnsServerUnreachableException ex)
            {
                return Unanswered(check, Say(language, DecommissionTexts.MxUnanswered, domain, ex.Message));
            }
            if (mx.Fault == DnsFault.NullMx) return Passed(check, Say(language, DecommissionTexts.MxNullMx, domain));
            if (mx.Fault != DnsFault.None) return Unanswered(check, Say(language, DecommissionTexts.MxUnanswered, domain, mx.Fault));
            SmartHostAddresses hosts = smartHosts.Value;
            foreach (ResolvedHost host in mx.Hosts)
            {
                if (hosts.Names.Contains(host.Host))
                    return InUse(check, Say(language, DecommissionTexts.MxIsSmartHost, domain, host.Host, connector));
                foreach (IPAddress address in host.Addresses)
                {
                    string owner = hosts.Owner(address);
                    if (owner != null)
                        return InUse(check, Say(language, DecommissionTexts.MxAtSmartHostAddress, domain, host.Host, address, owner));
                }
            }
            return Passed(check, Say(language, DecommissionTexts.MxElsewhere, domain, string.Join(", ", mx.Hosts.Select(h => h.Host)), connector));
        }

        static CheckFinding MailUser(RepairRunner run, string domain, string prefix, Language language)
        {
            var check = new CheckFinding
            {
                Action = "CheckMailUsers", Target = domain, Why = Say(language, DecommissionTexts.MailUserWhy, domain),
                Command = new PsCommand($"Get-{prefix}Recipient").Param("RecipientTypeDetails", "MailUser").Param("ResultSize", "1")
                    .Param("Filter", "EmailAddresses -like '*@" + domain.Replace("'", "''") + "'").Render(),
            };
            if (!run.Tenant.Session.Has("Get", ExchangeTenant.Recipient))
                return Unanswered(check, Say(language, DecommissionTexts.MailUserUnanswered, domain, $"Get-{prefix}Recipient"));
            try
            {
                string user = run.Tenant.FindMailUser(domain);
                return user == null ? Passed(check, Say(language, DecommissionTexts.MailUserNone, domain))
                    : InUse(check, Say(language, DecommissionTexts.MailUserFound, domain, Untrusted.Clean(user, 320)));
            }
            catch (Exception ex) when (ex is ExchangeSessionException || ex is InvalidOperationException)
            {
                return Unanswered(check, Say(language, DecommissionTexts.MailUserUnanswered, domain, Untrusted.Clean(ex.Message, 300)));
            }
        }

        static CheckFinding Source(ConnectorState connector, string name, string prefix, Language language)
        {
            var check = new CheckFinding
            {
                Action = "CheckConnectorSource", Target = name, Why = DecommissionTexts.SourceWhy.In(language),
                Command = new PsCommand($"Get-{prefix}OutboundConnector").Param("Identity", connector.Identity ?? connector.Name)
                    .Pipe(new PsCommand("Select-Object").Literal("Name, ConnectorSource")).Render(),
            };
            string source = connector.ConnectorSource;
            if (string.IsNullOrWhiteSpace(source)) return Unanswered(check, Say(language, DecommissionTexts.SourceUnknown, name));
            if (string.Equals(source.Trim(), "HybridWizard", StringComparison.OrdinalIgnoreCase))
                return InUse(check, Say(language, DecommissionTexts.SourceHybrid, name));
            return Passed(check, Say(language, DecommissionTexts.SourceOther, Untrusted.Clean(source, 32)));
        }

        static CheckFinding Vantage(RepairInput input, string name, Language language)
        {
            var check = new CheckFinding { Action = "CheckObservedFrom", Target = name, Why = DecommissionTexts.VantageWhy.In(language), Command = "" };
            if (!input.Piped) return Passed(check, DecommissionTexts.VantageStated.In(language));
            if (input.ObservedFrom == null || input.ObservedFrom == ObservedFrom.None) return Unanswered(check, DecommissionTexts.VantageUnknown.In(language));
            ObservedFrom seen = input.ObservedFrom.Value;
            if ((seen & ObservedFrom.Microsoft365) != 0) return Passed(check, Say(language, DecommissionTexts.VantageMicrosoft365, seen));
            string where = seen == ObservedFrom.ThisComputer ? DecommissionTexts.ThisComputer.In(language) : ChangeNote.ViewName(seen, language);
            return InUse(check, Say(language, DecommissionTexts.VantageOther, where, seen));
        }

        static CheckFinding Passed(CheckFinding c, string found) { c.Outcome = CheckOutcome.Passed; c.Found = found; return c; }
        static CheckFinding InUse(CheckFinding c, string found) { c.Outcome = CheckOutcome.InUse; c.Found = found; return c; }
        static CheckFinding Unanswered(CheckFinding c, string found) { c.Outcome = CheckOutcome.Unanswered; c.Found = found; return c; }

        internal static string Say(Language language, Phrase phrase, params object[] args) => string.Format(CultureInfo.InvariantCulture, phrase.In(language), args);
    }
}
