using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Repair;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// The checks -Decommissioned makes before it acts, in the engine, against a fake session and a real DNS server on
    /// loopback: each is a line of the plan; one that says on-premises mail may be in use, or that cannot be answered, holds
    /// every change for a person; -Force makes them anyway and says what it overrode.
    /// </summary>
    public sealed class DecommissionCheckTests
    {
        const string Contoso = "Contoso on-premises";

        static FakeExchangeSession Tenant(params string[] recipientDomains)
        {
            var t = new FakeExchangeSession(new ExchangeConnection { Organization = "contoso.onmicrosoft.com" })
                .WithConnector(Contoso, "OnPremises", true, recipientDomains.Length > 0 ? recipientDomains : new[] { "contoso.com" }, new[] { "mail.contoso.com" })
                .WithDomain("contoso.com", "InternalRelay")
                .WithDomain("stillonprem.contoso.com", "InternalRelay")
                .WithDomain("gone.contoso.com", "InternalRelay");
            return t;
        }

        static (RecordingRepairHost Host, FakeExchangeSession Tenant) Run(FakeExchangeSession tenant, bool force = false, RepairInput input = null)
        {
            var host = new RecordingRepairHost();
            new RepairRunner(tenant, new RepairOptions { Decommissioned = true, Force = force }, RepairRunnerTests.DnsOptions(), host, CancellationToken.None)
                .Plan(input ?? new RepairInput { Code = "450 4.4.316", Connector = Contoso });
            return (host, tenant);
        }

        static RepairAction Line(RecordingRepairHost host, string action, string target = null) =>
            host.Actions.Single(a => a.Action == action && (target == null || a.Target == target));

        static void AssertHeld(RecordingRepairHost host, FakeExchangeSession tenant, string because)
        {
            RepairAction disable = Line(host, "DisableConnector");
            Assert.Equal(RepairStatus.Manual, disable.Status);
            Assert.False(disable.Automatic);
            Assert.Contains("Not made", disable.Steps);
            Assert.Contains("-Force", disable.Steps);
            Assert.Contains(because, disable.Steps);
            Assert.Equal("Set-OutboundConnector -Identity 'Contoso on-premises' -Enabled $false -Confirm:$false", disable.Command);   // still the command to run
            Assert.DoesNotContain(tenant.Calls, c => c.StartsWith("Set-", StringComparison.Ordinal));
            Assert.Empty(host.Questions);
        }

        [Fact]
        public void With_every_check_passing_each_is_a_Checked_line_and_the_changes_are_made()
        {
            var (host, tenant) = Run(Tenant());
            Assert.Equal(new[] { "CheckAcceptedDomains", "CheckMx", "CheckMailUsers", "CheckConnectorSource", "CheckObservedFrom", "DisableConnector", "SetAcceptedDomainAuthoritative" },
                host.Actions.Select(a => a.Action));
            Assert.All(host.Actions.Take(5), a => Assert.Equal(RepairStatus.Checked, a.Status));
            Assert.Contains("contoso.com (InternalRelay to Authoritative)", Line(host, "CheckAcceptedDomains").Detail);
            Assert.Contains("contoso-com.mail.protection.outlook.com", Line(host, "CheckMx").Detail);
            Assert.Equal("Resolve-DnsName -Name 'contoso.com' -Type 'MX'", Line(host, "CheckMx").Command);
            Assert.Equal("No mail user of contoso.com.", Line(host, "CheckMailUsers").Detail);
            Assert.Contains("ConnectorSource Default", Line(host, "CheckConnectorSource").Detail);
            Assert.Contains("stated by the admin", Line(host, "CheckObservedFrom").Detail);
            Assert.Equal(RepairStatus.Applied, Line(host, "DisableConnector").Status);
            Assert.Equal(RepairStatus.Applied, Line(host, "SetAcceptedDomainAuthoritative").Status);
            Assert.Contains("Set-OutboundConnector Contoso on-premises", tenant.Calls);
        }

        [Fact]
        public void A_remaining_mail_user_holds_the_plan_and_is_found_with_one_existence_query()
        {
            FakeExchangeSession tenant = Tenant().WithRecipient("still@contoso.com", "MailUser", "SMTP:still@contoso.com");
            var (host, _) = Run(tenant);
            RepairAction check = Line(host, "CheckMailUsers");
            Assert.Equal(RepairStatus.Manual, check.Status);
            Assert.Contains("still@contoso.com", check.Detail);
            Assert.Contains("-ResultSize '1'", check.Command);
            Assert.Single(tenant.Calls, c => c.StartsWith("Get-Recipient", StringComparison.Ordinal));
            AssertHeld(host, tenant, "A mail user of contoso.com exists (still@contoso.com)");
        }

        [Fact]
        public void An_MX_that_is_the_connectors_smart_host_holds_the_plan()
        {
            var (host, tenant) = Run(Tenant("stillonprem.contoso.com"));
            RepairAction mx = Line(host, "CheckMx");
            Assert.Equal(RepairStatus.Manual, mx.Status);
            AssertHeld(host, tenant, "The MX of stillonprem.contoso.com is mail.contoso.com, a smart host of Contoso on-premises");
        }

        [Fact]
        public void An_MX_that_cannot_be_read_holds_the_plan()
        {
            var (host, tenant) = Run(Tenant("gone.contoso.com"));   // NXDOMAIN in the lab's DNS
            Assert.Equal(RepairStatus.Manual, Line(host, "CheckMx").Status);
            AssertHeld(host, tenant, "The MX of gone.contoso.com could not be read");
        }

        [Fact]
        public void A_connector_made_by_the_Hybrid_Configuration_Wizard_holds_the_plan()
        {
            FakeExchangeSession tenant = Tenant();
            tenant.Connectors[0]["ConnectorSource"] = "HybridWizard";
            var (host, _) = Run(tenant);
            Assert.Equal(RepairStatus.Manual, Line(host, "CheckConnectorSource").Status);
            AssertHeld(host, tenant, "made by the Hybrid Configuration Wizard");
        }

        [Theory]
        [InlineData(ObservedFrom.ThisComputer, true, "seen only from this computer")]
        [InlineData(null, true, "does not say where the refusal was seen")]
        [InlineData(ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer, false, "Microsoft 365 itself saw the refusal")]
        public void Piped_evidence_counts_only_when_Microsoft_365_saw_the_refusal(ObservedFrom? seen, bool held, string detail)
        {
            var input = new RepairInput { Code = "450 4.4.316", Connector = Contoso, Piped = true, ObservedFrom = seen };
            var (host, tenant) = Run(Tenant(), input: input);
            Assert.Contains(detail, Line(host, "CheckObservedFrom").Detail);
            if (held) AssertHeld(host, tenant, detail);
            else Assert.Equal(RepairStatus.Applied, Line(host, "DisableConnector").Status);
        }

        [Fact]
        public void A_wildcard_never_changes_its_parent_and_with_no_accepted_domain_to_change_nothing_is_disabled()
        {
            var (host, tenant) = Run(Tenant("*.contoso.com"));
            RepairAction domains = Line(host, "CheckAcceptedDomains");
            Assert.Equal(RepairStatus.Manual, domains.Status);
            Assert.Contains("nothing would change, so nothing is disabled", domains.Detail);
            Assert.Contains("*.contoso.com never changes contoso.com", domains.Detail);
            Assert.DoesNotContain(host.Actions, a => a.Action.StartsWith("CheckMx", StringComparison.Ordinal));   // no domain to look at
            AssertHeld(host, tenant, "nothing is disabled");
            Assert.Equal("InternalRelay", tenant.Value("AcceptedDomain", "contoso.com", "DomainType"));
        }

        [Fact]
        public void Force_makes_the_changes_over_the_checks_still_asks_and_says_on_each_what_it_overrode()
        {
            FakeExchangeSession tenant = Tenant().WithRecipient("still@contoso.com", "MailUser", "SMTP:still@contoso.com");
            tenant.Connectors[0]["ConnectorSource"] = "HybridWizard";
            var (host, _) = Run(tenant, force: true);
            Assert.Equal(2, host.Questions.Count);   // -Force never skips the confirmation
            RepairAction disable = Line(host, "DisableConnector");
            Assert.Equal(RepairStatus.Applied, disable.Status);
            Assert.StartsWith("Made with -Force over these checks:", disable.Detail);
            Assert.Contains("still@contoso.com", disable.Detail);
            Assert.Contains("Hybrid Configuration Wizard", disable.Detail);
            Assert.Contains("still@contoso.com", Line(host, "SetAcceptedDomainAuthoritative").Detail);
            Assert.Equal(RepairStatus.Checked, Line(host, "CheckMailUsers").Status);
            Assert.EndsWith("Overridden by -Force.", Line(host, "CheckMailUsers").Detail);
            Assert.Equal(false, tenant.Value("OutboundConnector", Contoso, "Enabled"));
        }

        [Fact]
        public void A_session_without_Get_Recipient_cannot_answer_the_mail_user_check()
        {
            FakeExchangeSession tenant = Tenant();
            tenant.Cmdlets.Remove("Get-Recipient");
            var (host, _) = Run(tenant);
            Assert.Contains("could not be read (Get-Recipient)", Line(host, "CheckMailUsers").Detail);
            AssertHeld(host, tenant, "Whether a mail user of contoso.com exists could not be read");
        }

        [Fact]
        public void The_checks_speak_French_too()
        {
            var host = new RecordingRepairHost();
            new RepairRunner(Tenant("*.contoso.com"), new RepairOptions { Decommissioned = true, Language = Catalog.Language.French }, RepairRunnerTests.DnsOptions(), host, CancellationToken.None)
                .Plan(new RepairInput { Code = "450 4.4.316", Connector = Contoso });
            Assert.Contains("rien n'est donc désactivé", Line(host, "CheckAcceptedDomains").Detail);
            Assert.Contains("Non effectué", Line(host, "DisableConnector").Steps);
        }
    }
}
