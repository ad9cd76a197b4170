using System;
using System.Collections.Generic;
using System.IO;
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

        /// <summary>Streams the file's evidence. Throws <see cref="EvidenceFormatException"/> for a file that is not evidence.</summary>
        public static IEnumerable<EvidenceRecord> Read(string path, CsvLimits limits = null)
        {
            string name = Path.GetFileName(path);
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.SequentialScan))
            {
                string head = Sniff(stream, name);
                stream.Position = 0;
                if (NdrReader.LooksLikeMessage(head))
                {
                    foreach (EvidenceRecord r in NdrReader.Read(stream, name)) yield return r;
                    yield break;
                }
                using (var reader = new StreamReader(stream, new UTF8Encoding(false, false), true, 64 * 1024))
                {
                    string firstLine = FirstLine(head);
                    IEnumerable<EvidenceRecord> records = CsvRowReader.LooksLikeHeader(firstLine)
                        ? ReadCsv(reader, "Csv:" + name, limits)
                        : TextEvidence.Read(reader, "Text:" + name);
                    foreach (EvidenceRecord r in records) yield return r;
                }
            }
        }

        static IEnumerable<EvidenceRecord> ReadCsv(TextReader reader, string source, CsvLimits limits)
        {
            foreach (IReadOnlyDictionary<string, object> row in CsvRowReader.Read(reader, limits))
            {
                EvidenceRecord r = RowInterpreter.Interpret(row, source, out _);
                if (r != null) yield return r;
            }
        }

        static string Sniff(Stream stream, string name)
        {
            var buffer = new byte[SniffBytes];
            int n = 0, read;
            while (n < buffer.Length && (read = stream.Read(buffer, n, buffer.Length - n)) > 0) n += read;
            if (n == 0) throw new EvidenceFormatException($"'{name}' is empty.");
            int start = n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
            if (n >= 2 && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF)))
                throw new EvidenceFormatException($"'{name}' is UTF-16 text; save it as UTF-8 (Export-Csv -Encoding utf8) and read it again.");
            for (int i = start; i < n; i++)
                if (buffer[i] == 0) throw new EvidenceFormatException($"'{name}' is a binary file, not evidence (a NUL byte at offset {i}).");
            return Encoding.UTF8.GetString(buffer, start, n - start);
        }

        static string FirstLine(string head)
        {
            int end = head.IndexOfAny(new[] { '\r', '\n' });
            string first = end < 0 ? head : head.Substring(0, end);
            return first.TrimStart('\uFEFF');
        }
    }
}
