using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>The severity table: rows of messages by time left, then the same rows reached through evidence.</summary>
    public sealed class SeverityTableTests
    {
        static readonly DateTime AsOf = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

        /// <summary>Messages waiting, hours left before they expire (null: no ExpiresAt), and the severity expected.</summary>
        [Theory]
        [InlineData(0, null, AlertSeverity.Medium)]      // a probe's prediction: nothing counted waiting
        [InlineData(1, 23.0, AlertSeverity.Medium)]
        [InlineData(1, 4.1, AlertSeverity.Medium)]
        [InlineData(1, 4.0, AlertSeverity.High)]         // bounces within 4 hours
        [InlineData(1, 0.5, AlertSeverity.High)]
        [InlineData(99, 23.0, AlertSeverity.Medium)]
        [InlineData(99, 3.0, AlertSeverity.High)]
        [InlineData(100, 23.5, AlertSeverity.High)]      // 100 messages wait
        [InlineData(150, 1.0, AlertSeverity.High)]       // the 150 messages 23 hours old
        [InlineData(100000, null, AlertSeverity.High)]
        public void Messages_by_time_left(long messages, double? hoursLeft, AlertSeverity expected)
        {
            TimeSpan? left = hoursLeft == null ? (TimeSpan?)null : TimeSpan.FromHours(hoursLeft.Value);
            Assert.Equal(expected, SeverityTable.Of(messages, left, expired: false, queuedOverAnHour: 0, threshold: 200, pending: false, failoverOnly: false));
        }

        [Fact]
        public void Expired_mail_is_High_whatever_its_count()
        {
            Assert.Equal(AlertSeverity.High, SeverityTable.Of(1, TimeSpan.FromHours(-2), expired: true, queuedOverAnHour: 1, threshold: 200, pending: false, failoverOnly: false));
            Assert.Equal(AlertSeverity.High, SeverityTable.Of(1, null, expired: true, queuedOverAnHour: 0, threshold: 200, pending: false, failoverOnly: false));
        }

        [Fact]
        public void The_threshold_of_messages_queued_over_an_hour_still_makes_High_below_100()
        {
            Assert.Equal(AlertSeverity.High, SeverityTable.Of(20, TimeSpan.FromHours(20), false, queuedOverAnHour: 20, threshold: 20, pending: false, failoverOnly: false));
            Assert.Equal(AlertSeverity.Medium, SeverityTable.Of(20, TimeSpan.FromHours(20), false, queuedOverAnHour: 19, threshold: 20, pending: false, failoverOnly: false));
        }

        [Fact]
        public void Pending_without_a_reason_is_Low_until_it_is_many_or_near_expiry()
        {
            Assert.Equal(AlertSeverity.Low, SeverityTable.Of(3, TimeSpan.FromHours(20), false, 3, 200, pending: true, failoverOnly: false));
            Assert.Equal(AlertSeverity.High, SeverityTable.Of(3, TimeSpan.FromHours(2), false, 3, 200, pending: true, failoverOnly: false));
            Assert.Equal(AlertSeverity.High, SeverityTable.Of(150, TimeSpan.FromHours(20), false, 150, 200, pending: true, failoverOnly: false));
        }

        [Fact]
        public void A_probe_of_a_target_that_failed_over_is_Low_first()
        {
            Assert.Equal(AlertSeverity.Low, SeverityTable.Of(0, null, false, 0, 200, pending: false, failoverOnly: true));
        }

        static IReadOnlyDictionary<string, object> Row(params (string Name, object Value)[] cells) =>
            cells.ToDictionary(c => c.Name, c => c.Value, StringComparer.OrdinalIgnoreCase);

        static List<MailFlowAlert> Group(IEnumerable<IReadOnlyDictionary<string, object>> rows)
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = AsOf });
            foreach (var row in rows)
            {
                EvidenceRecord r = RowInterpreter.Interpret(row, null, out _);
                if (r != null) aggregator.Add(r);
            }
            return aggregator.Alerts().ToList();
        }

        [Fact]
        public void A_probe_alert_of_no_message_does_not_rank_like_150_messages_23_hours_old()
        {
            // 150 deferred messages, each with its trace row's Received 23 hours ago: an hour left before they bounce.
            var deferred = Enumerable.Range(0, 150).SelectMany(i => new[]
            {
                Row(("Received", AsOf.AddHours(-23)), ("SenderAddress", "s@contoso.com"), ("RecipientAddress", $"u{i}@contoso.com"), ("Status", "Pending"),
                    ("MessageTraceId", $"00000000-0000-0000-0000-{i:000000000000}"), ("MessageId", $"<m{i}@contoso.com>")),
                Row(("Date", AsOf.AddMinutes(-30)), ("Event", "Defer"), ("Detail", "450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]"),
                    ("MessageTraceId", $"00000000-0000-0000-0000-{i:000000000000}"), ("MessageId", $"<m{i}@contoso.com>"), ("RecipientAddress", $"u{i}@contoso.com")),
            });
            var probe = Row(("Connector", "To partner"), ("Target", "mx.fabrikam.com"), ("DestinationServer", "mx.fabrikam.com"), ("Status", "Failed"), ("Code", "450 4.4.316"),
                ("Stage", "Connect"), ("ProbedFrom", "192.0.2.10"), ("Timestamp", AsOf.AddMinutes(-1)));

            var alerts = Group(deferred.Append(probe));
            Assert.Equal(2, alerts.Count);   // the Pending trace rows belong to the alert their detail rows explain
            MailFlowAlert mail = alerts.Single(a => a.MessageCount == 150);
            MailFlowAlert predicted = alerts.Single(a => a.MessageCount == 0);
            Assert.Equal(AlertSeverity.High, mail.Severity);
            Assert.Equal(AsOf.AddHours(1), mail.ExpiresAt);
            Assert.Equal(ExpiryBasis.Arrival, mail.ExpiresFrom);
            Assert.Equal(AlertSeverity.Medium, predicted.Severity);
            Assert.Null(predicted.ExpiresFrom);
        }
    }
}
