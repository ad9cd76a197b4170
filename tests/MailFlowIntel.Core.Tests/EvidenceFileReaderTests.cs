using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>Files of every kind and hostile files, read through the one entry point the cmdlet uses.</summary>
    [Collection("Alone")]
    public sealed class EvidenceFileReaderTests : IDisposable
    {
        readonly string dir = Path.Combine(Path.GetTempPath(), "mfi-files-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        public EvidenceFileReaderTests() => Directory.CreateDirectory(dir);
        public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

        string Write(string name, string text)
        {
            string path = Path.Combine(dir, name);
            File.WriteAllText(path, text, new UTF8Encoding(false));
            return path;
        }

        [Fact]
        public void The_format_is_recognised_from_the_content_not_the_name()
        {
            string csv = Write("report.txt", "date_time_utc,event_id,message_id,recipient_status\r\n2026-11-27T10:00:00Z,DEFER,<a@x>,\"450 4.4.316 Connection refused\"\r\n");
            string text = Write("trace.csv", "deferred: 450 4.4.315 Connection timed out\n");
            string eml = Path.Combine(dir, "bounce.log");
            File.Copy(Path.Combine(EvidenceCorpusTests.DataDirectory(), "ndr", "expired-5.4.316-two-recipients.eml"), eml);

            EvidenceRecord row = Assert.Single(EvidenceFileReader.Read(csv));
            Assert.Equal("MessageTraceDetail", row.Source);
            Assert.Equal("report.txt", row.File);
            EvidenceRecord line = Assert.Single(EvidenceFileReader.Read(text));
            Assert.Equal("Text", line.Source);
            Assert.Equal("trace.csv", line.File);
            var ndr = EvidenceFileReader.Read(eml).ToList();
            Assert.Equal(2, ndr.Count);
            Assert.All(ndr, r => Assert.Equal("Ndr", r.Source));
        }

        [Fact]
        public void A_binary_file_is_refused_clearly()
        {
            string path = Path.Combine(dir, "photo.jpg");
            File.WriteAllBytes(path, new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00 });
            var ex = Assert.Throws<EvidenceFormatException>(() => EvidenceFileReader.Read(path).ToList());
            Assert.Contains("binary", ex.Message);
        }

        [Fact]
        public void Invalid_UTF8_is_read_with_replacement_characters_not_refused()
        {
            string path = Path.Combine(dir, "latin1.log");
            byte[] bytes = Encoding.ASCII.GetBytes("relay d\u00e9faillant: 450 4.4.316 Connection refused \xff\xfe\n").Select(b => b).ToArray();
            bytes = bytes.Concat(new byte[] { 0xC3, 0x28, 0x0A }).ToArray();   // an invalid two-byte sequence
            File.WriteAllBytes(path, bytes);
            EvidenceRecord r = Assert.Single(EvidenceFileReader.Read(path));
            Assert.Equal("450 4.4.316", r.Family.Code);
        }

        [Fact]
        public void A_50_MB_single_line_is_read_in_bounded_time_and_memory()
        {
            string path = Path.Combine(dir, "one-line.txt");
            using (var w = new StreamWriter(path, false, new UTF8Encoding(false)))
            {
                w.Write("450 4.4.316 Connection refused ");
                var chunk = new string('x', 1 << 20);
                for (int i = 0; i < 50; i++) w.Write(chunk);
                w.Write('\n');
            }
            GC.Collect();
            long before = GC.GetTotalMemory(true);
            var clock = Stopwatch.StartNew();
            EvidenceRecord r = Assert.Single(EvidenceFileReader.Read(path));
            Assert.Equal("450 4.4.316", r.Family.Code);
            Assert.True(r.Text.Length <= TextEvidence.MaxTextLine, r.Text.Length.ToString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
            Assert.True(GC.GetTotalMemory(true) - before < 16L * 1024 * 1024);
        }

        [Fact]
        public void A_CSV_with_a_million_columns_in_one_row_is_refused_for_that_file()
        {
            string path = Path.Combine(dir, "wide.csv");
            using (var w = new StreamWriter(path, false, new UTF8Encoding(false)))
            {
                w.Write("date_time_utc,event_id,recipient_status\r\n2026-11-27T10:00:00Z,DEFER,450 4.4.316");
                for (int i = 0; i < 1_000_000; i++) w.Write(",x");
                w.Write("\r\n");
            }
            var clock = Stopwatch.StartNew();
            var ex = Assert.Throws<EvidenceFormatException>(() => EvidenceFileReader.Read(path).ToList());
            Assert.True(ex.Line >= 2, ex.Line.ToString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
        }

        [Fact]
        public void An_empty_file_says_so()
        {
            Assert.Contains("empty", Assert.Throws<EvidenceFormatException>(() => EvidenceFileReader.Read(Write("empty.txt", "")).ToList()).Message);
        }

        [Fact]
        public void A_UTF16_file_as_Windows_PowerShell_writes_it_is_read()
        {
            string utf16 = Path.Combine(dir, "queue.txt");
            File.WriteAllText(utf16, "Identity,NextHopDomain,DeliveryType,MessageCount,LastError\r\nEX01\\7,mail.contoso.com,SmartHostConnectorDelivery,12,\"451 4.4.0 Primary target IP address responded with: \"\"Failed to connect. Winsock error code: 10061\"\"\"\r\n", Encoding.Unicode);
            EvidenceRecord r = Assert.Single(EvidenceFileReader.Read(utf16));
            Assert.Equal("450 4.4.316", r.Family.Code);
            Assert.Equal(12, r.MessageCount);
        }
    }
}
