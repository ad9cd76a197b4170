using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>Rows shaped like the Exchange cmdlets' output, interpreted and grouped into alerts.</summary>
    public sealed class AlertTests
    {
        static readonly DateTime AsOf = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

        static IReadOnlyDictionary<string, object> Row(params (string Name, object Value)[] cells) =>
            cells.ToDictionary(c => c.Name, c => c.Value, StringComparer.OrdinalIgnoreCase);

        static IReadOnlyDictionary<string, object> TraceDetail(string messageId, string recipient, DateTime date, string connector = "To on-premises",
            string reason = "450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]") =>
            Row(("Date", date), ("Event", "Defer"), ("Action", null), ("Detail", $"Reason: [{{LED={reason}}}]"),
                ("Data", $"<root><MEP Name=\"CustomData\" String=\"S:TenantOutboundConnectorCustomData=Name={connector};\" /></root>"),
                ("MessageId", messageId), ("MessageTraceId", Guid.NewGuid().ToString()), ("RecipientAddress", recipient));

        static List<MailFlowAlert> Group(IEnumerable<IReadOnlyDictionary<string, object>> rows, int threshold = 200)
        {
            var options = new AlertOptions { AsOf = AsOf, Threshold = threshold };
            var aggregator = new AlertAggregator(options);
            foreach (var row in rows)
            {
                EvidenceRecord r = RowInterpreter.Interpret(row, null, out _);
                if (r != null) aggregator.Add(r);
            }
            return aggregator.Alerts().ToList();
        }

        [Fact]
        public void A_message_deferred_twenty_times_counts_once()
        {
            var rows = Enumerable.Range(0, 20).Select(i => TraceDetail("<m1@contoso.com>", "a@contoso.com", AsOf.AddHours(-3).AddMinutes(i * 5)));
            MailFlowAlert a = Assert.Single(Group(rows));
            Assert.Equal(1, a.MessageCount);
            Assert.Equal(1, a.RecipientCount);
            Assert.Equal(20, a.EvidenceCount);
            Assert.Equal("450 4.4.316", a.Code);
            Assert.Equal("To on-premises", a.Connector);
            Assert.Equal("mail.contoso.com", a.DestinationServer);
            Assert.Equal("203.0.113.5", a.LastAttemptedIP);
            Assert.Equal("Socket error code 10061", a.Detail);
            Assert.Equal(AsOf.AddHours(-3), a.FirstSeen);
            Assert.Equal(AsOf.AddHours(-3).AddMinutes(95), a.LastSeen);
        }

        [Fact]
        public void Alerts_are_one_per_code_connector_and_server()
        {
            var rows = new[]
            {
                TraceDetail("<m1@x>", "a@contoso.com", AsOf.AddHours(-2)),
                TraceDetail("<m2@x>", "b@contoso.com", AsOf.AddHours(-2)),
                TraceDetail("<m3@x>", "c@fabrikam.com", AsOf.AddHours(-2), connector: "To partner"),
                TraceDetail("<m4@x>", "d@contoso.com", AsOf.AddHours(-2), reason: "450 4.7.320 Certificate validation failed [Message=SubjectMismatch] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]"),
            };
            var alerts = Group(rows);
            Assert.Equal(3, alerts.Count);
            Assert.Equal(2, alerts.Single(a => a.Code == "450 4.4.316" && a.Connector == "To on-premises").MessageCount);
            Assert.Equal("a@contoso.com; b@contoso.com", alerts.Single(a => a.Code == "450 4.4.316" && a.Connector == "To on-premises").Recipients);
            Assert.Equal(1, alerts.Single(a => a.Connector == "To partner").MessageCount);
            Assert.Equal("SubjectMismatch", alerts.Single(a => a.Code == "450 4.7.320").Detail);
        }

        [Fact]
        public void Exchange_Online_mail_expires_24_hours_after_the_oldest_message_arrived()
        {
            var rows = new[]
            {
                Row(("Date", AsOf.AddHours(-1)), ("Event", "Defer"), ("Detail", "450 4.4.315 Connection timed out"), ("MessageId", "<old@x>"), ("Received", AsOf.AddHours(-20))),
                Row(("Date", AsOf.AddHours(-1)), ("Event", "Defer"), ("Detail", "450 4.4.315 Connection timed out"), ("MessageId", "<new@x>"), ("Received", AsOf.AddHours(-2))),
            };
            MailFlowAlert a = Assert.Single(Group(rows));
            Assert.Equal(AsOf.AddHours(4), a.ExpiresAt);
            Assert.False(a.Expired);
        }

        [Fact]
        public void Mail_past_its_24_hours_or_in_its_expired_form_is_Expired_and_High()
        {
            var late = Group(new[] { Row(("Date", AsOf.AddHours(-1)), ("Event", "Defer"), ("Detail", "450 4.4.316 Connection refused"), ("MessageId", "<a@x>"), ("Received", AsOf.AddHours(-25))) });
            Assert.True(Assert.Single(late).Expired);
            Assert.Equal(AlertSeverity.High, late[0].Severity);

            var bounced = Group(new[] { Row(("Date", AsOf.AddHours(-1)), ("Event", "Fail"), ("Detail", "550 5.4.316 Message expired, connection refused"), ("MessageId", "<b@x>")) });
            MailFlowAlert b = Assert.Single(bounced);
            Assert.Equal("450 4.4.316", b.Code);
            Assert.Equal("550 5.4.316", b.RawCode);
            Assert.True(b.Expired);
            Assert.Equal(AlertSeverity.High, b.Severity);
        }

        [Fact]
        public void Severity_is_High_only_when_the_threshold_of_messages_has_queued_for_over_an_hour()
        {
            IEnumerable<IReadOnlyDictionary<string, object>> Rows(int count, double hoursAgo) =>
                Enumerable.Range(0, count).Select(i => TraceDetail($"<m{i}@x>", $"u{i}@contoso.com", AsOf.AddHours(-hoursAgo)));
            Assert.Equal(AlertSeverity.Medium, Assert.Single(Group(Rows(4, 2), threshold: 5)).Severity);
            Assert.Equal(AlertSeverity.High, Assert.Single(Group(Rows(5, 2), threshold: 5)).Severity);
            Assert.Equal(AlertSeverity.Medium, Assert.Single(Group(Rows(5, 0.5), threshold: 5)).Severity);   // not queued for an hour yet
        }

        [Fact]
        public void Exchange_Server_queues_count_their_messages_once_and_expire_after_two_days()
        {
            IReadOnlyDictionary<string, object> Queue(int count) => Row(("Identity", @"EX01\4"), ("DeliveryType", "SmartHostConnectorDelivery"),
                ("NextHopDomain", "mail.contoso.com"), ("Status", "Retry"), ("MessageCount", count),
                ("LastError", "451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped.\" Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 203.0.113.9:25"),
                ("FirstRetryTime", AsOf.AddHours(-5)), ("NextRetryTime", AsOf.AddMinutes(5)));
            MailFlowAlert a = Assert.Single(Group(new[] { Queue(40), Queue(42) }));
            Assert.Equal(42, a.MessageCount);
            // The code the Exchange server wrote, and the scenario Microsoft 365's code family names (its key: 4.4.318).
            Assert.Equal("451 4.4.0", a.Code);
            Assert.Equal("4.4.0", a.EnhancedStatusCode);
            Assert.Equal("ClosedAbruptly", a.Reason);
            Assert.Null(a.RawCode);
            Assert.Equal("mail.contoso.com", a.DestinationServer);
            Assert.Equal("203.0.113.9", a.LastAttemptedIP);
            Assert.Equal(AsOf.AddHours(-5).AddDays(2), a.ExpiresAt);
            Assert.Contains("Queue", a.Source);
        }

        [Fact]
        public void Exchange_Server_messages_use_their_own_expiration_time()
        {
            var row = Row(("Identity", @"EX01\4\123"), ("FromAddress", "x@contoso.com"), ("Recipients", new List<object> { "user@fabrikam.com;2;2;[{LRT=};{LED=441 4.4.1 Error}]" }),
                ("LastError", "441 4.4.1 Error encountered while communicating with primary target IP address: \"Failed to connect. Winsock error code: 10060, Win32 error code: 10060.\""),
                ("DateReceived", AsOf.AddHours(-3)), ("ExpirationTime", AsOf.AddHours(30)), ("InternetMessageId", "<abc@contoso.com>"));
            MailFlowAlert a = Assert.Single(Group(new[] { row }));
            Assert.Equal("441 4.4.1", a.Code);
            Assert.Equal("ConnectTimedOut", a.Reason);
            Assert.Equal(AsOf.AddHours(30), a.ExpiresAt);
            Assert.Equal("user@fabrikam.com", a.Recipients);
        }

        [Fact]
        public void A_code_outside_the_catalog_is_its_own_alert()
        {
            var alerts = Group(new[]
            {
                TraceDetail("<m1@x>", "a@contoso.com", AsOf.AddHours(-1), reason: "451 4.7.500 Server busy. Please try again later"),
                TraceDetail("<m2@x>", "b@contoso.com", AsOf.AddHours(-1)),
            });
            Assert.Equal(2, alerts.Count);
            MailFlowAlert other = alerts.Single(a => a.Code == "451 4.7.500");
            Assert.Equal("4.7.500", other.EnhancedStatusCode);
            Assert.Equal(1, other.MessageCount);
        }

        [Fact]
        public void Pending_trace_rows_without_a_reason_are_kept_as_a_low_alert()
        {
            var alerts = Group(new[] { Row(("Received", AsOf.AddHours(-2)), ("SenderAddress", "s@contoso.com"), ("RecipientAddress", "r@contoso.com"), ("Status", "Pending"), ("MessageId", "<p@x>")) });
            MailFlowAlert a = Assert.Single(alerts);
            Assert.Equal("Pending", a.Code);
            Assert.Equal(AlertSeverity.Low, a.Severity);
            Assert.Equal(1, a.MessageCount);
        }

        [Fact]
        public void Delivered_rows_and_succeeded_probes_are_not_evidence()
        {
            Assert.Null(RowInterpreter.Interpret(Row(("Date", AsOf), ("Event", "Deliver"), ("Detail", "The message was delivered."), ("MessageId", "<d@x>")), null, out string why));
            Assert.NotNull(why);
            Assert.Null(RowInterpreter.Interpret(Row(("Status", "Succeeded"), ("Stage", "Quit"), ("ProbedFrom", "127.0.0.1"), ("Code", null)), null, out _));
        }

        [Fact]
        public void A_failed_probe_becomes_an_alert_with_no_messages()
        {
            var row = Row(("Connector", "To on-premises"), ("Target", "mail.contoso.com"), ("DestinationServer", "mail.contoso.com"), ("IPAddress", "203.0.113.5"),
                ("Status", "Failed"), ("Code", "450 4.4.316"), ("Stage", "Connect"), ("ProbedFrom", "192.0.2.10"), ("Detail", "TCP connection to port 25 was refused (RST)."),
                ("Timestamp", AsOf.AddMinutes(-1)));
            MailFlowAlert a = Assert.Single(Group(new[] { row }));
            Assert.Equal("450 4.4.316", a.Code);
            Assert.Equal(0, a.MessageCount);
            Assert.Equal("To on-premises", a.Connector);
            Assert.Equal("203.0.113.5", a.LastAttemptedIP);
            Assert.Equal("Probe", a.Source);
            Assert.Null(a.ExpiresAt);
        }

        [Fact]
        public void Microsoft_Graph_trace_details_are_read_from_their_description()
        {
            // exchangeMessageTraceDetail as Graph returns it: camelCase names, the reason in description.
            var row = Row(("id", "a1"), ("dateTime", "2026-11-27T10:00:00Z"), ("event", "Defer"), ("action", null),
                ("description", "Reason: [{LED=450 4.4.315 Connection timed out [LastAttemptedServerName=mx.fabrikam.com] [LastAttemptedIP=198.51.100.7:25]}]"),
                ("data", "<root><MEP Name=\"Connector\" String=\"TenantOutboundConnectorCustomData=Name=To partner\" /></root>"), ("messageId", "<g@x>"));
            MailFlowAlert a = Assert.Single(Group(new[] { row }));
            Assert.Equal("450 4.4.315", a.Code);
            Assert.Equal("To partner", a.Connector);
            Assert.Equal("mx.fabrikam.com", a.DestinationServer);
            Assert.Equal(new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc), a.FirstSeen);
            Assert.Equal("MessageTraceDetail", a.Source);
        }

        [Fact]
        public void Rows_re_imported_from_CSV_read_like_the_objects_they_came_from()
        {
            // Import-Csv gives every value as a string, dates in the exporting culture's form.
            var row = Row(("Date", "11/27/2026 9:00:00 AM"), ("Event", "Defer"), ("Action", ""), ("Detail", "Reason: [{LED=450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]"),
                ("Data", "TenantOutboundConnectorCustomData=Name=To on-premises"), ("MessageId", "<c@x>"), ("MessageTraceId", "00000000-0000-0000-0000-000000000001"));
            MailFlowAlert a = Assert.Single(Group(new[] { row }));
            Assert.Equal("450 4.4.316", a.Code);
            Assert.Equal("To on-premises", a.Connector);
            Assert.Equal(new DateTime(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc), a.FirstSeen);
            Assert.Equal(1, a.MessageCount);
        }

        [Fact]
        public void Filters_take_any_spelling_of_a_code()
        {
            var r = RowInterpreter.Interpret(TraceDetail("<m@x>", "a@x.com", AsOf), null, out _);
            foreach (string spelling in new[] { "450 4.4.316", "4.4.316", "5.4.316" })
                Assert.True(new EvidenceFilter(null, new[] { spelling }, null).Accepts(r), spelling);
            Assert.False(new EvidenceFilter(null, new[] { "4.4.315" }, null).Accepts(r));
            Assert.False(new EvidenceFilter(AsOf.AddMinutes(1), null, null).Accepts(r));
            Assert.True(new EvidenceFilter(AsOf.AddMinutes(-1), null, name => name.StartsWith("To ")).Accepts(r));
            Assert.False(new EvidenceFilter(null, null, name => name == "Other").Accepts(r));
        }

        [Fact]
        public void Evidence_crafted_as_a_formula_cannot_start_a_cell()
        {
            var rows = new[] { Row(("Date", AsOf), ("Event", "Defer"), ("Detail", "=HYPERLINK(\"http://x\") 450 4.4.316 Connection refused"), ("MessageId", "<f@x>"), ("RecipientAddress", "@evil.com")) };
            MailFlowAlert a = Assert.Single(Group(rows));
            Assert.StartsWith("'=", a.Evidence);
        }
    }
}
