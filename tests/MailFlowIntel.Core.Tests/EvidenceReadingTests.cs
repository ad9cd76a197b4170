using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Repair;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Evidence that used to be misread (issue 16, item 5): unreachable networks and hosts, a recipient domain that does not
    /// exist, bracketed fields with spaces around "=", and a server's own demand for STARTTLS.
    /// </summary>
    public sealed class EvidenceReadingTests
    {
        static readonly DateTime AsOf = new DateTime(2026, 12, 8, 12, 0, 0, DateTimeKind.Utc);

        static EvidenceRecord Read(string text) => TextEvidence.FromLine(text, null);

        static MailFlowAlert Alert(EvidenceRecord r, Language language = Language.English)
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = AsOf, Language = language });
            aggregator.Add(r);
            return aggregator.Alerts().Single();
        }

        [Theory]
        [InlineData("451 4.4.397 Error communicating with target host. -> 421 4.2.1 Unable to connect -> SocketError: Failed to connect. Winsock error code: 10051, Win32 error code: 10051", Reason.NetworkUnreachable)]
        [InlineData("Message from EX1.contoso.local to EX2.contoso.local=421 4.2.1 Unable to connect -> SocketError: Failed to connect. Winsock error code: 10065, Win32 error code: 10065;Redirected to EX2.contoso.local.", Reason.HostUnreachable)]
        [InlineData("LED=450 4.4.317 Cannot connect to remote server [Message=Socket error code 10051] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]", Reason.NetworkUnreachable)]
        [InlineData("LED=450 4.4.317 Cannot connect to remote server [Message=Socket error code 10065] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]", Reason.HostUnreachable)]
        public void Winsock_10051_and_10065_say_the_sender_had_no_route_never_that_the_server_was_reached(string text, Reason reason)
        {
            EvidenceRecord r = Read(text);
            Assert.Equal(reason, r.Scenario.Reason);
            Assert.Equal("450 4.4.317", r.Family.Code);
            foreach (Language language in new[] { Language.English, Language.French })
            {
                MailFlowAlert alert = Alert(r, language);
                Assert.DoesNotContain("was reached", alert.Cause);
                Assert.DoesNotContain("a été atteint", alert.Cause);
                Assert.Contains(language == Language.French ? "n'a jamais atteint" : "never reached", alert.Cause);
                Assert.Contains(reason == Reason.NetworkUnreachable ? "10051" : "10065", alert.Cause);
            }
        }

        [Theory]
        [InlineData(ObservedFrom.Microsoft365, "from Microsoft 365,", "depuis Microsoft 365,")]
        [InlineData(ObservedFrom.ExchangeServer, "from the Exchange server,", "depuis le serveur Exchange,")]
        [InlineData(ObservedFrom.OtherMta, "from the sending mail server,", "depuis le serveur de messagerie émetteur,")]
        [InlineData(ObservedFrom.None, "from the sending server,", "depuis le serveur émetteur,")]
        [InlineData(ObservedFrom.Microsoft365 | ObservedFrom.ExchangeServer, "from the sending server,", "depuis le serveur émetteur,")]
        public void The_unreachable_cause_names_the_sender_whose_view_the_evidence_is(ObservedFrom vantage, string english, string french)
        {
            var facts = new CaseFacts { Host = "mail.contoso.com", Address = "203.0.113.5", ObservedFrom = vantage };
            foreach (Scenario s in new[] { ScenarioCatalog.NetworkUnreachable, ScenarioCatalog.HostUnreachable })
            {
                Assert.Contains(english, s.CauseFor(Language.English, facts));
                Assert.Contains(french, s.CauseFor(Language.French, facts));
            }
        }

        [Fact]
        public void An_Exchange_Server_row_with_Winsock_10051_speaks_of_the_Exchange_server()
        {
            MailFlowAlert alert = Alert(Read("451 4.4.0 Primary target IP address responded with: \"421 4.2.1 Unable to connect.\" The last endpoint attempted was 203.0.113.9:25 Winsock error code: 10051"));
            Assert.Equal(ObservedFrom.ExchangeServer, alert.ObservedFrom);
            Assert.Equal("NetworkUnreachable", alert.Reason);
            Assert.Contains("from the Exchange server, its network was unreachable", alert.Cause);
            Assert.Equal("203.0.113.9", alert.LastAttemptedIP);
        }

        [Theory]
        [InlineData("Remote Server returned '550 5.4.310 DNS domain contoso.test does not exist [Message=InfoDomainNonexistent] [LastAttemptedServerName=contoso.test] [VE1EUR03FT026.eop-EUR03.prod.protection.outlook.com]'")]
        [InlineData("550 5.4.310 DNS domain contoso.test does not exist")]
        [InlineData("5.4.310")]
        public void A_5_4_310_is_the_recipients_domain_not_a_connectors_DNS(string text)
        {
            EvidenceRecord r = Read(text);
            Assert.Equal(Reason.RecipientDomainNotFound, r.Scenario.Reason);
            Assert.Same(CodeFamily.RecipientDomainNotFound, r.Family);
            Assert.NotEqual(CodeFamily.DnsQueryFailed, r.Family);
            Assert.Equal(Responsible.Sender, r.Responsible);
            Assert.False(r.Expired);   // final from the start, like a Null MX: not the expired form of a deferral
            if (text.Length > 10) Assert.Equal("contoso.test", r.DestinationServer);

            MailFlowAlert alert = Alert(r);
            Assert.Equal("550 5.4.310", alert.Code);
            Assert.Equal(Responsible.Sender, alert.Responsible);
            Assert.StartsWith("Nothing to change on the connectors", alert.Fix);
            Assert.DoesNotContain("smart host", alert.Fix);
        }

        [Fact]
        public void The_expired_DNS_failure_of_a_connector_is_still_4_4_312()
        {
            EvidenceRecord r = Read("550 5.4.312 Message expired, DNS query failed [Message=SMTPSEND.DNS.NonExistentDomain]");
            Assert.Same(CodeFamily.DnsQueryFailed, r.Family);
            Assert.True(r.Expired);
            Assert.Same(CodeFamily.RecipientDomainNotFound, CodeFamily.Find("550 5.4.310"));
            Assert.Null(CodeFamily.Find("4.4.310"));   // no deferral form: Exchange Online bounces at once
        }

        [Fact]
        public void A_5_4_310_plans_a_manual_step_for_whoever_addressed_the_mail_and_changes_nothing()
        {
            var input = new RepairInput { Code = "550 5.4.310", DestinationServer = "contoso.test", Responsible = Responsible.Sender };
            input.Reasons.Add(Reason.RecipientDomainNotFound);
            List<PlannedStep> plan = RepairPlanner.Plan(input, null, Array.Empty<AcceptedDomainState>(), new RepairOptions(), null);
            PlannedStep step = Assert.Single(plan);
            Assert.Null(step.Change);
            Assert.Equal(RepairStatus.Manual, step.Action.Status);
            Assert.Equal(Responsible.Sender, step.Action.Responsible);
            Assert.StartsWith("Resolve-DnsName -Name 'contoso.test' -Type", step.Action.Command);
        }

        [Theory]
        [InlineData("Remote Server returned '550 5.4.310 DNS domain contoso.test does not exist [Message=InfoDomainNonexistent] [LastAttemptedServerName=contoso.test]'", "450 4.4.312", "DnsQueryFailed", "550 5.4.310")]
        [InlineData("530 5.7.3 STARTTLS is required", "530 5.7.3", "Unrecognized", null)]
        public void An_alert_the_previous_version_filed_elsewhere_is_the_same_fault_in_the_first_run_after_the_upgrade(string evidence, string oldCode, string oldReason, string oldRawCode)
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = AsOf });
            aggregator.Add(Read(evidence));
            List<KeyValuePair<string, MailFlowAlert>> now = aggregator.KeyedAlerts().ToList();

            // The same alert as the previous version wrote it: another code and reason, the evidence as it was.
            Dictionary<string, object> old = typeof(MailFlowAlert).GetProperties()
                .ToDictionary(p => p.Name, p => p.GetValue(now.Single().Value), StringComparer.OrdinalIgnoreCase);
            old["Code"] = oldCode;
            old["EnhancedStatusCode"] = oldCode.Substring(oldCode.IndexOf(' ') + 1);
            old["Reason"] = oldReason;
            old["RawCode"] = oldRawCode;
            old["Responsible"] = Responsible.Unknown;
            var baseline = new AlertBaseline(new AlertOptions { AsOf = AsOf });
            Assert.True(baseline.Add(old, new EvidenceDates(null, System.Globalization.CultureInfo.InvariantCulture), out _));

            MailFlowAlert compared = Assert.Single(baseline.Compare(now, (a, why, probeSide) => { }));
            Assert.Equal(AlertChange.Ongoing, compared.Change);
        }

        [Theory]
        [InlineData("LED=450 4.4.316 Connection refused [Message = Socket error code 10061] [LastAttemptedServerName = mail.contoso.com] [LastAttemptedIP = 203.0.113.5:25]")]
        [InlineData("LED=450 4.4.316 Connection refused [Message= Socket error code 10061] [LastAttemptedServerName =mail.contoso.com] [LastAttemptedIP= 203.0.113.5:25]")]
        [InlineData("LED=450 4.4.316 Connection refused [ Message = Socket error code 10061 ] [ LastAttemptedServerName = mail.contoso.com ] [ LastAttemptedIP = 203.0.113.5:25 ]")]
        [InlineData("Reason: [{LED=450 4.4.316 Connection refused};{MSG = Socket error code 10061};{FQDN = mail.contoso.com};{IP = 203.0.113.5}]")]
        [InlineData("LED=450 4.4.316 Connection refused [Message=Socket error code 10061] LastAttemptedIP : 203.0.113.5:25 [LastAttemptedServerName\t=\tmail.contoso.com]")]
        public void Bracketed_fields_with_spaces_around_the_equals_sign_keep_their_server_address_and_message(string text)
        {
            EvidenceRecord r = Read(text);
            Assert.Equal(Reason.ConnectionRefused, r.Scenario.Reason);
            Assert.Equal("mail.contoso.com", r.DestinationServer);
            Assert.Equal("203.0.113.5", r.LastAttemptedIP);
            Assert.Equal("Socket error code 10061", r.Detail);
        }

        [Theory]
        [InlineData("530 5.7.3 STARTTLS is required")]
        [InlineData("451 5.7.3 STARTTLS is required to send mail [PA7P264CA0250.FRAP264.PROD.OUTLOOK.COM 2026-03-05T11:41:09.483Z 08DE7A509B86EADD]")]
        [InlineData("530 5.7.0 Must issue a STARTTLS command first")]
        [InlineData("530 Must issue a STARTTLS command first")]
        [InlineData("451 5.7.3 STARTTLS is required, 5.7.0 Must issue a STARTTLS command first")]
        public void A_servers_own_demand_for_STARTTLS_before_MAIL_is_the_TLS_required_scenario(string reply)
        {
            EvidenceRecord r = Read(reply);
            Assert.Equal(Reason.TlsRequiredByServer, r.Scenario.Reason);
            Assert.Equal("450 4.4.317", r.Family.Code);
            Assert.Equal(reply.Substring(0, reply.IndexOf(' ')), r.RawCode.Substring(0, 3));   // the server's own code is kept beside
        }

        [Fact]
        public void A_5_7_3_without_STARTTLS_wording_keeps_its_own_code()
        {
            EvidenceRecord r = Read("550 5.7.3 Message rejected by policy");
            Assert.Equal(Reason.Unrecognized, r.Scenario.Reason);
            Assert.Equal("550 5.7.3", r.RawCode);
            Assert.Null(r.Family);
        }
    }
}
