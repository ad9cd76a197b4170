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
    }
}
