using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// Reads a file of evidence, recognising its format from its content (not its name): an Internet message
    /// (NDR, delay notice), a CSV report, or plain text with one reason per line. Streams: nothing is held whole.
    /// </summary>
    public static class EvidenceFileReader
    {
        const int SniffBytes = 8 * 1024;

        /// <summary>
        /// Streams the file's evidence. Throws <see cref="EvidenceFormatException"/> for a file that is not evidence; a CSV
        /// row that looks like ours but cannot be read goes to <paramref name="rowError"/> (when given) and reading goes on.
        /// </summary>
        /// <param name="dates">How dates are read (-Culture, the current culture); each file settles its own order.</param>
        /// <param name="reported">Given each policy of an SMTP TLS report, successes too (what a later report resolves by).</param>
        /// <param name="passedOver">Given each CSV row that carries no failure (a delivered message, a probe that succeeded).</param>
        /// <param name="passedOverLine">Given each line of a text file that carries no failure (a Postfix "status=sent" line).</param>
        public static IEnumerable<EvidenceRecord> Read(string path, CsvLimits limits = null, Action<EvidenceFormatException> rowError = null,
            EvidenceDates dates = null, Action<IReadOnlyDictionary<string, object>> passedOver = null, Action<string> passedOverLine = null,
            Action<ReportObservation> reported = null)
        {
            dates = dates?.ForFile() ?? new EvidenceDates(null, System.Globalization.CultureInfo.CurrentCulture);
            string name = Path.GetFileName(path);
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.SequentialScan))
            {
                // An SMTP TLS report as .json.gz (RFC 8460): binary, so before the text sniffing below.
                var magic = new byte[2];
                int got = stream.Read(magic, 0, 2);
                stream.Position = 0;
                if (TlsReportReader.IsGzip(magic, got))
                {
                    foreach (EvidenceRecord r in TlsReportReader.ReadGzip(stream, name, reported)) yield return r;
                    yield break;
                }
                string head = Sniff(stream, name);
                stream.Position = 0;
                bool wide = head.Length > 0 && stream.Length >= 2 && PeekUtf16(stream);
                if (TlsReportReader.LooksLikeReport(head))
                {
                    if (stream.Length > TlsReportReader.MaxReportBytes)
                        throw new EvidenceFormatException($"'{name}' is larger than {TlsReportReader.MaxReportBytes / (1024 * 1024)} MB; no TLS report is that large.");
                    string json;
                    using (var all = new StreamReader(stream, new UTF8Encoding(false, false), true)) json = all.ReadToEnd();
                    foreach (EvidenceRecord r in TlsReportReader.ReadJson(json, name, reported)) yield return r;
                    yield break;
                }
                if (!wide && NdrReader.LooksLikeMessage(head))
                {
                    foreach (EvidenceRecord r in NdrReader.Read(stream, name, reported)) yield return r;
                    yield break;
                }
                using (var reader = new StreamReader(stream, new UTF8Encoding(false, false), true, 64 * 1024))
                {
                    string header = HeaderLine(head);
                    bool csv = CsvRowReader.LooksLikeHeader(header);
                    if (csv && stream.Length <= MaxDatePrescan) LearnDates(path, dates);
                    IEnumerable<EvidenceRecord> records = csv
                        ? ReadCsv(reader, name, limits, rowError, CsvRowReader.DetectDelimiter(header), dates, passedOver)
                        : TextEvidence.Read(reader, name, passedOverLine);
                    foreach (EvidenceRecord r in records) yield return r;
                }
            }
        }

        static IEnumerable<EvidenceRecord> ReadCsv(TextReader reader, string file, CsvLimits limits, Action<EvidenceFormatException> rowError,
            char delimiter, EvidenceDates dates, Action<IReadOnlyDictionary<string, object>> passedOver)
        {
            long index = 0;
            foreach (IReadOnlyDictionary<string, object> row in CsvRowReader.Read(reader, limits, delimiter))
            {
                index++;
                EvidenceRecord r = Interpret(row, file, dates, index, rowError, passedOver);
                if (r != null) yield return r;
            }
        }

        /// <summary>One row: its evidence, or null when it carries none (passed over) or cannot be read (a row error).</summary>
        [MethodImpl(HotPath.Optimized)]
        static EvidenceRecord Interpret(IReadOnlyDictionary<string, object> row, string file, EvidenceDates dates, long index,
            Action<EvidenceFormatException> rowError, Action<IReadOnlyDictionary<string, object>> passedOver)
        {
            EvidenceRecord r;
            try { r = RowInterpreter.Interpret(row, file, out _, dates); }
            catch (EvidenceFormatException ex) when (rowError != null)
            {
                rowError(new EvidenceFormatException($"row {index}: {ex.Message}", 0, ex));
                return null;
            }
            if (r == null) passedOver?.Invoke(row);
            return r;
        }

        static string Sniff(Stream stream, string name)
        {
            var buffer = new byte[SniffBytes];
            int n = 0, read;
            while (n < buffer.Length && (read = stream.Read(buffer, n, buffer.Length - n)) > 0) n += read;
            if (n == 0) throw new EvidenceFormatException($"'{name}' is empty.");
            // Windows PowerShell 5.1 writes UTF-16 (Out-File, >): read it as text; the reader below follows the BOM.
            Encoding encoding = n >= 2 && buffer[0] == 0xFF && buffer[1] == 0xFE ? Encoding.Unicode
                              : n >= 2 && buffer[0] == 0xFE && buffer[1] == 0xFF ? Encoding.BigEndianUnicode : null;
            if (encoding != null)
            {
                string wide = encoding.GetString(buffer, 2, (n - 2) & ~1);
                if (wide.IndexOf('\0') >= 0) throw new EvidenceFormatException($"'{name}' is a binary file, not evidence (a NUL character).");
                return wide;
            }
            int start = n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
            for (int i = start; i < n; i++)
                if (buffer[i] == 0) throw new EvidenceFormatException($"'{name}' is a binary file, not evidence (a NUL byte at offset {i}).");
            return Encoding.UTF8.GetString(buffer, start, n - start);
        }

        static bool PeekUtf16(Stream stream)
        {
            int a = stream.ReadByte(), b = stream.ReadByte();
            stream.Position = 0;
            return (a == 0xFF && b == 0xFE) || (a == 0xFE && b == 0xFF);
        }

        // Files up to this size are read once for their dates before their rows, so a day-first date late in the file
        // settles the ambiguous ones before it; a larger file settles as it goes.
        const long MaxDatePrescan = 16 * 1024 * 1024;
        static readonly Regex NumericDate = new Regex(@"(?<![\d/.\-])\d{1,2}([/.\-])\d{1,2}\1\d{4}(?!\d)", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        static void LearnDates(string path, EvidenceDates dates)
        {
            using (var reader = new StreamReader(path, new UTF8Encoding(false, false), true, 64 * 1024))
            {
                string line;
                while ((line = reader.ReadLine()) != null)
                {
                    if (line.Length > 64 * 1024) line = line.Substring(0, 64 * 1024);
                    try { foreach (Match m in NumericDate.Matches(line)) dates.Learn(m.Value); }
                    catch (RegexMatchTimeoutException) { }
                }
            }
        }

        /// <summary>The CSV header line: the first line, or the second after Windows PowerShell's "#TYPE" line.</summary>
        static string HeaderLine(string head)
        {
            string rest = head.TrimStart('\uFEFF');
            string first = FirstLine(rest);
            if (!first.StartsWith("#TYPE", StringComparison.OrdinalIgnoreCase)) return first;
            int end = rest.IndexOfAny(new[] { '\r', '\n' });
            return end < 0 ? first : FirstLine(rest.Substring(end).TrimStart('\r', '\n'));
        }

        static string FirstLine(string head)
        {
            int end = head.IndexOfAny(new[] { '\r', '\n' });
            string first = end < 0 ? head : head.Substring(0, end);
            return first.TrimStart('\uFEFF');
        }
    }
}
