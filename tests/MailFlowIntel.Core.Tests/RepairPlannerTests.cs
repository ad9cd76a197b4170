using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Repair;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Every scenario the planner can name, under each connector type and each option: only two cases ever change
    /// Exchange Online by themselves, a partner is never told to open its firewall to our ranges, and every step names its scenario.
    /// </summary>
    public sealed class RepairPlannerTests
    {
        public static IEnumerable<object[]> Cases()
        {
            foreach (Scenario s in ScenarioCatalog.All.Where(s => s.Repair != null && s.Family != null))
                foreach (string type in new[] { "OnPremises", "Partner", null })
                    foreach (string option in new[] { "None", "Decommissioned", "AdoptCertificateName" })
                        yield return new object[] { s.Reason, type, option };
        }

        public static IEnumerable<object[]> PartnerCases() => Cases().Where(c => (string)c[1] == "Partner");

        static List<PlannedStep> Plan(Reason reason, string type, string option)
        {
            Scenario scenario = ScenarioCatalog.ByReason(reason);
            var input = new RepairInput
            {
                Code = scenario.Family.Code, Connector = "To Contoso", DestinationServer = "mail.contoso.com", LastAttemptedIP = "192.0.2.10",
                CertificateNames = "mail.contoso.com", CertificateErrors = "RemoteCertificateNameMismatch", ServerResponse = "421 4.3.2 busy",
            };
            input.Reasons.Add(reason);
            var connector = new ConnectorState
            {
                Identity = "To Contoso", Name = "To Contoso", ConnectorType = type, FromExchange = true,
                TlsSettings = "DomainValidation", TlsDomain = "smtp.contoso.com",
            };
            connector.SmartHosts.Add("mail.contoso.com");
            connector.RecipientDomains.Add("contoso.com");
            var accepted = new[] { new AcceptedDomainState { Identity = "contoso.com", DomainName = "contoso.com", DomainType = "InternalRelay" } };
            var options = new RepairOptions { Decommissioned = option == "Decommissioned", AdoptCertificateName = option == "AdoptCertificateName" };
            var fresh = new FreshCertificate { Host = "mail.contoso.com", Names = new[] { "mail.contoso.com" }, ValidAndTrusted = true };
            return RepairPlanner.Plan(input, connector, accepted, options, fresh);
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Only_a_retired_on_premises_server_and_an_adopted_certificate_name_change_Exchange_Online(Reason reason, string type, string option)
        {
            List<PlannedStep> plan = Plan(reason, type, option);
            Assert.NotEmpty(plan);
            bool mayChange = (reason == Reason.ConnectionRefused && type == "OnPremises" && option == "Decommissioned")
                          || (reason == Reason.CertificateNameMismatch && type != "Partner" && option == "AdoptCertificateName");
            bool changes = plan.Any(p => p.Change != null);
            Assert.Equal(mayChange, changes);
            foreach (PlannedStep p in plan)
            {
                Assert.Equal(p.Change != null, p.Action.Automatic);
                Assert.Equal(p.Change != null ? RepairStatus.Planned : RepairStatus.Manual, p.Action.Status);
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Every_step_names_the_scenario_it_repairs_and_who_acts(Reason reason, string type, string option)
        {
            foreach (PlannedStep p in Plan(reason, type, option))
            {
                Assert.Equal(reason, p.Action.Reason);
                Responsible expected = type == "OnPremises" ? Responsible.Admin : type == "Partner" ? Responsible.Partner : Responsible.Unknown;
                Assert.Equal(expected, p.Action.Responsible);
                Assert.False(string.IsNullOrWhiteSpace(p.Action.Rationale));
            }
        }

        [Theory]
        [MemberData(nameof(PartnerCases))]
        public void A_partner_is_never_handed_Microsoft_365s_ranges_to_allow(Reason reason, string type, string option)
        {
            foreach (PlannedStep p in Plan(reason, type, option))
                foreach (string range in Microsoft365Network.ExchangeOnlineRanges)
                {
                    Assert.DoesNotContain(range, p.Action.Steps ?? "");
                    Assert.DoesNotContain(range, p.Action.Command ?? "");
                }
        }

        [Fact]
        public void The_admins_own_refusing_server_is_handed_the_ranges()
        {
            // The other side of the partner rule: the same scenario on an OnPremises connector lists them.
            string steps = string.Join(" ", Plan(Reason.ConnectionRefused, "OnPremises", "None").Select(p => p.Action.Steps));
            Assert.Contains(Microsoft365Network.ExchangeOnlineRanges[0], steps);
        }

        [Theory]
        [InlineData(true, "Test-ConnectorDelivery -Domain 'fabrikam.com'")]
        [InlineData(false, "Test-ConnectorDelivery -SmartHost 'mx1.fabrikam.com'")]
        public void An_MTA_STS_mismatch_is_checked_again_by_the_policy_domain_when_the_connector_routes_by_MX(bool byMx, string expected)
        {
            var input = new RepairInput { Code = "450 4.4.8", Connector = "To Fabrikam", DestinationServer = "mx1.fabrikam.com", MtaStsPolicyDomain = "fabrikam.com" };
            input.Reasons.Add(Reason.MtaStsMxMismatch);
            var connector = new ConnectorState { Identity = "To Fabrikam", Name = "To Fabrikam", ConnectorType = "Partner", FromExchange = true, UseMXRecord = byMx };
            if (!byMx) connector.SmartHosts.Add("mx1.fabrikam.com");
            PlannedStep step = RepairPlanner.Plan(input, connector, new AcceptedDomainState[0], new RepairOptions(), null).Single(p => p.Action.Action == "FixMtaStsPolicy");
            Assert.StartsWith(expected, step.Action.Command);
        }

        static RepairInput Refused()
        {
            var input = new RepairInput { Code = "450 4.4.316", Connector = "To Contoso" };
            input.Reasons.Add(Reason.ConnectionRefused);
            return input;
        }

        [Fact]
        public void Offline_a_decommission_of_unknown_type_lists_every_change_after_the_confirmation_as_commands_to_run()
        {
            // Only named (no Exchange Online session): type, recipient domains and the domains' DomainType are unknown.
            var connector = new ConnectorState { Identity = "To Contoso", Name = "To Contoso" };
            var accepted = new[] { new AcceptedDomainState { Identity = "contoso.com", DomainName = "contoso.com" } };
            var options = new RepairOptions { Decommissioned = true, AcceptedDomains = new[] { "contoso.com" } };
            List<PlannedStep> plan = RepairPlanner.Plan(Refused(), connector, accepted, options, null);
            Assert.Equal(new[] { "ConfirmOnPremisesConnector", "DisableConnector", "SetAcceptedDomainAuthoritative" }, plan.Select(p => p.Action.Action));
            Assert.All(plan, p => Assert.Null(p.Change));   // nothing the cmdlet could run
            Assert.All(plan, p => Assert.Equal(RepairStatus.Manual, p.Action.Status));
            Assert.Equal("Set-OutboundConnector -Identity 'To Contoso' -Enabled $false -Confirm:$false", plan[1].Action.Command);
            Assert.Equal("Set-OutboundConnector -Identity 'To Contoso' -Enabled $true -Confirm:$false", plan[1].Action.RollbackCommand);
            Assert.Equal("Set-AcceptedDomain -Identity 'contoso.com' -DomainType 'Authoritative' -Confirm:$false", plan[2].Action.Command);
            Assert.Equal("", plan[2].Action.RollbackCommand);   // its DomainType before is not known: no guess
            Assert.Contains("not known here", plan[2].Action.Steps);
            Assert.Equal(new[] { null, "ConfirmOnPremisesConnector", "DisableConnector" }, plan.Select(p => p.Action.DependsOn));
        }

        [Fact]
        public void A_wildcard_recipient_domain_never_switches_its_parent_domain()
        {
            var connector = new ConnectorState { Identity = "To Contoso", Name = "To Contoso", ConnectorType = "OnPremises", FromExchange = true };
            connector.RecipientDomains.Add("*.contoso.com");
            var accepted = new[] { new AcceptedDomainState { Identity = "contoso.com", DomainName = "contoso.com", DomainType = "InternalRelay" } };
            List<PlannedStep> plan = RepairPlanner.Plan(Refused(), connector, accepted, new RepairOptions { Decommissioned = true }, null);
            Assert.Equal(new[] { "DisableConnector", "SetAcceptedDomainAuthoritative" }, plan.Select(p => p.Action.Action));
            Assert.NotNull(plan[0].Change);
            Assert.Null(plan[1].Change);
            Assert.DoesNotContain(plan, p => p.Action.Command.StartsWith("Set-AcceptedDomain", StringComparison.Ordinal));
            Assert.Contains("*.contoso.com", plan[1].Action.Steps);
        }

        [Fact]
        public void Offline_an_adopted_certificate_name_comes_after_the_settings_check_without_a_guessed_rollback()
        {
            var input = new RepairInput { Code = "450 4.7.320", Connector = "To Contoso", DestinationServer = "mail.contoso.com" };
            input.Reasons.Add(Reason.CertificateNameMismatch);
            var connector = new ConnectorState { Identity = "To Contoso", Name = "To Contoso" };
            // NamePasses compares with the host name here, not with the connector's TlsDomain, which is unknown: not a reason to skip.
            var fresh = new FreshCertificate { Host = "mail.contoso.com", Names = new[] { "*.contoso.com", "mail.contoso.com" }, ValidAndTrusted = true, NamePasses = true };
            List<PlannedStep> plan = RepairPlanner.Plan(input, connector, new AcceptedDomainState[0], new RepairOptions { AdoptCertificateName = true }, fresh);
            Assert.Equal(new[] { "ConfirmConnectorSettings", "SetTlsDomain" }, plan.Select(p => p.Action.Action));
            Assert.All(plan, p => Assert.Equal(RepairStatus.Manual, p.Action.Status));
            Assert.All(plan, p => Assert.Null(p.Change));
            Assert.Equal("Set-OutboundConnector -Identity 'To Contoso' -TlsDomain 'mail.contoso.com' -Confirm:$false", plan[1].Action.Command);   // never the wildcard
            Assert.Equal("", plan[1].Action.RollbackCommand);
            Assert.Equal("ConfirmConnectorSettings", plan[1].Action.DependsOn);
        }

        [Fact]
        public void Offline_texts_are_in_French_too()
        {
            var connector = new ConnectorState { Identity = "To Contoso", Name = "To Contoso" };
            var options = new RepairOptions { Decommissioned = true, Language = Language.French };
            List<PlannedStep> plan = RepairPlanner.Plan(Refused(), connector, new AcceptedDomainState[0], options, null);
            Assert.Contains("Vérifiez son type", plan[0].Action.Steps);
            Assert.Contains("Seulement une fois", plan[1].Action.Steps);
            Assert.Contains("'<domaine>'", plan[2].Action.Steps);
        }
    }
}
