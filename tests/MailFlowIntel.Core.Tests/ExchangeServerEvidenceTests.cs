using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Exchange Server evidence keeps Exchange Server's words (issue 18 item 7): the code the server wrote as Code, the
    /// scenario as Reason, a fix for its own way out, a key that an older baseline still matches, and a repair on that side
    /// only, never an Exchange Online change.
    /// </summary>
    public sealed class ExchangeServerEvidenceTests
    {
        static readonly DateTime T = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        const string Next = "contoso.mail.protection.outlook.com";
        const string SendConnector = "0c4f3d6a-8b2e-4f1a-9d7c-5e6b8a9f0d12";
        const string TimedOut441 = "441 4.4.1 Error encountered while communicating with primary target IP address: \"Failed to connect. Winsock error code: 10060, Win32 error code: 10060.\" Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 203.0.113.10:25";
        const string TimedOut451 = "451 4.4.0 Primary target IP address responded with: \"Failed to connect. Winsock error code: 10060, Win32 error code: 10060.\" Attempted failover to alternate host, but that did not succeed. The last endpoint attempted was 203.0.113.11:25";

        static IReadOnlyDictionary<string, object> Row(params (string Name, object Value)[] cells) =>
            cells.ToDictionary(c => c.Name, c => c.Value, StringComparer.OrdinalIgnoreCase);

        /// <summary>A Get-Queue row of the hybrid send connector toward Exchange Online, in retry.</summary>
        static IReadOnlyDictionary<string, object> Queue(string lastError = TimedOut441, string identity = @"EX01\12", int count = 40) =>
            Row(("Identity", identity), ("DeliveryType", "SmartHostConnectorDelivery"), ("NextHopDomain", Next), ("NextHopConnector", SendConnector),
                ("Status", "Retry"), ("MessageCount", count), ("LastError", lastError),
                ("FirstRetryTime", T.AddHours(-3)), ("LastRetryTime", T.AddMinutes(-5)), ("NextRetryTime", T.AddMinutes(5)));

        static List<KeyValuePair<string, MailFlowAlert>> Run(IEnumerable<IReadOnlyDictionary<string, object>> rows, Language language = Language.English,
            AlertBaseline baseline = null)
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = T, Language = language });
            foreach (var row in rows)
            {
                EvidenceRecord r = RowInterpreter.Interpret(row, null, out _);
                if (r == null) { baseline?.Coverage.PassedOver(row); continue; }
                baseline?.Coverage.Saw(r);
                aggregator.Add(r);
            }
            return aggregator.KeyedAlerts().ToList();
        }

        static MailFlowAlert Alert(params IReadOnlyDictionary<string, object>[] rows) => Assert.Single(Run(rows)).Value;

        /// <summary>An alert as Import-Clixml or the pipeline hands it back: its properties by name.</summary>
        static Dictionary<string, object> AsRow(MailFlowAlert a) =>
            typeof(MailFlowAlert).GetProperties().ToDictionary(p => p.Name, p => p.GetValue(a), StringComparer.OrdinalIgnoreCase);

        [Fact]
        public void A_Get_Queue_row_to_Exchange_Online_timing_out_keeps_the_queues_code_and_is_fixed_on_premises()
        {
            EvidenceRecord r = RowInterpreter.Interpret(Queue(), null, out _);
            Assert.True(r.ExchangeServerConnector);   // the next hop's GUID, resolved later by a session to Exchange Server

            MailFlowAlert a = Alert(Queue());
            Assert.Equal(ObservedFrom.ExchangeServer, a.ObservedFrom);
            Assert.Equal("441 4.4.1", a.Code);
            Assert.Equal("4.4.1", a.EnhancedStatusCode);
            Assert.Equal("ConnectTimedOut", a.Reason);
            Assert.Equal("Connection timed out", a.Title);
            Assert.Null(a.RawCode);
            Assert.Equal(SendConnector, a.Connector);
            Assert.Equal(Next, a.DestinationServer);
            Assert.Equal("203.0.113.10", a.LastAttemptedIP);
            Assert.Contains("the Exchange server's TCP connection", a.Cause);
            Assert.Contains("firewall or proxy of the Exchange server's network", a.Fix);
            Assert.Contains("Test-NetConnection -ComputerName " + Next + " -Port 25", a.Fix);
            Assert.DoesNotContain("Microsoft 365", a.Cause + a.Fix);

            MailFlowAlert fr = Assert.Single(Run(new[] { Queue() }, Language.French)).Value;
            Assert.Equal("441 4.4.1", fr.Code);
            Assert.Equal("Délai de connexion dépassé", fr.Title);
            Assert.Contains("du serveur Exchange", fr.Fix);
            Assert.DoesNotContain("Microsoft 365", fr.Cause + fr.Fix);
        }

        [Fact]
        public void Queues_that_spell_one_fault_with_two_codes_are_one_alert_listing_both()
        {
            MailFlowAlert a = Alert(Queue(TimedOut451, @"EX01\12", 10), Queue(TimedOut441, @"EX02\7", 5));
            Assert.Equal("451 4.4.0", a.Code);   // the first the server wrote
            Assert.Equal("4.4.0", a.EnhancedStatusCode);
            Assert.Equal("451 4.4.0; 441 4.4.1", a.RawCode);
            Assert.Equal(15, a.MessageCount);
        }

        [Fact]
        public void Microsoft_365s_own_evidence_keeps_Microsoft_365s_code()
        {
            var trace = Row(("Date", T), ("Event", "Defer"), ("Detail", "Reason: [{LED=450 4.4.315 Connection timed out [LastAttemptedServerName=mail.contoso.com]}]"),
                ("MessageId", "<m1@contoso.com>"), ("RecipientAddress", "a@contoso.com"));
            MailFlowAlert a = Alert(trace);
            Assert.Equal("450 4.4.315", a.Code);
            Assert.Contains("Microsoft 365's TCP connection", a.Cause);
        }

        [Fact]
        public void An_Exchange_Server_alert_read_back_keeps_its_code_and_its_key()
        {
            var first = Assert.Single(Run(new[] { Queue() }));
            EvidenceRecord again = RowInterpreter.Interpret(AsRow(first.Value), null, out _);
            Assert.Same(CodeFamily.ConnectionTimedOut, again.Family);   // from its Reason: 441 4.4.1 is outside the catalog
            Assert.Equal(first.Key, AlertAggregator.KeyOf(again));
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = T });
            aggregator.Add(again);
            MailFlowAlert reread = Assert.Single(aggregator.Alerts());
            Assert.Equal("441 4.4.1", reread.Code);
            Assert.Equal("ConnectTimedOut", reread.Reason);
            Assert.Null(reread.RawCode);
        }

        /// <summary>
        /// The alert as the version before this change wrote it from the same queue: Microsoft 365's code for the family
        /// (450 4.4.315), the server's own in RawCode; with ObservedFrom, and from before ObservedFrom existed.
        /// </summary>
        static Dictionary<string, object> OldShape(bool withObservedFrom)
        {
            Dictionary<string, object> row = AsRow(Alert(Queue()));
            row["Code"] = "450 4.4.315";
            row["EnhancedStatusCode"] = "4.4.315";
            row["RawCode"] = "441 4.4.1";
            row["Change"] = "New";
            if (!withObservedFrom) row.Remove("ObservedFrom");
            return row;
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_baseline_written_before_this_change_compares_as_Ongoing_never_New_or_Resolved(bool withObservedFrom)
        {
            var baseline = new AlertBaseline(new AlertOptions { AsOf = T });
            Assert.True(baseline.Add(OldShape(withObservedFrom), new EvidenceDates(null, CultureInfo.InvariantCulture), out _));
            Assert.Equal(1, baseline.Count);

            List<MailFlowAlert> compared = baseline.Compare(Run(new[] { Queue() }, baseline: baseline), (a, why, probeSide) => { }).ToList();
            MailFlowAlert a = Assert.Single(compared);
            Assert.Equal(AlertChange.Ongoing, a.Change);
            Assert.Equal("441 4.4.1", a.Code);
            Assert.Equal(40, a.PreviousMessageCount);
        }

        [Fact]
        public void Old_and_new_alerts_of_the_same_queue_have_one_key()
        {
            var dates = new EvidenceDates(null, CultureInfo.InvariantCulture);
            string now = AlertBaseline.KeyOf(AsRow(Alert(Queue())), dates);
            Assert.Equal(now, AlertBaseline.KeyOf(OldShape(true), dates));
            Assert.Equal(now, AlertBaseline.KeyOf(OldShape(false), dates));
            Assert.Equal(Assert.Single(Run(new[] { Queue() })).Key, now);
        }

        [Fact]
        public void A_baseline_of_this_version_compares_with_the_next_run_as_Ongoing()
        {
            var baseline = new AlertBaseline(new AlertOptions { AsOf = T });
            Assert.True(baseline.Add(AsRow(Alert(Queue())), new EvidenceDates(null, CultureInfo.InvariantCulture), out _));
            MailFlowAlert a = Assert.Single(baseline.Compare(Run(new[] { Queue() }, baseline: baseline), (x, why, probeSide) => { }));
            Assert.Equal(AlertChange.Ongoing, a.Change);
        }

        // ---- Repair-ConnectorConfig ----

        static FakeExchangeSession Tenant() =>
            new FakeExchangeSession(new ExchangeConnection { Organization = "contoso.onmicrosoft.com", TenantId = "3750b40b-a68b-4632-9fb3-5b1aff664079" })
                .WithConnector("Outbound to on-premises", "OnPremises", true, new[] { "contoso.com" }, new[] { "mail.contoso.com" })
                .WithDomain("contoso.com", "InternalRelay");

        static RepairInput FromQueue(string code, Reason reason, ObservedFrom seen = ObservedFrom.ExchangeServer)
        {
            var input = new RepairInput { Code = code, Connector = SendConnector, DestinationServer = Next, LastAttemptedIP = "203.0.113.10", ObservedFrom = seen };
            input.Reasons.Add(reason);
            return input;
        }

        [Theory]
        [InlineData("441 4.4.1", Reason.ConnectTimedOut)]
        [InlineData("451 4.4.0", Reason.ConnectionRefused)]
        [InlineData("450 4.4.316", Reason.ConnectionRefused)]   // an alert written before this change
        [InlineData("451 4.4.0", Reason.CertificateNameMismatch)]
        public void An_Exchange_Server_failure_gets_manual_steps_on_its_side_and_no_Exchange_Online_change_even_with_Decommissioned(string code, Reason reason)
        {
            FakeExchangeSession tenant = Tenant();
            var host = new RecordingRepairHost();
            var options = new RepairOptions { Decommissioned = true, AdoptCertificateName = true, Language = Language.English };
            var runner = new RepairRunner(tenant, options, new ProbeOptions(), host, CancellationToken.None)
            {
                Verify = true,
                ValidationRecipients = new[] { "probe@contoso.com" },
            };
            runner.Plan(FromQueue(code, reason));

            Assert.Empty(host.Errors);
            Assert.Empty(host.Questions);
            Assert.Empty(tenant.Calls);   // nothing read, changed or validated in Exchange Online: the GUID is an Exchange Server send connector
            RepairAction a = Assert.Single(host.Actions);
            Assert.Equal("CheckSendingServer", a.Action);
            Assert.Equal(RepairStatus.Manual, a.Status);
            Assert.False(a.Automatic);
            Assert.Equal(code, a.Code);
            Assert.Equal(reason, a.Reason);
            Assert.Equal(Next, a.Target);
            Assert.Equal("", a.RollbackCommand);
            Assert.Contains("the Exchange server", a.Rationale, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("-Decommissioned disables an Exchange Online connector", a.Steps);
            Assert.Contains($"Get-SendConnector -Identity '{SendConnector}'", a.Steps);
            Assert.Contains("Retry-Queue -Filter", a.Steps);
            Assert.Contains("nothing in Exchange Online is read or changed", a.Steps);
            foreach (string never in new[] { "Set-OutboundConnector", "Set-AcceptedDomain", "Microsoft 365's" })
                Assert.DoesNotContain(never, a.Steps + a.Command + a.Rationale);
            if (reason == Reason.CertificateNameMismatch) Assert.Contains("-AdoptCertificateName changes the TlsDomain of an Exchange Online connector", a.Steps);
            Assert.Contains(host.VerboseLines, l => l.Contains("nothing in Exchange Online is read or changed"));
        }

        [Fact]
        public void The_steps_for_an_Exchange_server_are_in_French_too()
        {
            var host = new RecordingRepairHost();
            new RepairRunner(null, new RepairOptions { Decommissioned = true, Language = Language.French }, new ProbeOptions(), host, CancellationToken.None)
                .Plan(FromQueue("441 4.4.1", Reason.ConnectTimedOut));
            RepairAction a = Assert.Single(host.Actions);
            Assert.Contains("du serveur Exchange", a.Rationale);
            Assert.Contains("-Decommissioned désactive un connecteur d'Exchange Online", a.Steps);
            Assert.Contains("Exécutez sur le serveur Exchange lui-même", a.Steps);
        }

        [Fact]
        public void Microsoft_365s_refusal_still_gets_Microsoft_365s_repair()
        {
            FakeExchangeSession tenant = Tenant();
            var host = new RecordingRepairHost(Consent.WhatIf);
            var input = new RepairInput { Code = "450 4.4.316", Connector = "Outbound to on-premises", DestinationServer = "mail.contoso.com", ObservedFrom = ObservedFrom.Microsoft365 };
            new RepairRunner(tenant, new RepairOptions(), new ProbeOptions(), host, CancellationToken.None).Plan(input);
            Assert.Contains("Get-OutboundConnector Outbound to on-premises", tenant.Calls);   // its connector is Exchange Online's
            RepairAction a = Assert.Single(host.Actions);
            Assert.Equal("AllowMicrosoft365OnPort25", a.Action);
            Assert.Contains("Microsoft 365's connection to mail.contoso.com", a.Rationale);
        }

        [Theory]
        [InlineData("ExchangeServer", null, ObservedFrom.ExchangeServer)]
        [InlineData("4", null, ObservedFrom.ExchangeServer)]                       // a deserialized or JSON number
        [InlineData("Microsoft365, ThisComputer", null, ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer)]
        [InlineData(null, "Queue; Message", ObservedFrom.ExchangeServer)]          // an alert from before ObservedFrom
        [InlineData(null, "MessageTraceDetail; Probe", ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer)]
        [InlineData("", "Queue", ObservedFrom.ExchangeServer)]
        [InlineData("Nonsense", "Queue", ObservedFrom.ExchangeServer)]
        [InlineData(null, null, ObservedFrom.None)]
        public void A_piped_objects_vantage_is_read_from_ObservedFrom_else_from_its_Source(string observedFrom, string source, ObservedFrom expected) =>
            Assert.Equal(expected, RepairInput.VantageOf(observedFrom, source));

        [Fact]
        public void Only_a_sending_servers_own_view_is_repaired_on_its_side()
        {
            Assert.True(RepairContext.FromSendingServer(new RepairInput { ObservedFrom = ObservedFrom.ExchangeServer }));
            Assert.True(RepairContext.FromSendingServer(new RepairInput { ObservedFrom = ObservedFrom.ExchangeServer | ObservedFrom.ThisComputer }));
            Assert.True(RepairContext.FromSendingServer(new RepairInput { ObservedFrom = ObservedFrom.OtherMta }));
            Assert.False(RepairContext.FromSendingServer(new RepairInput { ObservedFrom = ObservedFrom.ExchangeServer | ObservedFrom.Microsoft365 }));
            Assert.False(RepairContext.FromSendingServer(new RepairInput { ObservedFrom = ObservedFrom.ThisComputer }));
            Assert.False(RepairContext.FromSendingServer(new RepairInput()));
        }
    }
}
