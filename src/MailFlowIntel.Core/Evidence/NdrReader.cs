using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MailFlowIntel.Core.Catalog;
using MimeKit.Utils;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// Reads non-delivery reports and delay notices (.eml) as evidence: one record per failed or delayed recipient.
    /// The machine-readable message/delivery-status part (RFC 3464) comes first; without one, the human-readable
    /// "Diagnostic information for administrators" section of an Exchange NDR (text/plain or text/html) is read.
    /// </summary>
    public static class NdrReader
    {
        /// <summary>MIME nesting the parser follows; deeper parts become leaves, so hostile nesting cannot exhaust the stack.</summary>
        internal const int MaxMimeDepth = 32;
        /// <summary>How much of the start of the stream is looked at before MimeKit is given it.</summary>
        internal const int PrefixBytes = 16 * 1024;
        /// <summary>No NDR is larger than the largest message Exchange Online accepts (150 MB) plus its report.</summary>
        internal const long MaxMessageBytes = 256L * 1024 * 1024;
        const int MaxPartsVisited = 10_000;
        const int MaxTextParts = 16;
        const int MaxBodyChars = 1 << 20;
        const int MaxEvidenceChars = 2048;
        const int MaxLineChars = 8192;
        const int MaxRecipients = 10_000;
        internal const int MaxFieldBytes = 64 * 1024;

        static readonly ParserOptions Options = CreateOptions();

        static ParserOptions CreateOptions()
        {
            var options = ParserOptions.Default.Clone();
            options.MaxMimeDepth = MaxMimeDepth;
            return options;
        }

        // ---------------------------------------------------------------- recognition

        static readonly HashSet<string> MessageHeaderNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "From", "To", "Cc", "Subject", "Date", "Received", "Return-Path", "MIME-Version", "Content-Type",
            "Content-Transfer-Encoding", "Message-ID", "Delivered-To", "DKIM-Signature", "Authentication-Results",
            "Reply-To", "Sender", "In-Reply-To", "References", "Auto-Submitted", "Thread-Topic", "Thread-Index",
            "Content-Language", "Received-SPF", "Envelope-To", "Delivery-Date", "Content-Class",
        };

        /// <summary>
        /// True when the start of a file looks like an Internet message: header lines (Name: value, with folded
        /// continuation lines) up to a blank line or the end of the text, at least one of them a field that messages carry
        /// (From:, Received:, MIME-Version:, Return-Path:, Content-Type:, X-...:). An mbox "From " line may come first.
        /// </summary>
        public static bool LooksLikeMessage(string firstLines)
        {
            if (string.IsNullOrEmpty(firstLines)) return false;
            int i = firstLines[0] == '\uFEFF' ? 1 : 0;
            int fields = 0;
            bool known = false, first = true;
            while (i < firstLines.Length)
            {
                int end = firstLines.IndexOf('\n', i);
                bool complete = end >= 0;
                if (!complete) end = firstLines.Length;
                int lineEnd = end > i && firstLines[end - 1] == '\r' ? end - 1 : end;
                int start = i;
                i = end + 1;
                if (lineEnd == start) break;                       // the blank line that ends the header block
                if (!complete && fields > 0) break;                // a line cut off by the caller's buffer: judge what came before
                char c0 = firstLines[start];
                if (first && lineEnd - start > 5 && string.CompareOrdinal(firstLines, start, "From ", 0, 5) == 0)
                {
                    first = false;                                 // mbox separator
                    continue;
                }
                first = false;
                if (c0 == ' ' || c0 == '\t')
                {
                    if (fields == 0) return false;                 // a continuation with nothing to continue
                    continue;
                }
                int colon = firstLines.IndexOf(':', start, lineEnd - start);
                if (colon <= start) return false;
                for (int k = start; k < colon; k++)
                {
                    char c = firstLines[k];
                    if (c < 33 || c > 126) return false;           // RFC 5322 field names: printable ASCII, no space
                }
                fields++;
                string name = firstLines.Substring(start, colon - start);
                if (MessageHeaderNames.Contains(name) || name.StartsWith("X-", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("ARC-", StringComparison.OrdinalIgnoreCase))
                    known = true;
                if (fields >= 200) break;
            }
            return fields > 0 && known;
        }

        // ---------------------------------------------------------------- reading

        /// <summary>
        /// Parses one message and returns one record per failed or delayed recipient (an empty list for a report that
        /// names only delivered or relayed recipients). Throws <see cref="EvidenceFormatException"/> for something that is
        /// not a mail message, is broken beyond reading, or carries no delivery report at all.
        /// </summary>
        public static IReadOnlyList<EvidenceRecord> Read(Stream stream, string sourceName)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            string name = string.IsNullOrEmpty(sourceName) ? "(stream)" : sourceName;

            var prefix = new byte[PrefixBytes];
            int count = ReadPrefix(stream, prefix);
            if (count == 0)
                throw new EvidenceFormatException($"{name}: the file is empty; expected a mail message (.eml) holding a non-delivery report or delay notice.");
            if (count >= 8 && prefix[0] == 0xD0 && prefix[1] == 0xCF && prefix[2] == 0x11 && prefix[3] == 0xE0)
                throw new EvidenceFormatException($"{name}: this is an Outlook .msg file (binary), not an Internet message; save the report as .eml (or open it and copy its text) and read that.", 1);
            int skip = count >= 3 && prefix[0] == 0xEF && prefix[1] == 0xBB && prefix[2] == 0xBF ? 3 : 0;   // UTF-8 BOM
            string head = Latin1(prefix, skip, count - skip);
            if (!LooksLikeMessage(head))
                throw new EvidenceFormatException($"{name}: not a mail message: the file does not start with header lines such as From:, Received: or MIME-Version:. Expected a non-delivery report or delay notice saved as .eml.", 1);

            MimeMessage message;
            try
            {
                using (var all = new FieldGuardStream(new PrefixedStream(prefix, skip, count, stream, MaxMessageBytes)))
                    message = MimeMessage.Load(Options, all);
            }
            catch (FormatException ex)
            {
                throw new EvidenceFormatException($"{name}: the mail message cannot be read ({ex.Message}).", 0, ex);
            }
            catch (MessageTooLargeException ex)
            {
                throw new EvidenceFormatException($"{name}: larger than {MaxMessageBytes / (1024 * 1024)} MB; no delivery report is that large.", 0, ex);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is NotSupportedException
                                       || ex is IndexOutOfRangeException || ex is OverflowException)
            {
                // MimeKit is lenient; anything it still cannot take is a broken file, reported as such.
                throw new EvidenceFormatException($"{name}: the mail message cannot be read ({ex.GetType().Name}: {ex.Message}).", 0, ex);
            }

            using (message)
                return Interpret(message, name);
        }

        static IReadOnlyList<EvidenceRecord> Interpret(MimeMessage message, string name)
        {
            var parts = Collect(message);
            var context = new Context(name, message, parts);

            var records = new List<EvidenceRecord>();
            bool sawReport = false;
            foreach (var report in parts.Reports)
            {
                if (ReadReport(report, context, records)) sawReport = true;
            }
            if (sawReport) return records;

            // No machine-readable report: the human-readable diagnostic section.
            if (context.Body != null && context.Body.Recipients.Count > 0)
            {
                foreach (var diag in context.Body.Recipients)
                {
                    var record = FromBody(diag, context);
                    if (record != null) records.Add(record);
                }
                if (records.Count > 0) return records;
            }

            throw new EvidenceFormatException(
                $"{name}: a mail message, but not a delivery report: it has no message/delivery-status part and no "
                + "\"Diagnostic information for administrators\" section naming a recipient and a server reply.");
        }

        // ---------------------------------------------------------------- the MIME tree

        sealed class Parts
        {
            public readonly List<MessageDeliveryStatus> Reports = new List<MessageDeliveryStatus>();
            public readonly List<TextPart> Texts = new List<TextPart>();
            public MimeMessage Original;
        }

        // Walks the tree without recursion and without entering attached messages (an NDR of an NDR carries another
        // report inside its attachment: that one is about a different message).
        static Parts Collect(MimeMessage message)
        {
            var parts = new Parts();
            if (message.Body == null) return parts;
            var stack = new Stack<MimeEntity>();
            stack.Push(message.Body);
            int visited = 0;
            while (stack.Count > 0 && visited++ < MaxPartsVisited)
            {
                var entity = stack.Pop();
                switch (entity)
                {
                    case Multipart multipart:
                        for (int i = multipart.Count - 1; i >= 0; i--) stack.Push(multipart[i]);
                        break;
                    case MessageDeliveryStatus report:
                        parts.Reports.Add(report);
                        break;
                    case MessagePart attached:              // message/rfc822 and text/rfc822-headers
                        if (parts.Original == null && attached.Message != null) parts.Original = attached.Message;
                        break;
                    case TextPart text:
                        if ((text.IsPlain || text.IsHtml) && parts.Texts.Count < MaxTextParts && !IsAttachment(text))
                            parts.Texts.Add(text);
                        break;
                }
            }
            return parts;
        }

        static bool IsAttachment(MimeEntity entity) =>
            entity.ContentDisposition != null && entity.ContentDisposition.IsAttachment;

        /// <summary>What the whole message says, shared by its recipients.</summary>
        sealed class Context
        {
            public readonly string SourceName;
            public readonly DateTime? Date;
            public readonly string MessageKey;
            public readonly DateTime? OriginalArrival;
            public readonly BodyDiagnostics Body;
            readonly MimeMessage message;
            EvidencePlatform? platform;

            public Context(string sourceName, MimeMessage message, Parts parts)
            {
                SourceName = sourceName;
                this.message = message;
                Date = message.Headers.Contains(HeaderId.Date) ? Utc(message.Date) : null;
                Body = BodyDiagnostics.From(parts.Texts);

                string key = null;
                DateTime? arrival = null;
                if (parts.Original != null)
                {
                    key = Bracket(parts.Original.MessageId);
                    arrival = ArrivalFromHeaders(parts.Original.Headers);
                }
                if (Body?.OriginalHeaders != null)
                {
                    key = key ?? Body.OriginalMessageId;
                    arrival = arrival ?? Body.OriginalArrival;
                }
                if (key == null && !string.IsNullOrEmpty(message.InReplyTo)) key = Bracket(message.InReplyTo);
                if (key == null && message.References != null && message.References.Count > 0)
                    key = Bracket(message.References[message.References.Count - 1]);
                MessageKey = key;
                OriginalArrival = arrival;
            }

            public EvidencePlatform Platform(string reportingMta)
            {
                if (platform == null) platform = DetectPlatform(message, reportingMta ?? Body?.GeneratingServer, Body);
                return platform.Value;
            }
        }

        // ---------------------------------------------------------------- message/delivery-status

        static bool ReadReport(MessageDeliveryStatus report, Context context, List<EvidenceRecord> records)
        {
            HeaderListCollection groups;
            try { groups = report.StatusGroups; }
            catch (FormatException) { return false; }
            if (groups == null || groups.Count == 0) return false;

            var perMessage = groups[0];
            string reportingMta = TypedValue(perMessage[Field.ReportingMta]);
            DateTime? arrival = ParseDate(perMessage[Field.ArrivalDate]);
            bool any = false;

            for (int g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                string finalRecipient = group[Field.FinalRecipient];
                string originalRecipient = group[Field.OriginalRecipient];
                if (finalRecipient == null && originalRecipient == null) continue;   // the per-message group
                any = true;

                string status = FirstToken(group[Field.Status]);
                string action = FirstToken(group[Field.Action])?.ToLowerInvariant();
                if (action == null || (action != "failed" && action != "delayed"))
                {
                    if (action == "delivered" || action == "relayed" || action == "expanded") continue;
                    char cls = status != null && status.Length > 0 ? status[0] : '\0';
                    if (cls == '2') continue;
                    action = cls == '4' ? "delayed" : "failed";
                }

                var record = new EvidenceRecord
                {
                    Source = "Ndr",
                    File = context.SourceName,
                    MessageKey = context.MessageKey,
                    Platform = context.Platform(reportingMta),
                };
                string address = Address(finalRecipient) ?? Address(originalRecipient);
                if (address != null) record.Recipients.Add(address);

                string diagnostic = OneLine(group[Field.DiagnosticCode]);
                string diagnosticText = TypedValue(diagnostic);
                bool coded = !string.IsNullOrEmpty(diagnosticText) && ReasonParser.Apply(diagnosticText, record);
                if (!coded || record.EnhancedCode == null)
                {
                    if (status != null && ReasonParser.Apply(status, record)) coded = true;
                    if (record.EnhancedCode == null && status != null && EnhancedCodeShape.IsMatch(status))
                    {
                        record.EnhancedCode = status;
                        if (record.RawCode == null) record.RawCode = status;
                    }
                }
                record.Text = Bound(diagnostic != null ? "Diagnostic-Code: " + diagnostic : status != null ? "Status: " + status : null);

                // The human-readable section often keeps the retry history (the last LED= line with the server and address).
                var fromBody = context.Body?.Find(address);
                if (fromBody != null)
                {
                    foreach (var line in fromBody.Lines) ReasonParser.Apply(line, record);
                }

                if (record.DestinationServer == null)
                {
                    string remote = HostOf(TypedValue(group[Field.RemoteMta]));
                    if (remote != null && !IsExchangeOnlineInternalHost(remote)) record.DestinationServer = remote;
                }
                fromBody?.FillServer(record);

                if (action == "failed" && IsExpiredForm(record.EnhancedCode, diagnosticText)) record.Expired = true;
                record.ArrivedAt = arrival ?? context.OriginalArrival;
                record.ObservedAt = ParseDate(group[Field.LastAttemptDate]) ?? context.Date;
                record.ExpiresAt = ParseDate(group[Field.WillRetryUntil]);
                if (record.ExpiresAt == null && action == "delayed" && context.Body?.RetryFor != null && context.Date != null)
                    record.ExpiresAt = context.Date + context.Body.RetryFor;
                records.Add(record);
            }
            return any;
        }

        static class Field
        {
            public const string ReportingMta = "Reporting-MTA";
            public const string ArrivalDate = "Arrival-Date";
            public const string FinalRecipient = "Final-Recipient";
            public const string OriginalRecipient = "Original-Recipient";
            public const string Action = "Action";
            public const string Status = "Status";
            public const string RemoteMta = "Remote-MTA";
            public const string DiagnosticCode = "Diagnostic-Code";
            public const string LastAttemptDate = "Last-Attempt-Date";
            public const string WillRetryUntil = "Will-Retry-Until";
        }

        // ---------------------------------------------------------------- the human-readable section

        static EvidenceRecord FromBody(RecipientDiagnostics diag, Context context)
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
            record.Text = Bound(diag.FirstLine);
            string code = record.RawCode ?? record.EnhancedCode ?? "";
            bool delayed = code.Length > 0 && code[0] == '4';
            if (!delayed && IsExpiredForm(record.EnhancedCode, string.Join("\n", diag.Lines))) record.Expired = true;
            if (delayed && context.Body.RetryFor != null && context.Date != null)
                record.ExpiresAt = context.Date + context.Body.RetryFor;
            return record;
        }

        sealed class RecipientDiagnostics
        {
            public string Recipient;
            public readonly List<string> Lines = new List<string>();   // newest first, as Exchange writes them
            public string FirstLine;
            public string ServerHost;
            public string ServerAddress;

            /// <summary>"Server at mail.contoso.com (203.0.113.5) returned": the destination, when the reply did not name it.</summary>
            public void FillServer(EvidenceRecord record)
            {
                if (ServerHost == null) return;
                if (record.DestinationServer == null) record.DestinationServer = ServerHost;
                if (record.LastAttemptedIP == null && ServerAddress != null
                    && string.Equals(record.DestinationServer, ServerHost, StringComparison.OrdinalIgnoreCase))
                    record.LastAttemptedIP = ServerAddress;
            }
        }

        sealed class BodyDiagnostics
        {
            public string GeneratingServer;
            public bool MentionsExchange;
            public TimeSpan? RetryFor;
            public readonly List<RecipientDiagnostics> Recipients = new List<RecipientDiagnostics>();
            readonly Dictionary<string, RecipientDiagnostics> byAddress = new Dictionary<string, RecipientDiagnostics>(StringComparer.OrdinalIgnoreCase);
            public List<KeyValuePair<string, string>> OriginalHeaders;
            public string OriginalMessageId;
            public DateTime? OriginalArrival;

            public RecipientDiagnostics Find(string address) =>
                address != null && byAddress.TryGetValue(address, out var found) ? found : null;

            public static BodyDiagnostics From(List<TextPart> texts)
            {
                BodyDiagnostics best = null;
                // Plain text first: it needs no markup removed. Take the first part that names a recipient.
                foreach (bool html in new[] { false, true })
                {
                    foreach (var part in texts)
                    {
                        if (part.IsHtml != html) continue;
                        string text;
                        try { text = part.Text; }
                        catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is NotSupportedException) { continue; }
                        if (string.IsNullOrEmpty(text)) continue;
                        if (text.Length > MaxBodyChars) text = text.Substring(0, MaxBodyChars);
                        if (html) text = HtmlText.ToPlain(text);
                        var parsed = Parse(text);
                        if (parsed.Recipients.Count > 0) return parsed;
                        if (best == null && (parsed.GeneratingServer != null || parsed.OriginalHeaders != null)) best = parsed;
                    }
                }
                return best;
            }

            static readonly Regex DiagnosticHeading = new Regex(@"Diagnostic information for administrators\s*:?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            static readonly Regex OriginalHeading = new Regex(@"^[ \t]*Original message headers[ \t]*:?[ \t]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline);
            static readonly Regex RecipientLine = new Regex(
                @"^['""]?<?(?<a>[^\s'""<>()@,;:]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)>?['""]?(?:\s*\([^)]*\))?(?:\s*<mailto:[^>]*>)?$",
                RegexOptions.CultureInvariant);
            static readonly Regex ReturnedLine = new Regex(
                @"(?:Remote\s+)?Server(?:\s+at\s+(?<host>[A-Za-z0-9.-]+)(?:\s*\((?<ip>[0-9A-Fa-f:.]+)\))?)?\s+returned\s+'(?<reply>.*)'",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            static readonly Regex HashLine = new Regex(@"^#(?<reply>\d{3}[ -]\d\.\d{1,3}\.\d{1,3}.*?)\s*##", RegexOptions.CultureInvariant);
            static readonly Regex BareReply = new Regex(@"^(?<reply>[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b.*)$", RegexOptions.CultureInvariant);
            static readonly Regex Generating = new Regex(@"^Generating server\s*:\s*(?<h>\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            static readonly Regex RetryForText = new Regex(
                @"for the next\s+(?:(?<d>\d{1,3})\s+days?)?[\s,]*(?:(?<h>\d{1,2})\s+hours?)?[\s,]*(?:and\s+)?(?:(?<m>\d{1,2})\s+minutes?)?",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

            static BodyDiagnostics Parse(string text)
            {
                var result = new BodyDiagnostics();
                text = text.Replace("\r\n", "\n").Replace('\r', '\n').Replace('\u00A0', ' ');
                result.MentionsExchange = text.IndexOf("Microsoft Exchange", StringComparison.OrdinalIgnoreCase) >= 0;

                var retry = RetryForText.Match(text);
                if (retry.Success && (retry.Groups["d"].Success || retry.Groups["h"].Success || retry.Groups["m"].Success))
                {
                    int d = retry.Groups["d"].Success ? int.Parse(retry.Groups["d"].Value, CultureInfo.InvariantCulture) : 0;
                    int h = retry.Groups["h"].Success ? int.Parse(retry.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
                    int m = retry.Groups["m"].Success ? int.Parse(retry.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
                    result.RetryFor = new TimeSpan(d, h, m, 0);
                }

                var heading = DiagnosticHeading.Match(text);
                int start = heading.Success ? heading.Index + heading.Length : 0;
                var original = OriginalHeading.Match(text, start);
                int end = original.Success ? original.Index : text.Length;
                if (original.Success) result.ReadOriginalHeaders(text.Substring(original.Index + original.Length));

                RecipientDiagnostics current = null;
                foreach (var raw in text.Substring(start, end - start).Split('\n'))
                {
                    string line = raw.Trim();
                    if (line.Length == 0 || line.Length > MaxLineChars) continue;
                    var gen = Generating.Match(line);
                    if (gen.Success) { result.GeneratingServer = gen.Groups["h"].Value.TrimEnd('.'); continue; }
                    var who = RecipientLine.Match(line);
                    if (who.Success)
                    {
                        current = result.Find(who.Groups["a"].Value);
                        if (current == null && result.Recipients.Count < MaxRecipients)
                        {
                            current = new RecipientDiagnostics { Recipient = who.Groups["a"].Value };
                            result.Recipients.Add(current);
                            result.byAddress[current.Recipient] = current;
                        }
                        continue;
                    }
                    if (current == null) continue;
                    string reply = null;
                    var returned = ReturnedLine.Match(line);
                    if (returned.Success)
                    {
                        reply = returned.Groups["reply"].Value;
                        string host = returned.Groups["host"].Success ? returned.Groups["host"].Value.TrimEnd('.') : null;
                        if (host != null && current.ServerHost == null && !IsExchangeOnlineInternalHost(host)
                            && host.IndexOf('.') > 0)
                        {
                            current.ServerHost = host;
                            current.ServerAddress = returned.Groups["ip"].Success && IPAddress.TryParse(returned.Groups["ip"].Value, out _)
                                ? returned.Groups["ip"].Value : null;
                        }
                    }
                    else
                    {
                        var hash = HashLine.Match(line);
                        if (hash.Success) reply = hash.Groups["reply"].Value;
                        else
                        {
                            var bare = BareReply.Match(line);
                            if (bare.Success) reply = bare.Groups["reply"].Value;
                        }
                    }
                    if (reply == null) continue;
                    if (current.FirstLine == null) current.FirstLine = line;
                    if (current.Lines.Count < 32) current.Lines.Add(reply);
                }
                // Addresses listed for the reader ("Delivery has failed to these recipients") but with no reply are not evidence.
                result.Recipients.RemoveAll(r => r.Lines.Count == 0);
                result.byAddress.Clear();
                foreach (var r in result.Recipients) result.byAddress[r.Recipient] = r;
                return result;
            }

            void ReadOriginalHeaders(string text)
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
                OriginalHeaders = headers;
                foreach (var h in headers)
                {
                    if (OriginalMessageId == null && h.Key.Equals("Message-ID", StringComparison.OrdinalIgnoreCase))
                        OriginalMessageId = Bracket(h.Value);
                }
                OriginalArrival = ArrivalFromHeaders(headers);
            }

            // Field names as messages use them (letters, digits, hyphens): a line that lost its folding indentation in HTML
            // ("16:02:03 +0000", "([fe80::1]) by ...") is then read as the continuation it was.
            static readonly Regex HeaderStart = new Regex(@"^(?<n>[A-Za-z][A-Za-z0-9-]*):\s?", RegexOptions.CultureInvariant);
        }

        // ---------------------------------------------------------------- helpers

        static readonly Regex EnhancedCodeShape = new Regex(@"^[245]\.\d{1,3}\.\d{1,3}$", RegexOptions.CultureInvariant);
        static readonly Regex ExpiredPhrase = new Regex(@"\bmessage expired\b|QUEUE\.Expired", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>A failed report whose code is the 24-hour expiry of a catalog code (the catalog says which), or any "Message expired" text.</summary>
        static bool IsExpiredForm(string enhancedCode, string text) =>
            (enhancedCode != null && CodeFamily.Find(enhancedCode)?.IsExpiredSpelling(enhancedCode) == true) || (text != null && ExpiredPhrase.IsMatch(text));

        static EvidencePlatform DetectPlatform(MimeMessage message, string reportingHost, BodyDiagnostics body)
        {
            if (reportingHost != null)
            {
                if (IsMicrosoftCloudHost(reportingHost)) return EvidencePlatform.ExchangeOnline;
                return HasExchangeMarks(message, body) ? EvidencePlatform.ExchangeServer : EvidencePlatform.Unknown;
            }
            foreach (var header in message.Headers)
            {
                if (header.Id != HeaderId.Received) continue;
                string by = ReceivedBy(header.Value);
                if (by != null && IsMicrosoftCloudHost(by)) return EvidencePlatform.ExchangeOnline;
            }
            string id = message.MessageId;
            int at = id?.LastIndexOf('@') ?? -1;
            if (at >= 0 && IsMicrosoftCloudHost(id.Substring(at + 1))) return EvidencePlatform.ExchangeOnline;
            return HasExchangeMarks(message, body) ? EvidencePlatform.ExchangeServer : EvidencePlatform.Unknown;
        }

        static bool HasExchangeMarks(MimeMessage message, BodyDiagnostics body)
        {
            if (body != null && body.MentionsExchange) return true;
            foreach (var header in message.Headers)
            {
                if (header.Field.StartsWith("X-MS-Exchange-", StringComparison.OrdinalIgnoreCase)) return true;
                if (header.Id == HeaderId.Received && header.Value.IndexOf("Microsoft SMTP Server", StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
            return false;
        }

        static readonly Regex ReceivedByHost = new Regex(@"\bby\s+(?<h>[A-Za-z0-9.-]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        static string ReceivedBy(string received)
        {
            if (received == null) return null;
            var m = ReceivedByHost.Match(received);
            return m.Success ? m.Groups["h"].Value : null;
        }

        static readonly string[] CloudSuffixes = { ".outlook.com", ".office365.com", ".office365.us", ".outlook.cn", ".office.de" };

        static bool IsMicrosoftCloudHost(string host)
        {
            host = host?.Trim().TrimEnd('.');
            if (string.IsNullOrEmpty(host)) return false;
            foreach (var suffix in CloudSuffixes)
                if (host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        /// <summary>Exchange Online's own servers: they report the expiry, they are not where the mail was going.
        /// (A tenant's MX, contoso-com.mail.protection.outlook.com, is a real destination and is not matched.)</summary>
        static bool IsExchangeOnlineInternalHost(string host)
        {
            host = host?.Trim().TrimEnd('.');
            if (string.IsNullOrEmpty(host)) return false;
            return host.EndsWith(".prod.outlook.com", StringComparison.OrdinalIgnoreCase)
                || host.EndsWith(".prod.protection.outlook.com", StringComparison.OrdinalIgnoreCase)
                || host.EndsWith(".outlook.office365.com", StringComparison.OrdinalIgnoreCase)
                || host.EndsWith(".protection.gbl", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>Arrival of the original message: the date of its newest Received line, else its Date.</summary>
        static DateTime? ArrivalFromHeaders(IEnumerable<KeyValuePair<string, string>> headers)
        {
            DateTime? date = null;
            foreach (var h in headers)
            {
                if (h.Key.Equals("Received", StringComparison.OrdinalIgnoreCase))
                {
                    int semi = h.Value.LastIndexOf(';');
                    if (semi >= 0)
                    {
                        var received = ParseDate(h.Value.Substring(semi + 1));
                        if (received != null) return received;     // the first Received line is the newest
                    }
                }
                else if (date == null && h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
                {
                    date = ParseDate(h.Value);
                }
            }
            return date;
        }

        static DateTime? ArrivalFromHeaders(HeaderList headers)
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (var h in headers)
            {
                if (h.Id == HeaderId.Received || h.Id == HeaderId.Date) list.Add(new KeyValuePair<string, string>(h.Field, h.Value));
                if (list.Count > 200) break;
            }
            return ArrivalFromHeaders(list);
        }

        static DateTime? ParseDate(string value)
        {
            value = value?.Trim();
            if (string.IsNullOrEmpty(value)) return null;
            if (DateUtils.TryParse(value, out DateTimeOffset parsed)) return parsed.UtcDateTime;
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed)) return parsed.UtcDateTime;
            return null;
        }

        static DateTime? Utc(DateTimeOffset value) => value == DateTimeOffset.MinValue ? (DateTime?)null : value.UtcDateTime;

        /// <summary>"rfc822; alice@fabrikam.com" -> "alice@fabrikam.com".</summary>
        static string Address(string field)
        {
            string value = TypedValue(field)?.Trim().Trim('<', '>').Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }

        /// <summary>"smtp; 550 5.4.316 ..." -> "550 5.4.316 ..."; "dns; mail.contoso.com" -> "mail.contoso.com". A value without a type is returned as it is.</summary>
        static string TypedValue(string field)
        {
            if (field == null) return null;
            int semi = field.IndexOf(';');
            if (semi > 0 && semi <= 32)
            {
                string type = field.Substring(0, semi).Trim();
                bool isType = type.Length > 0;
                foreach (char c in type) if (!(char.IsLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) { isType = false; break; }
                if (isType) return field.Substring(semi + 1).Trim();
            }
            return field.Trim();
        }

        /// <summary>"mail.iotfuse.com. (192.0.2.1, the server for ...)" -> "mail.iotfuse.com".</summary>
        static string HostOf(string value)
        {
            string token = FirstToken(value)?.Trim('[', ']').TrimEnd('.');
            return string.IsNullOrEmpty(token) ? null : token;
        }

        static string FirstToken(string value)
        {
            if (value == null) return null;
            value = value.Trim();
            int end = 0;
            while (end < value.Length && !char.IsWhiteSpace(value[end]) && value[end] != '(' && value[end] != ';') end++;
            return end == 0 ? null : value.Substring(0, end);
        }

        static string OneLine(string value)
        {
            if (value == null) return null;
            var sb = new StringBuilder(Math.Min(value.Length, MaxEvidenceChars * 4));
            bool space = false;
            foreach (char c in value)
            {
                if (c == '\r' || c == '\n' || c == '\t' || c == ' ') { space = true; continue; }
                if (space && sb.Length > 0) sb.Append(' ');
                space = false;
                sb.Append(c);
                if (sb.Length >= MaxEvidenceChars * 4) break;
            }
            return sb.ToString();
        }

        static string Bound(string value) =>
            value == null || value.Length <= MaxEvidenceChars ? value : value.Substring(0, MaxEvidenceChars);

        static string Bracket(string id)
        {
            if (string.IsNullOrWhiteSpace(id)) return null;
            id = id.Trim();
            int open = id.IndexOf('<');
            if (open >= 0)
            {
                int close = id.IndexOf('>', open + 1);
                if (close > open + 1) return id.Substring(open, close - open + 1);
            }
            id = id.Trim('<', '>', ' ');
            return id.Length == 0 ? null : "<" + id + ">";
        }

        static int ReadPrefix(Stream stream, byte[] buffer)
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int n = stream.Read(buffer, total, buffer.Length - total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        }

        static string Latin1(byte[] bytes, int offset, int count)
        {
            var chars = new char[count];
            for (int i = 0; i < count; i++) chars[i] = (char)bytes[offset + i];
            return new string(chars);
        }

        // ---------------------------------------------------------------- HTML to text

        static class HtmlText
        {
            static readonly HashSet<string> BreakTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            { "br", "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote", "pre", "body" };
            static readonly HashSet<string> SkipTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "script", "style", "head", "title" };

            /// <summary>Removes markup in one pass: block tags become line breaks, source line breaks become spaces
            /// (except inside &lt;pre&gt;), script and style are dropped, entities decoded.</summary>
            public static string ToPlain(string html)
            {
                var sb = new StringBuilder(html.Length);
                int pre = 0, i = 0;
                while (i < html.Length)
                {
                    char c = html[i];
                    if (c == '<')
                    {
                        if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
                        {
                            int endComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                            i = endComment < 0 ? html.Length : endComment + 3;
                            continue;
                        }
                        int close = html.IndexOf('>', i + 1);
                        if (close < 0) break;
                        int n = i + 1;
                        bool closing = n < close && html[n] == '/';
                        if (closing) n++;
                        int nameStart = n;
                        while (n < close && char.IsLetterOrDigit(html[n])) n++;
                        string tag = html.Substring(nameStart, n - nameStart);
                        i = close + 1;
                        if (!closing && SkipTags.Contains(tag))
                        {
                            int endTag = html.IndexOf("</" + tag, i, StringComparison.OrdinalIgnoreCase);
                            if (endTag < 0) { i = html.Length; continue; }
                            int gt = html.IndexOf('>', endTag);
                            i = gt < 0 ? html.Length : gt + 1;
                            continue;
                        }
                        if (tag.Equals("pre", StringComparison.OrdinalIgnoreCase)) pre = closing ? Math.Max(0, pre - 1) : pre + 1;
                        if (BreakTags.Contains(tag))
                        {
                            if (sb.Length > 0 && sb[sb.Length - 1] == ' ') sb.Length--;
                            sb.Append('\n');
                        }
                        else if (tag.Equals("td", StringComparison.OrdinalIgnoreCase) || tag.Equals("th", StringComparison.OrdinalIgnoreCase)) AppendSpace(sb);
                        continue;
                    }
                    i++;
                    if (c == '\r') continue;
                    if (pre > 0) sb.Append(c);
                    else if (c == ' ' || c == '\t' || c == '\n' || c == '\f') AppendSpace(sb);   // as a browser shows it
                    else sb.Append(c);
                }
                return WebUtility.HtmlDecode(sb.ToString());
            }

            static void AppendSpace(StringBuilder sb)
            {
                if (sb.Length > 0 && sb[sb.Length - 1] != ' ' && sb[sb.Length - 1] != '\n') sb.Append(' ');
            }
        }

        // ---------------------------------------------------------------- streams

        sealed class MessageTooLargeException : IOException
        {
            public MessageTooLargeException() : base("message too large") { }
        }

        /// <summary>
        /// Bounds every header field to <see cref="MaxFieldBytes"/>: MimeKit's header parser slows down more than linearly
        /// on a single huge field (measured with 4.18.2: a 1 MB folded field about 3 s, 4 MB over 2 minutes), so a crafted
        /// file could stall it. A header-like line ("Name:" and its folded continuation lines) past the bound loses its
        /// tail: the rest of that line and any further continuation lines are dropped. Real fields are far shorter; a body
        /// line of 64 KB with no space in it (one-line base64) is cut too, which no NDR reading depends on.
        /// </summary>
        sealed class FieldGuardStream : Stream
        {
            enum Kind { Pending, Field, Continuation, Other }

            readonly Stream inner;
            readonly byte[] chunk = new byte[16 * 1024];
            int chunkPos, chunkLen;
            bool lineStart = true, inField, dropLine, cutting;
            Kind kind = Kind.Other;
            int fieldBytes;

            public FieldGuardStream(Stream inner) { this.inner = inner; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int written = 0;
                while (written == 0 && count > 0)
                {
                    if (chunkPos == chunkLen)
                    {
                        chunkLen = inner.Read(chunk, 0, chunk.Length);
                        chunkPos = 0;
                        if (chunkLen <= 0) { chunkLen = 0; return 0; }
                    }
                    while (chunkPos < chunkLen && written < count)
                    {
                        byte b = chunk[chunkPos++];
                        if (Keep(b)) buffer[offset + written++] = b;
                    }
                }
                return written;
            }

            bool Keep(byte b)
            {
                if (lineStart)
                {
                    lineStart = false;
                    if ((b == (byte)' ' || b == (byte)'\t') && inField)
                    {
                        kind = Kind.Continuation;
                        dropLine = fieldBytes >= MaxFieldBytes;
                    }
                    else if (b > 0x20 && b < 0x7F && b != (byte)':')
                    {
                        kind = Kind.Pending;
                        inField = false;
                        fieldBytes = 0;
                    }
                    else
                    {
                        kind = Kind.Other;
                        inField = false;
                    }
                }
                else if (kind == Kind.Pending)
                {
                    if (b == (byte)':') { kind = Kind.Field; inField = true; }
                    else if (b <= 0x20 || b >= 0x7F) kind = Kind.Other;
                }

                if (b == (byte)'\n')
                {
                    bool keep = !dropLine;
                    if (kind == Kind.Pending || kind == Kind.Other) inField = false;
                    lineStart = true;
                    dropLine = false;
                    cutting = false;
                    return keep;
                }
                if (dropLine || cutting) return false;
                if (kind != Kind.Other && ++fieldBytes > MaxFieldBytes)
                {
                    cutting = true;
                    return false;
                }
                return true;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            protected override void Dispose(bool disposing)
            {
                if (disposing) inner.Dispose();
                base.Dispose(disposing);
            }
        }

        /// <summary>The bytes already read to sniff the format, then the rest of the stream; stops at a size bound.</summary>
        sealed class PrefixedStream : Stream
        {
            readonly byte[] prefix;
            readonly int prefixCount;
            readonly Stream inner;
            readonly long limit;
            int prefixPos;
            long total;

            public PrefixedStream(byte[] prefix, int start, int prefixCount, Stream inner, long limit)
            {
                this.prefix = prefix;
                prefixPos = start;
                this.prefixCount = prefixCount;
                this.inner = inner;
                this.limit = limit;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n;
                if (prefixPos < prefixCount)
                {
                    n = Math.Min(count, prefixCount - prefixPos);
                    Buffer.BlockCopy(prefix, prefixPos, buffer, offset, n);
                    prefixPos += n;
                }
                else
                {
                    n = inner.Read(buffer, offset, count);
                }
                total += n;
                if (total > limit) throw new MessageTooLargeException();
                return n;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => total; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
