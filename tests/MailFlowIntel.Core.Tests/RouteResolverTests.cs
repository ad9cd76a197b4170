using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Repair;
using MailFlowIntel.Core.Routing;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>Resolve-OutboundConnector's engine: the ranks of RecipientDomains entries and the cases of rules and recipients.</summary>
    public sealed class RouteResolverTests
    {
        [Theory]
        [InlineData("fabrikam.com", "fabrikam.com", true)]
        [InlineData("*.fabrikam.com", "fabrikam.com", true)]      // New-OutboundConnector, Example 1: the domain and all subdomains
        [InlineData("*.fabrikam.com", "a.b.fabrikam.com", true)]
        [InlineData("*.fabrikam.com", "notfabrikam.com", false)]
        [InlineData("fabrikam.com", "sub.fabrikam.com", false)]    // an exact entry is that domain only
        [InlineData("*", "anything.example", true)]
        [InlineData("FABRIKAM.COM.", "fabrikam.com", true)]
        public void A_RecipientDomains_entry_matches_as_Exchange_Online_documents(string pattern, string domain, bool matches) =>
            Assert.Equal(matches, DomainPattern.Rank(pattern, domain) >= 0);

        [Fact]
        public void The_more_specific_entry_ranks_higher()
        {
            string d = "a.sub.fabrikam.com";
            Assert.True(DomainPattern.Rank("*.sub.fabrikam.com", d) > DomainPattern.Rank("*.fabrikam.com", d));
            Assert.True(DomainPattern.Rank("*.fabrikam.com", d) > DomainPattern.AllAcceptedDomains);
            Assert.True(DomainPattern.AllAcceptedDomains > DomainPattern.Rank("*", d));
            Assert.True(DomainPattern.Rank("sub.fabrikam.com", "sub.fabrikam.com") > DomainPattern.Rank("*.sub.fabrikam.com", "sub.fabrikam.com"));
        }

        static ConnectorState Connector(string name, params string[] domains)
        {
            var c = new ConnectorState { Name = name, Identity = name, ConnectorType = "Partner", Enabled = true, FromExchange = true };
            c.SmartHosts.Add(name.ToLowerInvariant().Replace(' ', '-') + ".example");
            c.RecipientDomains.AddRange(domains);
            return c;
        }

        static TransportRuleState Rule(string name, string connector, int priority, string mode = "Enforce", bool enabled = true, string domainIs = null, string exceptDomain = null)
        {
            var r = new TransportRuleState { Name = name, Connector = connector, Priority = priority, Mode = mode, Enabled = enabled };
            if (domainIs != null) r.RecipientDomainIs.Add(domainIs);
            if (exceptDomain != null) r.ExceptIfRecipientDomainIs.Add(exceptDomain);
            return r;
        }

        static OutboundRoute Route(string address, IReadOnlyList<ConnectorState> connectors, IReadOnlyList<TransportRuleState> rules = null, string rulesError = null,
            Func<string, RecipientState> lookup = null, List<string> warnings = null) =>
            new RouteResolver(connectors, new[] { new AcceptedDomainState { DomainName = "contoso.com", DomainType = "Authoritative" } }, rules, rulesError,
                lookup ?? (_ => null), Catalog.Language.English).Resolve(address, warnings ?? new List<string>());

        [Fact]
        public void A_rule_in_a_test_mode_or_excepting_the_domain_does_not_route_and_the_lowest_priority_number_wins()
        {
            ConnectorState scoped = Connector("By rule"); scoped.IsTransportRuleScoped = true;
            ConnectorState other = Connector("Other by rule"); other.IsTransportRuleScoped = true;
            var connectors = new[] { Connector("All", "*"), scoped, other };
            Assert.Equal("All", Route("a@x.com", connectors, new[] { Rule("Audit", "By rule", 0, mode: "Audit") }).Connector);
            Assert.Equal("All", Route("a@x.com", connectors, new[] { Rule("Except", "By rule", 0, exceptDomain: "x.com") }).Connector);
            Assert.Equal("All", Route("a@x.com", connectors, new[] { Rule("Elsewhere", "By rule", 0, domainIs: "y.com") }).Connector);
            OutboundRoute r = Route("a@x.com", connectors, new[] { Rule("Second", "Other by rule", 5), Rule("First", "By rule", 2) });
            Assert.Equal(RouteMatch.TransportRule, r.MatchedBy);
            Assert.Equal("First", r.MatchedValue);
            Assert.True(r.Assumed);   // a domain match existed: the rule's precedence over it is assumed
        }

        [Fact]
        public void Rules_that_could_not_be_read_are_said_and_never_taken_as_none()
        {
            ConnectorState scoped = Connector("By rule"); scoped.IsTransportRuleScoped = true;
            var warnings = new List<string>();
            OutboundRoute r = Route("a@x.com", new[] { Connector("All", "*"), scoped }, null, "denied", warnings: warnings);
            Assert.Equal("All", r.Connector);
            Assert.Contains("could not be read (denied)", r.Because);
            Assert.Single(warnings);
        }

        [Fact]
        public void A_mail_contact_whose_external_address_is_its_own_is_routed_as_that_address_not_as_a_mail_user()
        {
            OutboundRoute r = Route("c@fabrikam.com", new[] { Connector("Fabrikam", "fabrikam.com") },
                lookup: _ => new RecipientState { RecipientTypeDetails = "MailContact", ExternalEmailAddress = "SMTP:c@fabrikam.com" });
            Assert.Equal(RouteMatch.RecipientDomain, r.MatchedBy);
            Assert.Equal("MailContact", r.RecipientType);
            Assert.Equal("c@fabrikam.com", r.RoutedAddress);
        }

        [Fact]
        public void A_lookup_that_fails_is_said_and_the_address_routed_as_one_outside_the_tenant()
        {
            OutboundRoute r = Route("who@contoso.com", new[] { Connector("All", "*") },
                lookup: _ => throw new ExchangeSessionException("Get-Recipient", "PermissionDenied", null, "x", "denied", new Exception("denied"), null));
            Assert.Equal("All", r.Connector);   // not Rejected: whether it is a recipient is not known
            Assert.Contains("could not be read", r.Because);
        }

        [Fact]
        public void A_mail_user_that_ends_at_the_MX_says_so_in_MatchedValue_and_the_probe_takes_its_external_domain()
        {
            OutboundRoute r = Route("m@contoso.com", new[] { Connector("Fabrikam", "fabrikam.com") },
                lookup: _ => new RecipientState { RecipientTypeDetails = "MailUser", ExternalEmailAddress = "SMTP:m@northwind.example" });
            Assert.Equal(RouteMatch.MailUser, r.MatchedBy);
            Assert.Equal("MX", r.MatchedValue);
            Assert.Equal("northwind.example", r.Domain);
            Assert.True(r.UseMXRecord);
            Assert.Equal("", r.Connector);
        }

        [Fact]
        public void Names_from_the_tenant_are_cleaned()
        {
            OutboundRoute r = Route("a@x.com", new[] { Connector("Evil\nname", "*") });
            Assert.DoesNotContain("\n", r.Connector);
            Assert.DoesNotContain("\n", r.Because);
        }
    }
}
