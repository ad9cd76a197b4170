using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Postfix SMTP client log lines as evidence seen by another MTA: each fault takes the code Microsoft 365 would give for
    /// it, the sending host goes into Detail, the queue id keys the message; deliveries and notes are not evidence.
    /// </summary>
    public sealed class PostfixLogTests
    {
        static readonly DateTime Now = new DateTime(2026, 12, 8, 12, 0, 0, DateTimeKind.Utc);

        static EvidenceRecord Read(string line) => new PostfixLog().Read(line, null, Now, TimeZoneInfo.Utc);

        const string Prefix = "2026-12-08T01:46:05.123456+00:00 relay1 postfix/smtp[23287]: 34CDCB200E4: to=<user@contoso.com>, relay=none, delay=0.05, delays=0.02/0.03/0/0, ";

        [Theory]
        [InlineData("dsn=4.4.1, status=deferred (connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection timed out)", "450 4.4.315", Reason.ConnectTimedOut)]
        [InlineData("dsn=4.4.1, status=deferred (connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection refused)", "450 4.4.316", Reason.ConnectionRefused)]
        [InlineData("dsn=4.4.1, status=deferred (connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Network is unreachable)", "450 4.4.317", Reason.NetworkUnreachable)]
        [InlineData("dsn=4.4.1, status=deferred (connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: No route to host)", "450 4.4.317", Reason.HostUnreachable)]
        [InlineData("dsn=4.4.2, status=deferred (lost connection with contoso-com.mail.protection.outlook.com[52.101.68.10] while receiving the initial server greeting)", "450 4.4.318", Reason.ClosedAbruptly)]
        [InlineData("dsn=4.4.2, status=deferred (lost connection with contoso-com.mail.protection.outlook.com[52.101.68.10] while sending RCPT TO)", "450 4.4.318", Reason.ClosedAbruptly)]
        [InlineData("dsn=4.4.2, status=deferred (conversation with contoso-com.mail.protection.outlook.com[52.101.68.10] timed out while receiving the initial server greeting)", "450 4.4.315", Reason.GreetingTimedOut)]
        [InlineData("dsn=4.7.4, status=deferred (TLS is required, but was not offered by host contoso-com.mail.protection.outlook.com[52.101.68.10])", "450 4.4.317", Reason.StartTlsNotOffered)]
        [InlineData("dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)", "450 4.4.317", Reason.TlsHandshakeFailed)]
        [InlineData("dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=contoso.com type=MX: Host not found, try again)", "450 4.4.312", Reason.DnsServerFailure)]
        [InlineData("dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=contoso.com type=A: Host not found)", "450 4.4.312", Reason.DnsNameNotFound)]
        [InlineData("dsn=4.7.5, status=deferred (Server certificate not verified)", "450 4.7.320", Reason.CertificateInvalid)]
        [InlineData("dsn=5.7.0, status=bounced (host contoso-com.mail.protection.outlook.com[52.101.68.10] said: 530 5.7.0 Must issue a STARTTLS command first (in reply to MAIL FROM command))", "450 4.4.317", Reason.TlsRequiredByServer)]
        public void Each_client_failure_takes_the_code_Microsoft_365_gives_for_the_same_fault(string tail, string code, Reason reason)
        {
            EvidenceRecord r = Read(Prefix + tail);
            Assert.Equal(reason, r.Scenario.Reason);
            Assert.Equal(code, r.Family.Code);
            Assert.Equal(tail.Contains("status=bounced"), r.Expired);
        }

        [Fact]
        public void A_status_line_is_another_MTAs_view_of_one_message_sent_from_the_host_it_names()
        {
            EvidenceRecord r = Read(Prefix + "dsn=4.4.1, status=deferred (connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection timed out)");
            Assert.Equal(ObservedFrom.OtherMta, r.ObservedFrom);
            Assert.Equal(EvidencePlatform.Postfix, r.Platform);
            Assert.Equal("PostfixLog", r.Source);
            Assert.Equal("contoso-com.mail.protection.outlook.com", r.DestinationServer);
            Assert.Equal("52.101.68.10", r.LastAttemptedIP);
            Assert.Equal("Postfix on relay1: connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection timed out", r.Detail);
            Assert.Equal(new[] { "user@contoso.com" }, r.Recipients);
            Assert.Equal("postfix:relay1:34CDCB200E4", r.MessageKey);
            Assert.Equal(1, r.MessageCount);
            Assert.Equal("dsn=4.4.1", r.RawCode);   // Postfix's own status, kept beside the code it maps to
            Assert.Equal(new DateTime(2026, 12, 8, 1, 46, 5, 123, DateTimeKind.Utc).AddTicks(4560), r.ObservedAt);
            // An alert written before ObservedFrom existed, read back, takes the vantage from its Source.
            Assert.Equal(ObservedFrom.OtherMta, EvidenceRecord.VantageOfSource("PostfixLog"));
        }

        [Fact]
        public void A_connection_attempt_line_names_the_server_but_counts_no_message()
        {
            EvidenceRecord r = Read("Dec 08 01:46:05 relay1 postfix/smtp[23287]: connect to mx0.contoso.com[192.0.2.6]:25: No route to host");
            Assert.Equal(Reason.HostUnreachable, r.Scenario.Reason);
            Assert.Equal("mx0.contoso.com", r.DestinationServer);
            Assert.Equal("192.0.2.6", r.LastAttemptedIP);
            Assert.Null(r.MessageKey);
            Assert.Equal(0, r.MessageCount);
        }

        [Theory]
        [InlineData("Dec 08 01:46:05 relay1 postfix/smtp[23287]: 34CDCB200E4: to=<user@contoso.com>, relay=contoso-com.mail.protection.outlook.com[52.101.68.10]:25, delay=1.3, delays=0.01/0/0.24/1.1, dsn=2.6.0, status=sent (250 2.6.0 <id@relay1> [InternalId=1, Hostname=AM0PR01MB1234.eurprd01.prod.outlook.com] Queued mail for delivery)")]
        [InlineData("Dec 08 01:46:05 relay1 postfix/smtp[23287]: Untrusted TLS connection established to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)")]
        [InlineData("Dec 08 01:46:05 relay1 postfix/smtp[23287]: certificate verification failed for smtp.contoso.com[192.0.2.7]:587: untrusted issuer /CN=Contoso CA")]
        [InlineData("Dec 08 01:46:05 relay1 postfix/smtp[23287]: warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed")]
        [InlineData("Dec 08 01:46:05 relay1 postfix/smtp[23287]: 34CDCB200E4: enabling PIX workarounds: disable_esmtp delay_dotcrlf for mx.contoso.com[192.0.2.7]:25")]
        public void Deliveries_notes_and_warnings_are_not_evidence(string line)
        {
            Assert.True(PostfixLog.Recognizes(line));
            Assert.Null(Read(line));
            Assert.Null(TextEvidence.FromLine(line, null));   // and not read again as plain text
        }

        [Fact]
        public void A_DANE_mismatch_logged_before_the_status_line_makes_it_the_DANE_scenario()
        {
            const string dane = "Jun 14 07:31:55 mail2 postfix/smtp[16549]: CA certificate verification failed for mail.contoso.com[192.0.2.81]:25: num=65:no matching DANE TLSA records";
            const string status = "Jun 14 07:31:55 mail2 postfix/smtp[16549]: CB91A11607FF: to=<a@contoso.com>, relay=mail.contoso.com[192.0.2.81]:25, delay=0.37, delays=0.21/0.07/0.09/0, dsn=4.7.5, status=deferred (Server certificate not verified)";
            var log = new PostfixLog();
            EvidenceRecord first = log.Read(dane, null), second = log.Read(status, null);
            Assert.Equal(Reason.DaneTlsaMismatch, first.Scenario.Reason);
            Assert.Equal(0, first.MessageCount);
            Assert.Equal(Reason.DaneTlsaMismatch, second.Scenario.Reason);
            Assert.Equal("450 4.7.323", second.Family.Code);

            // Another process, or a line alone, says only that the certificate was not verified.
            Assert.Equal(Reason.CertificateInvalid, log.Read(status.Replace("[16549]", "[16550]"), null).Scenario.Reason);
            Assert.Equal(Reason.CertificateInvalid, new PostfixLog().Read(status, null).Scenario.Reason);

            // A file of them is read the same way, line after line.
            var records = TextEvidence.Read(new StringReader(dane + "\n" + status + "\n"), "maillog").ToList();
            Assert.All(records, r => Assert.Equal(Reason.DaneTlsaMismatch, r.Scenario.Reason));
        }

        [Fact]
        public void Retries_of_one_message_and_the_attempts_before_them_are_one_alert_of_one_message()
        {
            string[] lines =
            {
                "Dec 08 01:46:08 relay1 postfix/smtp[23289]: connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection timed out",
                "Dec 08 01:46:08 relay1 postfix/smtp[23289]: 498ABB201F7: to=<user@contoso.com>, relay=none, delay=3, delays=0/0/3/0, dsn=4.4.1, status=deferred (connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection timed out)",
                "Dec 08 02:46:08 relay1 postfix/smtp[23301]: 498ABB201F7: to=<user@contoso.com>, relay=none, delay=3603, delays=3600/0/3/0, dsn=4.4.1, status=deferred (connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection timed out)",
            };
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = Now });
            var log = new PostfixLog();
            foreach (string line in lines) aggregator.Add(log.Read(line, null, Now, TimeZoneInfo.Utc));
            MailFlowAlert alert = aggregator.Alerts().Single();
            Assert.Equal("450 4.4.315", alert.Code);
            Assert.Equal("ConnectTimedOut", alert.Reason);
            Assert.Equal(ObservedFrom.OtherMta, alert.ObservedFrom);
            Assert.Equal("contoso-com.mail.protection.outlook.com", alert.DestinationServer);
            Assert.StartsWith("Postfix on relay1: ", alert.Detail);
            Assert.Equal(1, alert.MessageCount);
            Assert.Equal(3, alert.EvidenceCount);
            Assert.Equal(new DateTime(2026, 12, 8, 1, 46, 8, DateTimeKind.Utc), alert.FirstSeen);
            Assert.Equal(new DateTime(2026, 12, 8, 2, 46, 8, DateTimeKind.Utc), alert.LastSeen);
            // Postfix keeps deferred mail for its maximal_queue_lifetime (5 days by default), counted from the first deferral here.
            Assert.Equal(new DateTime(2026, 12, 13, 1, 46, 8, DateTimeKind.Utc), alert.ExpiresAt);
            Assert.False(alert.Expired);
        }

        [Fact]
        public void A_mail_log_is_sniffed_as_text_whatever_its_first_line()
        {
            string path = Path.Combine(Path.GetTempPath(), "mfi-maillog-" + Guid.NewGuid().ToString("N"));
            try
            {
                File.WriteAllLines(path, new[]
                {
                    "Dec 08 01:46:05 relay1 postfix/smtp[23287]: 34CDCB200E4: to=<user@refused.test>, relay=none, delay=0.05, delays=0.02/0.03/0/0, dsn=4.4.1, status=deferred (connect to 127.0.0.1[127.0.0.1]:34500: Connection refused)",
                    "Dec 08 01:46:05 relay1 postfix/qmgr[23280]: 34CDCB200E4: from=<sender@relay1.lab.test>, size=312, nrcpt=1 (queue active)",
                    "Dec 08 01:46:05 relay1 postfix/smtp[23289]: 4704EB201E6: to=<user@notls.test>, relay=127.0.0.1[127.0.0.1]:34503, delay=0.01, delays=0.01/0/0/0, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host 127.0.0.1[127.0.0.1])",
                });
                var records = EvidenceFileReader.Read(path).ToList();
                Assert.Equal(new[] { Reason.ConnectionRefused, Reason.StartTlsNotOffered }, records.Select(r => r.Scenario.Reason));
                Assert.All(records, r => Assert.Equal(Path.GetFileName(path), r.File));
            }
            finally { File.Delete(path); }
        }

        [Theory]
        [InlineData("Dec  8 01:29:36", "2026-12-08T01:29:36Z")]           // this year
        [InlineData("Dec  9 11:00:00", "2026-12-09T11:00:00Z")]           // less than a day ahead: a clock a little off
        [InlineData("Dec 10 01:29:36", "2025-12-10T01:29:36Z")]           // further ahead: last year
        [InlineData("Feb 29 10:00:00", "2024-02-29T10:00:00Z")]           // the last year that had the day
        [InlineData("2024-06-14T07:31:55.5+02:00", "2024-06-14T05:31:55.5Z")]
        [InlineData("2024-06-14T07:31:55Z", "2024-06-14T07:31:55Z")]
        public void A_classic_stamp_takes_the_latest_year_not_in_the_future_and_an_RFC_3339_stamp_is_exact(string stamp, string expected)
        {
            DateTime? at = PostfixLog.ParseStamp(stamp, Now, TimeZoneInfo.Utc);
            Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), at);
            Assert.Equal(DateTimeKind.Utc, at.Value.Kind);
        }

        [Fact]
        public void A_classic_stamp_is_read_in_the_given_zone()
        {
            TimeZoneInfo paris = TimeZoneInfo.CreateCustomTimeZone("UTC+1", TimeSpan.FromHours(1), "UTC+1", "UTC+1");
            Assert.Equal(new DateTime(2026, 12, 8, 0, 29, 36, DateTimeKind.Utc), PostfixLog.ParseStamp("Dec  8 01:29:36", Now, paris));
            Assert.Null(PostfixLog.ParseStamp("Foo  8 01:29:36", Now, paris));
            Assert.Null(PostfixLog.ParseStamp("Dec 32 01:29:36", Now, paris));
        }

        [Fact]
        public void A_hostile_Postfix_like_line_is_bounded_and_fast()
        {
            string line = "Dec 08 01:46:05 relay1 postfix/smtp[1]: " + string.Concat(Enumerable.Repeat("status=deferred (connect to [", 20000)) + new string('x', 200000);
            var clock = Stopwatch.StartNew();
            EvidenceRecord r = TextEvidence.FromLine(line, null);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
            if (r != null) Assert.True(r.Detail.Length <= TextEvidence.MaxTextLine + 100);
        }
    }
}
