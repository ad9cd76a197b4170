using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// ExpiresAt and ExpiresFrom: from the arrival (Received) of a Get-MessageTraceV2 row joined to its
    /// Get-MessageTraceDetailV2 rows on MessageTraceId, in either order; from the first deferral when no arrival is known.
    /// </summary>
    public sealed class ExpiryTests
    {
        static readonly DateTime AsOf = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        const string Refused = "Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]";

        static IReadOnlyDictionary<string, object> Row(params (string Name, object Value)[] cells) =>
            cells.ToDictionary(c => c.Name, c => c.Value, StringComparer.OrdinalIgnoreCase);

        static string TraceId(int i) => $"00000000-0000-0000-0000-{i:000000000000}";

        /// <summary>A Get-MessageTraceV2 row: no Event, the arrival in Received.</summary>
        static IReadOnlyDictionary<string, object> Summary(int i, DateTime received, string status = "Pending") =>
            Row(("Received", received), ("SenderAddress", "s@contoso.com"), ("RecipientAddress", $"u{i}@contoso.com"), ("Subject", "Report"),
                ("Status", status), ("ToIP", null), ("MessageTraceId", TraceId(i)), ("MessageId", $"<m{i}@contoso.com>"));

        /// <summary>A Get-MessageTraceDetailV2 row of the same message: a DEFER event, no arrival.</summary>
        static IReadOnlyDictionary<string, object> Detail(int i, DateTime date) =>
            Row(("Date", date), ("Event", "Defer"), ("Action", null), ("Detail", Refused),
                ("Data", "<root><MEP Name=\"CustomData\" String=\"S:TenantOutboundConnectorCustomData=Name=To on-premises;\" /></root>"),
                ("MessageId", $"<m{i}@contoso.com>"), ("MessageTraceId", TraceId(i)), ("RecipientAddress", $"u{i}@contoso.com"));

        /// <summary>What Get-MailFlowAlert does with rows: failures grouped, a row without one still gives its message's arrival.</summary>
        static List<MailFlowAlert> Run(IEnumerable<IReadOnlyDictionary<string, object>> rows)
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = AsOf });
            foreach (var row in rows)
            {
                EvidenceRecord r = RowInterpreter.Interpret(row, null, out _);
                if (r != null) { aggregator.Add(r); continue; }
                DateTime? received = RowInterpreter.TraceArrival(row, null, out string traceId);
                if (received != null) aggregator.Arrived(traceId, received.Value);
            }
            return aggregator.Alerts().ToList();
        }

        [Fact]
        public void The_trace_row_before_its_detail_rows_gives_the_arrival()
        {
            var rows = new[] { Summary(1, AsOf.AddHours(-20)), Detail(1, AsOf.AddHours(-3)), Detail(1, AsOf.AddHours(-2)) };
            MailFlowAlert a = Assert.Single(Run(rows));
            Assert.Equal("450 4.4.316", a.Code);
            Assert.Equal(AsOf.AddHours(4), a.ExpiresAt);
            Assert.Equal(ExpiryBasis.Arrival, a.ExpiresFrom);
            Assert.Equal(AlertSeverity.High, a.Severity);   // 4 hours left
            Assert.Equal(1, a.MessageCount);
        }

        [Fact]
        public void The_trace_row_after_its_detail_rows_gives_the_arrival_too()
        {
            var rows = new[] { Detail(1, AsOf.AddHours(-3)), Detail(1, AsOf.AddHours(-2)), Summary(1, AsOf.AddHours(-20)) };
            MailFlowAlert a = Assert.Single(Run(rows));
            Assert.Equal(AsOf.AddHours(4), a.ExpiresAt);
            Assert.Equal(ExpiryBasis.Arrival, a.ExpiresFrom);
            Assert.Equal(AlertSeverity.High, a.Severity);
        }

        [Fact]
        public void A_trace_row_of_a_delivered_message_is_no_evidence_but_still_gives_its_arrival()
        {
            var rows = new[] { Detail(1, AsOf.AddHours(-3)), Summary(1, AsOf.AddHours(-6), status: "Delivered") };
            MailFlowAlert a = Assert.Single(Run(rows));
            Assert.Equal(AsOf.AddHours(18), a.ExpiresAt);
            Assert.Equal(ExpiryBasis.Arrival, a.ExpiresFrom);
        }

        [Fact]
        public void Detail_rows_alone_count_from_the_first_deferral_and_say_so()
        {
            MailFlowAlert a = Assert.Single(Run(new[] { Detail(1, AsOf.AddHours(-2)), Detail(1, AsOf.AddHours(-3)) }));
            Assert.Equal(AsOf.AddHours(-3).AddHours(24), a.ExpiresAt);
            Assert.Equal(ExpiryBasis.FirstDeferral, a.ExpiresFrom);
            Assert.Equal(AlertSeverity.Medium, a.Severity);
        }

        [Fact]
        public void The_oldest_message_decides_and_its_basis_is_the_label()
        {
            // Message 1: arrival known, 10 hours ago. Message 2: only its first deferral, 15 hours ago: it is the older.
            var rows = new[] { Summary(1, AsOf.AddHours(-10)), Detail(1, AsOf.AddHours(-9)), Detail(2, AsOf.AddHours(-15)) };
            MailFlowAlert a = Assert.Single(Run(rows));
            Assert.Equal(AsOf.AddHours(9), a.ExpiresAt);
            Assert.Equal(ExpiryBasis.FirstDeferral, a.ExpiresFrom);
            Assert.Equal(2, a.MessageCount);
        }

        [Fact]
        public void A_trace_row_joins_only_its_own_message()
        {
            var rows = new[] { Summary(9, AsOf.AddHours(-23)), Detail(1, AsOf.AddHours(-2)) };
            var alerts = Run(rows);
            MailFlowAlert refused = alerts.Single(a => a.Code == "450 4.4.316");
            Assert.Equal(ExpiryBasis.FirstDeferral, refused.ExpiresFrom);
            Assert.Equal(AsOf.AddHours(22), refused.ExpiresAt);
            // Message 9 has no detail row that says why: it stays Pending, with its own arrival.
            MailFlowAlert pending = alerts.Single(a => a.Code == "Pending");
            Assert.Equal(1, pending.MessageCount);
            Assert.Equal(AsOf.AddHours(1), pending.ExpiresAt);
            Assert.Equal(ExpiryBasis.Arrival, pending.ExpiresFrom);
        }

        [Fact]
        public void Pending_trace_rows_whose_detail_rows_give_the_reason_make_no_Pending_alert()
        {
            // Three pending messages; detail rows explain two of them, in either order.
            var rows = new[]
            {
                Summary(1, AsOf.AddHours(-5)), Summary(2, AsOf.AddHours(-6)), Detail(1, AsOf.AddHours(-4)),
                Summary(3, AsOf.AddHours(-7)), Detail(2, AsOf.AddHours(-4)),
            };
            var alerts = Run(rows);
            Assert.Equal(2, alerts.Count);
            MailFlowAlert refused = alerts.Single(a => a.Code == "450 4.4.316");
            Assert.Equal(2, refused.MessageCount);
            Assert.Equal(AsOf.AddHours(18), refused.ExpiresAt);   // message 2 arrived 6 hours ago
            MailFlowAlert pending = alerts.Single(a => a.Code == "Pending");
            Assert.Equal(1, pending.MessageCount);
            Assert.Equal(1, pending.RecipientCount);
            Assert.Equal(1, pending.EvidenceCount);
            Assert.Equal("u3@contoso.com", pending.Recipients);
            Assert.Equal(AsOf.AddHours(-7), pending.FirstSeen);
            Assert.Equal(AsOf.AddHours(-7), pending.LastSeen);
            Assert.Equal(AlertSeverity.Low, pending.Severity);
        }

        [Fact]
        public void Stated_expiries_and_queues_say_what_they_were_counted_from()
        {
            var message = Row(("Identity", @"EX01\4\123"), ("LastError", "441 4.4.1 Error encountered while communicating with primary target IP address: \"Failed to connect. Winsock error code: 10060, Win32 error code: 10060.\""),
                ("DateReceived", AsOf.AddHours(-3)), ("ExpirationTime", AsOf.AddHours(30)), ("InternetMessageId", "<abc@contoso.com>"));
            MailFlowAlert stated = Assert.Single(Run(new[] { message }));
            Assert.Equal(AsOf.AddHours(30), stated.ExpiresAt);
            Assert.Equal(ExpiryBasis.Stated, stated.ExpiresFrom);

            // A queue's FirstRetryTime is when its first delivery failed, not when its oldest message arrived.
            var queue = Row(("Identity", @"EX01\7"), ("DeliveryType", "SmartHostConnectorDelivery"), ("NextHopDomain", "smtp.fabrikam.com"), ("Status", "Retry"),
                ("MessageCount", 12), ("LastError", "451 4.4.0 Primary target IP address responded with: \"Failed to connect. Winsock error code: 10061, Win32 error code: 10061.\""),
                ("FirstRetryTime", AsOf.AddHours(-3)));
            MailFlowAlert queued = Assert.Single(Run(new[] { queue }));
            Assert.Equal(AsOf.AddHours(-3).AddDays(2), queued.ExpiresAt);
            Assert.Equal(ExpiryBasis.FirstDeferral, queued.ExpiresFrom);
        }

        [Fact]
        public void An_alert_without_a_time_has_no_basis()
        {
            MailFlowAlert a = Assert.Single(Run(new[] { Row(("Detail", "450 4.4.316 Connection refused"), ("MessageId", "<x@x>")) }));
            Assert.Null(a.ExpiresAt);
            Assert.Null(a.ExpiresFrom);
        }

        [Fact]
        public void An_alert_read_back_keeps_its_ExpiresFrom()
        {
            MailFlowAlert first = Assert.Single(Run(new[] { Summary(1, AsOf.AddHours(-10)), Detail(1, AsOf.AddHours(-9)) }));
            var row = typeof(MailFlowAlert).GetProperties().ToDictionary(p => p.Name, p => p.GetValue(first) is Enum e ? e.ToString() : p.GetValue(first), StringComparer.OrdinalIgnoreCase);
            MailFlowAlert again = Assert.Single(Run(new[] { row }));
            Assert.Equal(first.ExpiresAt, again.ExpiresAt);
            Assert.Equal(ExpiryBasis.Arrival, again.ExpiresFrom);
        }
    }
}
