using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// Reads the Postfix SMTP client's log lines (smtp(8), and error(8)'s "delivery temporarily suspended") as evidence seen
    /// by another MTA: a delivery that was deferred or bounced, and the per-address lines before it ("connect to
    /// host[address]:25: Connection timed out", a DANE TLSA mismatch). Postfix writes no Microsoft 365 code for these
    /// faults: each takes the code of the scenario its wording names, the one Microsoft 365 would report for the same fault.
    /// One instance per file or per pipeline: it remembers, per smtp process, a DANE failure logged just before the status
    /// line that only says "Server certificate not verified".
    /// </summary>
    public sealed class PostfixLog
    {
        const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;
        static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(100);

        // [stamp host] program[pid]: rest. The stamp is RFC 3339 (rsyslog's file format, journalctl -o short-iso) or the
        // classic "Dec  8 01:29:36"; the program ends in /smtp or /error (postfix/smtp, postfix-out/smtp, a syslog_name).
        static readonly Regex Line = new Regex(
            @"^\s*(?:(?<stamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})|[a-z]{3}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2})\s+)?" +
            @"(?:(?<host>[^\s\[\]]+)\s+)?(?<prog>(?:[\w.-]+/)+(?<svc>smtp|error))\[(?<pid>\d+)\]:\s*(?<rest>.*)$", Options, Bound);
        // A fragment pasted without the syslog part: "status=deferred (connect to ...)", "to=<...>, relay=..., status=...".
        static readonly Regex Fragment = new Regex(@"(?:^|[\s,])status=(?:deferred|bounced|expired)\b", Options, Bound);
        // Short queue ids are hex; long ones (enable_long_queue_ids) use letters and digits without vowels.
        static readonly Regex QueueId = new Regex(@"^(?<qid>[0-9A-F]{6,}|[0-9B-DF-HJ-NP-TV-Z]{10,}):\s+(?<rest>.*)$", Options, Bound);
        static readonly Regex Status = new Regex(@"(?:^|[\s,])status=(?<status>[a-z]+)\b\s*(?:\((?<why>.*)\))?\s*$", Options, Bound);
        static readonly Regex To = new Regex(@"(?:^|[\s,])to=<(?<to>[^<>\s]*)>", Options, Bound);
        static readonly Regex Relay = new Regex(@"(?:^|[\s,])relay=(?<host>[^\s\[\],]+)\[(?<ip>[^\]]*)\](?::\d+)?", Options, Bound);
        static readonly Regex Dsn = new Regex(@"(?:^|[\s,])dsn=(?<dsn>[245]\.\d{1,3}\.\d{1,3})", Options, Bound);
        // Where the reason names the server: "connect to H[ip]:25", "lost connection with H[ip]", "host H[ip] said", "for H[ip]:25".
        static readonly Regex NamedServer = new Regex(@"(?:connect to|connection with|conversation with|host|for)\s+(?<host>[^\s\[\]]+)\[(?<ip>[^\]]*)\]", Options, Bound);
        static readonly Regex NameService = new Regex(@"Name service error for name=(?<name>[^\s]+?)\.?\s+type=", Options, Bound);

        const int MaxRemembered = 1024;
        readonly Dictionary<string, string> daneFailedFor = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Whether the line is Postfix's (a client log line or a pasted status fragment); it is then read here only.</summary>
        public static bool Recognizes(string text)
        {
            if (string.IsNullOrEmpty(text) || text.IndexOf('=') < 0 && text.IndexOf('[') < 0) return false;
            try { return Line.IsMatch(text) || Fragment.IsMatch(text); }
            catch (RegexMatchTimeoutException) { return false; }
        }

        /// <summary>
        /// A delivery the line records ("status=sent" with a relay=host[address]): the server it went to, its message (the
        /// key and recipient a deferral of the same queue id has) and when. False for every other line, and for relay=none.
        /// </summary>
        public static bool Sent(string text, out string server, out string message, out string recipient, out DateTime? at)
        {
            server = message = recipient = null;
            at = null;
            if (string.IsNullOrEmpty(text) || text.IndexOf("status=sent", StringComparison.OrdinalIgnoreCase) < 0) return false;
            try
            {
                string line = text.Length > TextEvidence.MaxTextLine ? text.Substring(0, TextEvidence.MaxTextLine) : text;
                Match m = Line.Match(line.TrimEnd());
                string host = m.Success && m.Groups["host"].Success ? m.Groups["host"].Value : null;
                string rest = m.Success ? m.Groups["rest"].Value : line.Trim();
                Match q = QueueId.Match(rest);
                if (q.Success) rest = q.Groups["rest"].Value;
                Match st = Status.Match(rest);
                Match relay = Relay.Match(rest);
                if (!st.Success || !string.Equals(st.Groups["status"].Value, "sent", StringComparison.OrdinalIgnoreCase) || !relay.Success) return false;
                server = relay.Groups["host"].Value;
                if (q.Success) message = "postfix:" + (host ?? "") + ":" + q.Groups["qid"].Value;
                Match to = To.Match(rest);
                if (to.Success && to.Groups["to"].Value.Length > 0) recipient = to.Groups["to"].Value;
                if (m.Success && m.Groups["stamp"].Success) at = ParseStamp(m.Groups["stamp"].Value, DateTime.UtcNow, TimeZoneInfo.Local);
                return true;
            }
            catch (RegexMatchTimeoutException) { return false; }
        }

        /// <summary>The line as evidence, or null when it carries no failure (a delivery, a TLS note, a warning).</summary>
        public EvidenceRecord Read(string text, string file) => Read(text, file, DateTime.UtcNow, TimeZoneInfo.Local);

        internal EvidenceRecord Read(string text, string file, DateTime nowUtc, TimeZoneInfo zone)
        {
            try { return ReadBounded(text, file, nowUtc, zone); }
            catch (RegexMatchTimeoutException) { return null; }
        }

        EvidenceRecord ReadBounded(string text, string file, DateTime nowUtc, TimeZoneInfo zone)
        {
            string line = text.Length > TextEvidence.MaxTextLine ? text.Substring(0, TextEvidence.MaxTextLine) : text;
            line = line.TrimEnd();
            string host = null, pid = null, stamp = null, rest;
            Match m = Line.Match(line);
            if (m.Success)
            {
                host = m.Groups["host"].Success ? m.Groups["host"].Value : null;
                pid = m.Groups["pid"].Value;
                stamp = m.Groups["stamp"].Success ? m.Groups["stamp"].Value : null;
                rest = m.Groups["rest"].Value;
            }
            else rest = line.Trim();

            string qid = null;
            Match q = QueueId.Match(rest);
            if (q.Success) { qid = q.Groups["qid"].Value; rest = q.Groups["rest"].Value; }

            Match st = Status.Match(rest);
            string status = st.Success ? st.Groups["status"].Value.ToLowerInvariant() : null;
            if (status != null && status != "deferred" && status != "bounced" && status != "expired") return null;   // sent, delivered
            string why = st.Success ? (st.Groups["why"].Success ? st.Groups["why"].Value : "") : rest;
            bool connectLine = qid == null && status == null && why.StartsWith("connect to ", StringComparison.OrdinalIgnoreCase);

            var r = new EvidenceRecord
            {
                Source = "PostfixLog",
                File = file,
                Text = text,
                Platform = EvidencePlatform.Postfix,   // its own queue lifetime
                ObservedFrom = ObservedFrom.OtherMta,
                // A line without a queue id is one connection attempt, not a message: it names the server, it counts none.
                MessageCount = qid == null ? 0 : 1,
                MessageKey = qid == null ? null : "postfix:" + (host ?? "") + ":" + qid,
                ObservedAt = stamp == null ? null : ParseStamp(stamp, nowUtc, zone),
                Expired = status == "bounced" || status == "expired",
                Detail = "Postfix" + (host != null ? " on " + host : "") + ": " + why,
            };
            Match to = To.Match(rest);
            if (to.Success && to.Groups["to"].Value.Length > 0) r.Recipients.Add(to.Groups["to"].Value);
            Match relay = Relay.Match(rest);
            Match named = NamedServer.Match(why);
            if (relay.Success) { r.DestinationServer = relay.Groups["host"].Value; r.LastAttemptedIP = ReasonParser.BareAddress(relay.Groups["ip"].Value); }
            else if (named.Success) { r.DestinationServer = named.Groups["host"].Value; r.LastAttemptedIP = ReasonParser.BareAddress(named.Groups["ip"].Value); }
            else { Match n = NameService.Match(why); if (n.Success) r.DestinationServer = n.Groups["name"].Value; }

            // The server's own reply ("host H said: 530 5.7.0 ...") is read as any reply; Postfix's own words by their wording.
            if (!ReasonParser.Apply(why, r))
            {
                Scenario s = ScenarioCatalog.ForEvidence(null, why, null, genericCode: true);
                if (s == null && status == null) return null;   // a note, a warning: not a failure
                r.Scenario = s ?? ScenarioCatalog.Unrecognized;
                r.Family = s?.Family;
                Match dsn = Dsn.Match(rest);
                r.RawCode = dsn.Success ? "dsn=" + dsn.Groups["dsn"].Value : null;
                if (s == null && r.RawCode == null) r.RawCode = "Postfix";
            }
            // Without a queue id or a status, only a connection attempt or a DANE failure is evidence; other notes are not failures.
            if (qid == null && status == null && !connectLine && r.Scenario != ScenarioCatalog.DaneTlsaMismatch) return null;

            Remember(host, pid, r);
            return r;
        }

        /// <summary>
        /// A DANE mismatch logged by one smtp process makes its next "Server certificate not verified" toward the same server
        /// the DANE scenario (4.7.323): Postfix says DANE only on the line before the status.
        /// </summary>
        void Remember(string host, string pid, EvidenceRecord r)
        {
            if (pid == null || r.DestinationServer == null) return;
            string key = (host ?? "") + "/" + pid;
            if (r.Scenario == ScenarioCatalog.DaneTlsaMismatch)
            {
                if (daneFailedFor.Count >= MaxRemembered) daneFailedFor.Clear();
                daneFailedFor[key] = r.DestinationServer;
            }
            else if (r.Family == CodeFamily.CertificateValidationFailed && daneFailedFor.TryGetValue(key, out string server)
                     && string.Equals(server, r.DestinationServer, StringComparison.OrdinalIgnoreCase))
            {
                r.Scenario = ScenarioCatalog.DaneTlsaMismatch;
                r.Family = ScenarioCatalog.DaneTlsaMismatch.Family;
            }
        }

        static readonly string[] Months = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };

        /// <summary>
        /// A syslog time stamp in UTC. RFC 3339 is exact. The classic "Dec  8 01:29:36" has neither year nor zone: it is read in
        /// <paramref name="zone"/> (this computer's, where the log is usually read) in the latest year that does not put it more
        /// than a day after <paramref name="nowUtc"/>. Null when it cannot be read.
        /// </summary>
        internal static DateTime? ParseStamp(string stamp, DateTime nowUtc, TimeZoneInfo zone)
        {
            if (char.IsDigit(stamp[0]))
                return DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset o) ? o.UtcDateTime : (DateTime?)null;
            string[] parts = stamp.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            int month = Array.IndexOf(Months, parts[0].ToLowerInvariant()) + 1;
            if (month == 0 || parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int day)
                || !TimeSpan.TryParseExact(parts[2], @"hh\:mm\:ss", CultureInfo.InvariantCulture, out TimeSpan time)) return null;
            for (int year = nowUtc.Year + 1; year >= nowUtc.Year - 4; year--)   // four years back reach a 29 February
            {
                if (day > DateTime.DaysInMonth(year, month)) continue;   // 29 February outside a leap year
                DateTime local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified) + time;
                if (zone.IsInvalidTime(local)) local = local.AddHours(1);   // the hour skipped at a clock change
                DateTime utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
                if (utc <= nowUtc.AddDays(1)) return utc;
            }
            return null;
        }
    }
}
