using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Evidence;
using Xunit;
using Xunit.Abstractions;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>A generated report, produced lazily so the test itself holds no more than the reader does.</summary>
    public sealed class GeneratedTraceReport : TextReader
    {
        public const string Header = "date_time_utc,event_id,message_id,recipient_address,connector_id,recipient_status\r\n";
        readonly int rows, messages;
        int row = -1;
        string current = Header;
        int pos;

        public GeneratedTraceReport(int rows, int messages) { this.rows = rows; this.messages = messages; }

        static readonly string[] Reasons =
        {
            "\"Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]\"",
            "\"Reason: [{LED=450 4.4.315 Connection timed out [LastAttemptedServerName=mx.fabrikam.com] [LastAttemptedIP=198.51.100.7:25]}]\"",
            "\"Reason: [{LED=450 4.7.320 Certificate validation failed [Message=SubjectMismatch] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]\"",
        };

        public static string Row(int i, int messages)
        {
            int m = i % messages;
            return $"2026-11-27T{(i / 60000) % 24:00}:{(i / 1000) % 60:00}:00Z,DEFER,<m{m}@contoso.com>,user{m % 5000}@contoso.com,Outbound {m % 3},{Reasons[(m / 3) % 3]}\r\n";
        }

        public override int Read()
        {
            if (pos >= current.Length && !Next()) return -1;
            return current[pos++];
        }

        public override int Peek() => pos < current.Length || Next() ? current[pos] : -1;

        public override int Read(char[] buffer, int index, int count)
        {
            int n = 0;
            while (n < count)
            {
                if (pos >= current.Length && !Next()) break;
                int take = Math.Min(count - n, current.Length - pos);
                current.CopyTo(pos, buffer, index + n, take);
                pos += take;
                n += take;
            }
            return n;
        }

        bool Next()
        {
            if (++row >= rows) return false;
            current = Row(row, messages);
            pos = 0;
            return true;
        }
    }

    /// <summary>Memory is measured process-wide: these tests run alone, after the parallel ones.</summary>
    [CollectionDefinition("Alone", DisableParallelization = true)]
    public sealed class AloneCollection { }

    [Collection("Alone")]
    public sealed class StreamingTests
    {
        readonly ITestOutputHelper output;
        public StreamingTests(ITestOutputHelper output) { this.output = output; }

        [Fact]
        public void A_million_row_report_is_grouped_in_bounded_memory()
        {
            const int Rows = 1_000_000, Messages = 50_000;
            GC.Collect();
            long baseline = GC.GetTotalMemory(true);
            long peak = 0;
            var clock = Stopwatch.StartNew();
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = new DateTime(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc) });
            long n = 0;
            foreach (var row in CsvRowReader.Read(new GeneratedTraceReport(Rows, Messages)))
            {
                EvidenceRecord r = RowInterpreter.Interpret(row, "generated.csv", out _);
                if (r != null) aggregator.Add(r);
                // Live (retained) memory, sampled every 100,000 rows.
                if (++n % 100_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(true) - baseline);
            }
            var alerts = aggregator.Alerts().ToList();
            peak = Math.Max(peak, GC.GetTotalMemory(true) - baseline);
            output.WriteLine($"{n} rows in {clock.Elapsed.TotalSeconds:0.0} s, peak managed memory above baseline {peak / 1048576.0:0.0} MB");

            Assert.Equal(Rows, n);
            Assert.Equal(9, alerts.Count);   // 3 codes x 3 connectors, one server each
            Assert.Equal(Messages, alerts.Sum(a => a.MessageCount));
            // The bound: rows do not accumulate; only a few bytes per distinct message (50,000 here) are held.
            Assert.True(peak < 64L * 1024 * 1024, $"peak {peak / 1048576.0:0.0} MB");
        }

        /// <summary>
        /// A million message trace rows, each message's Get-MessageTraceV2 row (Pending, with Received) among its 19
        /// Get-MessageTraceDetailV2 rows: first for half the messages, last for the others.
        /// </summary>
        static IEnumerable<IReadOnlyDictionary<string, object>> JoinedTrace(int messages, DateTime asOf)
        {
            for (int m = 0; m < messages; m++)
            {
                string trace = $"00000000-0000-0000-0000-{m:000000000000}", id = $"<m{m}@contoso.com>", rcpt = $"user{m}@contoso.com";
                var summary = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
                {
                    ["Received"] = asOf.AddHours(-20).AddSeconds(m % 3600), ["SenderAddress"] = "s@contoso.com", ["RecipientAddress"] = rcpt,
                    ["Status"] = "Pending", ["MessageTraceId"] = trace, ["MessageId"] = id,
                };
                if (m % 2 == 0) yield return summary;
                for (int d = 0; d < 19; d++)
                    yield return new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
                    {
                        ["Date"] = asOf.AddHours(-19).AddMinutes(d * 30), ["Event"] = "Defer",
                        ["Detail"] = "Reason: [{LED=450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]",
                        ["MessageTraceId"] = trace, ["MessageId"] = id, ["RecipientAddress"] = rcpt,
                    };
                if (m % 2 == 1) yield return summary;
            }
        }

        [Fact]
        public void Trace_rows_joined_on_MessageTraceId_are_held_per_message_not_per_row()
        {
            const int Messages = 50_000;
            var asOf = new DateTime(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc);
            GC.Collect();
            long baseline = GC.GetTotalMemory(true);
            long peak = 0, n = 0;
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = asOf });
            foreach (var row in JoinedTrace(Messages, asOf))
            {
                EvidenceRecord r = RowInterpreter.Interpret(row, null, out _);
                if (r != null) aggregator.Add(r);
                if (++n % 100_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(true) - baseline);
            }
            var alerts = aggregator.Alerts().ToList();
            peak = Math.Max(peak, GC.GetTotalMemory(true) - baseline);
            output.WriteLine($"{n} rows, peak managed memory above baseline {peak / 1048576.0:0.0} MB");

            Assert.Equal(Messages * 20L, n);
            MailFlowAlert a = Assert.Single(alerts);   // no Pending alert: every message's detail rows give the reason
            Assert.Equal(Messages, a.MessageCount);
            Assert.Equal(ExpiryBasis.Arrival, a.ExpiresFrom);
            Assert.Equal(asOf.AddHours(4), a.ExpiresAt);
            Assert.True(peak < 64L * 1024 * 1024, $"peak {peak / 1048576.0:0.0} MB");
        }
    }
}
