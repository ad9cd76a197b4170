using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// NDRs and delay notices read as evidence. The fixtures in Data/ndr were written by hand to the shape of real
    /// Exchange Online and Exchange Server reports (multipart/report with a human-readable part, a message/delivery-status
    /// part and the original message or its headers), with example domains and documentation addresses. Shapes followed:
    /// - the "Diagnostic information for administrators" section with "Server at ... returned '550 5.4.316 Message expired,
    ///   connection refused(Socket error code 10061)'" over the older "450 4.4.316 ... [LastAttemptedIP=...]" line:
    ///   public NDR pastes https://pastebin.com/1hR8dS3r and https://pastebin.com/8Gsn975J;
    /// - the nested expired form "550 5.4.317 Message expired, cannot connect to remote server(450-4.4.317 ... [LastAttemptedServerName=...]
    ///   [LastAttemptedIP=...])": https://pastebin.com/i5uFHMY0 and https://pastebin.com/HFigDHDT (fixture c applies the same
    ///   form to 4.7.320; a 5.4.320 sample was not found, so that one is by analogy);
    /// - the delivery-status fields Exchange Online writes (Reporting-MTA: dns;...prod.outlook.com, Received-From-MTA,
    ///   Arrival-Date, Original-Recipient, Final-Recipient: rfc822;..., Action, Status, Diagnostic-Code: smtp;..., X-Display-Name):
    ///   https://pastebin.com/diff/MfaFSQUv;
    /// - delay notices: "Delivery is delayed to these recipients or groups" and "for the next 22 hours and 51 minutes"
    ///   (https://pastebin.com/bAWb37W3), Will-Retry-Until and Last-Attempt-Date (https://pastebin.com/kAAtD00k);
    /// - the Exchange Server "#550 4.4.7 QUEUE.Expired; message expired ##" line: https://pastebin.com/zeZFJvKs;
    /// - the 4.7.320 SubjectMismatch reason: DESIGN.md section 4 and https://xostmoen.wordpress.com/2017/11/08/450-4-7-320-certificate-validation-failed/.
    /// </summary>
    public sealed class NdrReaderTests
    {
        static readonly Lazy<string> NdrDir = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string data = Path.Combine(dir.FullName, "tests", "MailFlowIntel.Core.Tests", "Data");
                if (Directory.Exists(data)) return Path.Combine(data, "ndr");
            }
            throw new DirectoryNotFoundException("tests/MailFlowIntel.Core.Tests/Data not found above " + AppContext.BaseDirectory);
        });

        internal static string Fixture(string name) => Path.Combine(NdrDir.Value, name);

        static IReadOnlyList<EvidenceRecord> ReadFixture(string name)
        {
            using var stream = File.OpenRead(Fixture(name));
            return NdrReader.Read(stream, name);
        }

        static IReadOnlyList<EvidenceRecord> ReadText(string text, string name = "generated.eml") =>
            NdrReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), name);

        static DateTime Utc(int y, int mo, int d, int h, int mi, int s) => new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc);

        // ------------------------------------------------------------ fixtures

        [Fact]
        public void Expired_connection_refused_report_gives_one_record_per_recipient()
        {
            var records = ReadFixture("expired-5.4.316-two-recipients.eml");

            Assert.Equal(2, records.Count);
            Assert.Equal(new[] { "alice@fabrikam.com" }, records[0].Recipients);
            Assert.Equal(new[] { "bob@fabrikam.com" }, records[1].Recipients);
            foreach (var r in records)
            {
                Assert.Equal("550 5.4.316", r.RawCode);
                Assert.Equal("5.4.316", r.EnhancedCode);
                Assert.True(r.Expired);
                Assert.Equal("mail.fabrikam.com", r.DestinationServer);
                Assert.Equal("203.0.113.25", r.LastAttemptedIP);     // from the retry history in the readable part
                Assert.Contains("10061", r.Detail);
                Assert.Equal("<DM6PR04MB657512AB34CD56EF@DM6PR04MB6575.namprd04.prod.outlook.com>", r.MessageKey);
                Assert.Equal(Utc(2025, 3, 3, 9, 30, 55), r.ArrivedAt);
                Assert.Null(r.ExpiresAt);
                Assert.Equal(EvidencePlatform.ExchangeOnline, r.Platform);
                Assert.Equal("Ndr", r.Source);
                Assert.Equal("expired-5.4.316-two-recipients.eml", r.File);
                Assert.StartsWith("Diagnostic-Code: smtp;550 5.4.316 Message expired, connection refused(Socket error code 10061)", r.Text);
                Assert.Equal(1, r.MessageCount);
            }
            Assert.Equal(Utc(2025, 3, 4, 9, 31, 2), records[0].ObservedAt);   // Last-Attempt-Date
            Assert.Equal(Utc(2025, 3, 4, 9, 41, 7), records[1].ObservedAt);   // none: the report's Date
        }

        [Fact]
        public void Delay_notice_gives_a_delayed_record_with_its_retry_deadline()
        {
            var r = Assert.Single(ReadFixture("delay-4.4.315-timeout.eml"));

            Assert.Equal(new[] { "frank@example.net" }, r.Recipients);
            Assert.Equal("450 4.4.315", r.RawCode);
            Assert.Equal("4.4.315", r.EnhancedCode);
            Assert.False(r.Expired);
            Assert.Equal("smtp.example.net", r.DestinationServer);
            Assert.Equal("198.51.100.7", r.LastAttemptedIP);
            Assert.Contains("10060", r.Detail);
            Assert.Equal("<SA1PR12MB70109C8D7E6F5A4B@SA1PR12MB7010.namprd12.prod.outlook.com>", r.MessageKey);  // text/rfc822-headers
            Assert.Equal(Utc(2025, 3, 12, 13, 5, 40), r.ArrivedAt);
            Assert.Equal(Utc(2025, 3, 12, 13, 53, 10), r.ObservedAt);
            Assert.Equal(Utc(2025, 3, 13, 13, 5, 40), r.ExpiresAt);          // Will-Retry-Until
            Assert.Equal(EvidencePlatform.ExchangeOnline, r.Platform);
        }

        [Fact]
        public void Delay_notice_without_its_report_part_takes_the_deadline_from_the_text()
        {
            string text = File.ReadAllText(Fixture("delay-4.4.315-timeout.eml"))
                .Replace("Content-Type: message/delivery-status", "Content-Type: application/x-withheld");

            var r = Assert.Single(ReadText(text, "delay-no-dsn.eml"));

            Assert.Equal("450 4.4.315", r.RawCode);
            Assert.False(r.Expired);
            Assert.Equal("smtp.example.net", r.DestinationServer);
            Assert.Equal("198.51.100.7", r.LastAttemptedIP);
            Assert.Equal(Utc(2025, 3, 12, 13, 53, 40), r.ObservedAt);
            // "for the next 23 hours and 12 minutes" from the notice's Date
            Assert.Equal(Utc(2025, 3, 13, 13, 5, 40), r.ExpiresAt);
            Assert.Equal(Utc(2025, 3, 12, 13, 5, 40), r.ArrivedAt);
            Assert.Equal("<SA1PR12MB70109C8D7E6F5A4B@SA1PR12MB7010.namprd12.prod.outlook.com>", r.MessageKey);
        }

        [Fact]
        public void Certificate_report_keeps_the_subject_mismatch_server_and_address()
        {
            var r = Assert.Single(ReadFixture("cert-5.4.320-subject-mismatch.eml"));

            Assert.Equal(new[] { "henry@contoso.com" }, r.Recipients);
            Assert.Equal("550 5.4.320", r.RawCode);
            Assert.Equal("5.4.320", r.EnhancedCode);
            Assert.True(r.Expired);
            Assert.Contains("SubjectMismatch", r.Detail);
            Assert.Equal("mail.contoso.com", r.DestinationServer);
            Assert.Equal("192.0.2.10", r.LastAttemptedIP);
            // no attached original: the key comes from "Original message headers:" (a folded Message-ID)
            Assert.Equal("<AM9PR04MB8412F0E1D2C3B4A5@AM9PR04MB8412.eurprd04.prod.outlook.com>", r.MessageKey);
            Assert.Equal(Utc(2025, 3, 20, 5, 59, 2), r.ArrivedAt);
            Assert.Equal(Utc(2025, 3, 21, 6, 2, 19), r.ObservedAt);
            Assert.Null(r.ExpiresAt);
            Assert.Equal(EvidencePlatform.ExchangeOnline, r.Platform);
        }

        [Fact]
        public void Html_only_report_is_read_from_its_diagnostic_section()
        {
            var records = ReadFixture("html-only-5.4.317-cannot-connect.eml");

            Assert.Equal(2, records.Count);
            var carol = records[0];
            var dave = records[1];
            Assert.Equal(new[] { "carol@example.net" }, carol.Recipients);
            Assert.Equal(new[] { "dave@example.net" }, dave.Recipients);
            foreach (var r in records)
            {
                Assert.Equal("550 5.4.317", r.RawCode);
                Assert.Equal("5.4.317", r.EnhancedCode);
                Assert.True(r.Expired);
                Assert.Equal("<BY5PR17MB39215A6B7C8D9E0F@BY5PR17MB3921.namprd17.prod.outlook.com>", r.MessageKey);
                Assert.Equal(Utc(2025, 3, 26, 16, 2, 3), r.ArrivedAt);
                Assert.Equal(Utc(2025, 3, 27, 16, 12, 45), r.ObservedAt);
                Assert.Equal(EvidencePlatform.ExchangeOnline, r.Platform);
                Assert.Contains("returned '550 5.4.317 Message expired", r.Text);
                Assert.DoesNotContain("<", r.Text);
            }
            Assert.Equal("mx.example.net", carol.DestinationServer);
            Assert.Equal("198.51.100.20", carol.LastAttemptedIP);
            Assert.Equal("mx2.example.net", dave.DestinationServer);      // from the LED= text nested in the expired reply
            Assert.Equal("198.51.100.21", dave.LastAttemptedIP);
        }

        [Fact]
        public void Code_outside_the_catalog_is_kept_as_it_is()
        {
            var r = Assert.Single(ReadFixture("unknown-5.7.708-traffic-not-accepted.eml"));

            Assert.Equal(new[] { "ivan@example.net" }, r.Recipients);
            Assert.Equal("550 5.7.708", r.RawCode);
            Assert.Equal("5.7.708", r.EnhancedCode);
            Assert.False(r.Expired);
            Assert.Null(r.DestinationServer);      // the bracketed name is Exchange Online's own server, not a destination
            Assert.Null(r.LastAttemptedIP);
            // no original attached: the report's In-Reply-To
            Assert.Equal("<CY8PR11MB7266D4E5F6A7B8C9@CY8PR11MB7266.namprd11.prod.outlook.com>", r.MessageKey);
            Assert.Null(r.ArrivedAt);
            Assert.Equal(Utc(2025, 4, 7, 8, 15, 33), r.ObservedAt);
            Assert.Equal(EvidencePlatform.ExchangeOnline, r.Platform);
            Assert.Contains("traffic not accepted from this IP", r.Text);
        }

        [Fact]
        public void Exchange_Server_queue_expiry_is_read_as_Exchange_Server_evidence()
        {
            var r = Assert.Single(ReadFixture("onprem-4.4.7-queue-expired.eml"));

            Assert.Equal(new[] { "sam@example.net" }, r.Recipients);
            Assert.Equal("550 4.4.7", r.RawCode);
            Assert.Equal("4.4.7", r.EnhancedCode);
            Assert.True(r.Expired);
            Assert.Equal("mx1.example.net", r.DestinationServer);          // Remote-MTA
            Assert.Equal("<4f8e2a6c0b1d4e9fa3c5d7e9f1a2b4c6@EX01.corp.fabrikam.com>", r.MessageKey);
            Assert.Equal(Utc(2025, 4, 8, 9, 19, 58), r.ArrivedAt);
            Assert.Equal(Utc(2025, 4, 10, 9, 20, 4), r.ObservedAt);        // 11:20:04 +0200
            Assert.Equal(EvidencePlatform.ExchangeServer, r.Platform);
        }

        /// <summary>Without the machine-readable part, the readable section of the same report gives the same answer.</summary>
        [Theory]
        [InlineData("expired-5.4.316-two-recipients.eml")]
        [InlineData("cert-5.4.320-subject-mismatch.eml")]
        [InlineData("unknown-5.7.708-traffic-not-accepted.eml")]
        [InlineData("onprem-4.4.7-queue-expired.eml")]
        public void The_readable_section_agrees_with_the_report_part(string name)
        {
            var withReport = ReadFixture(name);
            string text = File.ReadAllText(Fixture(name)).Replace("Content-Type: message/delivery-status", "Content-Type: application/x-withheld");
            var fromText = ReadText(text, name);

            Assert.Equal(withReport.Count, fromText.Count);
            for (int i = 0; i < withReport.Count; i++)
            {
                Assert.Equal(withReport[i].Recipients, fromText[i].Recipients);
                Assert.Equal(withReport[i].RawCode, fromText[i].RawCode);
                Assert.Equal(withReport[i].EnhancedCode, fromText[i].EnhancedCode);
                Assert.Equal(withReport[i].Expired, fromText[i].Expired);
                Assert.Equal(withReport[i].MessageKey, fromText[i].MessageKey);
                Assert.Equal(withReport[i].Platform, fromText[i].Platform);
                Assert.Equal(withReport[i].LastAttemptedIP, fromText[i].LastAttemptedIP);
            }
        }

        [Fact]
        public void Every_fixture_is_recognised_as_a_message_and_read()
        {
            var names = Directory.GetFiles(NdrDir.Value, "*.eml").Select(Path.GetFileName).ToList();
            Assert.True(names.Count >= 5, "expected at least five NDR fixtures");
            foreach (var name in names)
            {
                string start = File.ReadAllText(Fixture(name));
                Assert.True(NdrReader.LooksLikeMessage(start.Substring(0, Math.Min(4096, start.Length))), name);
                Assert.NotEmpty(ReadFixture(name));
            }
        }

        [Fact]
        public void Reads_from_a_stream_that_cannot_seek_and_skips_a_byte_order_mark()
        {
            var bytes = File.ReadAllBytes(Fixture("expired-5.4.316-two-recipients.eml"));
            var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray();

            var records = NdrReader.Read(new ForwardOnlyStream(new MemoryStream(withBom)), "bom.eml");

            Assert.Equal(2, records.Count);
            Assert.Equal("550 5.4.316", records[0].RawCode);
        }

        [Fact]
        public void A_report_of_delivered_recipients_only_gives_no_records()
        {
            string text = Report("Final-Recipient: rfc822;zoe@example.net\r\nAction: delivered\r\nStatus: 2.0.0\r\n");
            Assert.Empty(ReadText(text));
        }

        [Fact]
        public void A_report_a_few_levels_down_is_still_found()
        {
            string report = Report("Final-Recipient: rfc822;zoe@example.net\r\nAction: failed\r\nStatus: 5.4.316\r\n"
                                   + "Diagnostic-Code: smtp;550 5.4.316 Message expired, connection refused\r\n");
            int split = report.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            string inner = report.Substring(split + 4);
            var sb = new StringBuilder("From: postmaster@contoso.com\r\nDate: Tue, 1 Apr 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                                       + "Content-Type: multipart/mixed; boundary=\"w0\"\r\n\r\n");
            for (int i = 0; i < 4; i++) sb.Append($"--w{i}\r\nContent-Type: multipart/mixed; boundary=\"w{i + 1}\"\r\n\r\n");
            sb.Append("--w4\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n\r\n").Append(inner);
            for (int i = 4; i >= 0; i--) sb.Append($"\r\n--w{i}--\r\n");

            var r = Assert.Single(ReadText(sb.ToString()));
            Assert.Equal("550 5.4.316", r.RawCode);
            Assert.Equal(new[] { "zoe@example.net" }, r.Recipients);
        }

        static string Report(string recipientGroup) =>
            "From: postmaster@contoso.com\r\nTo: user@contoso.com\r\nDate: Tue, 1 Apr 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n\r\n"
            + "--r\r\nContent-Type: text/plain\r\n\r\nA report.\r\n"
            + "--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns;mx.contoso.com\r\n\r\n" + recipientGroup + "\r\n"
            + "--r--\r\n";

        // ------------------------------------------------------------ recognition

        [Theory]
        [InlineData("Received: from a.contoso.com by b.contoso.com; Tue, 1 Apr 2025 10:00:00 +0000\r\nFrom: a@contoso.com\r\n\r\nbody")]
        [InlineData("MIME-Version: 1.0\nContent-Type: multipart/report;\n\tboundary=\"x\"\n")]
        [InlineData("Return-Path: <>\r\nX-Failed-Recipients: a@example.net\r\n")]
        [InlineData("From MAILER-DAEMON Tue Apr  1 10:00:00 2025\nFrom: postmaster@contoso.com\nSubject: Undeliverable\n")]
        [InlineData("X-MS-Exchange-Message-Is-Ndr:\r\nSubject: Undeliverable: hello\r\n")]
        [InlineData("From: a@contoso.com\r\nSubject: a header line cut off by the caller's buffer with no end")]
        public void Message_starts_are_recognised(string start) => Assert.True(NdrReader.LooksLikeMessage(start));

        [Theory]
        [InlineData("")]
        [InlineData("Date,Event,Action,Detail,Data,MessageId\r\n2025-04-01,DEFER,,450 4.4.316,,<a@b>\r\n")]
        [InlineData("Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061]}]\r\n")]
        [InlineData("Identity       : EX01\\Submission\r\nLastError      : 451 4.4.0 DNS query failed\r\n")]
        [InlineData("2025-04-01 10:00:00 450 4.4.316 Connection refused\r\n")]
        [InlineData("\r\nFrom: a@contoso.com\r\n")]
        [InlineData(" folded: first\r\nFrom: a@contoso.com\r\n")]
        [InlineData("\u00FF\u00D8\u00FF\u00E0\0\u0010JFIF\0")]
        [InlineData("Subject: fine\r\nthis line is not a header\r\n\r\n")]
        public void Other_text_is_not_taken_for_a_message(string start) => Assert.False(NdrReader.LooksLikeMessage(start));

        // ------------------------------------------------------------ hostile and broken input

        [Fact]
        public void A_jpeg_is_not_a_mail_message()
        {
            var jpeg = new byte[4096];
            new Random(7).NextBytes(jpeg);
            new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00 }.CopyTo(jpeg, 0);

            var ex = Assert.Throws<EvidenceFormatException>(() => NdrReader.Read(new MemoryStream(jpeg), "photo.eml"));
            Assert.Contains("photo.eml", ex.Message);
            Assert.Contains("not a mail message", ex.Message);
        }

        [Fact]
        public void An_outlook_msg_file_is_named_as_such()
        {
            var msg = new byte[2048];
            new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(msg, 0);
            var ex = Assert.Throws<EvidenceFormatException>(() => NdrReader.Read(new MemoryStream(msg), "bounce.msg"));
            Assert.Contains(".msg", ex.Message);
        }

        [Fact]
        public void An_empty_file_is_an_error()
        {
            var ex = Assert.Throws<EvidenceFormatException>(() => NdrReader.Read(new MemoryStream(), "empty.eml"));
            Assert.Contains("empty", ex.Message);
        }

        [Fact]
        public void Truncated_headers_give_a_clear_error()
        {
            var bytes = File.ReadAllBytes(Fixture("expired-5.4.316-two-recipients.eml")).Take(300).ToArray();
            var ex = Assert.Throws<EvidenceFormatException>(() => NdrReader.Read(new MemoryStream(bytes), "cut.eml"));
            Assert.Contains("cut.eml", ex.Message);
            Assert.Contains("not a delivery report", ex.Message);
        }

        [Fact]
        public void An_ordinary_message_is_not_a_delivery_report()
        {
            string mail = "From: a@contoso.com\r\nTo: b@fabrikam.com\r\nSubject: lunch\r\nDate: Tue, 1 Apr 2025 10:00:00 +0000\r\n"
                          + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nSee you at noon; write to c@example.net too.\r\n550 5.1.1 is not a reply here.\r\n";
            var ex = Assert.Throws<EvidenceFormatException>(() => ReadText(mail, "lunch.eml"));
            Assert.Contains("not a delivery report", ex.Message);
        }

        [Theory]
        [InlineData("multipart")]
        [InlineData("rfc822")]
        public void Ten_thousand_nested_levels_end_quickly_without_exhausting_the_stack(string kind)
        {
            string text = kind == "multipart" ? NestedMultipart(10_000) : NestedMessages(10_000);
            Exception thrown = null;
            IReadOnlyList<EvidenceRecord> result = null;
            var watch = Stopwatch.StartNew();
            // A small stack: any recursion proportional to the nesting would overflow it and kill the test run.
            var thread = new Thread(() =>
            {
                try { result = ReadText(text, "nested.eml"); }
                catch (Exception ex) { thrown = ex; }
            }, 256 * 1024);
            thread.Start();
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the reader did not return");
            watch.Stop();

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed.TotalMilliseconds:F0} ms");
            if (thrown != null) Assert.IsType<EvidenceFormatException>(thrown);
            else Assert.NotNull(result);
        }

        /// <summary>Large crafted inputs: no part of the reader may be worse than linear in them.</summary>
        [Theory]
        [InlineData("50-MB-header-line")]
        [InlineData("8-MB-folded-header")]
        [InlineData("long-html-line")]
        [InlineData("many-recipients")]
        [InlineData("many-blank-lines")]
        public void Large_crafted_messages_are_read_in_bounded_time(string kind)
        {
            const string head = "From: postmaster@contoso.com\r\nDate: Tue, 1 Apr 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n";
            byte[] bytes;
            var sb = new StringBuilder(head);
            switch (kind)
            {
                case "50-MB-header-line":
                    byte[] start = Encoding.ASCII.GetBytes(head + "Subject: ");
                    byte[] end = Encoding.ASCII.GetBytes("\r\nContent-Type: text/plain\r\n\r\nhello\r\n");
                    bytes = new byte[start.Length + 50_000_000 + end.Length];
                    start.CopyTo(bytes, 0);
                    bytes.AsSpan(start.Length, 50_000_000).Fill((byte)'x');
                    end.CopyTo(bytes, start.Length + 50_000_000);
                    break;
                case "8-MB-folded-header":
                    sb.Append("Subject: ");
                    for (int i = 0; i < 100_000; i++) sb.Append('x', 78).Append("\r\n ");
                    sb.Append("end\r\nContent-Type: text/plain\r\n\r\nhello\r\n");
                    bytes = Encoding.ASCII.GetBytes(sb.ToString());
                    break;
                case "long-html-line":
                    sb.Append("Content-Type: text/html\r\n\r\n<p>Diagnostic information for administrators:<br>a@example.net<br>");
                    for (int i = 0; i < 400_000; i++) sb.Append("<b>Server returned '550 5.4.316 ");
                    bytes = Encoding.ASCII.GetBytes(sb.ToString());
                    break;
                case "many-recipients":
                    sb.Append("Content-Type: text/plain\r\n\r\nDiagnostic information for administrators:\r\n");
                    for (int i = 0; i < 200_000; i++) sb.Append("user").Append(i).Append("@example.net\r\nRemote Server returned '550 5.4.316 Message expired'\r\n");
                    bytes = Encoding.ASCII.GetBytes(sb.ToString());
                    break;
                default: // many-blank-lines
                    sb.Append("Content-Type: text/plain\r\n\r\nDiagnostic information for administrators:\r\nz@example.net\r\n");
                    sb.Append(' ', 10).Append('\n', 3_000_000).Append("Original message headers\r\n");
                    bytes = Encoding.ASCII.GetBytes(sb.ToString());
                    break;
            }
            var watch = Stopwatch.StartNew();
            Exception thrown = Record.Exception(() => NdrReader.Read(new MemoryStream(bytes), kind + ".eml"));
            watch.Stop();

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed.TotalMilliseconds:F0} ms");
            if (thrown != null) Assert.IsType<EvidenceFormatException>(thrown);
        }

        /// <summary>Every fixture cut short or with bytes overwritten: records or a clear error, never anything else.</summary>
        [Fact]
        public void Damaged_fixtures_give_records_or_a_clear_error()
        {
            var random = new Random(20250401);
            int errors = 0, read = 0;
            foreach (var path in Directory.GetFiles(NdrDir.Value, "*.eml"))
            {
                byte[] original = File.ReadAllBytes(path);
                for (int round = 0; round < 150; round++)
                {
                    byte[] damaged = original.Take(random.Next(1, original.Length + 1)).ToArray();
                    int flips = random.Next(0, 12);
                    for (int f = 0; f < flips; f++)
                        damaged[random.Next(damaged.Length)] = (byte)"\r\n :;<>'\"[]=-\0\u00ffaZ9"[random.Next(18)];
                    try
                    {
                        var records = NdrReader.Read(new MemoryStream(damaged), "damaged.eml");
                        Assert.All(records, r => Assert.Equal("damaged.eml", r.File));
                        read++;
                    }
                    catch (EvidenceFormatException ex)
                    {
                        Assert.Contains("damaged.eml", ex.Message);
                        errors++;
                    }
                }
            }
            Assert.True(read > 0 && errors > 0, $"read {read}, errors {errors}");
        }

        static string NestedMultipart(int depth)
        {
            var sb = new StringBuilder("From: a@contoso.com\r\nDate: Tue, 1 Apr 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                                       + "Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
            for (int i = 0; i < depth; i++) sb.Append("--b").Append(i).Append("\r\nContent-Type: multipart/mixed; boundary=\"b").Append(i + 1).Append("\"\r\n\r\n");
            sb.Append("--b").Append(depth).Append("\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns;x\r\n\r\n"
                      + "Final-Recipient: rfc822;deep@example.net\r\nAction: failed\r\nStatus: 5.4.316\r\n\r\n");
            for (int i = depth; i >= 0; i--) sb.Append("--b").Append(i).Append("--\r\n");
            return sb.ToString();
        }

        static string NestedMessages(int depth)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < depth; i++) sb.Append("From: a@contoso.com\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n");
            sb.Append("From: a@contoso.com\r\nContent-Type: text/plain\r\n\r\nbottom\r\n");
            return sb.ToString();
        }

        sealed class ForwardOnlyStream : Stream
        {
            readonly Stream inner;
            public ForwardOnlyStream(Stream inner) => this.inner = inner;
            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
