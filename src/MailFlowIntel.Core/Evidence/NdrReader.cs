using System;
using System.Collections.Generic;
using System.IO;
using MailFlowIntel.Core.Evidence.Ndr;
using MimeKit;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// Reads non-delivery reports and delay notices (.eml) as evidence: one record per failed or delayed recipient.
    /// The machine-readable message/delivery-status part (RFC 3464) comes first; without one, the human-readable
    /// "Diagnostic information for administrators" section of an Exchange NDR (text/plain or text/html) is read, in any
    /// language <see cref="NdrWording"/> knows. This class sniffs and loads the message; the parts are read by
    /// <see cref="DeliveryStatusReader"/> and <see cref="ExchangeBodyReader"/>.
    /// </summary>
    public static class NdrReader
    {
        /// <summary>MIME nesting the parser follows; deeper parts become leaves, so hostile nesting cannot exhaust the stack.</summary>
        internal const int MaxMimeDepth = 32;
        /// <summary>How much of the start of the stream is looked at before MimeKit is given it.</summary>
        internal const int PrefixBytes = 16 * 1024;
        /// <summary>No NDR is larger than the largest message Exchange Online accepts (150 MB) plus its report.</summary>
        internal const long MaxMessageBytes = 256L * 1024 * 1024;
        /// <summary>How much of one readable part is read; the diagnostic section sits well within it.</summary>
        internal const int MaxBodyChars = 1 << 20;
        /// <summary>The longest evidence text a record keeps.</summary>
        internal const int MaxEvidenceChars = 2048;
        /// <summary>Longer lines of the readable section are no reply and are skipped.</summary>
        internal const int MaxLineChars = 8192;
        internal const int MaxRecipients = 10_000;
        /// <summary>The longest header field passed to MimeKit (see <see cref="FieldGuardStream"/>).</summary>
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
        public static IReadOnlyList<EvidenceRecord> Read(Stream stream, string sourceName, Action<ReportObservation> reported = null)
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
                return Interpret(message, name, reported);
        }

        static IReadOnlyList<EvidenceRecord> Interpret(MimeMessage message, string name, Action<ReportObservation> reported)
        {
            // A message that carries an SMTP TLS report (RFC 8460 section 5.3) is read as that report.
            IReadOnlyList<EvidenceRecord> tlsReport = TlsReportReader.FromMessage(message, name, reported);
            if (tlsReport != null) return tlsReport;

            var parts = NdrParts.Collect(message);
            var context = new NdrContext(name, message, parts);

            var records = new List<EvidenceRecord>();
            bool sawReport = false;
            foreach (var report in parts.Reports)
            {
                if (DeliveryStatusReader.Read(report, context, records)) sawReport = true;
            }
            if (sawReport) return records;

            // No machine-readable report: the human-readable diagnostic section.
            if (context.Body != null && context.Body.Recipients.Count > 0)
            {
                foreach (var diag in context.Body.Recipients)
                {
                    var record = ExchangeBodyReader.ToRecord(diag, context);
                    if (record != null) records.Add(record);
                }
                if (records.Count > 0) return records;
            }

            throw new EvidenceFormatException(
                $"{name}: a mail message, but not a delivery report: it has no message/delivery-status part and no "
                + "\"Diagnostic information for administrators\" section naming a recipient and a server reply.");
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
    }
}
