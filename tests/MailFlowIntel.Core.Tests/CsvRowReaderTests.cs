using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    public sealed class CsvRowReaderTests
    {
        static List<IReadOnlyDictionary<string, object>> ReadAll(string csv, CsvLimits limits = null) =>
            CsvRowReader.Read(new StringReader(csv), limits).ToList();

        static EvidenceFormatException Fails(TextReader reader, CsvLimits limits = null) =>
            Assert.Throws<EvidenceFormatException>(() => { foreach (var _ in CsvRowReader.Read(reader, limits)) { } });

        static EvidenceFormatException Fails(string csv, CsvLimits limits = null) => Fails(new StringReader(csv), limits);

        // ---- quoting ----

        [Fact]
        public void Quoted_commas_and_doubled_quotes_are_read_as_text()
        {
            var rows = ReadAll("Identity,LastError,Count,Empty,OnlyQuote\r\n" +
                               "\"q1\",\"451 4.4.0, \"\"DNS\"\" query failed\",3,\"\",\"\"\"\"\r\n");
            var row = Assert.Single(rows);
            Assert.Equal("q1", row["Identity"]);
            Assert.Equal("451 4.4.0, \"DNS\" query failed", row["LastError"]);
            Assert.Equal("3", row["Count"]);
            Assert.Equal("", row["Empty"]);
            Assert.Equal("\"", row["OnlyQuote"]);
        }

        [Fact]
        public void A_quoted_field_keeps_its_embedded_CRLF_and_the_line_breaks_inside_it_are_counted()
        {
            string csv = "Event,Detail\r\nDEFER,\"line one\r\nline two, still the field\"\r\nFAIL,\"never closed\r\n";
            using (var rows = CsvRowReader.Read(new StringReader(csv)).GetEnumerator())
            {
                Assert.True(rows.MoveNext());
                Assert.Equal("DEFER", rows.Current["Event"]);
                Assert.Equal("line one\r\nline two, still the field", rows.Current["Detail"]);
                var e = Assert.Throws<EvidenceFormatException>(() => rows.MoveNext());
                Assert.Equal(4, e.Line);   // the record after the two-line field starts on line 4
            }
        }

        [Fact]
        public void Lf_cr_and_crlf_line_ends_all_end_records()
        {
            var rows = ReadAll("A,B\n1,2\r3,4\r\n5,6");
            Assert.Equal(new[] { "1", "3", "5" }, rows.Select(r => (string)r["A"]));
            Assert.Equal(new[] { "2", "4", "6" }, rows.Select(r => (string)r["B"]));
        }

        [Fact]
        public void Reading_is_the_same_whatever_size_of_chunks_the_reader_hands_out()
        {
            // Quotes, escapes, CRLF and separators fall on every chunk boundary when the reader gives one char at a time.
            string csv = "\uFEFF#TYPE Deserialized.Queue\r\n\"Identity\",\"Last\"\"Error\",Count\r\n" +
                         "\"a\"\"b\",\"x,\r\ny\",1\r\n\r\n" + "plain,\"\"\"\",\r\n" + "\"q\"tail,,\"end\"";
            var expected = Flatten(CsvRowReader.Read(new StringReader(csv)));
            Assert.Equal(3, expected.Count);
            Assert.Equal("Identity=a\"b|Last\"Error=x,\r\ny|Count=1", expected[0]);
            Assert.Equal("Identity=plain|Last\"Error=\"|Count=", expected[1]);
            Assert.Equal("Identity=qtail|Last\"Error=|Count=end", expected[2]);
            foreach (int chunk in new[] { 1, 2, 3, 7 })
                Assert.Equal(expected, Flatten(CsvRowReader.Read(new LazyReader(new[] { csv }, chunk))));
        }

        static List<string> Flatten(IEnumerable<IReadOnlyDictionary<string, object>> rows) =>
            rows.Select(r => string.Join("|", r.Select(kv => kv.Key + "=" + kv.Value))).ToList();

        // ---- header handling ----

        [Theory]
        [InlineData("#TYPE System.Management.Automation.PSCustomObject\r\n")]
        [InlineData("#TYPE System.Collections.Generic.KeyValuePair`2[[System.String, mscorlib, Version=4.0.0.0]]\n")]
        public void A_TYPE_line_from_Windows_PowerShell_Export_Csv_is_skipped(string typeLine)
        {
            var row = Assert.Single(ReadAll(typeLine + "\"Identity\",\"LastError\"\r\n\"q1\",\"451 4.4.0\"\r\n"));
            Assert.Equal(new[] { "Identity", "LastError" }, row.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal("q1", row["Identity"]);
        }

        [Fact]
        public void A_BOM_is_stripped_from_the_first_header_name()
        {
            Assert.Equal("q1", Assert.Single(ReadAll("\uFEFFIdentity,Status\nq1,Retry\n"))["Identity"]);
            Assert.Equal("q1", Assert.Single(ReadAll("\uFEFF\"Identity\",\"Status\"\nq1,Retry\n"))["Identity"]);

            // A StreamReader told not to detect the BOM hands it through as U+FEFF.
            byte[] bytes = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes("Identity,Status\r\nq1,Retry\r\n")).ToArray();
            using (var sr = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false))
            {
                var row = Assert.Single(CsvRowReader.Read(sr));
                Assert.True(row.ContainsKey("Identity"));
                Assert.Equal("q1", row["Identity"]);
            }
        }

        [Fact]
        public void Short_rows_have_the_missing_fields_empty_and_long_rows_drop_the_extra_fields()
        {
            var rows = ReadAll("A,B,C\n1\n1,2,3,4,5\n");
            Assert.Equal(2, rows.Count);
            Assert.Equal(3, rows[0].Count);
            Assert.Equal("1", rows[0]["A"]);
            Assert.Equal("", rows[0]["B"]);
            Assert.Equal("", rows[0]["C"]);
            Assert.Equal(3, rows[1].Count);
            Assert.Equal("3", rows[1]["C"]);
            Assert.DoesNotContain("4", rows[1].Values);
            Assert.DoesNotContain("5", rows[1].Values);
        }

        [Fact]
        public void Extra_fields_still_count_against_MaxColumns()
        {
            var limits = new CsvLimits { MaxColumns = 4 };
            Assert.Single(ReadAll("A,B\n1,2,3,4\n", limits));
            var e = Fails("A,B\n1,2\n1,2,3,4,5\n", limits);
            Assert.Equal(3, e.Line);
        }

        [Fact]
        public void Duplicate_header_names_keep_the_first_column_whatever_their_case()
        {
            var row = Assert.Single(ReadAll("Status,STATUS,Detail,status\nfirst,second,d,fourth\n"));
            Assert.Equal(2, row.Count);
            Assert.Equal("first", row["status"]);
            Assert.Equal("d", row["Detail"]);
        }

        [Fact]
        public void Rows_are_fresh_case_insensitive_dictionaries_of_strings()
        {
            var rows = ReadAll("NextHopDomain,MessageCount\ncontoso.com,12\nfabrikam.com,3\n");
            Assert.NotSame(rows[0], rows[1]);
            Assert.Equal("contoso.com", rows[0]["nexthopdomain"]);   // still its own value after the next row was read
            Assert.Equal("fabrikam.com", rows[1]["NEXTHOPDOMAIN"]);
            Assert.IsType<string>(rows[1]["MessageCount"]);
        }

        [Fact]
        public void Blank_and_whitespace_lines_are_skipped()
        {
            var rows = ReadAll("\r\n\nA,B\n\n1,2\r\n\r\n   \n3,4\n\n\r\n");
            Assert.Equal(new[] { "1", "3" }, rows.Select(r => (string)r["A"]));
            Assert.Equal(new[] { "2", "4" }, rows.Select(r => (string)r["B"]));
        }

        [Theory]
        [InlineData(",,\n1,2,3\n")]
        [InlineData("  ,\"\" \r\n1,2\r\n")]
        public void A_header_that_names_no_column_is_refused(string csv) => Assert.Equal(1, Fails(csv).Line);

        [Theory]
        [InlineData("")]
        [InlineData("\r\n\n")]
        [InlineData("#TYPE System.Management.Automation.PSCustomObject\r\n")]
        public void An_input_without_a_header_yields_no_rows(string csv) => Assert.Empty(ReadAll(csv));

        // ---- malformed and hostile input ----

        [Fact]
        public void An_unterminated_quote_fails_with_the_line_it_opened_on()
        {
            var e = Fails("A,B\n1,2\n3,\"never closed\nstill inside\n");
            Assert.Equal(3, e.Line);
            Assert.Contains("line 3", e.Message);
        }

        [Theory]
        [InlineData("A,\0B\n1,2\n", 1)]
        [InlineData("A,B\n1,2\n3,\0\0\0\n", 3)]
        [InlineData("A,B\n\"1\0\",2\n", 2)]
        public void A_NUL_character_fails_as_a_binary_file(string csv, long line)
        {
            var e = Fails(csv);
            Assert.Equal(line, e.Line);
            Assert.Contains("binary", e.Message);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_million_columns_fail_fast_without_allocating_much(bool inHeader)
        {
            IEnumerable<string> Pieces()
            {
                if (!inHeader) yield return "A,B\n";
                for (int i = 0; i < 1_000_000; i++) yield return "x,";
                yield return "x\n";
            }
            var reader = new LazyReader(Pieces());
            long allocatedBefore = GC.GetTotalAllocatedBytes(true);
            var clock = Stopwatch.StartNew();
            var e = Fails(reader);
            clock.Stop();
            long allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;

            Assert.Contains("MaxColumns", e.Message);
            Assert.Equal(inHeader ? 1 : 2, e.Line);
            Assert.True(reader.HandedOut < 256 * 1024, $"read {reader.HandedOut} chars of a 2,000,000-char row");
            Assert.True(allocated < 16L * 1024 * 1024, $"allocated {allocated} bytes");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_50_MB_single_line_field_fails_after_reading_little_more_than_MaxFieldChars(bool quoted)
        {
            string block = new string('x', 1000);
            IEnumerable<string> Pieces()
            {
                yield return "Identity,LastError\r\nq1,";
                if (quoted) yield return "\"";
                for (int i = 0; i < 50_000; i++) yield return block;   // 50,000,000 chars, never held at once
            }
            var reader = new LazyReader(Pieces());
            var e = Fails(reader);
            Assert.Contains("MaxFieldChars", e.Message);
            Assert.Equal(2, e.Line);
            Assert.True(reader.HandedOut < 1024 * 1024, $"read {reader.HandedOut} chars");
            Assert.True(reader.HandedOut > new CsvLimits().MaxFieldChars);
        }

        [Fact]
        public void A_record_longer_than_MaxRecordChars_fails_though_each_field_is_within_bounds()
        {
            string field = new string('y', 6000);
            IEnumerable<string> Pieces()
            {
                yield return "A\n";
                for (int i = 0; i < 500; i++) { yield return field; yield return ","; }   // 3,000,500 chars in one record
                yield return "\n";
            }
            var reader = new LazyReader(Pieces());
            var e = Fails(reader);
            Assert.Contains("MaxRecordChars", e.Message);
            Assert.True(reader.HandedOut < 1024 * 1024 + 128 * 1024, $"read {reader.HandedOut} chars");

            var small = new CsvLimits { MaxRecordChars = 100 };
            Assert.Single(ReadAll("A,B\n" + new string('z', 40) + "," + new string('z', 40) + "\n", small));
            Assert.Equal(2, Fails("A,B\n" + new string('z', 60) + "," + new string('z', 60) + "\n", small).Line);
        }

        // ---- streaming ----

        [Fact]
        public void Arguments_are_checked_before_enumeration()
        {
            Assert.Throws<ArgumentNullException>(() => CsvRowReader.Read(null));
            Assert.Throws<ArgumentOutOfRangeException>(() => CsvRowReader.Read(new StringReader("A"), new CsvLimits { MaxFieldChars = 0 }));
        }

        // ---- recognising a header ----

        [Theory]
        [InlineData("origin_timestamp_utc,sender_address,recipient_status")]
        [InlineData("\"origin_timestamp_utc\",\"sender_address\",\"recipient_status\",\"message_subject\",\"total_bytes\"")]
        [InlineData("\uFEFFDate,Event,Action,Detail,Data,MessageId,MessageTraceId")]
        [InlineData("\"Identity\",\"DeliveryType\",\"Status\",\"MessageCount\",\"NextHopDomain\",\"LastError\"")]
        [InlineData("Sender address,Recipient address,Status")]
        [InlineData("#TYPE System.Management.Automation.PSCustomObject")]
        [InlineData("#TYPE Deserialized.Microsoft.Exchange.Data.QueueViewer.ExtensibleQueueInfo")]
        public void LooksLikeHeader_accepts_header_lines(string line) => Assert.True(CsvRowReader.LooksLikeHeader(line));

        [Theory]
        [InlineData("450 4.4.316 Connection refused")]
        [InlineData("Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061]};{MSG=};{FQDN=mx.contoso.com};{IP=203.0.113.5};{LRT=}]")]
        [InlineData("550 5.4.316 Message expired, connection refused")]
        [InlineData("451-4.4.0 DNS query failed, retry later")]
        [InlineData("4.4.316, connection refused")]
        [InlineData("Identity")]
        [InlineData("2024-05-01T10:00:00Z,Defer,Defer")]
        [InlineData("Attempted failover to alternate host, but that did not succeed")]
        [InlineData("Received: from mx.contoso.com, by mail.fabrikam.com")]
        [InlineData("A,B,=cmd|' /C calc'!A0")]
        [InlineData(",Status,Detail")]
        [InlineData("   ")]
        [InlineData("")]
        [InlineData(null)]
        public void LooksLikeHeader_rejects_other_lines(string line) => Assert.False(CsvRowReader.LooksLikeHeader(line));

        /// <summary>A TextReader that produces its text piece by piece on demand and counts what it handed out.</summary>
        internal sealed class LazyReader : TextReader
        {
            readonly IEnumerator<string> pieces;
            readonly int maxChunk;
            string current = "";
            int offset;

            public LazyReader(IEnumerable<string> pieces, int maxChunk = int.MaxValue)
            {
                this.pieces = pieces.GetEnumerator();
                this.maxChunk = maxChunk;
            }

            public long HandedOut { get; private set; }

            public override int Read(char[] buffer, int index, int count)
            {
                count = Math.Min(count, maxChunk);
                int written = 0;
                while (written < count)
                {
                    if (offset == current.Length)
                    {
                        if (!pieces.MoveNext()) break;
                        current = pieces.Current;
                        offset = 0;
                        continue;
                    }
                    int n = Math.Min(count - written, current.Length - offset);
                    current.CopyTo(offset, buffer, index + written, n);
                    offset += n;
                    written += n;
                }
                HandedOut += written;
                return written;
            }

            public override int Read()
            {
                var one = new char[1];
                return Read(one, 0, 1) == 1 ? one[0] : -1;
            }

            public override int Peek()
            {
                while (offset == current.Length)
                {
                    if (!pieces.MoveNext()) return -1;
                    current = pieces.Current;
                    offset = 0;
                }
                return current[offset];
            }
        }
    }

    /// <summary>Measures live memory of the whole process, so it runs with nothing else beside it.</summary>
    [Collection("Alone")]
    public sealed class CsvRowReaderMemoryTests
    {
        [Fact]
        public void Two_hundred_thousand_rows_stream_in_bounded_memory()
        {
            const int Rows = 200_000;
            IEnumerable<string> Pieces()
            {
                yield return "Date,Event,Action,Detail,Data,MessageId,MessageTraceId,RecipientAddress,Connector,Status\r\n";
                for (int i = 0; i < Rows; i++)
                    yield return "2024-05-01T10:00:00Z,Defer,Defer,\"450 4.4.316 Connection refused [Message=Socket error code 10061] " +
                                 "[LastAttemptedServerName=mx.contoso.com] [LastAttemptedIP=203.0.113.5:25]\"," +
                                 "\"<Data><MEP Name=\"\"ConnectorId\"\" String=\"\"To Contoso\"\" /></Data>\"," +
                                 "<m" + i + "@contoso.com>," + i + ",user" + i + "@contoso.com,To Contoso,Pending\r\n";
            }

            long baseline = GC.GetTotalMemory(true);
            long worst = 0;
            int count = 0;
            IReadOnlyDictionary<string, object> last = null;
            foreach (var row in CsvRowReader.Read(new CsvRowReaderTests.LazyReader(Pieces())))
            {
                count++;
                last = row;
                if (count % 50_000 == 0) worst = Math.Max(worst, GC.GetTotalMemory(true) - baseline);
            }

            Assert.Equal(Rows, count);
            Assert.Equal((Rows - 1).ToString(), last["MessageTraceId"]);
            Assert.Equal("450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mx.contoso.com] [LastAttemptedIP=203.0.113.5:25]", last["Detail"]);
            Assert.True(worst < 50L * 1024 * 1024, $"live memory grew by {worst} bytes while streaming");
        }
    }
}
