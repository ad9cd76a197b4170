using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>SMTP TLS reports (RFC 8460) as evidence: Microsoft 365's view of the admin's own MX hosts, and other senders'.</summary>
    public sealed class TlsReportTests
    {
        static readonly DateTime AsOf = new DateTime(2026, 12, 8, 12, 0, 0, DateTimeKind.Utc);

        static string Fixture(string name) => Path.Combine(Path.GetDirectoryName(NdrReaderTests.Fixture("x")), "..", "tlsrpt", name);

        static List<MailFlowAlert> Alerts(IEnumerable<EvidenceRecord> records)
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = AsOf });
            foreach (EvidenceRecord r in records) aggregator.Add(r);
            return aggregator.Alerts().ToList();
        }

        static byte[] Gzip(byte[] data)
        {
            using var output = new MemoryStream();
            using (var gz = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data, 0, data.Length);
            return output.ToArray();
        }

        static string Temp(string name, byte[] content)
        {
            string dir = Path.Combine(Path.GetTempPath(), "mfi-tlsrpt-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, name);
            File.WriteAllBytes(path, content);
            return path;
        }

        [Fact]
        public void A_Microsoft_report_with_its_omissions_gives_one_alert_per_host_and_failure_in_Microsoft_365s_view()
        {
            List<MailFlowAlert> alerts = Alerts(EvidenceFileReader.Read(Fixture("microsoft-contoso.json")));
            MailFlowAlert expired = alerts.Single(a => a.DestinationServer == "mail.contoso.com");
            Assert.Equal("450 4.7.5", expired.Code);                          // an sts certificate failure: MtaStsCertificateInvalid
            Assert.Equal(12, expired.MessageCount);
            Assert.Equal(ObservedFrom.Microsoft365, expired.ObservedFrom);
            Assert.Null(expired.Connector);
            Assert.Equal(new DateTime(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc), expired.FirstSeen);
            Assert.Equal(new DateTime(2026, 12, 7, 23, 59, 59, DateTimeKind.Utc), expired.LastSeen);
            Assert.Null(expired.ExpiresAt);                                   // sessions of other senders, not queued mail
            Assert.Equal("contoso.com", expired.MtaStsPolicyDomain);
            // An MX the enforce policy does not list is the 4.4.8 scenario.
            Assert.Equal("450 4.4.8", alerts.Single(a => a.DestinationServer == "backup.contoso.com").Code);
            // Without receiving-mx-hostname the address names the host.
            Assert.Equal(3, alerts.Single(a => a.DestinationServer == "203.0.113.7").MessageCount);
            // dnssec-invalid is the probe's DNSSEC scenario and code, not a second kind of alert.
            MailFlowAlert dnssec = alerts.Single(a => a.DestinationServer == "mx1.contoso.net");
            Assert.Equal("450 4.4.312", dnssec.Code);
            Assert.Equal("DnsServerFailure", dnssec.Reason);
            // no-policy-found only counts sessions.
            Assert.DoesNotContain(alerts, a => a.DestinationServer == "mx.contoso.org");
            Assert.Equal(4, alerts.Count);
        }

        [Fact]
        public void Another_senders_report_is_another_MTAs_view_with_its_organisation_in_Detail_and_its_text_cleaned()
        {
            List<MailFlowAlert> alerts = Alerts(EvidenceFileReader.Read(Fixture("google-fabrikam.json")));
            Assert.All(alerts, a => Assert.Equal(ObservedFrom.OtherMta, a.ObservedFrom));
            MailFlowAlert mismatch = alerts.Single(a => a.Code == "450 4.7.5");
            Assert.Equal("mx1.fabrikam.com", mismatch.DestinationServer);
            Assert.Equal(5, mismatch.MessageCount);
            Assert.Contains("Google Inc.", mismatch.Detail);
            MailFlowAlert fetch = alerts.Single(a => a.Reason.Contains("MtaStsPolicyUnreachable"));
            Assert.Null(fetch.Code);
            Assert.Contains("script", fetch.Detail);   // kept as text: the encoders of CSV and HTML take it from here
        }

        [Fact]
        public void A_gzip_and_a_mail_message_carrying_one_read_as_the_report_inside()
        {
            byte[] json = File.ReadAllBytes(Fixture("microsoft-contoso.json"));
            string gz = Temp("microsoft.com!contoso.com!1733529600!1733615999.json.gz", Gzip(json));
            Assert.Equal(4, Alerts(EvidenceFileReader.Read(gz)).Count);

            string mime = "From: tlsrpt-noreply@microsoft.com\r\nTo: tls-reports@contoso.com\r\nSubject: Report Domain: contoso.com Submitter: microsoft.com Report-ID: <1@microsoft.com>\r\n"
                + "TLS-Report-Domain: contoso.com\r\nTLS-Report-Submitter: microsoft.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nThis is an aggregate TLS report from microsoft.com\r\n"
                + "--b\r\nContent-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"microsoft.com!contoso.com!1.json.gz\"\r\n\r\n"
                + Convert.ToBase64String(Gzip(json), Base64FormattingOptions.InsertLineBreaks) + "\r\n--b--\r\n";
            string eml = Temp("report.eml", Encoding.ASCII.GetBytes(mime));
            List<MailFlowAlert> alerts = Alerts(EvidenceFileReader.Read(eml));
            Assert.Equal(4, alerts.Count);
            Assert.All(alerts, a => Assert.Equal(ObservedFrom.Microsoft365, a.ObservedFrom));
        }

        [Fact]
        public void A_cut_gzip_a_JSON_that_is_no_report_and_a_gzip_bomb_each_fail_alone_and_fast()
        {
            byte[] gz = Gzip(File.ReadAllBytes(Fixture("microsoft-contoso.json")));
            string cut = Temp("cut.json.gz", gz.Take(gz.Length / 2).ToArray());
            string notReport = Temp("other.json", Encoding.UTF8.GetBytes("{\"policies\": 3, \"date-range\": \"x\"}"));
            string bomb = Temp("bomb.json.gz", Gzip(new byte[64 * 1024 * 1024]));   // 64 MB of zeros, a few dozen kilobytes packed
            long before = GC.GetTotalMemory(true);
            var clock = Stopwatch.StartNew();
            foreach (string path in new[] { cut, notReport, bomb })
                Assert.Throws<EvidenceFormatException>(() => EvidenceFileReader.Read(path).ToList());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");   // loose guard
            Assert.True(GC.GetTotalMemory(true) - before < 64L * 1024 * 1024, "the bomb stopped at its bound");
        }

        public static IEnumerable<object[]> ResultTypes() => new[]
        {
            // (policy type, result type, expected reason) for all eleven result types of the IANA registry
            new object[] { "tlsa", "starttls-not-supported", Reason.DaneStartTlsNotSupported },
            new object[] { "tlsa", "certificate-host-mismatch", Reason.DaneCertificateHostMismatch },
            new object[] { "tlsa", "certificate-expired", Reason.DaneCertificateExpired },
            new object[] { "tlsa", "certificate-not-trusted", Reason.DaneTlsaMismatch },
            new object[] { "tlsa", "validation-failure", Reason.DaneTlsaMismatch },
            new object[] { "tlsa", "tlsa-invalid", Reason.DaneTlsaMismatch },
            new object[] { "tlsa", "dnssec-invalid", Reason.DnsServerFailure },
            new object[] { "tlsa", "dane-required", Reason.DaneNotAvailable },
            new object[] { "sts", "sts-policy-fetch-error", Reason.MtaStsPolicyUnreachable },
            new object[] { "sts", "sts-policy-invalid", Reason.MtaStsPolicyUnreachable },
            new object[] { "sts", "sts-webpki-invalid", Reason.MtaStsPolicyUnreachable },
            new object[] { "sts", "starttls-not-supported", Reason.MtaStsCertificateInvalid },
            new object[] { "sts", "certificate-host-mismatch", Reason.MtaStsCertificateInvalid },
            new object[] { "sts", "certificate-expired", Reason.MtaStsCertificateInvalid },
            new object[] { "sts", "certificate-not-trusted", Reason.MtaStsCertificateInvalid },
            new object[] { "sts", "validation-failure", Reason.MtaStsCertificateInvalid },
        };

        [Theory]
        [MemberData(nameof(ResultTypes))]
        public void Every_result_type_is_a_scenario_of_the_catalog(string policyType, string result, Reason expected) =>
            Assert.Equal(expected, TlsReportReader.ScenarioOf(policyType, result, "mail.contoso.com", new[] { "mail.contoso.com" }).Reason);

        [Fact]
        public void Piped_text_is_recognised_as_a_report_and_an_ordinary_line_is_not()
        {
            Assert.True(TlsReportReader.LooksLikeReport(File.ReadAllText(Fixture("google-fabrikam.json"))));
            Assert.False(TlsReportReader.LooksLikeReport("450 4.4.316 Connection refused"));
        }
    }
}
