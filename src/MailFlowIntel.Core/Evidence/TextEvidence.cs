using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// Evidence in plain text: log lines, pasted queue errors, NDR snippets; one piece per line that carries a code. Postfix
    /// SMTP client lines are read by <see cref="PostfixLog"/> (they carry no code of ours).
    /// </summary>
    public static class TextEvidence
    {
        /// <summary>Characters of a line kept; the rest of a longer line is read past, never held.</summary>
        public const int MaxTextLine = 64 * 1024;

        /// <summary>Plain text: every line that carries an SMTP reply or status code is a piece of evidence.</summary>
        /// <param name="passedOver">Given each line that carries no failure (a delivery in a Postfix log); null: nothing is told.</param>
        public static IEnumerable<EvidenceRecord> Read(TextReader reader, string file, Action<string> passedOver = null)
        {
            var line = new StringBuilder();
            var postfix = new PostfixLog();
            long number = 0;
            while (ReadBoundedLine(reader, line))
            {
                number++;
                string text = line.ToString();
                EvidenceRecord r = FromLine(text, file, postfix);
                if (r != null) yield return r;
                else passedOver?.Invoke(text);
            }
        }

        static readonly Regex MessageIdToken = new Regex(@"<[^<>@\s]{1,200}@[^<>\s]{1,200}>", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        static readonly Regex AddressToken = new Regex(@"(?<![<\w.-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        static readonly Regex LeadingDate = new Regex(@"^\s*(?<d>\d{4}-\d{2}-\d{2}[T ][\d:.]+Z?|\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(?::\d{2})?(?: [AP]M)?)", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

        /// <summary>One line of text as evidence; null when it carries no code.</summary>
        /// <param name="file">The file the line was read from, or null for a string from the pipeline.</param>
        public static EvidenceRecord FromLine(string text, string file) => FromLine(text, file, null);

        /// <summary>One line of text as evidence; null when it carries no failure.</summary>
        /// <param name="postfix">What earlier Postfix lines of the same log told (one per file or pipeline); null for a line alone.</param>
        public static EvidenceRecord FromLine(string text, string file, PostfixLog postfix)
        {
            if (PostfixLog.Recognizes(text)) return (postfix ?? new PostfixLog()).Read(text, file);
            var r = new EvidenceRecord { Source = "Text", File = file, Text = text };
            if (!ReasonParser.Apply(text, r)) return null;
            try
            {
                Match id = MessageIdToken.Match(text);
                if (id.Success) r.MessageKey = id.Value;
                Match when = LeadingDate.Match(text);
                if (when.Success) r.ObservedAt = RowInterpreter.ParseDate(when.Groups["d"].Value);
                foreach (Match a in AddressToken.Matches(text)) if (!r.Recipients.Contains(a.Value)) r.Recipients.Add(a.Value);
                r.Connector = RowInterpreter.ConnectorFromData(text);
            }
            catch (RegexMatchTimeoutException) { }
            if (text.IndexOf("LastError", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("Winsock", StringComparison.OrdinalIgnoreCase) >= 0)
                r.Platform = EvidencePlatform.ExchangeServer;
            else if (text.IndexOf("LED=", StringComparison.Ordinal) >= 0) r.Platform = EvidencePlatform.ExchangeOnline;
            return r;
        }

        /// <summary>Reads one line, keeping at most <see cref="MaxTextLine"/> characters of it and skipping the rest.</summary>
        static bool ReadBoundedLine(TextReader reader, StringBuilder line)
        {
            line.Clear();
            int c;
            bool any = false;
            while ((c = reader.Read()) >= 0)
            {
                any = true;
                if (c == '\n') return true;
                if (c == '\r') { if (reader.Peek() == '\n') reader.Read(); return true; }
                if (c == 0) throw new EvidenceFormatException("The file holds binary data (a NUL character), not text evidence.");
                if (line.Length < MaxTextLine) line.Append((char)c);
            }
            return any;
        }

    }
}
