using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Report;
using Xunit;
using Xunit.Abstractions;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>The HTML report: hostile text stays text everywhere, the chart, the policy, streaming, both languages.</summary>
    // Alone: the streaming test measures the process's memory, which tests running beside it would move.
    [Collection("Alone")]
    public sealed class ReportTests
    {
        static readonly DateTime T = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        // Markup, both quotes, an ampersand, a closing cell and table, a script, a bell and a right-to-left override.
        const string Hostile = "<img src=x onerror=alert(1)>\"'&</td></table><script>alert(2)</script>\a\u202Eevil";
        const string HostileEncoded = "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;&lt;/td&gt;&lt;/table&gt;&lt;script&gt;alert(2)&lt;/script&gt;\\x07\\u202Eevil";

        readonly ITestOutputHelper output;
        public ReportTests(ITestOutputHelper output) { this.output = output; }

        static string Render(Action<ReportWriter> add, Language language = Language.English, string title = null)
        {
            using (var report = new ReportWriter(new ReportOptions { AsOf = T, Language = language, Title = title }, new MemoryStream()))
            {
                add(report);
                var sw = new StringWriter();
                report.WriteTo(sw);
                return sw.ToString();
            }
        }

        static MailFlowAlert Alert(string code = "450 4.4.316", string connector = "To on-premises", AlertSeverity severity = AlertSeverity.Medium,
            AlertChange change = AlertChange.None, DateTime? expires = null, bool expired = false) => new MailFlowAlert
        {
            Code = code, Reason = "ConnectionRefused", Title = "Connection refused", Cause = "mail.contoso.com refused the connection.",
            Fix = "Open TCP 25.", Connector = connector, DestinationServer = "mail.contoso.com", LastAttemptedIP = "203.0.113.5",
            MessageCount = 3, Severity = severity, Change = change, ExpiresAt = expires, Expired = expired, EvidenceCount = 3,
        };

        static MailFlowAlert HostileAlert() => new MailFlowAlert
        {
            Code = Hostile, RawCode = Hostile, Reason = Hostile, Title = Hostile, Cause = Hostile, Fix = Hostile, Connector = Hostile,
            DestinationServer = Hostile, LastAttemptedIP = Hostile, ServerResponse = Hostile, Detail = Hostile, Evidence = Hostile,
            CertificateSubject = Hostile, CertificateIssuer = Hostile, CertificateNotAfter = T.AddDays(3), MessageCount = 1, EvidenceCount = 1,
        };

        static ConnectorDeliveryResult HostileResult() => new ConnectorDeliveryResult
        {
            Connector = Hostile, Target = Hostile, DestinationServer = Hostile, IPAddress = Hostile, Port = 25, Status = ProbeStatus.Failed,
            Code = Hostile, Stage = ProbeStage.Greeting, TlsProtocol = Hostile, TlsSettings = Hostile, CertificateSubject = Hostile,
            CertificateIssuer = Hostile, CertificateErrors = Hostile, CertificateNotAfter = T.AddDays(10), ServerResponse = Hostile, Detail = Hostile, Fix = Hostile,
        };

        static RepairAction HostileAction() => new RepairAction
        {
            Code = Hostile, Connector = Hostile, Action = Hostile, Target = Hostile, Command = Hostile, RollbackCommand = Hostile,
            Rationale = Hostile, Steps = Hostile, DependsOn = Hostile, Detail = Hostile, Status = RepairStatus.Manual,
        };

        static readonly HashSet<string> Tags = new HashSet<string>(StringComparer.Ordinal)
        {
            "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "section", "div", "p", "span", "table",
            "thead", "tbody", "tr", "th", "td", "br", "small", "strong", "b", "code", "pre", "figure", "figcaption", "svg", "rect", "text", "line", "circle",
        };

        // A start tag: known name, then only name="value" pairs whose value holds no quote or angle bracket.
        static readonly Regex StartTag = new Regex("^<(?<name>!DOCTYPE|[a-z][a-z0-9]*)(\\s+[a-zA-Z][a-zA-Z0-9-]*(=\"[^\"<>]*\")?)*\\s*/?>$");
        static readonly Regex EndTag = new Regex("^</(?<name>[a-z][a-z0-9]*)>$");

        /// <summary>
        /// Walks every '&lt;' of the page: each must open or close an allowed tag whose attributes are all well quoted. Text that
        /// escaped its place (a tag, a broken attribute) fails here. The style element's content is CSS and is skipped.
        /// </summary>
        static void AssertOnlyOurMarkup(string html)
        {
            int i = 0;
            while ((i = html.IndexOf('<', i)) >= 0)
            {
                int end = html.IndexOf('>', i);
                Assert.True(end > i, "a '<' that opens nothing at " + i);
                string tag = html.Substring(i, end - i + 1);
                Match m = StartTag.Match(tag);
                if (!m.Success) m = EndTag.Match(tag);
                Assert.True(m.Success, "not one of our tags: " + tag);
                Assert.Contains(m.Groups["name"].Value, Tags);
                if (tag == "<style>") end = html.IndexOf("</style>", i, StringComparison.Ordinal) - 1;
                i = end + 1;
            }
        }

        [Fact]
        public void Hostile_text_stays_text_in_every_place_it_appears_attributes_included()
        {
            string html = Render(r =>
            {
                r.Add(HostileAlert());
                r.Add(HostileResult());
                r.Add(HostileAction());
            }, title: Hostile);

            AssertOnlyOurMarkup(html);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain('\a', html);
            Assert.DoesNotContain('\u202E', html);
            // Every field shows it, encoded: the title twice, alert 13 fields (bounded ones as a prefix), result 12, action 10.
            int whole = Regex.Matches(html, Regex.Escape(HostileEncoded)).Count;
            output.WriteLine($"{whole} encoded copies");
            Assert.True(whole >= 30, $"{whole} encoded copies");
            // Attributes: the code and connector, quoted and encoded.
            Assert.Contains("data-code=\"" + HostileEncoded + "\"", html);
            Assert.Contains("data-connector=\"" + HostileEncoded + "\"", html);
            Assert.Contains("data-action=\"" + HostileEncoded + "\"", html);
            // The command is shown whole inside pre/code.
            Assert.Contains("<pre><code>" + HostileEncoded + "</code></pre>", html);
        }

        [Fact]
        public void A_page_of_ordinary_input_is_our_markup_only_with_the_policy_and_no_script_or_external_reference()
        {
            string html = Render(r =>
            {
                r.Add(Alert());
                r.Add(new ConnectorDeliveryResult { Connector = "To on-premises", DestinationServer = "mail.contoso.com", Status = ProbeStatus.Succeeded, CertificateNotAfter = T.AddDays(40) });
                r.Add(new RepairAction { Connector = "To on-premises", Action = "AllowFirewall", Command = "Test-NetConnection mail.contoso.com -Port 25", Status = RepairStatus.Manual });
            });
            AssertOnlyOurMarkup(html);
            Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">", html);
            // The policy comes before anything it governs.
            Assert.True(html.IndexOf("Content-Security-Policy", StringComparison.Ordinal) < html.IndexOf("<style>", StringComparison.Ordinal));
            Assert.Contains("<meta name=\"viewport\"", html);
            Assert.Contains("@media print", html);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(new Regex("\\s(src|href)=", RegexOptions.IgnoreCase), html);
            Assert.DoesNotContain("url(", html);
            Assert.DoesNotContain("@import", html);
            Assert.Equal(new[] { "http://www.w3.org/2000/svg" }, Regex.Matches(html, "https?://[^\"\\s<]*").Cast<Match>().Select(m => m.Value).Distinct());
            Assert.Contains("<pre><code>Test-NetConnection mail.contoso.com -Port 25</code></pre>", html);
        }

        [Fact]
        public void The_chart_has_one_bar_per_open_code()
        {
            string html = Render(r =>
            {
                r.Add(Alert("450 4.4.316", "A"));
                r.Add(Alert("450 4.4.316", "B"));
                r.Add(Alert("450 4.7.320", "A"));
                r.Add(Alert("450 4.4.317", "C"));
                r.Add(Alert("450 4.4.312", "D", change: AlertChange.Resolved));   // gone: a row, not a bar
            });
            var bars = Regex.Matches(html, "<rect class=\"bar\" data-code=\"([^\"]*)\"").Cast<Match>().Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(new[] { "450 4.4.316", "450 4.4.317", "450 4.7.320" }, bars);
            Assert.Equal(5, Regex.Matches(html, "<tr class=\"alert ").Count);
            Assert.Contains("4 open alert(s): 0 high, 4 medium, 0 low", html);
            Assert.Contains("4 connector(s), 3 failing", html);
        }

        [Fact]
        public void The_chart_keeps_at_most_forty_bars_and_counts_the_rest_together()
        {
            string html = Render(r => { for (int i = 0; i < 100; i++) r.Add(Alert("599 9.9." + i.ToString("000", CultureInfo.InvariantCulture))); });
            Assert.Equal(41, Regex.Matches(html, "<rect class=\"bar\"").Count);
            Assert.Contains("<rect class=\"bar\" data-code=\"other codes\"", html);
        }

        [Fact]
        public void Alerts_are_grouped_by_connector_failing_first_in_the_order_they_came()
        {
            string html = Render(r =>
            {
                r.Add(new ConnectorDeliveryResult { Connector = "Alpha", DestinationServer = "a.contoso.com", Status = ProbeStatus.Succeeded });
                r.Add(Alert("450 4.4.316", "Zulu"));
                r.Add(Alert("450 4.4.317", "Bravo"));
                r.Add(Alert("450 4.7.320", "Zulu", AlertSeverity.High));
                r.Add(Alert("450 4.4.318", null));
            });
            var groups = Regex.Matches(html, "<div class=\"group\"(?: data-connector=\"([^\"]*)\")?>").Cast<Match>().Select(m => m.Groups[1].Value).ToList();
            // Alerts: Zulu (High) before Bravo (Medium), the unnamed group last; results: Alpha alone.
            Assert.Equal(new[] { "Zulu", "Bravo", "", "Alpha" }, groups);
            int zulu = html.IndexOf("data-connector=\"Zulu\"", StringComparison.Ordinal);
            Assert.True(html.IndexOf("data-code=\"450 4.4.316\"", zulu, StringComparison.Ordinal) < html.IndexOf("data-code=\"450 4.7.320\"", zulu, StringComparison.Ordinal));
            Assert.Contains(">Without a connector</h3>", html);
            Assert.Contains("3 connector(s), 2 failing", html);
        }

        [Fact]
        public void Expiry_counts_down_from_AsOf_and_says_expired()
        {
            string html = Render(r =>
            {
                r.Add(Alert(expires: T.AddHours(5).AddMinutes(20)));
                r.Add(Alert("450 4.4.317", expires: T.AddMinutes(35)));
                r.Add(Alert("450 4.4.318", expires: T.AddDays(3)));
                r.Add(Alert("450 4.7.320", expires: T.AddHours(-1)));
                r.Add(Alert("450 4.4.312", expired: true));
            });
            Assert.Contains(">expires in 5 h<", html);
            Assert.Contains(">expires in 35 min<", html);
            Assert.Contains(">expires in 3 d<", html);
            Assert.Equal(2, Regex.Matches(html, ">expired<").Count);
        }

        [Fact]
        public void Change_and_the_baseline_counts_show_when_alerts_were_compared()
        {
            string html = Render(r =>
            {
                r.Add(Alert(change: AlertChange.New));
                var worse = Alert("450 4.4.317", change: AlertChange.Worse);
                worse.PreviousMessageCount = 1;
                r.Add(worse);
                r.Add(Alert("450 4.7.320", change: AlertChange.Resolved));
                r.Add(Alert("450 4.4.318", change: AlertChange.Unverified));
            });
            Assert.Contains("1 new since the baseline, 1 worse, 1 resolved, 1 not verified this run", html);
            // Unverified: not looked at this run, so still open (a bar, a count); Resolved is not.
            Assert.Contains("3 open alert(s)", html);
            Assert.Contains("<span class=\"change change-Unverified\">Unverified</span>", html);
            Assert.Contains("data-code=\"450 4.4.318\" x=", html.Substring(html.IndexOf("<svg class=\"bars\"", StringComparison.Ordinal)));
            Assert.Contains("<span class=\"change change-New\">New</span>", html);
            Assert.Contains("data-change=\"Worse\"", html);
            Assert.Contains("(was 1)", html);
            string plain = Render(r => r.Add(Alert()));
            Assert.DoesNotContain("since the baseline", plain);
            Assert.DoesNotContain("data-change=\"", plain);
        }

        [Fact]
        public void Results_show_their_certificate_facts_and_the_time_line_marks_each_expiry()
        {
            string html = Render(r =>
            {
                r.Add(new ConnectorDeliveryResult
                {
                    Connector = "To partner", DestinationServer = "mx1.fabrikam.com", IPAddress = "198.51.100.7", Port = 25, Status = ProbeStatus.Failed,
                    Code = "450 4.7.320", Reason = Reason.CertificateExpired, Stage = ProbeStage.Certificate, CertificateSubject = "CN=mx1.fabrikam.com",
                    CertificateIssuer = "CN=Fabrikam CA", CertificateNotAfter = T.AddDays(-2), DaneStatus = DaneStatus.Mismatch, MtaStsStatus = MtaStsStatus.MxMismatch,
                });
                r.Add(new ConnectorDeliveryResult { Connector = "To partner", DestinationServer = "mx2.fabrikam.com", Status = ProbeStatus.Succeeded, CertificateNotAfter = T.AddDays(200) });
            });
            Assert.Contains("CN=mx1.fabrikam.com", html);
            Assert.Contains("CN=Fabrikam CA", html);
            Assert.Contains("2026-11-25 12:00 UTC", html);
            Assert.Contains(">Mismatch<", html);
            Assert.Contains("MTA-STS MxMismatch", html);
            Assert.Contains("CertificateExpired", html);
            Assert.Contains("<svg class=\"timeline\"", html);
            Assert.Single(Regex.Matches(html, "<rect class=\"expiry expired\""));
            Assert.Single(Regex.Matches(html, "<circle class=\"expiry\""));
            Assert.DoesNotContain("<svg class=\"timeline\"", Render(r => r.Add(Alert())));
        }

        [Fact]
        public void Every_fixed_word_follows_the_language()
        {
            Action<ReportWriter> add = r =>
            {
                r.Add(Alert(severity: AlertSeverity.High, change: AlertChange.New, expires: T.AddHours(5)));
                r.Add(new ConnectorDeliveryResult { Connector = "To on-premises", Status = ProbeStatus.Failed, CertificateNotAfter = T.AddDays(3) });
                r.Add(new RepairAction { Connector = "To on-premises", Action = "AllowFirewall", Command = "x", RollbackCommand = "y", Steps = "1. z", Rationale = "r", Status = RepairStatus.Manual, Responsible = Responsible.Admin });
            };
            string fr = Render(add, Language.French);
            string en = Render(add, Language.English);
            Assert.Contains("<html lang=\"fr\">", fr);
            foreach (string word in new[] { "Rapport de flux de messagerie", "Synthèse", "Alertes", "Gravité", "Élevée", "Nouvelle", "expire dans 5 h", "Résultats des tests",
                         "Échec", "Réparations prévues", "Commande", "Annulation", "Qui agit : l'administrateur", "Alertes ouvertes par code",
                         "Dates d'expiration des certificats", "nouvelle(s) depuis la référence", "Cause et correction", "Étapes" })
                Assert.Contains(word.Replace("'", "&#39;"), fr);
            Assert.Contains("<html lang=\"en\">", en);
            foreach (string word in new[] { "Mail flow report", "Summary", "Severity", "High", "New", "expires in 5 h", "Probe results", "Failed", "Planned repairs",
                         "Command", "Rollback", "Who acts: the admin", "new since the baseline" })
                Assert.Contains(word, en);
            // No English fixed word left in the French page (the alert's own texts are the caller's, in English here).
            foreach (string word in new[] { ">Summary<", ">Severity<", ">Probe results<", ">Planned repairs<", "expires in", "Who acts" })
                Assert.DoesNotContain(word, fr);
        }

        [Fact]
        public void Live_and_deserialized_items_are_read_back_by_their_properties()
        {
            var dates = new EvidenceDates(null, CultureInfo.InvariantCulture);
            var row = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
            {
                ["Code"] = "450 4.4.316", ["Severity"] = "High", ["MessageCount"] = "12", ["FirstSeen"] = "2026-11-27T10:00:00Z", ["EvidenceCount"] = 4L,
                ["ExpiresAt"] = new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc), ["Expired"] = "False", ["Change"] = 3L, ["Connector"] = "To on-premises",
            };
            Assert.True(ReportInput.IsAlert(row));
            MailFlowAlert a = ReportInput.Alert(row, dates);
            Assert.Equal(AlertSeverity.High, a.Severity);
            Assert.Equal(12, a.MessageCount);
            Assert.Equal(AlertChange.Worse, a.Change);
            Assert.Equal(new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc), a.FirstSeen);
            row["Severity"] = "Sideways";
            var ex = Assert.Throws<EvidenceFormatException>(() => ReportInput.Alert(row, dates));
            Assert.Contains("Severity", ex.Message);

            var action = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
            {
                ["Action"] = "AllowFirewall", ["Rationale"] = null, ["Automatic"] = false, ["Reason"] = "Old files said why here", ["Status"] = "Manual",
            };
            Assert.True(ReportInput.IsAction(action));
            RepairAction r = ReportInput.Action(action, dates);
            Assert.Equal("Old files said why here", r.Rationale);
            Assert.Equal(Reason.None, r.Reason);
        }

        /// <summary>
        /// 100,000 alerts, each with its own texts, written through the real temporary file. What stays in memory is one small
        /// entry per row: the bound below is a fraction of what the rows' strings alone would take (each alert's HTML is
        /// about 1.5 KB, so 100,000 of them would hold some 300 MB as .NET strings).
        /// </summary>
        [Fact]
        public void A_hundred_thousand_alerts_stream_with_bounded_memory()
        {
            const int Count = 100_000;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long before = GC.GetTotalMemory(true);
            long peak = 0;
            var clock = Stopwatch.StartNew();
            var counter = new RowCounter();
            using (var report = new ReportWriter(new ReportOptions { AsOf = T }))
            {
                for (int i = 0; i < Count; i++)
                {
                    var a = Alert("450 4.4.31" + (i % 7).ToString(CultureInfo.InvariantCulture), "Connector " + (i % 50).ToString(CultureInfo.InvariantCulture),
                        expires: T.AddMinutes(i % 1500));
                    a.Cause = "Cause number " + i.ToString(CultureInfo.InvariantCulture) + new string('c', 300);
                    a.Fix = "Fix number " + i.ToString(CultureInfo.InvariantCulture) + new string('f', 300);
                    a.Evidence = "Evidence " + i.ToString(CultureInfo.InvariantCulture) + new string('e', 200);
                    report.Add(a);
                    if ((i + 1) % 20_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(true) - before);
                }
                report.WriteTo(counter);
                peak = Math.Max(peak, GC.GetTotalMemory(true) - before);
            }
            output.WriteLine($"{Count} alerts in {clock.Elapsed.TotalSeconds:0.0} s, {counter.Chars / 1048576.0:0} MB of HTML, peak retained {peak / 1048576.0:0.0} MB");
            Assert.Equal(Count, counter.AlertRows);
            Assert.True(counter.Chars > 100L * 1024 * 1024, "the page holds every row");
            Assert.True(peak < 24L * 1024 * 1024, $"peak retained {peak / 1048576.0:0.0} MB");
        }

        /// <summary>Counts the page's alert rows as they pass, keeping nothing (each row is written in one call).</summary>
        sealed class RowCounter : TextWriter
        {
            public long AlertRows, Chars;
            public override Encoding Encoding => Encoding.UTF8;
            public override void Write(char value) => Chars++;
            public override void Write(string value) => Write(value.ToCharArray(), 0, value.Length);
            public override void Write(char[] buffer, int index, int count)
            {
                Chars += count;
                var span = new ReadOnlySpan<char>(buffer, index, count);
                int at;
                while ((at = span.IndexOf("<tr class=\"alert ".AsSpan(), StringComparison.Ordinal)) >= 0)
                {
                    AlertRows++;
                    span = span.Slice(at + 1);
                }
            }
        }

        [Fact]
        public void Every_fixed_word_of_the_report_has_both_languages_and_formats()
        {
            var words = typeof(ReportWriter).Assembly.GetTypes()
                .Where(t => t.Namespace == typeof(ReportWriter).Namespace)
                .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic))
                .Where(f => f.FieldType == typeof(Phrase))
                .Select(f => (Name: f.Name, Phrase: (Phrase)f.GetValue(null)))
                .ToList();
            Assert.True(words.Count > 10, $"found only {words.Count} report words");
            foreach (var (name, phrase) in words)
            {
                Assert.False(string.IsNullOrWhiteSpace(phrase.English), name);
                Assert.False(string.IsNullOrWhiteSpace(phrase.French), name);
                foreach (string text in new[] { phrase.English, phrase.French })
                    Assert.DoesNotContain("{", string.Format(System.Globalization.CultureInfo.InvariantCulture, text, 1, 2, 3, 4, 5));
            }
        }
    }
}
