using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>Bounds on what one CSV may hold: evidence files are untrusted, so no record may take unbounded memory.</summary>
    public sealed class CsvLimits
    {
        /// <summary>A header or row with more fields than this is refused.</summary>
        public int MaxColumns { get; set; } = 1024;
        /// <summary>A field longer than this (in characters, quotes and escapes included) is refused; reading stops there.</summary>
        public int MaxFieldChars { get; set; } = 64 * 1024;
        /// <summary>A record longer than this (all its fields, separators and embedded line ends) is refused.</summary>
        public int MaxRecordChars { get; set; } = 1024 * 1024;
    }

    /// <summary>
    /// A streaming RFC 4180 reader for evidence reports: Exchange Online historical search CSVs and Export-Csv output of
    /// message trace rows, queues and probe results. Memory depends on the limits, never on the number of rows.
    /// </summary>
    public static class CsvRowReader
    {
        /// <summary>
        /// Streams the rows of a CSV as case-insensitive dictionaries (header name to field string), a fresh one per row.
        /// Handles RFC 4180 quoting ("" escapes, quoted commas and CR/LF inside fields), CRLF, LF or CR line ends, a
        /// leading U+FEFF, a first line "#TYPE ..." (skipped), blank lines (skipped). A row with fewer fields than the
        /// header has the missing ones as empty strings (every header name is always present); extra fields are ignored
        /// but counted against <see cref="CsvLimits.MaxColumns"/>. Header names are trimmed; a duplicate name keeps its
        /// first column; columns with an empty name are ignored. An input with no header at all yields no rows.
        /// </summary>
        /// <exception cref="EvidenceFormatException">
        /// While enumerating: an unterminated quoted field at end of input (Line is where the quote opened), a limit
        /// exceeded, a NUL character (a binary file), a header that names no column.
        /// </exception>
        /// <param name="delimiter">The field separator: ',' (Export-Csv), ';' or tab (Export-Csv -UseCulture in cultures whose
        /// list separator it is, Excel's "CSV" in those cultures); see <see cref="DetectDelimiter"/>.</param>
        public static IEnumerable<IReadOnlyDictionary<string, object>> Read(TextReader reader, CsvLimits limits = null, char delimiter = ',')
        {
            if (reader == null) throw new ArgumentNullException(nameof(reader));
            limits = limits ?? new CsvLimits();
            if (limits.MaxColumns < 1) throw new ArgumentOutOfRangeException(nameof(limits), "MaxColumns must be at least 1.");
            if (limits.MaxFieldChars < 1) throw new ArgumentOutOfRangeException(nameof(limits), "MaxFieldChars must be at least 1.");
            if (limits.MaxRecordChars < 1) throw new ArgumentOutOfRangeException(nameof(limits), "MaxRecordChars must be at least 1.");
            if (delimiter == '"' || delimiter == '\r' || delimiter == '\n' || delimiter == '\0') throw new ArgumentOutOfRangeException(nameof(delimiter));
            return ReadRows(new Parser(reader, limits.MaxColumns, limits.MaxFieldChars, limits.MaxRecordChars, delimiter));
        }

        static IEnumerable<IReadOnlyDictionary<string, object>> ReadRows(Parser parser)
        {
            parser.SkipPreamble();
            if (!parser.ReadRecord(int.MaxValue)) yield break;

            var columns = new CsvColumns(parser.Fields);
            if (columns.Names.Length == 0)
                throw new EvidenceFormatException($"The CSV header on line {parser.RecordLine} names no column.", parser.RecordLine);

            int width = parser.Fields.Count;
            while (parser.ReadRecord(width)) yield return NextRow(columns, parser.Fields);
        }

        /// <summary>The record's fields by kept column; a field the record lacks is an empty string.</summary>
        [MethodImpl(HotPath.Optimized)]
        static CsvRow NextRow(CsvColumns columns, List<string> fields)
        {
            int[] from = columns.Fields;
            var values = new string[from.Length];
            int n = fields.Count;
            for (int k = 0; k < from.Length; k++) values[k] = from[k] < n ? fields[from[k]] : string.Empty;
            return new CsvRow(columns, values);
        }

        /// <summary>
        /// The separator a header line uses: the most frequent of ',', ';' and tab outside quotes; ',' on a tie or when
        /// none appears. A header's names hold none of them, so the header alone decides, as Import-Csv cannot.
        /// </summary>
        public static char DetectDelimiter(string headerLine)
        {
            int comma = 0, semicolon = 0, tab = 0;
            bool quoted = false;
            foreach (char c in headerLine ?? "")
            {
                if (c == '"') quoted = !quoted;
                else if (quoted) continue;
                else if (c == ',') comma++;
                else if (c == ';') semicolon++;
                else if (c == '\t') tab++;
            }
            if (semicolon > comma && semicolon >= tab) return ';';
            if (tab > comma && tab > semicolon) return '\t';
            return ',';
        }

        /// <summary>
        /// True when the line looks like a CSV header: at least two names separated by its <see cref="DetectDelimiter">delimiter</see>, each a short identifier-like
        /// token (letters, digits, _, space, -, ., quotes; starting with a letter or _; at most three words), and no SMTP
        /// reply or status code at its start; or a "#TYPE " line (Windows PowerShell Export-Csv).
        /// </summary>
        public static bool LooksLikeHeader(string firstLine)
        {
            if (string.IsNullOrEmpty(firstLine)) return false;
            string line = firstLine.TrimStart('\uFEFF').Trim();
            if (line.Length == 0) return false;
            if (line.StartsWith("#TYPE", StringComparison.OrdinalIgnoreCase) && (line.Length == 5 || line[5] == ' ' || line[5] == '\t'))
                return true;
            if (StartsWithCode(line)) return false;

            char delimiter = DetectDelimiter(line);
            int names = 0, start = 0;
            while (start <= line.Length)
            {
                int comma = line.IndexOf(delimiter, start);
                int end = comma < 0 ? line.Length : comma;
                string token = line.Substring(start, end - start).Trim();
                if (token.Length >= 2 && (token[0] == '"' || token[0] == '\'') && token[token.Length - 1] == token[0])
                    token = token.Substring(1, token.Length - 2).Trim();
                if (token.Length != 0)
                {
                    if (!IsNameToken(token)) return false;
                    names++;
                }
                else if (comma >= 0 && names == 0 && start == 0) return false;   // ",a,b": a leading empty name is data, not a header
                if (comma < 0) break;
                start = comma + 1;
            }
            return names >= 2;
        }

        const int MaxNameChars = 64;

        static bool IsNameToken(string token)
        {
            if (token.Length > MaxNameChars) return false;
            char first = token[0];
            if (!(char.IsLetter(first) || first == '_')) return false;
            int words = 1;
            for (int i = 0; i < token.Length; i++)
            {
                char c = token[i];
                if (char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '"' || c == '\'') continue;
                if (c == ' ')
                {
                    if (token[i - 1] != ' ') words++;
                    if (words > 3) return false;   // "but that did not succeed" is prose, not a column name
                    continue;
                }
                return false;
            }
            return true;
        }

        // "450 4.4.316 ...", "450-...", "550", "5.4.316 ..." at the start of the line.
        static bool StartsWithCode(string line)
        {
            if (line.Length >= 3 && IsDigit(line[0]) && IsDigit(line[1]) && IsDigit(line[2])
                && (line.Length == 3 || line[3] == ' ' || line[3] == '-' || line[3] == '\t'))
                return true;
            return line.Length >= 3 && IsDigit(line[0]) && line[1] == '.' && IsDigit(line[2]);
        }

        static bool IsDigit(char c) => c >= '0' && c <= '9';

        /// <summary>
        /// The state machine. Reads through one fixed char buffer; a field's characters are kept as a segment of that
        /// buffer and only copied into the (reused) StringBuilder when the field crosses a refill or holds an escape.
        /// </summary>
        sealed class Parser
        {
            const int BufferSize = 64 * 1024;
            const int EndOfInput = 0, Record = 1, Blank = 2;
            enum State { FieldStart, Unquoted, Quoted, QuoteInQuoted }

            readonly TextReader reader;
            readonly int maxColumns, maxFieldChars, maxRecordChars;
            readonly char delimiter;
            readonly char highestStop;    // the largest of delimiter, CR, LF: characters above it need no test
            readonly char[] buf = new char[BufferSize];
            readonly StringBuilder sb = new StringBuilder();
            int pos, len;
            bool eof, skipLineFeed;
            long consumedBefore;          // characters read before buf[0]
            long line = 1;                // physical line of buf[pos]
            int segStart, segLen;         // the current field's pending characters in buf
            bool keepField;

            public readonly List<string> Fields = new List<string>();
            /// <summary>The line the last record started on.</summary>
            public long RecordLine { get; private set; }

            public Parser(TextReader reader, int maxColumns, int maxFieldChars, int maxRecordChars, char delimiter)
            {
                this.delimiter = delimiter;
                highestStop = (char)Math.Max(delimiter, '\r');
                this.reader = reader;
                this.maxColumns = maxColumns;
                this.maxFieldChars = maxFieldChars;
                this.maxRecordChars = maxRecordChars;
            }

            /// <summary>Skips a leading U+FEFF and a first line "#TYPE ..." (Export-Csv without -NoTypeInformation).</summary>
            public void SkipPreamble()
            {
                if (!Available(1)) return;
                if (buf[pos] == '\uFEFF') pos++;
                Available(6);   // "#TYPE" and the character after it, when there is one
                if (len - pos < 5 || string.Compare(new string(buf, pos, 5), "#TYPE", StringComparison.OrdinalIgnoreCase) != 0) return;
                if (len - pos > 5 && buf[pos + 5] != ' ' && buf[pos + 5] != '\t' && buf[pos + 5] != '\r' && buf[pos + 5] != '\n') return;

                long start = consumedBefore + pos;
                while (true)
                {
                    if (pos >= len && !Fill()) return;
                    char c = buf[pos++];
                    if (c == '\n') { line++; return; }
                    if (c == '\r') { line++; skipLineFeed = true; return; }
                    if (c == '\0') throw Nul();
                    if (consumedBefore + pos - start > maxRecordChars)
                        throw new EvidenceFormatException($"CSV line {line}: the #TYPE line is longer than {maxRecordChars} characters (MaxRecordChars).", line);
                }
            }

            /// <summary>
            /// Reads the next non-blank record into <see cref="Fields"/>, keeping at most <paramref name="keep"/> fields
            /// (the rest are counted and checked, not stored). False at end of input.
            /// </summary>
            [MethodImpl(HotPath.Optimized)]
            public bool ReadRecord(int keep)
            {
                while (true)
                {
                    int result = ParseRecord(keep);
                    if (result == Record) return true;
                    if (result == EndOfInput) return false;
                }
            }

            [MethodImpl(HotPath.Optimized)]
            int ParseRecord(int keep)
            {
                Fields.Clear();
                sb.Clear();
                segLen = 0;
                if (skipLineFeed)
                {
                    skipLineFeed = false;
                    if ((pos < len || Fill()) && buf[pos] == '\n') pos++;
                }

                RecordLine = line;
                long recordStart = consumedBefore + pos;
                long quoteLine = line;
                int fieldCount = 0, fieldLen = 0;
                bool anyQuoted = false;
                keepField = keep > 0;
                State state = State.FieldStart;

                while (true)
                {
                    if (pos >= len)
                    {
                        if (consumedBefore + pos - recordStart > maxRecordChars) throw RecordTooLong();
                        if (!Fill())
                        {
                            switch (state)
                            {
                                case State.Quoted:
                                    throw new EvidenceFormatException(
                                        $"CSV line {quoteLine}: a quoted field opened here is not closed before the end of the input.", quoteLine);
                                case State.FieldStart when fieldCount == 0:
                                    return EndOfInput;
                                default:
                                    EndField(ref fieldCount, ref fieldLen, keep);
                                    return Finish(fieldCount, anyQuoted);
                            }
                        }
                    }

                    switch (state)
                    {
                        case State.FieldStart:
                        {
                            char c = buf[pos];
                            if (c == '"')
                            {
                                pos++;
                                fieldLen++;
                                anyQuoted = true;
                                quoteLine = line;
                                state = State.Quoted;
                                continue;
                            }
                            if (fieldCount == 0 && (c == '\n' || c == '\r'))
                            {
                                pos++;
                                line++;
                                if (c == '\r') skipLineFeed = true;
                                return Blank;
                            }
                            state = State.Unquoted;
                            goto case State.Unquoted;
                        }

                        case State.Unquoted:
                        {
                            int i = pos;
                            char[] b = buf;
                            int end = len;
                            char sep = delimiter, high = highestStop;
                            while (i < end)
                            {
                                char c = b[i];
                                if (c <= high && (c == sep || c == '\n' || c == '\r' || c == '\0')) break;
                                i++;
                            }
                            if (i > pos) AddRun(pos, i - pos, ref fieldLen);
                            pos = i;
                            if (i == end) continue;

                            char stop = b[i];
                            pos++;
                            if (stop == delimiter)
                            {
                                EndField(ref fieldCount, ref fieldLen, keep);
                                fieldLen = 0;
                                state = State.FieldStart;
                                continue;
                            }
                            if (stop == '\0') throw Nul();
                            EndField(ref fieldCount, ref fieldLen, keep);   // errors name this line, so count the break after
                            if (consumedBefore + pos - recordStart > maxRecordChars) throw RecordTooLong();
                            line++;
                            if (stop == '\r') skipLineFeed = true;
                            return Finish(fieldCount, anyQuoted);
                        }

                        case State.Quoted:
                        {
                            int i = pos;
                            char[] b = buf;
                            int end = len;
                            while (i < end)
                            {
                                char c = b[i];
                                if (c <= '"')
                                {
                                    if (c == '"' || c == '\0') break;
                                    if (c == '\n') line++;
                                }
                                i++;
                            }
                            if (i > pos) AddRun(pos, i - pos, ref fieldLen);
                            pos = i;
                            if (i == end) continue;
                            if (b[i] == '\0') throw Nul();
                            pos++;             // the quote: closing, or the first of an escaped pair
                            fieldLen++;
                            state = State.QuoteInQuoted;
                            continue;
                        }

                        case State.QuoteInQuoted:
                            if (buf[pos] == '"')
                            {
                                AddRun(pos, 1, ref fieldLen);   // "" stands for one quote
                                pos++;
                                state = State.Quoted;
                                continue;
                            }
                            // The quoted part is closed. A separator or line end follows normally; anything else is kept
                            // as it is ("ab"cd reads as abcd), as lenient readers do.
                            state = State.Unquoted;
                            continue;
                    }
                }
            }

            [MethodImpl(HotPath.Optimized)]
            int Finish(int fieldCount, bool anyQuoted)
            {
                if (fieldCount == 1 && !anyQuoted && Fields.Count == 1 && IsWhiteSpace(Fields[0])) return Blank;
                return Record;
            }

            static bool IsWhiteSpace(string s)
            {
                for (int i = 0; i < s.Length; i++) if (!char.IsWhiteSpace(s[i])) return false;
                return true;
            }

            [MethodImpl(HotPath.Optimized)]
            void AddRun(int start, int count, ref int fieldLen)
            {
                fieldLen += count;
                if (fieldLen > maxFieldChars)
                    throw new EvidenceFormatException($"CSV line {line}: a field is longer than {maxFieldChars} characters (MaxFieldChars).", line);
                if (!keepField) return;
                if (segLen == 0) { segStart = start; segLen = count; }
                else if (segStart + segLen == start) segLen += count;
                else { sb.Append(buf, segStart, segLen); segStart = start; segLen = count; }
            }

            [MethodImpl(HotPath.Optimized)]
            void EndField(ref int fieldCount, ref int fieldLen, int keep)
            {
                fieldCount++;
                if (fieldCount > maxColumns)
                    throw new EvidenceFormatException($"CSV line {line}: a record has more than {maxColumns} fields (MaxColumns).", line);
                if (keepField)
                {
                    string value;
                    if (sb.Length == 0) value = segLen == 0 ? string.Empty : new string(buf, segStart, segLen);
                    else
                    {
                        if (segLen > 0) sb.Append(buf, segStart, segLen);
                        value = sb.ToString();
                        sb.Clear();
                    }
                    Fields.Add(value);
                }
                segLen = 0;
                fieldLen = 0;
                keepField = fieldCount < keep;
            }

            /// <summary>Refills the buffer; a pending segment is moved to the StringBuilder first.</summary>
            [MethodImpl(HotPath.Optimized)]
            bool Fill()
            {
                if (segLen > 0) { sb.Append(buf, segStart, segLen); segLen = 0; }
                consumedBefore += len;
                pos = 0;
                len = 0;
                if (eof) return false;
                int n = reader.Read(buf, 0, buf.Length);
                if (n <= 0) { eof = true; return false; }
                len = n;
                return true;
            }

            /// <summary>Makes at least <paramref name="count"/> characters available at pos (less at end of input).</summary>
            bool Available(int count)
            {
                if (len - pos >= count) return true;
                if (pos > 0)
                {
                    Array.Copy(buf, pos, buf, 0, len - pos);
                    consumedBefore += pos;
                    len -= pos;
                    pos = 0;
                }
                while (!eof && len < count)
                {
                    int n = reader.Read(buf, len, buf.Length - len);
                    if (n <= 0) { eof = true; break; }
                    len += n;
                }
                return len - pos >= count;
            }

            EvidenceFormatException Nul() =>
                new EvidenceFormatException($"CSV line {line}: a NUL character; this is a binary file, not a CSV report.", line);

            EvidenceFormatException RecordTooLong() =>
                new EvidenceFormatException($"CSV line {line}: a record is longer than {maxRecordChars} characters (MaxRecordChars).", line);
        }
    }
}
