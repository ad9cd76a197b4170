using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>ObservedFrom (DESIGN.md 2c): each kind of evidence says whose view it is, and an alert holds every view behind it.</summary>
    public sealed class VantageTests
    {
        static readonly DateTime T = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

        static IReadOnlyDictionary<string, object> Row(params (string Name, object Value)[] cells) =>
            cells.ToDictionary(c => c.Name, c => c.Value, StringComparer.OrdinalIgnoreCase);

        static IReadOnlyDictionary<string, object> TraceDetail() =>
            Row(("Date", T), ("Event", "Defer"), ("Detail", "Reason: [{LED=450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]"),
                ("Data", "<root><MEP Name=\"CustomData\" String=\"S:TenantOutboundConnectorCustomData=Name=To on-premises;\" /></root>"),
                ("MessageId", "<m1@contoso.com>"), ("RecipientAddress", "a@contoso.com"));

        static IReadOnlyDictionary<string, object> Probe(string computer = "ADMIN01") =>
            Row(("Connector", "To on-premises"), ("Target", "mail.contoso.com"), ("DestinationServer", "mail.contoso.com"), ("ProbedFrom", "192.0.2.10"),
                ("Status", "Failed"), ("Reason", "ConnectionRefused"), ("Code", "450 4.4.316"), ("Stage", "Connect"), ("Timestamp", T), ("ComputerName", computer));

        static IReadOnlyDictionary<string, object> Queue() =>
            Row(("Identity", "EX01\\1234"), ("NextHopDomain", "contoso.mail.protection.outlook.com"), ("DeliveryType", "SmartHostConnectorDelivery"),
                ("Status", "Retry"), ("MessageCount", 3), ("LastError", "451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped.\""));

        static EvidenceRecord Read(IReadOnlyDictionary<string, object> row) => RowInterpreter.Interpret(row, null, out _);

        [Fact]
        public void A_message_trace_row_is_Microsoft_365s_view() => Assert.Equal(ObservedFrom.Microsoft365, Read(TraceDetail()).ObservedFrom);

        [Fact]
        public void A_probe_result_is_this_computers_view_and_names_the_computer()
        {
            EvidenceRecord r = Read(Probe());
            Assert.Equal(ObservedFrom.ThisComputer, r.ObservedFrom);
            Assert.Equal("ADMIN01", r.ComputerName);
        }

        [Fact]
        public void A_queue_row_is_Exchange_Servers_view() => Assert.Equal(ObservedFrom.ExchangeServer, Read(Queue()).ObservedFrom);

        [Fact]
        public void A_bare_line_with_nothing_to_tell_is_no_ones_view()
        {
            EvidenceRecord r = TextEvidence.FromLine("450 4.4.316 Connection refused", null);
            Assert.Equal(ObservedFrom.None, r.ObservedFrom);
        }

        [Fact]
        public void An_Exchange_Online_line_is_Microsoft_365s_view()
        {
            EvidenceRecord r = TextEvidence.FromLine("Reason: [{LED=450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com]}]", null);
            Assert.Equal(ObservedFrom.Microsoft365, r.ObservedFrom);
        }

        [Theory]
        [InlineData("delay-4.4.315-timeout.eml", ObservedFrom.Microsoft365)]
        [InlineData("onprem-4.4.7-queue-expired.eml", ObservedFrom.ExchangeServer)]
        public void An_NDR_is_the_view_of_the_system_that_wrote_it(string file, ObservedFrom expected)
        {
            string path = NdrReaderTests.Fixture(file);
            using (var stream = File.OpenRead(path))
                Assert.All(NdrReader.Read(stream, file), r => Assert.Equal(expected, r.ObservedFrom));
        }

        [Fact]
        public void An_alert_from_a_trace_and_a_probe_holds_both_views_and_the_probes_computer()
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = T });
            aggregator.Add(Read(TraceDetail()));
            aggregator.Add(Read(Probe("ADMIN01")));
            MailFlowAlert a = Assert.Single(aggregator.Alerts());
            Assert.Equal(ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer, a.ObservedFrom);
            Assert.Equal("ADMIN01", a.ComputerName);
        }

        [Fact]
        public void An_alert_read_back_keeps_its_views_spelled_as_PowerShell_writes_them()
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = T });
            aggregator.Add(Read(TraceDetail()));
            aggregator.Add(Read(Probe()));
            MailFlowAlert a = aggregator.Alerts().Single();
            var row = typeof(MailFlowAlert).GetProperties().ToDictionary(p => p.Name, p => p.GetValue(a), StringComparer.OrdinalIgnoreCase);
            row["ObservedFrom"] = a.ObservedFrom.ToString();   // "ThisComputer, Microsoft365", as Export-Csv writes it
            EvidenceRecord back = RowInterpreter.Interpret(row, null, out _, new EvidenceDates(null, CultureInfo.InvariantCulture));
            Assert.Equal(ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer, back.ObservedFrom);
            row["ObservedFrom"] = ((long)a.ObservedFrom).ToString(CultureInfo.InvariantCulture);   // a JSON number
            Assert.Equal(ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer, RowInterpreter.Interpret(row, null, out _).ObservedFrom);
        }

        [Fact]
        public void An_alert_written_before_ObservedFrom_existed_takes_its_views_from_its_sources()
        {
            var row = Row(("Code", "450 4.4.316"), ("Severity", "Medium"), ("MessageCount", 4), ("FirstSeen", T), ("LastSeen", T), ("EvidenceCount", 5),
                ("Connector", "To on-premises"), ("DestinationServer", "mail.contoso.com"), ("Source", "MessageTraceDetail; Probe"));
            Assert.Equal(ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer, RowInterpreter.Interpret(row, null, out _).ObservedFrom);
        }

        [Fact]
        public void A_value_outside_the_flags_is_an_error_not_a_guess()
        {
            var row = Row(("Code", "450 4.4.316"), ("Severity", "Medium"), ("MessageCount", 4), ("FirstSeen", T), ("LastSeen", T), ("EvidenceCount", 5),
                ("ObservedFrom", "Moon"));
            Assert.Throws<EvidenceFormatException>(() => RowInterpreter.Interpret(row, null, out _));
            row = Row(("Code", "450 4.4.316"), ("Severity", "Medium"), ("MessageCount", 4), ("FirstSeen", T), ("LastSeen", T), ("EvidenceCount", 5),
                ("ObservedFrom", "64"));
            Assert.Throws<EvidenceFormatException>(() => RowInterpreter.Interpret(row, null, out _));
        }
    }
}
