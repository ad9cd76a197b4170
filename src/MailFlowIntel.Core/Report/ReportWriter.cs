using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Report
{
    /// <summary>What the report is called, the moment its countdowns are judged from, and its language.</summary>
    public sealed class ReportOptions
    {
        /// <summary>The page's heading; the language's default when empty.</summary>
        public string Title { get; set; }
        /// <summary>The moment expiry countdowns and the certificate time line are judged from (UTC).</summary>
        public DateTime AsOf { get; set; } = DateTime.UtcNow;
        /// <summary>The language of every fixed word (read once per call from the UI culture, as the rest of the module).</summary>
        public Language Language { get; set; }
    }

    /// <summary>
    /// Writes one self-contained HTML page (no script, font, image or stylesheet from elsewhere; a Content-Security-Policy
    /// that allows none) from probe results, alerts and repair actions given one at a time. Each item becomes its HTML row as
    /// it comes and waits in a <see cref="FragmentStore"/>; only counts, the codes for the chart (bounded) and the
    /// certificate dates for the time line (bounded) stay in memory, so the page's summary and charts come first while
    /// 100,000 alerts never sit in memory at once. Everything from a server or evidence goes through <see cref="HtmlText"/>.
    /// </summary>
    public sealed class ReportWriter : IDisposable
    {
        const int AlertSection = 0, ResultSection = 1, RepairSection = 2;
        const int MaxCodes = 40, MaxCertificates = 30;

        readonly ReportOptions options;
        readonly Language lang;
        readonly DateTime asOf;
        readonly FragmentStore store;
        readonly StringBuilder sb = new StringBuilder(4096);
        readonly Dictionary<string, Group> groups = new Dictionary<string, Group>(StringComparer.OrdinalIgnoreCase);
        readonly List<Group> groupList = new List<Group>();
        readonly SortedDictionary<string, long> codes = new SortedDictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        readonly List<KeyValuePair<string, DateTime>> certificates = new List<KeyValuePair<string, DateTime>>();
        long otherCodes, laterCertificates;
        long alerts, openAlerts, high, medium, low, added, worse, resolved, unverified, compared, results, failedResults, repairs;

        /// <param name="spill">Where rows wait until the page is written (tests give a MemoryStream); null for a temporary file.</param>
        public ReportWriter(ReportOptions options, Stream spill = null)
        {
            this.options = options ?? new ReportOptions();
            lang = this.options.Language;
            asOf = Utc(this.options.AsOf);
            store = new FragmentStore(spill);
        }

        /// <summary>How many items were taken.</summary>
        public long Count => alerts + results + repairs;

        public void Add(MailFlowAlert a)
        {
            if (a == null) return;
            Group g = GroupOf(a.Connector);
            alerts++;
            if (a.Change != AlertChange.None) compared++;
            if (a.Change == AlertChange.New) added++;
            else if (a.Change == AlertChange.Worse) worse++;
            else if (a.Change == AlertChange.Resolved) resolved++;
            else if (a.Change == AlertChange.Unverified) unverified++;   // a fault this run could not look at: still open
            if (a.Change != AlertChange.Resolved)
            {
                openAlerts++;
                g.OpenAlerts++;
                if (a.Severity == AlertSeverity.High) high++;
                else if (a.Severity == AlertSeverity.Medium) medium++;
                else low++;
                if (a.Severity > g.Worst) g.Worst = a.Severity;
                CountCode(string.IsNullOrWhiteSpace(a.Code) ? "?" : a.Code.Trim());
            }

            string sev = a.Severity.ToString();
            sb.Clear().Append("<tr class=\"alert row-").Append(sev).Append('"').Attribute("data-code", a.Code)
              .Attribute("data-severity", sev).Attribute("data-change", a.Change == AlertChange.None ? null : a.Change.ToString()).Append(">\n");
            Cell(ReportWords.Severity).Append("<span class=\"sev sev-").Append(sev).Append("\">").Text(ReportWords.Of(a.Severity).In(lang)).Append("</span>");
            Phrase change = ReportWords.Of(a.Change);
            if (change != null) sb.Append(" <span class=\"change change-").Append(a.Change.ToString()).Append("\">").Text(change.In(lang)).Append("</span>");
            sb.Append("</td>\n");
            Cell(ReportWords.Code, "code").Text(a.Code);
            if (!string.IsNullOrEmpty(a.RawCode)) sb.Append("<br><small>").Text(a.RawCode).Append("</small>");
            sb.Append("</td>\n");
            Cell(ReportWords.Reason, "reason").Text(a.Reason).Append("</td>\n");
            Cell(ReportWords.Server).Text(a.DestinationServer);
            if (!string.IsNullOrEmpty(a.LastAttemptedIP)) sb.Append("<br><small>").Text(a.LastAttemptedIP).Append("</small>");
            sb.Append("</td>\n");
            Cell(ReportWords.Messages, "num").Append(a.MessageCount.ToString(CultureInfo.InvariantCulture));
            if (a.PreviousMessageCount != null && a.PreviousMessageCount != a.MessageCount)
                sb.Append(" <small>(").Text(string.Format(CultureInfo.InvariantCulture, ReportWords.Was.In(lang), a.PreviousMessageCount)).Append(")</small>");
            sb.Append("</td>\n");
            Cell(ReportWords.Expiry, "expiry").Text(Countdown(a));
            if (a.ExpiresAt != null && a.Change != AlertChange.Resolved) sb.Append("<br><small>").Append(Date(a.ExpiresAt.Value)).Append("</small>");
            sb.Append("</td>\n");
            Cell(ReportWords.Details, "detail");
            if (!string.IsNullOrEmpty(a.Title)) sb.Append("<strong>").Text(a.Title).Append("</strong>");
            Para(ReportWords.Cause, a.Cause);
            Para(ReportWords.Fix, a.Fix);
            Para(ReportWords.Reply, a.ServerResponse, code: true);
            Para(ReportWords.Detail, a.Detail);
            Para(ReportWords.Certificate, Join(a.CertificateSubject, a.CertificateIssuer, a.CertificateNotAfter == null ? null : Date(a.CertificateNotAfter.Value)));
            Para(ReportWords.Evidence, a.Evidence, code: true);
            sb.Append("</td>\n</tr>\n");
            store.Add(AlertSection, g.Index, sb);
        }

        public void Add(ConnectorDeliveryResult r)
        {
            if (r == null) return;
            Group g = GroupOf(r.Connector);
            results++;
            // A failed first MX of a target that delivered through another is failover, not a failing connector.
            if (r.Status == ProbeStatus.Failed && string.IsNullOrEmpty(r.FailoverServer)) { failedResults++; g.FailedResults++; }
            if (r.CertificateNotAfter != null) AddCertificate(r.DestinationServer ?? r.Target, Utc(r.CertificateNotAfter.Value));

            string status = r.Status.ToString();
            sb.Clear().Append("<tr class=\"result row-").Append(status).Append('"').Attribute("data-status", status).Attribute("data-code", r.Code).Append(">\n");
            Cell(ReportWords.Server).Text(r.DestinationServer ?? r.Target);
            if (!string.IsNullOrEmpty(r.IPAddress)) sb.Append("<br><small>").Text(r.IPAddress).Append(':').Append(r.Port.ToString(CultureInfo.InvariantCulture)).Append("</small>");
            if (!string.IsNullOrEmpty(r.Target) && !string.Equals(r.Target, r.DestinationServer, StringComparison.OrdinalIgnoreCase))
                sb.Append("<br><small>").Text(r.Target).Append("</small>");
            sb.Append("</td>\n");
            Cell(ReportWords.Status).Append("<span class=\"st st-").Append(status).Append("\">").Text(ReportWords.Of(r.Status).In(lang)).Append("</span></td>\n");
            Cell(ReportWords.Code, "code").Text(r.Code);
            if (r.Reason != Reason.None) sb.Append("<br><span class=\"reason\">").Text(r.Reason.ToString()).Append("</span>");
            sb.Append("</td>\n");
            Cell(ReportWords.Stage).Text(r.Stage == ProbeStage.None ? null : r.Stage.ToString()).Append("</td>\n");
            Cell(ReportWords.Tls).Text(r.TlsProtocol);
            if (!string.IsNullOrEmpty(r.TlsSettings)) sb.Append("<br><small>").Text(r.TlsSettings).Append("</small>");
            sb.Append("</td>\n");
            Cell(ReportWords.Certificate, "cert");
            Line(ReportWords.Subject, r.CertificateSubject);
            Line(ReportWords.Issuer, r.CertificateIssuer);
            Line(ReportWords.NotAfter, r.CertificateNotAfter == null ? null : Date(r.CertificateNotAfter.Value));
            if (!string.IsNullOrEmpty(r.CertificateErrors)) sb.Append("<div class=\"warn\">").Text(r.CertificateErrors).Append("</div>");
            sb.Append("</td>\n");
            Cell(ReportWords.Dane).Text(r.DaneStatus.ToString());
            if (r.MtaStsStatus != MtaStsStatus.NotApplicable) sb.Append("<br><small>MTA-STS ").Text(r.MtaStsStatus.ToString()).Append("</small>");
            sb.Append("</td>\n");
            Cell(ReportWords.Reply, "detail");
            if (!string.IsNullOrEmpty(r.ServerResponse)) sb.Append("<code>").Text(r.ServerResponse).Append("</code>");
            Para(ReportWords.Detail, r.Detail);
            if (r.Status == ProbeStatus.Failed) Para(ReportWords.Fix, r.Fix);
            sb.Append("</td>\n</tr>\n");
            store.Add(ResultSection, g.Index, sb);
        }

        public void Add(RepairAction a)
        {
            if (a == null) return;
            Group g = GroupOf(a.Connector);
            repairs++;
            sb.Clear().Append("<div class=\"repair\"").Attribute("data-action", a.Action).Attribute("data-status", a.Status.ToString()).Append(">\n<h4>")
              .Text(a.Action).Append(a.Target == null ? "" : " — ").Text(a.Target).Append("</h4>\n<p class=\"meta\"><span class=\"st st-").Append(a.Status.ToString()).Append("\">")
              .Text(ReportWords.Of(a.Status).In(lang)).Append("</span> · ").Text((a.Automatic ? ReportWords.Automatic : ReportWords.Manual).In(lang))
              .Append(" · ").Text(Format(ReportWords.WhoActs, ReportWords.Of(a.Responsible).In(lang)));
            if (a.Reason != Reason.None) sb.Append(" · <span class=\"reason\">").Text(a.Reason.ToString()).Append("</span>");
            if (!string.IsNullOrEmpty(a.Code)) sb.Append(" · <span class=\"code\">").Text(a.Code).Append("</span>");
            if (!string.IsNullOrEmpty(a.DependsOn)) sb.Append(" · ").Text(ReportWords.DependsOn.In(lang)).Append(' ').Text(a.DependsOn);
            sb.Append("</p>\n");
            Para(ReportWords.Why, a.Rationale);
            if (!string.IsNullOrEmpty(a.Steps)) { Label(ReportWords.Steps); sb.Append("<pre class=\"steps\">").Text(a.Steps, true).Append("</pre>\n"); }
            if (!string.IsNullOrEmpty(a.Command)) { Label(ReportWords.Command); sb.Append("<pre><code>").Text(a.Command, true, 16384).Append("</code></pre>\n"); }
            if (!string.IsNullOrEmpty(a.RollbackCommand)) { Label(ReportWords.Rollback); sb.Append("<pre><code>").Text(a.RollbackCommand, true, 16384).Append("</code></pre>\n"); }
            Para(ReportWords.Detail, a.Detail);
            sb.Append("</div>\n");
            store.Add(RepairSection, g.Index, sb);
        }

        /// <summary>Writes the whole page. The rows come out of the store grouped by connector, failing connectors first.</summary>
        public void WriteTo(TextWriter output)
        {
            string title = string.IsNullOrWhiteSpace(options.Title) ? ReportWords.DefaultTitle.In(lang) : options.Title;
            sb.Clear().Append("<!DOCTYPE html>\n<html lang=\"").Append(lang == Language.French ? "fr" : "en").Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
              .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
              .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n")
              .Append("<meta name=\"generator\" content=\"MailFlowIntel\">\n<title>").Text(title, false, 256).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n")
              .Append("<header><h1>").Text(title, false, 256).Append("</h1><p class=\"asof\">")
              .Text(string.Format(CultureInfo.InvariantCulture, ReportWords.AsOf.In(lang), Date(asOf))).Append("</p></header>\n");
            WriteSummary();
            output.Write(sb.ToString());

            List<Group> order = groupList
                .OrderBy(g => g.Name.Length == 0)
                .ThenByDescending(g => g.Failing)
                .ThenByDescending(g => g.OpenAlerts > 0 ? (int)g.Worst : -1)
                .ThenBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
            List<int> ranks = order.Select(g => g.Index).ToList();
            if (alerts > 0)
                Section(output, ReportWords.Alerts, "alerts", AlertSection, ranks, "<table class=\"alerts\"><thead><tr>" +
                    Headers(ReportWords.Severity, ReportWords.Code, ReportWords.Reason, ReportWords.Server, ReportWords.Messages, ReportWords.Expiry, ReportWords.Details) +
                    "</tr></thead><tbody>\n", "</tbody></table>\n");
            if (results > 0)
                Section(output, ReportWords.Results, "results", ResultSection, ranks, "<table class=\"results\"><thead><tr>" +
                    Headers(ReportWords.Server, ReportWords.Status, ReportWords.Code, ReportWords.Stage, ReportWords.Tls, ReportWords.Certificate, ReportWords.Dane, ReportWords.Reply) +
                    "</tr></thead><tbody>\n", "</tbody></table>\n");
            if (repairs > 0) Section(output, ReportWords.Repairs, "repairs", RepairSection, ranks, "", "");
            output.Write("</body>\n</html>\n");
            output.Flush();
        }

        public void Dispose() => store.Dispose();

        void WriteSummary()
        {
            var parts = new List<string>();
            if (Count == 0) parts.Add(ReportWords.NothingGiven.In(lang));
            int named = groupList.Count(g => g.Name.Length > 0);
            if (named > 0)
            {
                parts.Add(Format(ReportWords.Connectors, named) + ", " + Format(ReportWords.Failing, groupList.Count(g => g.Name.Length > 0 && g.Failing)));
            }
            if (compared > 0)
                parts.Add(Format(ReportWords.NewSinceBaseline, added) + ", " + Format(ReportWords.WorseSinceBaseline, worse) + ", " + Format(ReportWords.ResolvedSinceBaseline, resolved)
                    + (unverified > 0 ? ", " + Format(ReportWords.UnverifiedSinceBaseline, unverified) : ""));
            if (alerts > 0) parts.Add(Format(ReportWords.AlertCounts, openAlerts, high, medium, low));
            if (results > 0) parts.Add(Format(ReportWords.ResultCounts, results, failedResults));
            if (repairs > 0) parts.Add(Format(ReportWords.RepairCounts, repairs));
            sb.Append("<section class=\"summary-section\"><h2>").Text(ReportWords.Summary.In(lang)).Append("</h2>\n<p class=\"summary\">");
            for (int i = 0; i < parts.Count; i++)
            {
                if (i > 0) sb.Append(" · ");
                sb.Append("<span>").Text(parts[i]).Append("</span>");
            }
            sb.Append("</p>\n");
            var bars = codes.ToList();
            if (otherCodes > 0) bars.Add(new KeyValuePair<string, long>(ReportWords.ChartOther.In(lang), otherCodes));
            SvgChart.Bars(sb, bars, lang);
            SvgChart.Timeline(sb, certificates.OrderBy(c => c.Value).ToList(), asOf, laterCertificates, lang);
            sb.Append("</section>\n");
        }

        void Section(TextWriter output, Phrase heading, string css, int section, List<int> ranks, string open, string close)
        {
            output.Write("<section class=\"" + css + "\"><h2>" + Encode(heading.In(lang)) + "</h2>\n");
            store.CopySection(section, ranks, output,
                index =>
                {
                    Group g = groupList[index];
                    sb.Clear().Append("<div class=\"group\"").Attribute("data-connector", g.Name).Append("><h3>")
                      .Text(g.Name.Length == 0 ? ReportWords.NoConnector.In(lang) : g.Name).Append("</h3>\n<div class=\"scroll\">").Append(open);
                    output.Write(sb.ToString());
                },
                index => output.Write(close + "</div></div>\n"));
            output.Write("</section>\n");
        }

        string Headers(params Phrase[] names) =>
            string.Concat(names.Select(n => "<th scope=\"col\">" + Encode(n.In(lang)) + "</th>"));

        /// <summary>Opens a cell whose label (data-label) a narrow screen shows above its value.</summary>
        StringBuilder Cell(Phrase label, string css = null)
        {
            sb.Append("<td");
            if (css != null) sb.Append(" class=\"").Append(css).Append('"');
            return sb.Attribute("data-label", label.In(lang)).Append('>');
        }

        void Para(Phrase label, string value, bool code = false)
        {
            if (string.IsNullOrEmpty(value)) return;
            sb.Append("<p><b>").Text(label.In(lang)).Append(Colon).Append("</b> ");
            if (code) sb.Append("<code>").Text(value).Append("</code>");
            else sb.Text(value, true);
            sb.Append("</p>\n");
        }

        void Line(Phrase label, string value)
        {
            if (string.IsNullOrEmpty(value)) return;
            sb.Append("<div><b>").Text(label.In(lang)).Append(Colon).Append("</b> ").Text(value).Append("</div>");
        }

        void Label(Phrase label) => sb.Append("<p class=\"label\"><b>").Text(label.In(lang)).Append(Colon).Append("</b></p>");

        // French puts a space before a colon.
        string Colon => lang == Language.French ? "\u00A0:" : ":";

        Group GroupOf(string connector)
        {
            string name = (connector ?? "").Trim();
            if (!groups.TryGetValue(name, out Group g))
            {
                g = new Group { Name = name, Index = groupList.Count };
                groups.Add(name, g);
                groupList.Add(g);
            }
            return g;
        }

        // The chart holds at most MaxCodes codes; the rest are one "other codes" bar, so hostile input cannot grow it.
        void CountCode(string code)
        {
            if (codes.TryGetValue(code, out long n)) codes[code] = n + 1;
            else if (codes.Count < MaxCodes) codes.Add(code, 1);
            else otherCodes++;
        }

        // The time line keeps the MaxCertificates soonest expiries (one per server and date); later ones are counted.
        void AddCertificate(string server, DateTime notAfter)
        {
            server = server ?? "";
            foreach (KeyValuePair<string, DateTime> c in certificates)
                if (c.Value == notAfter && string.Equals(c.Key, server, StringComparison.OrdinalIgnoreCase)) return;
            if (certificates.Count < MaxCertificates) { certificates.Add(new KeyValuePair<string, DateTime>(server, notAfter)); return; }
            int latest = 0;
            for (int i = 1; i < certificates.Count; i++) if (certificates[i].Value > certificates[latest].Value) latest = i;
            laterCertificates++;
            if (notAfter < certificates[latest].Value) certificates[latest] = new KeyValuePair<string, DateTime>(server, notAfter);
        }

        string Countdown(MailFlowAlert a)
        {
            if (a.Change == AlertChange.Resolved) return null;
            DateTime? expires = a.ExpiresAt == null ? (DateTime?)null : Utc(a.ExpiresAt.Value);
            if (a.Expired || (expires != null && expires.Value <= asOf)) return ReportWords.Expired.In(lang);
            if (expires == null) return null;
            TimeSpan left = expires.Value - asOf;
            if (left.TotalMinutes < 60) return Format(ReportWords.ExpiresInMinutes, (long)Math.Ceiling(left.TotalMinutes));
            if (left.TotalHours < 48) return Format(ReportWords.ExpiresInHours, (long)left.TotalHours);
            return Format(ReportWords.ExpiresInDays, (long)left.TotalDays);
        }

        string Format(Phrase phrase, params object[] values) => string.Format(CultureInfo.InvariantCulture, phrase.In(lang), values);

        static string Join(params string[] parts)
        {
            string joined = string.Join(" · ", parts.Where(p => !string.IsNullOrEmpty(p)));
            return joined.Length == 0 ? null : joined;
        }

        static string Encode(string text) => new StringBuilder().Text(text).ToString();

        static DateTime Utc(DateTime d) => d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc);

        static string Date(DateTime d) => Utc(d).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

        /// <summary>What one connector's section needs to be placed and counted: a name and a few numbers.</summary>
        sealed class Group
        {
            public string Name;
            public int Index;
            public long OpenAlerts, FailedResults;
            public AlertSeverity Worst;
            public bool Failing => OpenAlerts > 0 || FailedResults > 0;
        }

        const string Css = @"
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:0 auto;max-width:1280px;padding:16px;color:#111;background:#fff}
h1{font-size:1.5em;margin:0 0 2px}h2{font-size:1.2em;border-bottom:2px solid #333;padding-bottom:2px;margin:26px 0 8px}
h3{font-size:1.05em;margin:18px 0 6px}h4{margin:0 0 4px;font-size:1em}
.asof{color:#444;margin:0}.summary{font-size:1.05em;padding:10px 12px;border:1px solid #999;border-left:6px solid #333;background:#f5f5f5}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#e8e8e8}td p{margin:4px 0}td.num{text-align:right;white-space:nowrap}td.code{white-space:nowrap}
td.detail{min-width:18em;width:45%;overflow-wrap:anywhere}td.cert{min-width:12em;overflow-wrap:anywhere}
tr.row-High>td:first-child,tr.row-Failed>td:first-child{border-left:6px solid #b00020}
tr.row-Medium>td:first-child,tr.row-Warning>td:first-child{border-left:6px solid #e08a00}
tr.row-Low>td:first-child,tr.row-NotTested>td:first-child{border-left:6px solid #8a9bb0}tr.row-Succeeded>td:first-child{border-left:6px solid #2e7d32}
.sev,.st{display:inline-block;padding:0 6px;border:1px solid #000;border-radius:3px;font-weight:bold;white-space:nowrap}
.sev-High,.st-Failed{background:#b00020;color:#fff}.sev-Medium,.st-Warning{background:#f0a000;color:#000}.sev-Low,.st-NotTested,.st-Manual,.st-Planned{background:#dfe6ee;color:#000}
.st-Succeeded,.st-Applied{background:#2e7d32;color:#fff}
.change{display:inline-block;margin-top:3px;padding:0 5px;border:1px dashed #000;border-radius:3px;font-size:.85em;white-space:nowrap}
.change-New,.change-Worse{font-weight:bold}
tr[data-change=Resolved]{color:#555}tr[data-change=Resolved]>td:first-child{border-left:6px solid #2e7d32}tr[data-change=Resolved] .sev{opacity:.55}
code,pre{font-family:ui-monospace,SFMono-Regular,Consolas,'Liberation Mono',monospace;font-size:.92em}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;border:1px solid #ccc;padding:6px;margin:2px 0 8px}
.repair{border:1px solid #bbb;border-left:6px solid #3b5b92;padding:8px 10px;margin:8px 0}.repair .meta{margin:0 0 6px}.label{margin:6px 0 0}
.warn{color:#8a0016}small,.note{color:#444}
figure.chart{margin:14px 0}figcaption{font-weight:bold;margin-bottom:4px}
svg{width:100%;max-width:640px;height:auto;font:12px system-ui,Arial,sans-serif}
@media (max-width:720px){
 body{padding:10px}table,thead,tbody,tr,th,td{display:block}thead{display:none}
 tr{border:1px solid #999;margin:0 0 10px}td{border:none;border-top:1px solid #ddd;overflow-wrap:anywhere}td.num,td.code{text-align:left;white-space:normal}
 td.detail{width:auto;min-width:0}td:empty{display:none}
 td::before{content:attr(data-label);display:block;font-weight:bold;font-size:.85em;color:#333}
}
@media print{
 body{max-width:none;padding:0;font-size:10pt}.summary,th,pre{background:none}
 .sev,.st{background:none!important;color:#000!important}.scroll{overflow:visible}
 tr,.repair,figure{break-inside:avoid}h2,h3{break-after:avoid}
}
";
    }
}
