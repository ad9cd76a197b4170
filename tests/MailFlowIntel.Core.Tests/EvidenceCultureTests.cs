using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>Evidence written in any culture: dates in the writer's order, fields split by the writer's list separator.</summary>
    public sealed class EvidenceCultureTests
    {
        static readonly CultureInfo EnUs = CultureInfo.GetCultureInfo("en-US");
        static readonly CultureInfo FrFr = CultureInfo.GetCultureInfo("fr-FR");
        static readonly CultureInfo DeDe = CultureInfo.GetCultureInfo("de-DE");
        static readonly CultureInfo EnAu = CultureInfo.GetCultureInfo("en-AU");

        static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) => new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc);

        // ---- one date alone ----

        [Theory]
        [InlineData("2026-03-04T10:00:00Z")]
        [InlineData("2026-03-04 10:00:00")]
        [InlineData("Wed, 04 Mar 2026 10:00:00 GMT")]
        public void ISO_and_RFC_1123_dates_say_their_own_order_in_every_culture(string text)
        {
            foreach (CultureInfo current in new[] { EnUs, FrFr, DeDe, CultureInfo.InvariantCulture })
                Assert.Equal(Utc(2026, 3, 4, 10), new EvidenceDates(null, current).Parse(text));
        }

        [Theory]
        [InlineData("13/03/2026 10:00:00", 2026, 3, 13)]      // fr-FR, en-GB
        [InlineData("3/13/2026 10:00:00 AM", 2026, 3, 13)]    // en-US
        [InlineData("13.03.2026 10:00:00", 2026, 3, 13)]      // de-DE
        [InlineData("03/13/2026 10:00:00", 2026, 3, 13)]      // invariant
        public void A_part_above_12_decides_whatever_the_current_culture(string text, int y, int m, int d)
        {
            foreach (CultureInfo current in new[] { EnUs, FrFr, DeDe, CultureInfo.InvariantCulture })
                Assert.Equal(Utc(y, m, d, 10), new EvidenceDates(null, current).Parse(text));
        }

        [Theory]
        [InlineData("fr-FR", "03/04/2026 10:00:00", 4, 3)]    // fr-FR writes dd/MM/yyyy HH:mm:ss: this is its shape
        [InlineData("en-US", "3/4/2026 10:00:00 AM", 3, 4)]   // en-US writes M/d/yyyy h:mm:ss tt
        [InlineData("de-DE", "03.04.2026 10:00:00", 4, 3)]
        [InlineData("", "03/04/2026 10:00:00", 3, 4)]         // the invariant culture writes MM/dd/yyyy HH:mm:ss
        [InlineData("en-AU", "3/04/2026 10:00:00 am", 4, 3)]  // a day-first 12-hour culture reads its own files
        public void An_ambiguous_date_in_the_current_cultures_own_shape_is_read_in_its_order(string culture, string text, int month, int day)
        {
            var dates = new EvidenceDates(null, CultureInfo.GetCultureInfo(culture));
            Assert.Equal(Utc(2026, month, day, 10), dates.Parse(text));
        }

        [Fact]
        public void Dots_are_day_first_and_AM_PM_is_month_first_when_the_current_culture_does_not_write_that_shape()
        {
            Assert.Equal(Utc(2026, 4, 3, 10), new EvidenceDates(null, EnUs).Parse("03.04.2026 10:00:00"));
            Assert.Equal(Utc(2026, 3, 4, 22), new EvidenceDates(null, FrFr).Parse("3/4/2026 10:00:00 PM"));
        }

        [Theory]
        [InlineData("en-US", "03/04/2026 10:00:00")]   // a 24-hour "/" date: fr-FR's shape, or the invariant culture's
        [InlineData("de-DE", "03/04/2026 10:00:00")]
        [InlineData("de-DE", "03/04/2026")]
        public void An_ambiguous_date_in_a_shape_the_current_culture_does_not_write_is_an_error_naming_Culture(string culture, string text)
        {
            var ex = Assert.Throws<FormatException>(() => new EvidenceDates(null, CultureInfo.GetCultureInfo(culture)).Parse(text));
            Assert.Contains("-Culture", ex.Message);
            Assert.Contains(text, ex.Message);
        }

        [Fact]
        public void A_stated_culture_decides_and_refuses_a_date_it_does_not_write()
        {
            Assert.Equal(Utc(2026, 3, 4, 10), new EvidenceDates(EnUs, FrFr).Parse("03/04/2026 10:00:00"));
            Assert.Equal(Utc(2026, 4, 3, 10), new EvidenceDates(FrFr, EnUs).Parse("03/04/2026 10:00:00"));
            Assert.Throws<FormatException>(() => new EvidenceDates(EnUs, FrFr).Parse("13/03/2026 10:00:00"));
            Assert.Equal(Utc(2026, 3, 4, 10), new EvidenceDates(FrFr, EnUs).Parse("2026-03-04T10:00:00Z"));   // ISO in any culture
        }

        [Fact]
        public void A_day_first_date_settles_the_ambiguous_ones_of_the_same_file_and_another_file_starts_afresh()
        {
            var session = new EvidenceDates(null, EnUs);   // en-US alone could not read a 24-hour "/" date
            EvidenceDates file = session.ForFile();
            file.Learn("14/03/2026 09:00:00");
            Assert.Equal(Utc(2026, 4, 3, 10), file.Parse("03/04/2026 10:00:00"));

            EvidenceDates month = session.ForFile();
            month.Learn("03/14/2026 09:00:00");
            Assert.Equal(Utc(2026, 3, 4, 10), month.Parse("03/04/2026 10:00:00"));

            Assert.Throws<FormatException>(() => session.ForFile().Parse("03/04/2026 10:00:00"));
        }

        [Fact]
        public void A_file_whose_dates_disagree_settles_nothing()
        {
            var dates = new EvidenceDates(null, DeDe);
            dates.Learn("14/03/2026");
            dates.Learn("03/14/2026");
            Assert.Throws<FormatException>(() => dates.Parse("03/04/2026 10:00:00"));
            Assert.Equal(Utc(2026, 3, 14), dates.Parse("14/03/2026"));   // a date that shows its order still reads
        }

        [Theory]
        [InlineData("hello")]
        [InlineData("450 4.4.316")]
        [InlineData("")]
        public void Text_that_is_no_date_is_null(string text) => Assert.Null(new EvidenceDates(null, FrFr).Parse(text));

        [Fact]
        public void An_impossible_date_is_an_error_not_a_rollover() =>
            Assert.Throws<FormatException>(() => new EvidenceDates(null, FrFr).Parse("31/02/2026 10:00:00"));

        // ---- delimiters ----

        [Theory]
        [InlineData("Date,Detail,MessageId", ',')]
        [InlineData("\"Date\";\"Detail\";\"MessageId\"", ';')]
        [InlineData("Date\tDetail\tMessageId", '\t')]
        [InlineData("\"a;b\",c,d", ',')]     // separators inside quotes do not count
        [InlineData("Date", ',')]
        public void The_delimiter_is_the_headers_most_frequent_separator(string header, char expected) =>
            Assert.Equal(expected, CsvRowReader.DetectDelimiter(header));

        [Fact]
        public void A_semicolon_CSV_is_read_field_by_field_with_quoted_semicolons_kept()
        {
            string csv = "\"Date\";\"Detail\"\r\n\"13/03/2026 10:00:00\";\"450 4.4.316; Connection refused\"\r\n";
            var row = Assert.Single(CsvRowReader.Read(new StringReader(csv), null, ';'));
            Assert.Equal("13/03/2026 10:00:00", row["Date"]);
            Assert.Equal("450 4.4.316; Connection refused", row["Detail"]);
            Assert.True(CsvRowReader.LooksLikeHeader("\"Date\";\"Detail\";\"MessageId\""));
        }

        // ---- whole files ----

        static string Write(string name, string text)
        {
            string dir = Path.Combine(Path.GetTempPath(), "mfi-culture-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, name);
            File.WriteAllText(path, text, new UTF8Encoding(true));
            return path;
        }

        const string TraceHeader = "Date;Event;Detail;MessageId;RecipientAddress;Received";

        static string TraceRow(string date, string id) =>
            $"\"{date}\";\"Defer\";\"450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=192.0.2.10:25]\";\"<{id}@contoso.com>\";\"a@contoso.com\";\"{date}\"";

        [Fact]
        public void A_semicolon_file_with_a_day_first_date_late_in_it_reads_the_earlier_ambiguous_dates_day_first()
        {
            string path = Write("trace-fr.csv", "#TYPE Deserialized.Trace\r\n" + TraceHeader + "\r\n"
                + TraceRow("03/04/2026 10:00:00", "m1") + "\r\n" + TraceRow("13/04/2026 10:00:00", "m2") + "\r\n");
            List<EvidenceRecord> records = EvidenceFileReader.Read(path, null, null, new EvidenceDates(null, EnUs)).ToList();
            Assert.Equal(2, records.Count);
            Assert.Equal(Utc(2026, 4, 3, 10), records[0].ObservedAt);
            Assert.Equal(Utc(2026, 4, 13, 10), records[1].ObservedAt);
            Assert.All(records, r => Assert.Equal("4.4.316", r.Family?.EnhancedStatusCode));
        }

        [Fact]
        public void An_undecidable_date_is_an_error_for_its_row_and_the_other_rows_are_read()
        {
            string path = Write("trace-undecided.csv", TraceHeader + "\r\n" + TraceRow("03/04/2026 10:00:00", "m1") + "\r\n"
                + TraceRow("2026-04-05T10:00:00Z", "m2") + "\r\n");
            var errors = new List<EvidenceFormatException>();
            List<EvidenceRecord> records = EvidenceFileReader.Read(path, null, errors.Add, new EvidenceDates(null, DeDe)).ToList();
            var record = Assert.Single(records);
            Assert.Equal(Utc(2026, 4, 5, 10), record.ObservedAt);
            var error = Assert.Single(errors);
            Assert.StartsWith("row 1:", error.Message);
            Assert.Contains("-Culture", error.Message);

            // Saying the culture reads it.
            Assert.Equal(2, EvidenceFileReader.Read(path, null, null, new EvidenceDates(FrFr, DeDe)).Count());
        }

        [Fact]
        public void A_tab_separated_file_is_read()
        {
            string path = Write("queue.tsv", "Identity\tDeliveryType\tNextHopDomain\tLastError\tMessageCount\r\n"
                + "EX1\\3\tSmartHostConnectorDelivery\tmail.contoso.com\t451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped.\"\t7\r\n");
            var record = Assert.Single(EvidenceFileReader.Read(path).ToList());
            Assert.Equal(7, record.MessageCount);
            Assert.Equal("mail.contoso.com", record.DestinationServer);
        }
    }
}
