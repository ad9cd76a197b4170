using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MailFlowIntel.Core.Catalog;
using MimeKit;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>
    /// Reads Exchange's human-readable report: the section for administrators (generating server, each recipient and the
    /// replies under it) and the original message headers quoted below it. The headings come from the
    /// <see cref="NdrWording"/> tables; the report's language is not known in advance, so each heading is looked for in
    /// every language at once.
    /// </summary>
    internal static class ExchangeBodyReader
    {
        const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

        static string AnyOf(Func<NdrWording, string> entry) =>
            "(?:" + string.Join("|", NdrWording.All.Select(entry).Where(e => e != null).Distinct()) + ")";

        static readonly Regex DiagnosticHeading = new Regex(AnyOf(w => w.DiagnosticHeading) + @"\s*:?", Options);
        static readonly Regex OriginalHeading = new Regex(@"^[ \t]*" + AnyOf(w => w.OriginalHeadersHeading) + @"[ \t]*:?[ \t]*$", Options | RegexOptions.Multiline);
        static readonly Regex Generating = new Regex(@"^" + AnyOf(w => w.GeneratingServer) + @"\s*:\s*(?<h>\S+)", Options);
        static readonly Regex RetryForText = new Regex(AnyOf(w => w.RetryFor), Options);

        // The lines under a recipient are the same in every language (Exchange does not translate them).
        static readonly Regex RecipientLine = new Regex(
            @"^['""]?<?(?<a>[^\s'""<>()@,;:]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)>?['""]?(?:\s*\([^)]*\))?(?:\s*<mailto:[^>]*>)?$",
            RegexOptions.CultureInvariant);
        static readonly Regex ReturnedLine = new Regex(
            @"(?:Remote\s+)?Server(?:\s+at\s+(?<host>[A-Za-z0-9.-]+)(?:\s*\((?<ip>[0-9A-Fa-f:.]+)\))?)?\s+returned\s+'(?<reply>.*)'", Options);
        static readonly Regex HashLine = new Regex(@"^#(?<reply>\d{3}[ -]\d\.\d{1,3}\.\d{1,3}.*?)\s*##", RegexOptions.CultureInvariant);
        static readonly Regex BareReply = new Regex(@"^(?<reply>" + SmtpCodePatterns.Reply + "[ -]" + SmtpCodePatterns.Enhanced + @"\b.*)$", RegexOptions.CultureInvariant);

        // Field names as messages use them (letters, digits, hyphens): a line that lost its folding indentation in HTML
        // ("16:02:03 +0000", "([fe80::1]) by ...") is then read as the continuation it was.
        static readonly Regex HeaderStart = new Regex(@"^(?<n>[A-Za-z][A-Za-z0-9-]*):\s?", RegexOptions.CultureInvariant);

        /// <summary>
        /// The first text part that names a recipient with a reply, plain text before HTML (it needs no markup removed);
        /// else the first that has at least a generating server or original headers; null when none does.
        /// </summary>
        public static BodyDiagnostics From(List<TextPart> texts)
        {
            BodyDiagnostics best = null;
            foreach (bool html in new[] { false, true })
            {
                foreach (var part in texts)
                {
                    if (part.IsHtml != html) continue;
                    string text;
                    try { text = part.Text; }
                    catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is NotSupportedException) { continue; }
                    if (string.IsNullOrEmpty(text)) continue;
                    if (text.Length > NdrReader.MaxBodyChars) text = text.Substring(0, NdrReader.MaxBodyChars);
                    if (html) text = HtmlToText.Convert(text);
                    var parsed = Parse(text);
                    if (parsed.Recipients.Count > 0) return parsed;
                    if (best == null && (parsed.GeneratingServer != null || parsed.OriginalHeaders != null)) best = parsed;
                }
            }
            return best;
        }

        /// <summary>The record for one recipient of the readable section; null when none of its lines carries a code.</summary>
        public static EvidenceRecord ToRecord(RecipientDiagnostics diag, NdrContext context)
        {
            var record = new EvidenceRecord
            {
                Source = "Ndr",
                File = context.SourceName,
                MessageKey = context.MessageKey,
                Platform = context.Platform(null),
                ObservedAt = context.Date,
                ArrivedAt = context.OriginalArrival,
            };
            record.Recipients.Add(diag.Recipient);
            bool coded = false;
            foreach (var line in diag.Lines)
            {
                if (ReasonParser.Apply(line, record)) coded = true;
            }
            if (!coded) return null;
            diag.FillServer(record);
            record.Text = NdrValues.Bound(diag.FirstLine);
            string code = record.RawCode ?? record.EnhancedCode ?? "";
            bool delayed = code.Length > 0 && code[0] == '4';
            if (!delayed && NdrValues.IsExpiredForm(record.EnhancedCode, string.Join("\n", diag.Lines))) record.Expired = true;
            // A delay notice's "for the next N hours" counts from the notice itself.
            if (delayed && context.Body.RetryFor != null && context.Date != null)
                record.ExpiresAt = context.Date + context.Body.RetryFor;
            return record;
        }

        internal static BodyDiagnostics Parse(string text)
        {
            var result = new BodyDiagnostics();
            text = text.Replace("\r\n", "\n").Replace('\r', '\n').Replace('\u00A0', ' ');
            result.MentionsExchange = text.IndexOf("Microsoft Exchange", StringComparison.OrdinalIgnoreCase) >= 0;
            result.RetryFor = RetryFor(text);

            var heading = DiagnosticHeading.Match(text);
            int start = heading.Success ? heading.Index + heading.Length : 0;
            var original = OriginalHeading.Match(text, start);
            int end = original.Success ? original.Index : text.Length;
            if (original.Success) ReadOriginalHeaders(result, text.Substring(original.Index + original.Length));

            RecipientDiagnostics current = null;
            foreach (var raw in text.Substring(start, end - start).Split('\n'))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line.Length > NdrReader.MaxLineChars) continue;
                var gen = Generating.Match(line);
                if (gen.Success) { result.GeneratingServer = gen.Groups["h"].Value.TrimEnd('.'); continue; }
                var who = RecipientLine.Match(line);
                if (who.Success)
                {
                    current = result.Add(who.Groups["a"].Value);
                    continue;
                }
                if (current == null) continue;
                string reply = ReplyOf(line, current);
                if (reply == null) continue;
                if (current.FirstLine == null) current.FirstLine = line;
                if (current.Lines.Count < 32) current.Lines.Add(reply);
            }
            result.DropRecipientsWithoutReplies();
            return result;
        }

        static TimeSpan? RetryFor(string text)
        {
            var retry = RetryForText.Match(text);
            if (!retry.Success || !(retry.Groups["d"].Success || retry.Groups["h"].Success || retry.Groups["m"].Success)) return null;
            int d = retry.Groups["d"].Success ? int.Parse(retry.Groups["d"].Value, CultureInfo.InvariantCulture) : 0;
            int h = retry.Groups["h"].Success ? int.Parse(retry.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
            int m = retry.Groups["m"].Success ? int.Parse(retry.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
            return new TimeSpan(d, h, m, 0);
        }

        /// <summary>The server reply a line under a recipient carries, in any of Exchange's shapes; the server it names is noted.</summary>
        static string ReplyOf(string line, RecipientDiagnostics current)
        {
            var returned = ReturnedLine.Match(line);
            if (returned.Success)
            {
                string host = returned.Groups["host"].Success ? returned.Groups["host"].Value.TrimEnd('.') : null;
                if (host != null && current.ServerHost == null && !Microsoft365Network.IsExchangeOnlineOwnHost(host)
                    && host.IndexOf('.') > 0)
                {
                    current.ServerHost = host;
                    current.ServerAddress = returned.Groups["ip"].Success && IPAddress.TryParse(returned.Groups["ip"].Value, out _)
                        ? returned.Groups["ip"].Value : null;
                }
                return returned.Groups["reply"].Value;
            }
            var hash = HashLine.Match(line);
            if (hash.Success) return hash.Groups["reply"].Value;
            var bare = BareReply.Match(line);
            return bare.Success ? bare.Groups["reply"].Value : null;
        }

        static void ReadOriginalHeaders(BodyDiagnostics result, string text)
        {
            var headers = new List<KeyValuePair<string, string>>();
            string fieldName = null;
            var value = new StringBuilder();
            bool started = false;
            foreach (var raw in text.Split('\n'))
            {
                string line = raw.TrimEnd();
                if (line.Trim().Length == 0)
                {
                    if (started) break;
                    continue;
                }
                started = true;
                var m = HeaderStart.Match(line);
                if (m.Success && !(line[0] == ' ' || line[0] == '\t'))
                {
                    if (fieldName != null) headers.Add(new KeyValuePair<string, string>(fieldName, value.ToString().Trim()));
                    fieldName = m.Groups["n"].Value;
                    value.Clear().Append(line.Substring(m.Length));
                }
                else if (fieldName != null)
                {
                    if (value.Length < 8192) value.Append(' ').Append(line.Trim());
                }
                if (headers.Count > 500) break;
            }
            if (fieldName != null) headers.Add(new KeyValuePair<string, string>(fieldName, value.ToString().Trim()));
            if (headers.Count == 0) return;
            result.OriginalHeaders = headers;
            foreach (var h in headers)
            {
                if (result.OriginalMessageId == null && h.Key.Equals("Message-ID", StringComparison.OrdinalIgnoreCase))
                    result.OriginalMessageId = NdrValues.Bracket(h.Value);
            }
            result.OriginalArrival = NdrValues.ArrivalFromHeaders(headers);
        }
    }
}
