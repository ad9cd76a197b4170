using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Text;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// The shortcuts taken so a large report reads fast in a fresh session (CSV rows sharing their header's column map,
    /// the numeric-date check before its regex, clean text not copied) give what the plain way gives.
    /// </summary>
    public sealed class FastPathTests
    {
        static readonly DateTime AsOf = new DateTime(2026, 3, 14, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>The rows as a dictionary per row, the way the reader built them before it shared its header.</summary>
        static Dictionary<string, object> AsDictionary(IReadOnlyDictionary<string, object> row)
        {
            var copy = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, object> pair in row) copy.Add(pair.Key, pair.Value);
            return copy;
        }

        [Fact]
        public void A_CSV_row_answers_as_a_dictionary_of_its_header_would()
        {
            string longName = "Column" + new string('x', 64);   // past the length shortcut's 63 characters
            string csv = "\uFEFF Event ,Detail,,event," + longName + ",Date,DETAIL\r\n" +
                         "DEFER,450 4.4.316 refused,skipped,dup,long value,2026-03-13T10:00:00Z,dup2\r\n" +
                         "FAIL,short row\r\n";
            List<IReadOnlyDictionary<string, object>> rows = CsvRowReader.Read(new StringReader(csv)).ToList();
            Assert.Equal(2, rows.Count);

            IReadOnlyDictionary<string, object> first = rows[0], second = rows[1];
            Assert.Equal(new[] { "Event", "Detail", longName, "Date" }, first.Keys);
            Assert.Equal(4, first.Count);
            Assert.Equal(new object[] { "DEFER", "450 4.4.316 refused", "long value", "2026-03-13T10:00:00Z" }, first.Values);
            Assert.Equal(first.Keys.Zip(first.Values, (k, v) => new KeyValuePair<string, object>(k, v)), first);
            Assert.Equal(new object[] { "FAIL", "short row", "", "" }, second.Values);   // a short row: the rest are empty

            foreach (string name in first.Keys)
            {
                foreach (string spelling in new[] { name, name.ToUpperInvariant(), name.ToLowerInvariant() })
                {
                    Assert.True(first.ContainsKey(spelling), spelling);
                    Assert.True(first.TryGetValue(spelling, out object value), spelling);
                    Assert.Equal(AsDictionary(first)[name], value);
                    Assert.Equal(value, first[spelling]);
                }
            }
            // Absent names, some of the same length as present ones ("Evenx" and "Event"), and null.
            foreach (string absent in new[] { "Evenx", "Detaix", "Status", "", "Column" + new string('y', 64), "recipient_status" })
            {
                Assert.False(first.ContainsKey(absent), absent);
                Assert.False(first.TryGetValue(absent, out object value), absent);
                Assert.Null(value);
                Assert.Throws<KeyNotFoundException>(() => first[absent]);
            }
            Assert.False(first.TryGetValue(null, out _));
        }

        /// <summary>A message trace detail export with the shapes the reader meets: codes of several kinds, three date spellings, connectors in two cases, delivered rows.</summary>
        static string TraceDetailReport()
        {
            string[] reasons =
            {
                "Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]",
                "Reason: [{LED=450 4.4.315 Connection timed out [LastAttemptedServerName=mx.fabrikam.com] [LastAttemptedIP=198.51.100.7:25]}]",
                "Reason: [{LED=450 4.7.320 Certificate validation failed [Message=SubjectMismatch] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]",
                "451 4.4.0 DNS query failed. The error was: DNS query failed with error ErrorRetry",
                "550 5.4.316 Message expired, connection refused(Socket error code 10061)",
                "Delivered",
            };
            string[] dates = { "2026-03-13T{0:00}:{1:00}:00Z", "3/13/2026 {0}:{1:00}:00 AM", "13/03/2026 {0:00}:{1:00}:00" };
            var sb = new StringBuilder("Date,Event,Detail,MessageTraceId,MessageId,RecipientAddress,Data\r\n");
            for (int i = 0; i < 600; i++)
            {
                int m = i % 97;
                string reason = reasons[m % reasons.Length];
                string date = string.Format(CultureInfo.InvariantCulture, dates[i % dates.Length], 1 + i % 11, i % 60);
                string ev = reason == "Delivered" ? "Deliver" : "Defer";
                string connector = m % 4 == 0 ? "TenantOutboundConnectorCustomData=Name=Outbound A;" : m % 4 == 1 ? "TenantOutboundConnectorCustomData=Name=OUTBOUND a;" : "";
                string recipient = m % 5 == 0 ? $"User{m}@Contoso.com; user{m}@contoso.com" : $"user{m}@contoso.com";
                sb.Append(date).Append(',').Append(ev).Append(",\"").Append(reason.Replace("\"", "\"\"")).Append("\",")
                  .Append($"00000000-0000-0000-0000-{m:000000000000},<m{m}@contoso.com>,\"{recipient}\",\"{connector}\"\r\n");
            }
            return sb.ToString();
        }

        /// <summary>A historical search report (the Bench's shape, with a few other codes).</summary>
        static string HistoricalSearchReport()
        {
            var sb = new StringBuilder("date_time_utc,event_id,message_id,recipient_address,connector_id,recipient_status,original_server_ip\r\n");
            for (int i = 0; i < 600; i++)
            {
                int m = i % 131;
                string status = (m % 4) switch
                {
                    0 => "Reason: [{LED=450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]",
                    1 => "Reason: [{LED=450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot] [LastAttemptedServerName=mx.fabrikam.com]}]",
                    2 => "250 2.6.0 Queued mail for delivery",
                    _ => "",
                };
                sb.Append($"2026-03-13T{i % 24:00}:{i % 60:00}:00Z,{(m % 4 == 2 ? "SEND" : "DEFER")},<m{m}@contoso.com>,user{m % 17}@contoso.com,Outbound {m % 3},\"{status}\",203.0.113.{m % 7}\r\n");
            }
            return sb.ToString();
        }

        static string Alerts(IEnumerable<EvidenceRecord> records)
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = AsOf });
            foreach (EvidenceRecord r in records) aggregator.Add(r);
            return JsonSerializer.Serialize(aggregator.Alerts().ToList(), new JsonSerializerOptions { WriteIndented = true });
        }

        [Theory]
        [InlineData("detail")]
        [InlineData("historical")]
        public void A_report_read_from_its_file_gives_the_alerts_of_its_rows_read_one_by_one(string kind)
        {
            string csv = kind == "detail" ? TraceDetailReport() : HistoricalSearchReport();
            string path = Path.Combine(Path.GetTempPath(), $"mfi-fastpath-{Guid.NewGuid():N}.csv");
            File.WriteAllText(path, csv);
            try
            {
                var passedOver = new List<IReadOnlyDictionary<string, object>>();
                string fromFile = Alerts(EvidenceFileReader.Read(path, passedOver: passedOver.Add,
                    dates: new EvidenceDates(null, CultureInfo.InvariantCulture)).ToList());

                // The same rows, each copied into a dictionary of its own and read alone (one EvidenceDates for the
                // file, as the file reader has; it learns the file's dates first, as the file reader does for a small file).
                var dates = new EvidenceDates(null, CultureInfo.InvariantCulture);
                var rows = CsvRowReader.Read(new StringReader(csv)).Select(AsDictionary).ToList();
                foreach (var row in rows)
                    foreach (object value in row.Values)
                        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches((string)value, @"\d{1,2}/\d{1,2}/\d{4}"))
                            dates.Learn(m.Value);
                var records = new List<EvidenceRecord>();
                int none = 0;
                foreach (var row in rows)
                {
                    EvidenceRecord r = RowInterpreter.Interpret(row, Path.GetFileName(path), out _, dates);
                    if (r != null) records.Add(r); else none++;
                }
                string oneByOne = Alerts(records);

                Assert.NotEqual("[]", fromFile);
                Assert.Equal(oneByOne, fromFile);
                Assert.Equal(none, passedOver.Count);
                Assert.True(none > 0, "the report should hold rows that carry no failure");
            }
            finally { File.Delete(path); }
        }

        [Fact]
        public void The_numeric_date_check_lets_through_every_text_the_pattern_matches()
        {
            // Shapes near the pattern's: white space of every kind, digits of other scripts (Arabic-Indic, fullwidth),
            // one to three digits per part, matching and mismatched separators, letters, and a time or not.
            string[] spaces = { "", " ", "\t", "\u00A0", "\u2003", "  " };
            char[] digits = "0123456789\u0663\uFF13".ToCharArray();
            char[] separators = "/.-: x".ToCharArray();
            var random = new Random(8);
            string Digits(int min, int max)
            {
                var sb = new StringBuilder();
                for (int n = random.Next(min, max + 1); n > 0; n--) sb.Append(digits[random.Next(digits.Length)]);
                return sb.ToString();
            }
            var texts = new List<string>
            {
                "3/13/2026", " 13.03.2026 10:00", "\u00A013-03-2026", "\u0663/\u0664/\u0662\u0660\u0662\u0666", "123/4/2026", "1/", "12-",
                "2026-03-13T10:00:00Z", "", " ", "Fri, 13 Mar 2026 10:00:00 GMT",
            };
            for (int i = 0; i < 20000; i++)
            {
                char sep = separators[random.Next(separators.Length)];
                char sep2 = random.Next(4) == 0 ? separators[random.Next(separators.Length)] : sep;
                texts.Add(spaces[random.Next(spaces.Length)] + Digits(0, 3) + sep + Digits(1, 3) + sep2 + Digits(3, 5)
                          + (random.Next(2) == 0 ? "" : " 10:00:00 PM"));
            }
            foreach (string text in texts)
                if (EvidenceDates.Numeric.IsMatch(text)) Assert.True(EvidenceDates.MayBeNumeric(text), text);
            Assert.False(EvidenceDates.MayBeNumeric("2026-03-13T10:00:00Z"));   // the shortcut does skip ISO dates
            Assert.True(texts.Count(EvidenceDates.Numeric.IsMatch) > 200, "the generated texts should match the pattern often");
        }

        [Fact]
        public void An_ISO_date_read_without_TryParse_is_the_date_TryParse_reads()
        {
            var random = new Random(32);
            string Two(int max) => random.Next(0, max).ToString("00", CultureInfo.InvariantCulture);
            var texts = new List<string>
            {
                "2026-11-27T03:04:00Z", "2026-11-27T03:04:00.1234567Z", "2026-11-27T03:04:00.5Z", "2024-02-29T23:59:59.9999999Z",
                "2026-02-29T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T03:04:60Z", "2026-11-27T03:04:00.Z", "2026-11-27t03:04:00z",
                "2026-11-27T03:04:00+01:00", "2026-11-27 03:04:00Z", " 2026-11-27T03:04:00Z", "0001-01-01T00:00:00Z", "2026-11-27T03:04:00.12345678Z",
                "2026-1a-27T03:04:00Z", "\u0662026-11-27T03:04:00Z",
            };
            for (int i = 0; i < 20000; i++)
            {
                string fraction = random.Next(3) == 0 ? "" : "." + random.Next(0, 100000000).ToString("00000000", CultureInfo.InvariantCulture).Substring(0, random.Next(1, 8));
                texts.Add(random.Next(1990, 2100).ToString(CultureInfo.InvariantCulture) + "-" + Two(14) + "-" + Two(33) + "T" + Two(26) + ":" + Two(62) + ":" + Two(62) + fraction + "Z");
            }
            const DateTimeStyles styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
            int read = 0;
            foreach (string text in texts)
            {
                if (!EvidenceDates.TryUtcIso(text, out DateTime fast)) continue;
                read++;
                Assert.True(DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out DateTime parsed), text);
                Assert.Equal(parsed, fast);
                Assert.Equal(parsed.Kind, fast.Kind);
            }
            Assert.True(EvidenceDates.TryUtcIso("2026-11-27T03:04:00.1234567Z", out _));
            Assert.True(read > 5000, $"only {read} dates were read without TryParse");
        }

        [Fact]
        public void A_value_taken_for_one_address_is_the_address_pattern_s_only_match()
        {
            // Near-addresses: a local part, "@", labels and dots, a last label of letters or not, and noise anywhere,
            // drawn from every character class of the pattern and from characters outside it.
            string[] local = { "a", "Z9", "o'b", "x_y", "p%q", "a+b", "-", ".", "", " ", "\u00E9", "a;b", "<u" };
            string[] labels = { "b", "contoso", "c-d", "0", "", ".", "-", "\u00E9", " ", "@x" };
            string[] last = { "cd", "com", "c", "c1", "", "C", "Com", "de;", "uk>", "org " };
            var random = new Random(16);
            string Pick(string[] items) => items[random.Next(items.Length)];
            var values = new List<string>
            {
                "user1@contoso.com", "o'brien+tag@mail.contoso.co.uk", "a@b.cd", "a@b.c", "a@.cd", "@b.cd", "a@b.c1", "a@b.cd1",
                "a@b@c.com", "a@b.cd;", " a@b.cd", "a@b..cd", "a-b@c-d.e-f.gh", "User1@Contoso.com; user1@contoso.com",
            };
            for (int i = 0; i < 50000; i++)
            {
                var sb = new StringBuilder();
                for (int n = random.Next(0, 3); n >= 0; n--) sb.Append(Pick(local));
                if (random.Next(8) != 0) sb.Append('@');
                for (int n = random.Next(0, 3); n >= 0; n--) sb.Append(Pick(labels)).Append(random.Next(6) == 0 ? "" : ".");
                sb.Append(Pick(last));
                values.Add(sb.ToString());
            }
            int taken = 0;
            foreach (string value in values)
            {
                if (!RowInterpreter.IsOneAddress(value)) continue;
                taken++;
                var matches = RowInterpreter.Address.Matches(value);
                Assert.True(matches.Count == 1 && matches[0].Value == value, value);
            }
            Assert.True(RowInterpreter.IsOneAddress("user1@contoso.com"));
            Assert.False(RowInterpreter.IsOneAddress("User1@Contoso.com; user1@contoso.com"));   // two: left to the pattern
            Assert.True(taken > 1000, $"only {taken} values were taken for one address");
        }

        [Fact]
        public void The_aggregator_s_hash_map_holds_what_a_dictionary_holds()
        {
            var map = new HashMap<long>();
            var reference = new Dictionary<ulong, long>();
            var random = new Random(24);
            var buffer = new byte[8];
            for (int i = 0; i < 100000; i++)
            {
                // Random keys, 0, and keys alike in their low or high bits (the table uses the high bits of a product).
                ulong key;
                switch (i % 4)
                {
                    case 0: random.NextBytes(buffer); key = BitConverter.ToUInt64(buffer, 0); break;
                    case 1: key = (ulong)random.Next(0, 5000); break;
                    case 2: key = (ulong)random.Next(0, 5000) << 48; break;
                    default: key = (ulong)random.Next(0, 5000) * 0x9E3779B97F4A7C15UL; break;
                }
                ref long value = ref map.GetOrAdd(key, out bool added);
                Assert.Equal(!reference.ContainsKey(key), added);
                reference.TryGetValue(key, out long known);
                Assert.Equal(known, value);
                value += i;
                reference[key] = known + i;
            }
            Assert.Equal(reference.Count, map.Count);
            foreach (KeyValuePair<ulong, long> pair in reference)
            {
                Assert.True(map.TryGetValue(pair.Key, out long value));
                Assert.Equal(pair.Value, value);
            }
            Assert.False(map.TryGetValue(12345678901234567UL, out _));
            Assert.Equal(reference.OrderBy(p => p.Key), map.Pairs().OrderBy(p => p.Key));
        }

        [Theory]
        [InlineData("mail.contoso.com")]
        [InlineData("Outbound to Fabrikam (TLS)")]
        [InlineData("caf\u00E9 \u00E0 Montr\u00E9al")]
        public void Clean_text_comes_back_as_it_is(string text) => Assert.Same(text, Untrusted.Clean(text));

        [Theory]
        [InlineData("a\tb", "a b")]
        [InlineData("=1+1", "'=1+1")]
        [InlineData("x\u0007", "x\\x07")]
        public void Text_that_needs_cleaning_is_still_cleaned(string text, string expected) => Assert.Equal(expected, Untrusted.Clean(text));

        [Fact]
        public void Text_of_exactly_the_bound_is_kept_whole_and_one_more_character_is_cut()
        {
            string bound = new string('x', Untrusted.DefaultMaxLength);
            Assert.Same(bound, Untrusted.Clean(bound));
            Assert.Equal(bound + "...", Untrusted.Clean(bound + "y"));
        }
    }
}
