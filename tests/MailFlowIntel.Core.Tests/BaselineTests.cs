using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>A run's alerts against a previous run's (the baseline): each Change rule, and when a missing alert is Resolved.</summary>
    public sealed class BaselineTests
    {
        static readonly DateTime T = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        const string Refused = "450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]";

        static IReadOnlyDictionary<string, object> Row(params (string Name, object Value)[] cells) =>
            cells.ToDictionary(c => c.Name, c => c.Value, StringComparer.OrdinalIgnoreCase);

        /// <summary>A Get-MessageTraceDetailV2 row; Event Deliver with no reason is a delivered message.</summary>
        static IReadOnlyDictionary<string, object> Trace(string messageId, DateTime date, string connector = "To on-premises", string reason = Refused, string @event = "Defer") =>
            Row(("Date", date), ("Event", @event), ("Detail", reason == null ? "" : $"Reason: [{{LED={reason}}}]"),
                ("Data", $"<root><MEP Name=\"CustomData\" String=\"S:TenantOutboundConnectorCustomData=Name={connector};\" /></root>"),
                ("MessageId", messageId), ("RecipientAddress", "user@contoso.com"));

        /// <summary>A Test-ConnectorDelivery result as it crosses the pipeline.</summary>
        static IReadOnlyDictionary<string, object> Probe(string connector, string server, ProbeStatus status, string code = null, Reason reason = Reason.None,
            string computer = null, EgressCheck egress = EgressCheck.NotRun, DateTime? at = null) =>
            Row(("Connector", connector), ("Target", server), ("DestinationServer", server), ("ProbedFrom", "192.0.2.10"), ("Status", status),
                ("Reason", reason), ("Code", code), ("Stage", ProbeStage.Connect), ("Timestamp", at ?? T), ("ComputerName", computer), ("EgressCheck", egress));

        static IEnumerable<IReadOnlyDictionary<string, object>> Messages(int count, DateTime date, string connector = "To on-premises") =>
            Enumerable.Range(0, count).Select(i => Trace($"<m{i}@contoso.com>", date, connector));

        /// <summary>What Get-MailFlowAlert does with its input: failures grouped, everything told to the coverage.</summary>
        static List<KeyValuePair<string, MailFlowAlert>> Run(IEnumerable<IReadOnlyDictionary<string, object>> rows, AlertBaseline baseline = null,
            DateTime? asOf = null, int threshold = 200)
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = asOf ?? T, Threshold = threshold });
            foreach (var row in rows)
            {
                EvidenceRecord r = RowInterpreter.Interpret(row, null, out _);
                if (r == null) { baseline?.Coverage.PassedOver(row); continue; }
                baseline?.Coverage.Saw(r);
                aggregator.Add(r);
            }
            return aggregator.KeyedAlerts().ToList();
        }

        /// <summary>
        /// As <see cref="Run"/>, with lines of text among the rows (a Postfix log piped line by line): a line that carries no
        /// failure is told to the coverage as Get-MailFlowAlert tells it.
        /// </summary>
        static List<KeyValuePair<string, MailFlowAlert>> RunMixed(IEnumerable<object> input, AlertBaseline baseline, DateTime? asOf = null)
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = asOf ?? T });
            var postfix = new PostfixLog();
            foreach (object item in input)
            {
                EvidenceRecord r;
                if (item is string line)
                {
                    r = TextEvidence.FromLine(line, null, postfix);
                    if (r == null) { baseline.Coverage.PassedOverLine(line); continue; }
                }
                else
                {
                    var row = (IReadOnlyDictionary<string, object>)item;
                    r = RowInterpreter.Interpret(row, null, out _);
                    if (r == null) { baseline.Coverage.PassedOver(row); continue; }
                }
                baseline.Coverage.Saw(r);
                aggregator.Add(r);
            }
            return aggregator.KeyedAlerts().ToList();
        }

        /// <summary>An alert as Import-Clixml or the pipeline hands it back: its properties by name.</summary>
        static IReadOnlyDictionary<string, object> AsRow(MailFlowAlert a) =>
            typeof(MailFlowAlert).GetProperties().ToDictionary(p => p.Name, p => p.GetValue(a), StringComparer.OrdinalIgnoreCase);

        static AlertBaseline Baseline(IEnumerable<KeyValuePair<string, MailFlowAlert>> previous, EvidenceFilter filter = null, Language language = Language.English)
        {
            var b = new AlertBaseline(new AlertOptions { AsOf = T, Language = language }, filter);
            foreach (var a in previous) Assert.True(b.Add(AsRow(a.Value), new EvidenceDates(null, CultureInfo.InvariantCulture), out _));
            return b;
        }

        sealed class Outcome
        {
            public List<MailFlowAlert> Alerts = new List<MailFlowAlert>();
            public List<(MailFlowAlert Alert, string Why, bool ProbeSide)> HeldBack = new List<(MailFlowAlert, string, bool)>();
        }

        /// <summary>The second run, compared with the first.</summary>
        static Outcome Compare(IEnumerable<IReadOnlyDictionary<string, object>> before, IEnumerable<IReadOnlyDictionary<string, object>> now,
            DateTime? beforeAsOf = null, DateTime? nowAsOf = null, int threshold = 200, EvidenceFilter filter = null, Language language = Language.English)
        {
            AlertBaseline baseline = Baseline(Run(before, asOf: beforeAsOf, threshold: threshold), filter, language);
            var o = new Outcome();
            var current = Run(now, baseline, nowAsOf, threshold);
            o.Alerts = baseline.Compare(current, (a, why, probeSide) => o.HeldBack.Add((a, why, probeSide))).ToList();
            return o;
        }

        [Fact]
        public void An_alert_the_baseline_does_not_have_is_New()
        {
            var o = Compare(new[] { Probe("To B", "busy.lab.test", ProbeStatus.Failed, "450 4.4.317", Reason.ServiceNotAvailable) },
                            new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused),
                                    Probe("To B", "busy.lab.test", ProbeStatus.Failed, "450 4.4.317", Reason.ServiceNotAvailable) });
            MailFlowAlert a = o.Alerts.Single(x => x.Connector == "To A");
            Assert.Equal(AlertChange.New, a.Change);
            Assert.Null(a.PreviousMessageCount);
            Assert.Null(a.PreviousSeverity);
        }

        [Fact]
        public void The_same_fault_again_is_Ongoing_whatever_the_case_of_its_names()
        {
            var o = Compare(new[] { Probe("TO B", "BUSY.lab.test", ProbeStatus.Failed, "450 4.4.317", Reason.ServiceNotAvailable) },
                            new[] { Probe("To B", "busy.lab.test", ProbeStatus.Failed, "450 4.4.317", Reason.ServiceNotAvailable) });
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(AlertChange.Ongoing, a.Change);
            Assert.Equal(0, a.PreviousMessageCount);
            Assert.Equal(AlertSeverity.Medium, a.PreviousSeverity);
        }

        [Fact]
        public void The_key_is_the_code_family_so_a_certificate_fault_spelled_two_ways_is_Ongoing()
        {
            var o = Compare(new[] { Trace("<m1@contoso.com>", T.AddMinutes(-10), "To partner", "450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot] [LastAttemptedServerName=mx.fabrikam.com] [LastAttemptedIP=203.0.113.7:25]") },
                            new[] { Trace("<m1@contoso.com>", T.AddMinutes(-5), "To partner", "450 4.7.320 Certificate validation failed [Message=UntrustedRoot] [LastAttemptedServerName=mx.fabrikam.com] [LastAttemptedIP=203.0.113.7:25]") });
            Assert.Equal(AlertChange.Ongoing, Assert.Single(o.Alerts).Change);
        }

        [Fact]
        public void More_messages_is_Worse()
        {
            var o = Compare(Messages(2, T.AddMinutes(-10)), Messages(3, T.AddMinutes(-5)));
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(AlertChange.Worse, a.Change);
            Assert.Equal(3, a.MessageCount);
            Assert.Equal(2, a.PreviousMessageCount);
        }

        [Fact]
        public void A_higher_severity_with_the_same_messages_is_Worse()
        {
            // Three messages, threshold 3: not yet queued an hour at the first run, two hours at the second.
            var rows = Messages(3, T.AddMinutes(-10)).ToList();
            var o = Compare(rows, rows, beforeAsOf: T, nowAsOf: T.AddHours(2), threshold: 3);
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(AlertSeverity.High, a.Severity);
            Assert.Equal(AlertSeverity.Medium, a.PreviousSeverity);
            Assert.Equal(3, a.PreviousMessageCount);
            Assert.Equal(AlertChange.Worse, a.Change);
        }

        [Fact]
        public void Mail_that_has_expired_since_is_Worse_at_the_same_count_and_severity()
        {
            // High at both runs (threshold 1, queued two hours); expired only at the second, past its 24 hours.
            var rows = Messages(2, T.AddHours(-2)).ToList();
            var o = Compare(rows, rows, beforeAsOf: T, nowAsOf: T.AddHours(23), threshold: 1);
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.True(a.Expired);
            Assert.Equal(AlertSeverity.High, a.Severity);
            Assert.Equal(AlertSeverity.High, a.PreviousSeverity);
            Assert.Equal(2, a.PreviousMessageCount);
            Assert.Equal(AlertChange.Worse, a.Change);
        }

        /// <summary>
        /// A baseline CSV written before the severity table weighed time: no ExpiresFrom column, and the older rule's
        /// Medium for mail that now has an hour left.
        /// </summary>
        static AlertBaseline OlderBaseline(string dir, long messages, string severity = "Medium", bool expired = false)
        {
            string path = Path.Combine(dir, "old-alerts.csv");
            File.WriteAllLines(path, new[]
            {
                "\"Severity\",\"Code\",\"Connector\",\"DestinationServer\",\"MessageCount\",\"FirstSeen\",\"LastSeen\",\"ExpiresAt\",\"Expired\",\"Change\",\"EvidenceCount\"",
                $"\"{severity}\",\"450 4.4.316\",\"To on-premises\",\"mail.contoso.com\",\"{messages}\",\"{T.AddHours(-23):o}\",\"{T.AddMinutes(-15):o}\",\"{T.AddHours(1):o}\",\"{expired}\",\"None\",\"{messages}\"",
            });
            var b = new AlertBaseline(new AlertOptions { AsOf = T });
            Assert.Equal(1, b.AddFile(path, new EvidenceDates(null, CultureInfo.InvariantCulture), null));
            return b;
        }

        static MailFlowAlert CompareWith(AlertBaseline baseline, IEnumerable<IReadOnlyDictionary<string, object>> now, DateTime? asOf = null) =>
            Assert.Single(baseline.Compare(Run(now, baseline, asOf), null).ToList());

        [Fact]
        public void A_baseline_from_before_the_severity_table_is_not_Worse_from_the_new_rule_alone()
        {
            string dir = Path.Combine(Path.GetTempPath(), "mfi-baseline-" + Guid.NewGuid());
            Directory.CreateDirectory(dir);
            try
            {
                // The same 150 messages, first deferred 23 hours ago: the new table says High (an hour left), the old rule said Medium.
                MailFlowAlert a = CompareWith(OlderBaseline(dir, 150), Messages(150, T.AddHours(-23)));
                Assert.Equal(AlertSeverity.High, a.Severity);
                Assert.Equal(AlertSeverity.Medium, a.PreviousSeverity);
                Assert.Equal(AlertChange.Ongoing, a.Change);

                // More messages, or mail expired since, are still Worse.
                Assert.Equal(AlertChange.Worse, CompareWith(OlderBaseline(dir, 149), Messages(150, T.AddHours(-23))).Change);
                MailFlowAlert expired = CompareWith(OlderBaseline(dir, 150), Messages(150, T.AddHours(-23)), asOf: T.AddHours(2));
                Assert.True(expired.Expired);
                Assert.Equal(AlertChange.Worse, expired.Change);
                // Fewer messages are still Better, and an older High is not Better for a severity alone.
                Assert.Equal(AlertChange.Better, CompareWith(OlderBaseline(dir, 151), Messages(150, T.AddHours(-23))).Change);
                Assert.Equal(AlertChange.Ongoing, CompareWith(OlderBaseline(dir, 2, "High"), Messages(2, T.AddHours(-2))).Change);
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void A_Pending_alert_that_its_detail_rows_now_explain_is_Unverified_not_Resolved()
        {
            // An older version made a Pending alert of the trace row beside the 4.4.316 alert of its detail rows.
            var b = new AlertBaseline(new AlertOptions { AsOf = T });
            var old = Row(("Severity", "Low"), ("Code", "Pending"), ("Connector", null), ("DestinationServer", null), ("MessageCount", 1L),
                ("FirstSeen", T.AddHours(-5)), ("LastSeen", T.AddHours(-5)), ("ExpiresAt", T.AddHours(19)), ("Expired", false), ("EvidenceCount", 1L), ("Change", "None"));
            Assert.True(b.Add(old, null, out _));
            var summary = Row(("Received", T.AddHours(-5)), ("SenderAddress", "s@contoso.com"), ("RecipientAddress", "user@contoso.com"), ("Status", "Pending"),
                ("MessageTraceId", "00000000-0000-0000-0000-000000000001"), ("MessageId", "<m1@contoso.com>"));
            var detail = new Dictionary<string, object>(Trace("<m1@contoso.com>", T.AddHours(-4)), StringComparer.OrdinalIgnoreCase) { ["MessageTraceId"] = "00000000-0000-0000-0000-000000000001" };
            var alerts = b.Compare(Run(new[] { summary, detail }, b), null).ToList();
            Assert.Equal(AlertChange.New, alerts.Single(a => a.Code == "450 4.4.316").Change);
            Assert.Equal(AlertChange.Unverified, alerts.Single(a => a.Code == "Pending").Change);
        }

        [Fact]
        public void A_baseline_written_by_the_severity_table_is_compared_on_Severity()
        {
            // The first run saved its alerts (with ExpiresFrom): from then on a higher Severity is Worse again.
            var rows = Messages(2, T.AddHours(-2)).ToList();
            var o = Compare(rows, rows, beforeAsOf: T, nowAsOf: T.AddHours(19));   // 22 hours left, then 3
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(ExpiryBasis.FirstDeferral, a.ExpiresFrom);
            Assert.Equal(AlertSeverity.Medium, a.PreviousSeverity);
            Assert.Equal(AlertSeverity.High, a.Severity);
            Assert.Equal(AlertChange.Worse, a.Change);
        }

        [Fact]
        public void Fewer_messages_is_Better()
        {
            var o = Compare(Messages(3, T.AddMinutes(-10)), Messages(1, T.AddMinutes(-5)));
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(AlertChange.Better, a.Change);
            Assert.Equal(3, a.PreviousMessageCount);
        }

        [Fact]
        public void Fewer_messages_at_a_higher_severity_is_Worse_not_Better()
        {
            var before = Messages(3, T.AddMinutes(-10)).ToList();
            var o = Compare(before, before.Take(2), beforeAsOf: T, nowAsOf: T.AddHours(2), threshold: 2);
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(2, a.MessageCount);
            Assert.Equal(AlertChange.Worse, a.Change);
        }

        [Fact]
        public void A_fault_gone_from_a_connector_this_run_delivered_through_is_Resolved_with_the_baseline_figures()
        {
            var o = Compare(Messages(2, T.AddMinutes(-10)),
                            new[] { Trace("<late@contoso.com>", T, reason: null, @event: "Deliver") });
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(AlertChange.Resolved, a.Change);
            Assert.Equal("450 4.4.316", a.Code);
            Assert.Equal("To on-premises", a.Connector);
            Assert.Equal("mail.contoso.com", a.DestinationServer);
            Assert.Equal(2, a.MessageCount);
            Assert.Equal(2, a.PreviousMessageCount);
            Assert.Equal(AlertSeverity.Medium, a.Severity);
            Assert.Empty(o.HeldBack);
        }

        [Fact]
        public void A_fault_gone_from_a_connector_that_now_probes_well_is_Resolved()
        {
            var o = Compare(new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused) },
                            new[] { Probe("To A", "ok.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered) });
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(AlertChange.Resolved, a.Change);
            Assert.Equal("refused.lab.test", a.DestinationServer);
        }

        [Fact]
        public void A_fault_of_a_connector_this_run_did_not_look_at_is_not_Resolved()
        {
            var o = Compare(new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused) },
                            new[] { Probe("To B", "ok.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered),
                                    Probe("To C", "refused.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered) });
            Assert.All(o.Alerts, a => Assert.Equal(AlertChange.Unverified, a.Change));
            Assert.Single(o.Alerts);
            var held = Assert.Single(o.HeldBack);
            Assert.Equal("To A", held.Alert.Connector);
            Assert.False(held.ProbeSide);
            Assert.Contains("connector", held.Why);
        }

        [Fact]
        public void A_disabled_connector_is_not_looked_at()
        {
            var o = Compare(new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused) },
                            new[] { Probe("To A", "refused.lab.test", ProbeStatus.NotTested, null, Reason.ConnectorDisabled) });
            Assert.All(o.Alerts, a => Assert.Equal(AlertChange.Unverified, a.Change));
            Assert.Single(o.Alerts);
            Assert.False(Assert.Single(o.HeldBack).ProbeSide);
        }

        [Fact]
        public void Nothing_is_Resolved_for_a_connector_this_host_could_not_probe()
        {
            // One smart host not reachable from here (port 25 blocked), the other fine: the connector's fault is not claimed gone.
            var o = Compare(new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused) },
                            new[] { Probe("To A", "refused.lab.test", ProbeStatus.NotTested, null, Reason.ProbeSideFault),
                                    Probe("To A", "ok.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered) });
            Assert.All(o.Alerts, a => Assert.Equal(AlertChange.Unverified, a.Change));
            Assert.Single(o.Alerts);
            var held = Assert.Single(o.HeldBack);
            Assert.True(held.ProbeSide);
            Assert.Contains("ProbeSideFault", held.Why);
        }

        [Fact]
        public void Nothing_is_Resolved_in_a_run_whose_DNS_server_did_not_answer()
        {
            // Test-ConnectorDelivery's ErrorRecord, merged into the pipeline with 2>&1: its properties as they cross.
            var error = Row(("FullyQualifiedErrorId", "DnsServerUnreachable,MailFlowIntel.Commands.TestConnectorDeliveryCommand"),
                            ("TargetObject", "refused.lab.test"), ("Exception", new InvalidOperationException("no answer")));
            var o = Compare(new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused) },
                            new[] { error, Probe("To A", "ok.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered) });
            Assert.All(o.Alerts, a => Assert.Equal(AlertChange.Unverified, a.Change));
            Assert.Single(o.Alerts);
            var held = Assert.Single(o.HeldBack);
            Assert.True(held.ProbeSide);
            Assert.Contains("DnsServerUnreachable", held.Why);
        }

        [Fact]
        public void A_baseline_alert_this_run_filters_out_is_not_compared()
        {
            var filter = new EvidenceFilter(null, new[] { "4.4.317" }, null);
            var o = Compare(new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused) },
                            new[] { Probe("To A", "ok.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered) }, filter: filter);
            Assert.Empty(o.Alerts);
            Assert.Empty(o.HeldBack);
        }

        [Fact]
        public void A_Resolved_alert_read_back_is_no_failure_and_no_baseline()
        {
            var o = Compare(new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused) },
                            new[] { Probe("To A", "ok.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered) });
            var resolved = AsRow(Assert.Single(o.Alerts));
            Assert.Null(RowInterpreter.Interpret(resolved, null, out string why));
            Assert.Contains("Resolved", why);

            var b = new AlertBaseline(new AlertOptions { AsOf = T });
            Assert.True(b.Add(resolved, null, out why));
            Assert.NotNull(why);
            Assert.Equal(0, b.Count);
        }

        [Fact]
        public void An_alert_read_back_with_its_Change_is_read_as_before()
        {
            var o = Compare(Messages(2, T.AddMinutes(-10)), Messages(3, T.AddMinutes(-5)));
            var row = AsRow(Assert.Single(o.Alerts)).ToDictionary(p => p.Key, p => p.Value is Enum e ? e.ToString() : p.Value, StringComparer.OrdinalIgnoreCase);
            Assert.Equal("Worse", row["Change"]);
            EvidenceRecord r = RowInterpreter.Interpret(row, null, out _);
            Assert.Equal(3, r.Prior.MessageCount);
        }

        [Fact]
        public void Evidence_is_not_a_baseline()
        {
            var b = new AlertBaseline(new AlertOptions { AsOf = T });
            Assert.False(b.Add(Trace("<m1@contoso.com>", T), null, out string why));
            Assert.Contains("not an alert", why);
            Assert.False(b.Add(Row(("Name", "x")), null, out _));
            Assert.Equal(0, b.Count);
        }

        [Fact]
        public void A_CSV_baseline_is_read_and_a_CSV_of_evidence_is_refused()
        {
            string dir = Path.Combine(Path.GetTempPath(), "mfi-baseline-" + Guid.NewGuid());
            Directory.CreateDirectory(dir);
            try
            {
                MailFlowAlert a = Assert.Single(Run(Messages(2, T.AddMinutes(-10)))).Value;
                string alerts = Path.Combine(dir, "alerts.csv");
                File.WriteAllLines(alerts, new[]
                {
                    "\"Code\",\"Connector\",\"DestinationServer\",\"MessageCount\",\"Severity\",\"FirstSeen\",\"Expired\",\"EvidenceCount\",\"Change\"",
                    $"\"{a.Code}\",\"{a.Connector}\",\"{a.DestinationServer}\",\"2\",\"Medium\",\"{a.FirstSeen:o}\",\"False\",\"2\",\"None\"",
                });
                var b = new AlertBaseline(new AlertOptions { AsOf = T });
                Assert.Equal(1, b.AddFile(alerts, new EvidenceDates(null, CultureInfo.InvariantCulture), null));
                Assert.Equal(1, b.Count);

                string empty = Path.Combine(dir, "empty.csv");
                File.WriteAllText(empty, "");
                Assert.Equal(0, new AlertBaseline(new AlertOptions()).AddFile(empty, null, null));

                string evidence = Path.Combine(dir, "trace.csv");
                File.WriteAllLines(evidence, new[] { "Date,Event,Detail,MessageId", $"{T:o},Defer,\"{Refused}\",<m1@x>" });
                var ex = Assert.Throws<EvidenceFormatException>(() => new AlertBaseline(new AlertOptions()).AddFile(evidence, null, null));
                Assert.Contains("not a file of alerts", ex.Message);
            }
            finally { Directory.Delete(dir, true); }
        }

        // ---- Change follows the vantage (DESIGN.md 2c): only the view that raised an alert resolves it. ----

        /// <summary>A SEND event of Get-MessageTraceDetailV2: the message left Microsoft 365 through the connector.</summary>
        static IReadOnlyDictionary<string, object> Sent(string messageId, DateTime date, string connector = "To on-premises", string @event = "SEND") =>
            Trace(messageId, date, connector, reason: null, @event: @event);

        [Fact]
        public void A_Microsoft365_alert_is_Unverified_after_a_probe_success_from_here_with_the_probe_in_Detail()
        {
            var o = Compare(Messages(40, T.AddMinutes(-10)),
                            new[] { Probe("To on-premises", "mail.contoso.com", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "PC1", at: T.AddMinutes(5)) });
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(ObservedFrom.Microsoft365, a.ObservedFrom);
            Assert.Equal(AlertChange.Unverified, a.Change);
            Assert.Equal(40, a.MessageCount);
            Assert.Equal(40, a.PreviousMessageCount);
            // The evidence's own specifics first, then what this run saw instead and which view alone resolves it.
            Assert.StartsWith("Socket error code 10061 | Not verified: reachable from this computer (PC1) at 2026-11-27 12:05 UTC; only Microsoft 365's own view", a.Detail);
            var held = Assert.Single(o.HeldBack);
            Assert.False(held.ProbeSide);
            Assert.Contains("reachable from this computer (PC1)", held.Why);
            Assert.Contains("Microsoft 365's own view", held.Why);
        }

        [Fact]
        public void The_note_of_an_Unverified_alert_is_in_French_under_a_French_UI()
        {
            var o = Compare(Messages(40, T.AddMinutes(-10)),
                            new[] { Probe("To on-premises", "mail.contoso.com", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "PC1") }, language: Language.French);
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Contains("Non vérifiée : joignable depuis ce poste (PC1) le 2026-11-27 à 12:00 UTC ; seule la vue de Microsoft 365", a.Detail);
            // The verbose line stays English, as every verbose line of the module.
            Assert.Contains("reachable from this computer (PC1)", Assert.Single(o.HeldBack).Why);
        }

        [Theory]
        [InlineData("SEND")]
        [InlineData("Send external")]
        [InlineData("DELIVER")]
        public void A_Microsoft365_alert_is_Resolved_by_deliveries_through_its_connector_after_it_was_last_seen(string @event)
        {
            var o = Compare(Messages(40, T.AddMinutes(-10)),
                            new[] { Sent("<d1@contoso.com>", T, @event: @event), Sent("<d2@contoso.com>", T.AddMinutes(1), @event: @event) });
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(AlertChange.Resolved, a.Change);
            Assert.DoesNotContain("Not verified", a.Detail ?? "");
            Assert.Empty(o.HeldBack);
        }

        /// <summary>An Invoke-OutboundConnectorValidation result: a probe's shape, seen from Microsoft 365.</summary>
        static IReadOnlyDictionary<string, object> Validation(string server, ProbeStatus status, ProbeStatus targetStatus, DateTime at) =>
            Row(("Connector", "To on-premises"), ("Target", server), ("DestinationServer", server), ("ProbedFrom", ""), ("Status", status),
                ("TargetStatus", targetStatus), ("Stage", ProbeStage.None), ("Timestamp", at), ("ObservedFrom", ObservedFrom.Microsoft365));

        [Fact]
        public void A_Microsoft365_alert_is_Resolved_by_a_connector_validation_that_delivered_after_it_was_last_seen()
        {
            var o = Compare(Messages(40, T.AddMinutes(-10)), new[] { Validation("mail.contoso.com", ProbeStatus.Succeeded, ProbeStatus.Succeeded, T) });
            Assert.Equal(AlertChange.Resolved, Assert.Single(o.Alerts).Change);
            Assert.Empty(o.HeldBack);
        }

        [Theory]
        [InlineData(ProbeStatus.Succeeded, ProbeStatus.Failed, 0)]    // one task passed, the validation as a whole failed
        [InlineData(ProbeStatus.Warning, ProbeStatus.Warning, 0)]     // output not understood
        [InlineData(ProbeStatus.Succeeded, ProbeStatus.Succeeded, -30)] // before the alert was last seen
        public void A_connector_validation_that_did_not_deliver_after_the_alert_leaves_it_Unverified(ProbeStatus status, ProbeStatus targetStatus, int minutes)
        {
            var o = Compare(Messages(40, T.AddMinutes(-10)), new[] { Validation("mail.contoso.com", status, targetStatus, T.AddMinutes(minutes)) });
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(AlertChange.Unverified, a.Change);
            Assert.DoesNotContain("reachable from this computer", a.Detail);   // Microsoft 365's view, never taken for a probe from here
        }

        [Fact]
        public void Deliveries_from_before_the_alert_was_last_seen_do_not_resolve_it()
        {
            var o = Compare(Messages(40, T.AddMinutes(-10)), new[] { Sent("<d1@contoso.com>", T.AddMinutes(-30)) });
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(AlertChange.Unverified, a.Change);
            Assert.Contains("Microsoft 365 shows its latest delivery there at 2026-11-27 11:30 UTC, before the alert was last seen at 2026-11-27 11:50 UTC", a.Detail);
        }

        [Fact]
        public void A_message_whose_last_event_there_is_a_deferral_keeps_a_Microsoft365_alert_Unverified()
        {
            // Deliveries through the connector since, but one message deferred there again (another code: its own alert).
            const string Busy = "450 4.4.317 Cannot connect to remote server [Message=421 4.3.2 Service not available] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]";
            var now = new[]
            {
                Sent("<d1@contoso.com>", T), Sent("<d2@contoso.com>", T.AddMinutes(1)),
                Trace("<late@contoso.com>", T.AddMinutes(2), reason: Busy),
            };
            var o = Compare(Messages(40, T.AddMinutes(-10)), now);
            MailFlowAlert old = o.Alerts.Single(x => x.Code == "450 4.4.316");
            Assert.Equal(AlertChange.Unverified, old.Change);
            Assert.Contains("Microsoft 365 still shows 1 message(s) deferred there", old.Detail);
            Assert.Equal(AlertChange.New, o.Alerts.Single(x => x.Code == "450 4.4.317").Change);

            // The same message delivered afterwards: its last event is a delivery, and nothing waits there any more.
            var later = now.Concat(new[] { Sent("<late@contoso.com>", T.AddMinutes(20)) }).ToList();
            var o2 = Compare(Messages(40, T.AddMinutes(-10)), later);
            Assert.Equal(AlertChange.Resolved, o2.Alerts.Single(x => x.Code == "450 4.4.316").Change);
        }

        [Fact]
        public void A_delivery_row_that_names_another_server_does_not_resolve_the_alert_of_this_server()
        {
            var other = new Dictionary<string, object>(Sent("<d1@contoso.com>", T), StringComparer.OrdinalIgnoreCase) { ["DestinationServer"] = "mail2.contoso.com" };
            MailFlowAlert a = Assert.Single(Compare(Messages(3, T.AddMinutes(-10)), new[] { other }).Alerts);
            Assert.Equal(AlertChange.Unverified, a.Change);
            var same = new Dictionary<string, object>(Sent("<d1@contoso.com>", T), StringComparer.OrdinalIgnoreCase) { ["DestinationServer"] = "MAIL.contoso.com" };
            Assert.Equal(AlertChange.Resolved, Assert.Single(Compare(Messages(3, T.AddMinutes(-10)), new[] { same }).Alerts).Change);
        }

        [Fact]
        public void A_probe_alert_is_Resolved_by_a_probe_from_the_same_computer_and_Unverified_from_another()
        {
            var before = new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused, computer: "PC1") };
            MailFlowAlert same = Assert.Single(Compare(before, new[] { Probe("To A", "refused.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "pc1") }).Alerts);
            Assert.Equal(ObservedFrom.ThisComputer, same.ObservedFrom);
            Assert.Equal(AlertChange.Resolved, same.Change);

            var o = Compare(before, new[] { Probe("To A", "refused.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "PC2") });
            MailFlowAlert other = Assert.Single(o.Alerts);
            Assert.Equal(AlertChange.Unverified, other.Change);
            Assert.Contains("reachable from this computer (PC2) at 2026-11-27 12:00 UTC; only a probe from PC1, where it was raised, resolves it", other.Detail);
            Assert.False(Assert.Single(o.HeldBack).ProbeSide);
        }

        [Fact]
        public void Microsoft365_deliveries_do_not_resolve_a_probe_alert()
        {
            var o = Compare(new[] { Probe("To on-premises", "mail.contoso.com", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused, computer: "PC1") },
                            new[] { Sent("<d1@contoso.com>", T.AddMinutes(5)) });
            MailFlowAlert a = Assert.Single(o.Alerts);
            Assert.Equal(AlertChange.Unverified, a.Change);
            Assert.Contains("Microsoft 365 shows a delivery there at 2026-11-27 12:05 UTC", a.Detail);
        }

        [Fact]
        public void A_run_whose_egress_check_failed_resolves_nothing()
        {
            // A connector's probe NotTested after the egress check failed; another connector probed well from the same computer,
            // and Microsoft 365 delivering through the first: this computer could not reach port 25, so the run vouches for nothing.
            var before = Messages(2, T.AddMinutes(-10)).Concat(new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused, computer: "PC1") });
            var now = new[]
            {
                Probe("To B", "mx.fabrikam.com", ProbeStatus.NotTested, null, Reason.ProbeSideFault, computer: "PC1", egress: EgressCheck.Failed),
                Probe("To A", "refused.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "PC1"),
                Sent("<d1@contoso.com>", T.AddMinutes(5)),
            };
            var o = Compare(before, now);
            Assert.Equal(2, o.Alerts.Count);
            Assert.All(o.Alerts, a => Assert.Equal(AlertChange.Unverified, a.Change));
            Assert.All(o.HeldBack, h => { Assert.True(h.ProbeSide); Assert.Contains("EgressCheck Failed", h.Why); });
            Assert.Equal(2, o.HeldBack.Count);

            // A failed probe that kept its code (an internal smart host) in a run whose egress check failed: the same.
            var failed = new[] { Probe("To C", "10.0.0.5", ProbeStatus.Failed, "450 4.4.315", Reason.ConnectTimedOut, computer: "PC1", egress: EgressCheck.Failed),
                                 Probe("To A", "refused.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "PC1") };
            var o2 = Compare(before, failed);
            Assert.DoesNotContain(o2.Alerts, a => a.Change == AlertChange.Resolved);
            Assert.Equal(2, o2.HeldBack.Count);
            Assert.All(o2.HeldBack, h => Assert.Contains("EgressCheck Failed", h.Why));
        }

        /// <summary>Yesterday's alert as a version before ObservedFrom wrote it: no ObservedFrom nor ComputerName property.</summary>
        static AlertBaseline BeforeObservedFrom(IEnumerable<IReadOnlyDictionary<string, object>> rows)
        {
            var b = new AlertBaseline(new AlertOptions { AsOf = T });
            foreach (var a in Run(rows))
            {
                var row = AsRow(a.Value).Where(p => p.Key != "ObservedFrom" && p.Key != "ComputerName").ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
                Assert.True(b.Add(row, new EvidenceDates(null, CultureInfo.InvariantCulture), out _));
            }
            return b;
        }

        [Fact]
        public void A_baseline_from_before_ObservedFrom_keeps_the_older_rule_and_the_upgrade_alone_changes_nothing()
        {
            // The same 40 deferrals again: Ongoing, not New beside a Resolved one.
            AlertBaseline b = BeforeObservedFrom(Messages(40, T.AddMinutes(-10)));
            MailFlowAlert again = Assert.Single(b.Compare(Run(Messages(40, T.AddMinutes(-10)), b), null).ToList());
            Assert.Equal(AlertChange.Ongoing, again.Change);
            Assert.Equal(ObservedFrom.Microsoft365, again.ObservedFrom);

            // A probe success of the connector resolves it, as it did before the upgrade (and the Detail gets no note).
            b = BeforeObservedFrom(Messages(40, T.AddMinutes(-10)));
            MailFlowAlert probed = Assert.Single(b.Compare(Run(new[] { Probe("To on-premises", "mail.contoso.com", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "PC1") }, b), null).ToList());
            Assert.Equal(AlertChange.Resolved, probed.Change);

            // A probe alert from before ComputerName: a probe from any computer resolves it, as before.
            b = BeforeObservedFrom(new[] { Probe("To A", "refused.lab.test", ProbeStatus.Failed, "450 4.4.316", Reason.ConnectionRefused, computer: "PC1") });
            Assert.Equal(AlertChange.Resolved, Assert.Single(b.Compare(Run(new[] { Probe("To A", "ok.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "PC2") }, b), null).ToList()).Change);

            // Nothing about its connector: Unverified, as before.
            b = BeforeObservedFrom(Messages(40, T.AddMinutes(-10)));
            Assert.Equal(AlertChange.Unverified, Assert.Single(b.Compare(Run(new[] { Probe("To B", "ok.lab.test", ProbeStatus.Succeeded, null, Reason.Delivered) }, b), null).ToList()).Change);
        }

        [Fact]
        public void The_note_is_taken_off_when_the_alert_is_read_back_so_notes_never_pile_up()
        {
            var probe = new[] { Probe("To on-premises", "mail.contoso.com", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "PC1") };
            MailFlowAlert first = Assert.Single(Compare(Messages(40, T.AddMinutes(-10)), probe).Alerts);
            Assert.Contains(" | Not verified: ", first.Detail);
            Assert.Equal("Socket error code 10061", RowInterpreter.Interpret(AsRow(first), null, out _).Detail);

            // The Unverified alert is the next baseline; the next run again only probes: one note, the new one.
            AlertBaseline b = Baseline(new[] { new KeyValuePair<string, MailFlowAlert>("", first) });
            MailFlowAlert second = Assert.Single(b.Compare(Run(probe, b), null).ToList());
            Assert.Equal(AlertChange.Unverified, second.Change);
            Assert.Equal(1, second.Detail.Split(new[] { "Not verified" }, StringSplitOptions.None).Length - 1);
            Assert.StartsWith("Socket error code 10061 | Not verified: ", second.Detail);
            Assert.Null(ChangeNote.Strip("Non vérifiée : joignable depuis ce poste (PC1)"));
            Assert.Equal("[Message=x]", ChangeNote.Strip("[Message=x] | Non vérifiée : joignable depuis ce poste (PC1)"));
        }

        [Fact]
        public void Every_phrase_of_the_notes_formats_in_both_languages()
        {
            var phrases = typeof(ChangeNote).GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)
                .Where(f => f.FieldType == typeof(Phrase)).Select(f => (f.Name, Phrase: (Phrase)f.GetValue(null))).ToList();
            Assert.True(phrases.Count >= 10, $"found only {phrases.Count} phrases");
            foreach (var (name, phrase) in phrases)
            {
                Assert.NotEqual(phrase.English, phrase.French);
                foreach (Language l in new[] { Language.English, Language.French })
                {
                    string text = string.Format(CultureInfo.InvariantCulture, phrase.In(l), T, T, T);
                    Assert.False(string.IsNullOrWhiteSpace(text), name);
                    Assert.DoesNotContain("{", text);
                }
            }
        }

        /// <summary>A Get-Queue row of an Exchange Server toward mail.contoso.com; with an error, Status Retry.</summary>
        static IReadOnlyDictionary<string, object> Queue(string identity, string lastError, string status = null) =>
            Row(("Identity", identity), ("DeliveryType", "SmartHostConnectorDelivery"), ("NextHopDomain", "mail.contoso.com"),
                ("Status", status ?? (lastError == null ? "Ready" : "Retry")), ("MessageCount", lastError == null ? 0 : 12), ("LastError", lastError),
                ("FirstRetryTime", lastError == null ? (object)null : T.AddHours(-3)), ("LastRetryTime", lastError == null ? (object)null : T.AddMinutes(-10)));

        const string Dropped = "451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped.\" Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 203.0.113.9:25";
        const string Refused10061 = "451 4.4.0 Primary target IP address responded with: \"Failed to connect. Winsock error code: 10061\" Attempted failover to alternate host, but that did not succeed. The last endpoint attempted was 203.0.113.9:25";

        [Fact]
        public void An_Exchange_Server_alert_is_Resolved_by_its_queues_toward_the_next_hop_none_in_retry()
        {
            var before = new[] { Queue(@"EX01\4", Dropped) };
            // Its queue toward the next hop, now Ready without an error.
            MailFlowAlert a = Assert.Single(Compare(before, new[] { Queue(@"EX01\4", null) }).Alerts);
            Assert.Equal(ObservedFrom.ExchangeServer, a.ObservedFrom);
            Assert.Equal(AlertChange.Resolved, a.Change);

            // A probe of the server from here took the session: not Exchange Server's view.
            var probed = Compare(before, new[] { Probe(null, "mail.contoso.com", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "PC1") });
            MailFlowAlert unverified = Assert.Single(probed.Alerts);
            Assert.Equal(AlertChange.Unverified, unverified.Change);
            Assert.Contains("only Exchange Server's own view", unverified.Detail);

            // Another queue toward the same next hop still in retry, for another reason (its own alert).
            var retry = Compare(before, new[] { Queue(@"EX01\4", null), Queue(@"EX02\9", Refused10061) });
            Assert.Equal(AlertChange.Unverified, retry.Alerts.Single(x => x.Reason == "ClosedAbruptly").Change);
            Assert.Contains("Exchange Server still shows 1 message(s) deferred there", retry.Alerts.Single(x => x.Reason == "ClosedAbruptly").Detail);
        }

        [Fact]
        public void An_alert_from_another_MTA_s_log_is_Resolved_by_a_later_status_sent_toward_its_server()
        {
            const string Deferred = "2026-11-27T11:50:00+00:00 relay1 postfix/smtp[23287]: 34CDCB200E4: to=<user@contoso.com>, relay=none, delay=30, delays=0.02/0/30/0, dsn=4.4.1, status=deferred (connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection timed out)";
            const string Sent = "2026-11-27T12:05:00+00:00 relay1 postfix/smtp[23290]: 34CDCB200E4: to=<user@contoso.com>, relay=contoso-com.mail.protection.outlook.com[52.101.68.10]:25, delay=900, delays=0.02/899/0.2/0.8, dsn=2.6.0, status=sent (250 2.6.0 <id@relay1> Queued mail for delivery)";
            const string OtherDeferred = "2026-11-27T12:06:00+00:00 relay1 postfix/smtp[23291]: 55AAB200E4: to=<other@contoso.com>, relay=none, delay=30, delays=0.02/0/30/0, dsn=4.4.1, status=deferred (connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection refused)";
            MailFlowAlert Next(params object[] now)
            {
                var b = Baseline(RunMixed(new object[] { Deferred }, new AlertBaseline(new AlertOptions { AsOf = T })));
                return b.Compare(RunMixed(now, b), null).Single(x => x.Code == "450 4.4.315");
            }
            Assert.Equal(ObservedFrom.OtherMta, Next(Sent).ObservedFrom);
            Assert.Equal(AlertChange.Resolved, Next(Sent).Change);
            // Another message still deferred toward the same server last: not yet.
            MailFlowAlert held = Next(Sent, OtherDeferred);
            Assert.Equal(AlertChange.Unverified, held.Change);
            Assert.Contains("the mail server's log still shows 1 message(s) deferred there", held.Detail);
            // A probe of the server from here: not the relay's view.
            MailFlowAlert probed = Next(Probe(null, "contoso-com.mail.protection.outlook.com", ProbeStatus.Succeeded, null, Reason.Delivered, computer: "PC1"));
            Assert.Equal(AlertChange.Unverified, probed.Change);
            Assert.Contains("only the log of the mail server that raised it", probed.Detail);
        }
    }
}
