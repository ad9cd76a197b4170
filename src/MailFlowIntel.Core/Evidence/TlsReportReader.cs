using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Text;
using MimeKit;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// SMTP TLS reports (RFC 8460): what senders (Microsoft 365 among them, from tlsrpt-noreply@microsoft.com) met when they
    /// connected to the MX hosts of a domain that publishes _smtp._tls. One record per policy domain, receiving host and
    /// result type, its failed session count as MessageCount, the report's date range as when it was seen, and no connector
    /// (a report names none). Reports come as .json, .json.gz, or inside a mail message.
    /// </summary>
    public static class TlsReportReader
    {
        /// <summary>The most a gzip may expand to: a daily report is kilobytes; a bomb stops here.</summary>
        public const int MaxReportBytes = 8 * 1024 * 1024;

        /// <summary>A gzip stream starts so (RFC 1952).</summary>
        public static bool IsGzip(byte[] head, int count) => count >= 2 && head[0] == 0x1F && head[1] == 0x8B;

        /// <summary>Text that is a TLS report: a JSON object naming its policies and date range.</summary>
        public static bool LooksLikeReport(string text)
        {
            string t = (text ?? "").TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            return t.StartsWith("{", StringComparison.Ordinal) && t.IndexOf("\"policies\"", StringComparison.OrdinalIgnoreCase) >= 0
                && t.IndexOf("\"date-range\"", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        /// <summary>A gzip of a report (a .json.gz attachment or file), expanded within <see cref="MaxReportBytes"/>.</summary>
        public static IReadOnlyList<EvidenceRecord> ReadGzip(Stream stream, string name, Action<ReportObservation> observed = null) =>
            ReadJson(Expand(stream, name), name, observed);

        /// <summary>A report as JSON text.</summary>
        /// <exception cref="EvidenceFormatException">Not JSON, or not a TLS report.</exception>
        public static IReadOnlyList<EvidenceRecord> ReadJson(string json, string name, Action<ReportObservation> observed = null)
        {
            object doc;
            try { doc = Json.Parse(json); }
            catch (FormatException ex) { throw new EvidenceFormatException($"{name}: not an SMTP TLS report: {ex.Message}", 0, ex); }
            if (!(doc is IDictionary<string, object>) || !(Value(doc, "policies") is IList<object>) || !(Value(doc, "date-range") is IDictionary<string, object>))
                throw new EvidenceFormatException($"{name}: JSON, but not an SMTP TLS report (RFC 8460): it has no policies and date-range.");
            return Interpret(doc, name, observed);
        }

        /// <summary>The report attachments of a mail message (application/tlsrpt+gzip or +json, RFC 8460 section 5.3); null when it carries none.</summary>
        public static IReadOnlyList<EvidenceRecord> FromMessage(MimeMessage message, string name, Action<ReportObservation> observed = null)
        {
            List<EvidenceRecord> all = null;
            foreach (MimePart part in message.BodyParts.OfType<MimePart>())
            {
                string type = part.ContentType.MimeType.ToLowerInvariant();
                string file = (part.FileName ?? "").ToLowerInvariant();
                bool gzip = type == "application/tlsrpt+gzip" || file.EndsWith(".json.gz", StringComparison.Ordinal)
                            || (type == "application/gzip" && file.Contains("tlsrpt"));
                bool json = type == "application/tlsrpt+json" || (type == "application/json" && file.EndsWith(".json", StringComparison.Ordinal));
                if (!gzip && !json) continue;
                all = all ?? new List<EvidenceRecord>();
                using (var content = new MemoryStream())
                {
                    part.Content.DecodeTo(new BoundedWriteStream(content, MaxReportBytes, name));
                    content.Position = 0;
                    string partName = name + ":" + (part.FileName ?? type);
                    all.AddRange(gzip ? ReadGzip(content, partName, observed) : ReadJson(Encoding.UTF8.GetString(content.ToArray()), partName, observed));
                }
            }
            return all;
        }

        static string Expand(Stream stream, string name)
        {
            try
            {
                using (var gz = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true))
                using (var output = new MemoryStream())
                {
                    var buffer = new byte[81920];
                    int n;
                    while ((n = gz.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        if (output.Length + n > MaxReportBytes)
                            throw new EvidenceFormatException($"{name}: the gzip expands beyond {MaxReportBytes / (1024 * 1024)} MB; no TLS report is that large.");
                        output.Write(buffer, 0, n);
                    }
                    return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
                }
            }
            catch (InvalidDataException ex) { throw new EvidenceFormatException($"{name}: not a valid gzip ({ex.Message}).", 0, ex); }
            catch (EndOfStreamException ex) { throw new EvidenceFormatException($"{name}: the gzip is cut short.", 0, ex); }
            catch (IOException ex) when (!(ex is FileNotFoundException)) { throw new EvidenceFormatException($"{name}: the gzip cannot be read ({ex.Message}).", 0, ex); }
        }

        static IReadOnlyList<EvidenceRecord> Interpret(object doc, string name, Action<ReportObservation> observed)
        {
            string organization = Json.Text(doc, "organization-name") ?? "";
            // Microsoft's reports come from "Microsoft Corporation" (tlsrpt-noreply@microsoft.com): Microsoft 365's own view.
            bool microsoft = organization.IndexOf("Microsoft", StringComparison.OrdinalIgnoreCase) >= 0;
            object range = Value(doc, "date-range");
            DateTime? from = Date(Json.Text(range, "start-datetime")), until = Date(Json.Text(range, "end-datetime"));
            var records = new List<EvidenceRecord>();
            foreach (object p in Json.List(doc, "policies"))
            {
                object policy = Value(p, "policy");
                string type = (Json.Text(policy, "policy-type") ?? "").ToLowerInvariant();
                string domain = Clean(Json.Text(policy, "policy-domain"));
                var mx = Json.List(policy, "policy-string").OfType<string>()
                    .Select(l => l.Trim()).Where(l => l.StartsWith("mx:", StringComparison.OrdinalIgnoreCase)).Select(l => l.Substring(3).Trim()).ToList();
                var failures = Json.List(p, "failure-details");
                object summary = Value(p, "summary");
                observed?.Invoke(new ReportObservation
                {
                    PolicyDomain = domain, Microsoft365 = microsoft, From = from, Until = until,
                    SuccessfulSessions = Count(Json.Text(summary, "total-successful-session-count")),
                    FailedSessions = Count(Json.Text(summary, "total-failure-session-count")),
                    FailedHosts = failures.Select(f => Host(f)).Where(h => h != null).ToList(),
                    Mx = mx,
                });
                // "no-policy-found" only counts sessions: no policy was there to fail.
                if (type == "no-policy-found") continue;
                foreach (object f in failures)
                {
                    string result = (Json.Text(f, "result-type") ?? "").ToLowerInvariant();
                    // Whether the policy lists the host can be told from its name only, not from an address.
                    Scenario scenario = ScenarioOf(type, result, Json.Text(f, "receiving-mx-hostname"), mx);
                    string host = Host(f);
                    long sessions = Count(Json.Text(f, "failed-session-count"));
                    string info = Clean(Json.Text(f, "additional-information") ?? Json.Text(f, "failure-reason-code"));
                    records.Add(new EvidenceRecord
                    {
                        Source = "TlsReport",
                        File = name,
                        Platform = EvidencePlatform.Unknown,
                        ObservedFrom = microsoft ? ObservedFrom.Microsoft365 : ObservedFrom.OtherMta,
                        Scenario = scenario,
                        Family = scenario.Family,
                        RawCode = null,
                        DestinationServer = host,
                        LastAttemptedIP = Clean(Json.Text(f, "receiving-ip")),
                        MessageCount = Math.Max(0, sessions),
                        SeenFrom = from,
                        SeenUntil = until,
                        MtaStsPolicyDomain = type == "sts" ? domain : null,
                        Detail = Clean($"TLS report from {(organization.Length == 0 ? "an unnamed sender" : organization)} for {domain} ({type}): {result}, {sessions.ToString(CultureInfo.InvariantCulture)} session(s)"
                            + (info != null ? "; " + info : "")),
                        Text = Clean(result + (info != null ? " " + info : "")),
                    });
                }
            }
            return records;
        }

        /// <summary>
        /// The scenario of a result type under its policy type, keyed by the code family the probe uses for the same fault
        /// (RFC 8460's result types are the words of Microsoft's DANE NDRs: starttls-not-supported 4.7.321, certificate-expired
        /// 4.7.322, tlsa-invalid 4.7.323, certificate-host-mismatch 4.7.325; "Exchange Online ... SMTP DANE", Microsoft Learn).
        /// DNSSEC that fails validation is what the probe reports for it: 4.4.312. Under an MTA-STS policy, certificate and
        /// STARTTLS failures are 4.7.5 and an MX the policy does not list is 4.4.8, as the probe gives them.
        /// </summary>
        internal static Scenario ScenarioOf(string policyType, string result, string host, IReadOnlyList<string> mx)
        {
            switch (result)
            {
                case "dnssec-invalid": return ScenarioCatalog.DnsServerFailure;
                case "dane-required": return ScenarioCatalog.DaneNotAvailable;
                case "tlsa-invalid": return ScenarioCatalog.DaneTlsaMismatch;
                case "sts-policy-fetch-error":
                case "sts-policy-invalid":
                case "sts-webpki-invalid":
                    return ScenarioCatalog.MtaStsPolicyUnreachable;
            }
            if (policyType == "sts")
            {
                if (result == "validation-failure" && host != null && mx.Count > 0 && !mx.Any(p => MtaStsPolicy.PatternMatches(p, host)))
                    return ScenarioCatalog.MtaStsMxMismatch;
                return ScenarioCatalog.MtaStsCertificateInvalid;
            }
            switch (result)
            {
                case "starttls-not-supported": return ScenarioCatalog.DaneStartTlsNotSupported;
                case "certificate-expired": return ScenarioCatalog.DaneCertificateExpired;
                case "certificate-host-mismatch": return ScenarioCatalog.DaneCertificateHostMismatch;
                default: return ScenarioCatalog.DaneTlsaMismatch;   // certificate-not-trusted, validation-failure: no record matched
            }
        }

        /// <summary>The receiving MX host, or its address when the report omits it (Microsoft's have been seen so).</summary>
        static string Host(object failure)
        {
            string h = Json.Text(failure, "receiving-mx-hostname") ?? Json.Text(failure, "receiving-ip");
            return h == null ? null : Clean(h.Trim().TrimEnd('.').ToLowerInvariant());
        }

        static object Value(object obj, string name) => obj is IDictionary<string, object> d && d.TryGetValue(name, out object v) ? v : null;

        static long Count(string text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? (long)d : 0;

        static DateTime? Date(string text) =>
            DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime d) ? d : (DateTime?)null;

        static string Clean(string s) => Untrusted.Clean(s, 512);

        /// <summary>A stream that refuses to grow beyond a bound (an attachment decoded into memory).</summary>
        sealed class BoundedWriteStream : Stream
        {
            readonly Stream inner; readonly long max; readonly string name;
            public BoundedWriteStream(Stream inner, long max, string name) { this.inner = inner; this.max = max; this.name = name; }
            public override void Write(byte[] buffer, int offset, int count)
            {
                if (inner.Length + count > max) throw new EvidenceFormatException($"{name}: a report attachment larger than {max / (1024 * 1024)} MB.");
                inner.Write(buffer, offset, count);
            }
            public override bool CanRead => false; public override bool CanSeek => false; public override bool CanWrite => true;
            public override long Length => inner.Length; public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
            public override void Flush() => inner.Flush();
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }
}
