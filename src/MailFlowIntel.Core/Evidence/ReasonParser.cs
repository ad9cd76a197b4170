using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// Reads failure reasons out of evidence text: Exchange Online LED= strings, queue LastError values, NDR diagnostic
    /// codes, log lines. Finds the code, whether it is the expired form, and the server, address and specifics named.
    /// </summary>
    public static class ReasonParser
    {
        const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;
        static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(250);   // hostile text cannot stall a regex

        // "450 4.4.316" (also "450-4.4.316"); the enhanced part may stand alone ("5.4.316"), never inside an IP address.
        static readonly Regex ReplyAndEnhanced = new Regex(@"(?<![\d.])(?<reply>" + SmtpCodePatterns.Reply + @")[ -](?<enh>" + SmtpCodePatterns.Enhanced + @")(?![\d.])", Options, Bound);
        static readonly Regex EnhancedOnly = new Regex(@"(?<![\d.])(?<enh>" + SmtpCodePatterns.Enhanced + @")(?![\d.])", Options, Bound);
        static readonly Regex LeadingReply = new Regex(@"(?:^\s*|['""(:;]\s*)(?<reply>" + SmtpCodePatterns.Reply + @")(?=[ -]|$)", Options, Bound);
        static readonly Regex Led = new Regex(@"LED=(?<reply>" + SmtpCodePatterns.Reply + @")\s+(?<enh>" + SmtpCodePatterns.Enhanced + ")", Options, Bound);
        // [Message=...] [LastAttemptedServerName=...] [LastAttemptedIP=ip:port]; a value cut off at the end of the text still counts.
        // Spaces around "=" (hand-copied or reformatted reports: "[LastAttemptedIP = 203.0.113.5:25]") are read past.
        static readonly Regex Bracket = new Regex(@"\[\s*(?<key>Message|LastAttemptedServerName|LastAttemptedIP)\s*=\s*(?<value>[^\]]*)(?:\]|$)", Options, Bound);
        static readonly Regex Braced = new Regex(@"\{\s*(?<key>MSG|FQDN|IP|Last attempted server name)\s*=\s*(?<value>[^}]*)(?:\}|$)", Options, Bound);
        // Exchange NDR and queue wording: "Remote Server at mail.contoso.com (203.0.113.5) returned '...'".
        static readonly Regex ServerAt = new Regex(@"Server at (?<host>[^\s(]+)(?:\s*\((?<ip>[0-9A-Fa-f:.]+)\))?\s+returned", Options, Bound);
        static readonly Regex ProxyHost = new Regex(@"OutboundProxyTargetHostName:\s*(?<value>[A-Za-z0-9.-]+)", Options, Bound);
        static readonly Regex ProxyIp = new Regex(@"OutboundProxyTargetIP:\s*(?<value>[0-9A-Fa-f:.\[\]]+)", Options, Bound);
        static readonly Regex LastEndpoint = new Regex(@"(?:last endpoint attempted was|attempted IP address was|LastAttemptedIP\s*[=:]\s*)\s*(?<value>\[?[0-9A-Fa-f:.]+\]?(?::\d+)?)", Options, Bound);
        static readonly Regex SocketError = new Regex(@"(?:Socket error code|Winsock error code:?)\s*(?<value>\d{2,5})", Options, Bound);
        // Wording strong enough to stand without any code (a pasted Winsock error, "TLS negotiation failed").
        static readonly Regex CodelessReason = new Regex(@"Winsock error code|Socket error code|TLS negotiation failed|SMTPSEND\.DNS|closed abruptly|SuspiciousRemoteServerError|STARTTLS is required|Hop count exceeded", Options, Bound);
        static readonly Regex SmtpSendDns = new Regex(@"SMTPSEND\.DNS\.\w+", Options, Bound);
        // Exchange Online's 5.4.310 names the recipient's domain: "DNS domain contoso.com does not exist".
        static readonly Regex DnsDomainMissing = new Regex(@"DNS domain (?<d>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\.? does not exist", Options, Bound);
        // Exchange Online's 4.4.8 names the policy domain: "MX hosts of fabrikam.com failed MTA-STS validation".
        static readonly Regex MtaStsDomain = new Regex(@"MX hosts of (?<d>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\.? failed MTA-?STS", Options, Bound);
        static readonly Regex MessageExpired = new Regex(@"message\s+(?:has\s+)?expired|QUEUE\.Expired|expired,", Options, Bound);

        /// <summary>
        /// Fills the record's RawCode, EnhancedCode, Expired, Detail, DestinationServer and LastAttemptedIP from the text
        /// (fields already set are kept). Returns false when the text carries no SMTP reply or status code at all.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static bool Apply(string text, EvidenceRecord record)
        {
            if (string.IsNullOrWhiteSpace(text)) return false;
            if (text.Length > 64 * 1024) text = text.Substring(0, 64 * 1024);   // a reason is short; the rest is noise
            EvidenceRecord parsed = Parse(text);
            if (parsed == null) return false;
            // Fields the caller already knows are kept.
            record.RawCode = record.RawCode ?? parsed.RawCode;
            record.EnhancedCode = record.EnhancedCode ?? parsed.EnhancedCode;
            record.Family = record.Family ?? parsed.Family;
            record.Scenario = record.Scenario ?? parsed.Scenario;
            record.MessageToken = record.MessageToken ?? parsed.MessageToken;
            record.Expired |= parsed.Expired;
            record.Detail = record.Detail ?? parsed.Detail;
            record.DestinationServer = record.DestinationServer ?? parsed.DestinationServer;
            record.LastAttemptedIP = record.LastAttemptedIP ?? parsed.LastAttemptedIP;
            record.MtaStsPolicyDomain = record.MtaStsPolicyDomain ?? parsed.MtaStsPolicyDomain;
            if (record.Responsible == Responsible.Unknown) record.Responsible = parsed.Responsible;
            return true;
        }

        // Reports repeat the same few reasons on thousands of rows: remember recent answers (a bounded cache).
        const int CacheLimit = 4096, CacheableLength = 4096;
        static readonly Dictionary<string, EvidenceRecord> Cache = new Dictionary<string, EvidenceRecord>(StringComparer.Ordinal);
        static readonly EvidenceRecord NoReason = new EvidenceRecord();

        [MethodImpl(HotPath.Optimized)]
        static EvidenceRecord Parse(string text)
        {
            bool cacheable = text.Length <= CacheableLength;
            if (cacheable)
                lock (Cache)
                    if (Cache.TryGetValue(text, out EvidenceRecord hit)) return hit == NoReason ? null : hit;
            var parsed = new EvidenceRecord();
            bool found;
            try { found = ApplyBounded(text, parsed); }
            catch (RegexMatchTimeoutException) { found = false; }
            if (cacheable)
                lock (Cache)
                {
                    if (Cache.Count >= CacheLimit) Cache.Clear();
                    Cache[text] = found ? parsed : NoReason;
                }
            return found ? parsed : null;
        }

        static bool ApplyBounded(string text, EvidenceRecord record)
        {
            string reply = null, enhanced = null;
            Match m = Led.Match(text);
            if (!m.Success) m = ReplyAndEnhanced.Match(text);
            if (m.Success) { reply = m.Groups["reply"].Value; enhanced = m.Groups["enh"].Value; }
            else
            {
                Match e = EnhancedOnly.Match(text);
                if (e.Success) enhanced = e.Groups["enh"].Value;
                Match r = LeadingReply.Match(text);
                if (r.Success) reply = r.Groups["reply"].Value;
            }
            bool codeless = reply == null && enhanced == null;
            if (codeless && !CodelessReason.IsMatch(text)) return false;

            // A catalog code anywhere in the text wins over a generic outer code ("451 4.4.0 ... 4.4.316 ...").
            // 5.1.10 is ours only as 556 (Null MX); Exchange Online uses 550 5.1.10 for an unknown recipient.
            CodeFamily family = reply == "556" && enhanced == "5.1.10" ? CodeFamily.NullMx : FindCatalogCode(text);
            string rawCode = reply != null && enhanced != null ? reply + " " + enhanced : reply ?? enhanced;
            if (record.RawCode == null) record.RawCode = rawCode;
            if (record.EnhancedCode == null) record.EnhancedCode = enhanced;
            record.MessageToken = MessageToken(text);
            // A socket error says the connection failed, whatever code wraps it ("421 4.2.1 Unable to connect -> SocketError ...").
            bool generic = codeless || IsGenericTransportCode(enhanced) || SocketError.IsMatch(text);
            Scenario scenario = ScenarioCatalog.ForEvidence(family, text, record.MessageToken, generic);
            if (codeless && scenario == null) return false;
            record.Scenario = scenario ?? ScenarioCatalog.Unrecognized;
            record.Family = scenario?.Family;
            if (scenario?.Who is Responsible who) record.Responsible = who;
            // The deferral codes (450 ...) come back as 5.x.y once the 24 hours are over; 556 5.1.10 is final from the start.
            if (family != null && enhanced != null) record.Expired |= family.IsExpiredSpelling(enhanced);
            record.Expired |= MessageExpired.IsMatch(text) || record.Scenario == ScenarioCatalog.MessageExpired;

            Match sts = MtaStsDomain.Match(text);
            if (sts.Success) record.MtaStsPolicyDomain = sts.Groups["d"].Value.ToLowerInvariant();
            foreach (Match b in Bracket.Matches(text)) Take(record, b.Groups["key"].Value, b.Groups["value"].Value.Trim());
            foreach (Match b in Braced.Matches(text)) Take(record, b.Groups["key"].Value, b.Groups["value"].Value.Trim());
            Match at = ServerAt.Match(text);
            // "Server at XX.prod.outlook.com returned" names Exchange Online's own server, not the destination.
            if (at.Success && !Microsoft365Network.IsExchangeOnlineServer(at.Groups["host"].Value))
            {
                if (record.DestinationServer == null) record.DestinationServer = at.Groups["host"].Value;
                if (record.LastAttemptedIP == null && at.Groups["ip"].Success) record.LastAttemptedIP = BareAddress(at.Groups["ip"].Value);
            }
            if (record.DestinationServer == null) { Match p = ProxyHost.Match(text); if (p.Success) record.DestinationServer = p.Groups["value"].Value; }
            if (record.DestinationServer == null) { Match d = DnsDomainMissing.Match(text); if (d.Success) record.DestinationServer = d.Groups["d"].Value; }
            if (record.LastAttemptedIP == null) { Match p = ProxyIp.Match(text); if (p.Success) record.LastAttemptedIP = BareAddress(p.Groups["value"].Value); }
            if (record.LastAttemptedIP == null) { Match p = LastEndpoint.Match(text); if (p.Success) record.LastAttemptedIP = BareAddress(p.Groups["value"].Value); }
            if (record.Detail == null)
            {
                Match s = SocketError.Match(text);
                if (s.Success) record.Detail = "Socket error " + s.Groups["value"].Value;
                else { Match d = SmtpSendDns.Match(text); if (d.Success) record.Detail = d.Value; }
            }
            return true;
        }

        static CodeFamily FindCatalogCode(string text)
        {
            foreach (Match m in EnhancedOnly.Matches(text))
            {
                CodeFamily c = CodeFamily.Find(m.Groups["enh"].Value);
                if (c != null && c != CodeFamily.NullMx && c.IsIn(text)) return c;
            }
            return null;
        }

        /// <summary>The first [Message=...] or {MSG=...} value: where Exchange writes the specific cause.</summary>
        static string MessageToken(string text)
        {
            foreach (Match b in Bracket.Matches(text))
                if (string.Equals(b.Groups["key"].Value, "Message", StringComparison.OrdinalIgnoreCase) && b.Groups["value"].Value.Trim().Length > 0)
                    return b.Groups["value"].Value.Trim();
            foreach (Match b in Braced.Matches(text))
                if (string.Equals(b.Groups["key"].Value, "MSG", StringComparison.OrdinalIgnoreCase) && b.Groups["value"].Value.Trim().Length > 0)
                    return b.Groups["value"].Value.Trim();
            return null;
        }

        // Routing and connection codes (x.4.y) and the TLS ones (x.7.0, x.7.3 "STARTTLS is required", x.7.5) say "something
        // went wrong on the way"; their wording tells which fault, and without known wording they stay as they are. Other codes
        // (5.7.708, 4.7.500, 4.3.1...) mean what they say.
        static bool IsGenericTransportCode(string enhanced) =>
            enhanced == null || enhanced.Substring(1).StartsWith(".4.", StringComparison.Ordinal)
            || enhanced.Substring(1) == ".7.0" || enhanced.Substring(1) == ".7.3" || enhanced.Substring(1) == ".7.5";

        static void Take(EvidenceRecord r, string key, string value)
        {
            if (value.Length == 0) return;
            switch (key.ToUpperInvariant())
            {
                case "MESSAGE": case "MSG": if (r.Detail == null) r.Detail = value; break;
                case "LASTATTEMPTEDSERVERNAME": case "LAST ATTEMPTED SERVER NAME": case "FQDN": if (r.DestinationServer == null) r.DestinationServer = value.TrimEnd('.'); break;
                case "LASTATTEMPTEDIP": case "IP": if (r.LastAttemptedIP == null) r.LastAttemptedIP = BareAddress(value); break;
            }
        }

        /// <summary>"203.0.113.5:25" -> "203.0.113.5"; "[2001:db8::5]:25" -> "2001:db8::5"; anything unparsable -> null.</summary>
        public static string BareAddress(string value)
        {
            string v = (value ?? "").Trim().TrimEnd('.', ',', ';');
            if (v.StartsWith("[", StringComparison.Ordinal) && v.IndexOf(']') > 0) v = v.Substring(1, v.IndexOf(']') - 1);
            else if (v.Count(c => c == ':') == 1) v = v.Substring(0, v.IndexOf(':'));
            return IPAddress.TryParse(v, out IPAddress ip) ? ip.ToString() : null;
        }
    }
}
