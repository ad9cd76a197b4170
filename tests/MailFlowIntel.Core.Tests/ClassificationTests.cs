using System.Linq;
using System.Threading.Tasks;
using MailFlowIntel.Core.Probing;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>DESIGN.md section 2, row by row, against the lab's real servers; each fault beside a passing control.</summary>
    [Collection("Lab")]
    public sealed class ClassificationTests
    {
        readonly LabFixture lab;
        public ClassificationTests(LabFixture lab) { this.lab = lab; }

        string Ip(string host) => lab.World.Hosts[host];

        [Fact]
        public async Task Control_a_healthy_server_with_a_trusted_certificate_succeeds_under_DomainValidation()
        {
            var r = Assert.Single(await lab.ProbeAsync("ok.lab.test", tls: TlsRequirement.DomainValidation));
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
            Assert.Null(r.Code);
            Assert.Equal(ProbeStage.Quit, r.Stage);
            Assert.Equal(Ip("ok.lab.test"), r.IPAddress);
            Assert.StartsWith("Tls1", r.TlsProtocol);
            Assert.Equal("CN=mx.lab.test", r.CertificateSubject);
            Assert.Contains("ok.lab.test", r.CertificateNames);
            Assert.Contains("MailFlowIntel Lab CA", r.CertificateIssuer);
            Assert.Contains("PrivateRoot", r.CertificateErrors);   // trusted through the lab CA, not a public root
            Assert.NotNull(r.CertificateNotAfter);
            Assert.Equal("127.0.0.1", r.ProbedFrom);
        }

        [Theory]
        [InlineData("missing.lab.test", "NXDOMAIN")]
        [InlineData("servfail.lab.test", "SERVFAIL")]
        [InlineData("noaddress.lab.test", "no A or AAAA")]
        public async Task Negative_DNS_answers_give_4_4_312(string host, string detail)
        {
            var r = Assert.Single(await lab.ProbeAsync(host));
            Assert.Equal("450 4.4.312", r.Code);
            Assert.Equal("4.4.312", r.EnhancedStatusCode);
            Assert.Equal(ProbeStatus.Failed, r.Status);
            Assert.Equal(ProbeStage.Dns, r.Stage);
            Assert.Null(r.IPAddress);
            Assert.Contains(detail, r.Detail);
        }

        [Fact]
        public async Task A_black_holed_connect_gives_4_4_315_at_Connect()
        {
            var r = Assert.Single(await lab.ProbeAsync("blackhole.lab.test", options: lab.Options(1)));
            Assert.Equal("450 4.4.315", r.Code);
            Assert.Equal(ProbeStage.Connect, r.Stage);
            Assert.Equal(Ip("blackhole.lab.test"), r.IPAddress);
            Assert.Null(r.ServerResponse);
        }

        [Fact]
        public async Task A_server_that_never_greets_gives_4_4_315_at_Greeting()
        {
            var r = Assert.Single(await lab.ProbeAsync("silent.lab.test", options: lab.Options(1)));
            Assert.Equal("450 4.4.315", r.Code);
            Assert.Equal(ProbeStage.Greeting, r.Stage);
            Assert.Equal(Ip("silent.lab.test"), r.IPAddress);
        }

        [Fact]
        public async Task A_closed_port_gives_4_4_316()
        {
            var r = Assert.Single(await lab.ProbeAsync("refused.lab.test"));
            Assert.Equal("450 4.4.316", r.Code);
            Assert.Equal(ProbeStage.Connect, r.Stage);
            Assert.Equal(Ip("refused.lab.test"), r.IPAddress);
        }

        [Theory]
        [InlineData("busy.lab.test", "421")]
        [InlineData("reject554.lab.test", "554")]
        public async Task A_refusing_greeting_gives_4_4_317_with_the_servers_reply(string host, string reply)
        {
            var r = Assert.Single(await lab.ProbeAsync(host));
            Assert.Equal("450 4.4.317", r.Code);
            Assert.Equal(ProbeStage.Greeting, r.Stage);
            Assert.Equal(Ip(host), r.IPAddress);
            Assert.StartsWith(reply, r.ServerResponse);
        }

        [Fact]
        public async Task TLS_required_without_STARTTLS_gives_4_4_317_but_opportunistic_only_warns()
        {
            var required = Assert.Single(await lab.ProbeAsync("notls.lab.test", tls: TlsRequirement.EncryptionOnly));
            Assert.Equal("450 4.4.317", required.Code);
            Assert.Equal(ProbeStage.StartTls, required.Stage);
            Assert.Contains("250", required.ServerResponse);

            var opportunistic = Assert.Single(await lab.ProbeAsync("notls.lab.test"));
            Assert.Equal(ProbeStatus.Warning, opportunistic.Status);
            Assert.Null(opportunistic.Code);
        }

        [Fact]
        public async Task A_454_answer_to_STARTTLS_gives_4_4_317()
        {
            var r = Assert.Single(await lab.ProbeAsync("tls454.lab.test", tls: TlsRequirement.EncryptionOnly));
            Assert.Equal("450 4.4.317", r.Code);
            Assert.Equal(ProbeStage.StartTls, r.Stage);
            Assert.StartsWith("454", r.ServerResponse);
        }

        [Fact]
        public async Task A_reset_during_the_TLS_handshake_gives_4_4_317_at_TlsHandshake()
        {
            var r = Assert.Single(await lab.ProbeAsync("reset.lab.test", tls: TlsRequirement.EncryptionOnly));
            Assert.Equal("450 4.4.317", r.Code);
            Assert.Equal(ProbeStage.TlsHandshake, r.Stage);
            Assert.StartsWith("220", r.ServerResponse);
        }

        [Fact]
        public async Task Under_opportunistic_TLS_an_advertised_STARTTLS_whose_handshake_fails_is_4_4_317_not_a_plaintext_retry()
        {
            var server = lab.World.Servers["reset.lab.test"];
            int before = server.Commands.Count;
            var r = Assert.Single(await lab.ProbeAsync("reset.lab.test"));
            Assert.Equal("450 4.4.317", r.Code);
            Assert.Equal(ProbeStatus.Failed, r.Status);
            Assert.Equal(ProbeStage.TlsHandshake, r.Stage);
            Assert.Contains("TLS negotiation failed", r.Detail);
            // No plaintext retry: every session opened (the probe's, and the second look at the server's TLS version) went
            // from EHLO to STARTTLS and no further.
            var sent = server.Commands.Skip(before).Select(c => c.Split(' ')[0].ToUpperInvariant()).ToList();
            Assert.NotEmpty(sent);
            Assert.All(sent, verb => Assert.Contains(verb, new[] { "EHLO", "STARTTLS" }));
            Assert.Equal(sent.Count(v => v == "EHLO"), sent.Count(v => v == "STARTTLS"));
        }

        [Fact]
        public async Task A_reply_that_is_not_SMTP_gives_4_4_317()
        {
            var r = Assert.Single(await lab.ProbeAsync("garbage.lab.test"));
            Assert.Equal("450 4.4.317", r.Code);
            Assert.Equal(ProbeStage.Greeting, r.Stage);
            Assert.StartsWith("HTTP/1.1", r.ServerResponse);
        }

        [Fact]
        public async Task A_megabyte_line_instead_of_a_greeting_gives_4_4_317_with_a_bounded_response()
        {
            using var server = new MailFlowIntel.Lab.FaultSmtpServer(MailFlowIntel.Lab.FaultBehaviour.MegaLine);
            var options = lab.Options();
            options.Port = server.Port;
            var r = Assert.Single(await lab.ProbeAsync("127.0.0.1", options: options));
            Assert.Equal("450 4.4.317", r.Code);
            Assert.Equal(ProbeStage.Greeting, r.Stage);
            Assert.StartsWith("AAAA", r.ServerResponse);
            Assert.True(r.ServerResponse.Length <= MailFlowIntel.Core.Text.Untrusted.DefaultMaxLength + 3);
        }

        [Fact]
        public async Task A_close_after_EHLO_gives_4_4_318_at_Ehlo()
        {
            var r = Assert.Single(await lab.ProbeAsync("drop.lab.test"));
            Assert.Equal("450 4.4.318", r.Code);
            Assert.Equal(ProbeStage.Ehlo, r.Stage);
            Assert.StartsWith("220", r.ServerResponse);
        }

        [Theory]
        [InlineData("expired.lab.test", TlsRequirement.CertificateValidation, null, "Expired")]
        [InlineData("selfsigned.lab.test", TlsRequirement.CertificateValidation, null, "UntrustedRoot")]
        [InlineData("wrongname.lab.test", TlsRequirement.DomainValidation, "mx.lab.test", "SubjectMismatch")]
        public async Task A_certificate_a_validating_connector_rejects_gives_4_7_320(string host, TlsRequirement tls, string tlsDomain, string error)
        {
            var r = Assert.Single(await lab.ProbeAsync(host, tls: tls, tlsDomain: tlsDomain));
            Assert.Equal("450 4.7.320", r.Code);
            Assert.Equal(ProbeStatus.Failed, r.Status);
            Assert.Equal(ProbeStage.Certificate, r.Stage);
            Assert.Equal(Ip(host), r.IPAddress);
            Assert.Contains(error, r.CertificateErrors);
            Assert.StartsWith("220", r.ServerResponse);
        }

        [Fact]
        public async Task A_wrong_name_under_CertificateValidation_is_not_a_failure()
        {
            var r = Assert.Single(await lab.ProbeAsync("wrongname.lab.test", tls: TlsRequirement.CertificateValidation));
            Assert.Equal(ProbeStatus.Warning, r.Status);
            Assert.Null(r.Code);
            Assert.Contains("SubjectMismatch", r.CertificateErrors);
        }

        [Fact]
        public async Task A_certificate_matching_a_wildcard_TlsDomain_succeeds()
        {
            var r = Assert.Single(await lab.ProbeAsync("ok.lab.test", tls: TlsRequirement.DomainValidation, tlsDomain: "*.lab.test"));
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
        }

        [Theory]
        [InlineData("expired.lab.test")]
        [InlineData("selfsigned.lab.test")]
        [InlineData("wrongname.lab.test")]
        public async Task Any_bad_certificate_under_EncryptionOnly_only_warns(string host)
        {
            var r = Assert.Single(await lab.ProbeAsync(host, tls: TlsRequirement.EncryptionOnly));
            Assert.Equal(ProbeStatus.Warning, r.Status);
            Assert.Null(r.Code);
            Assert.NotNull(r.TlsProtocol);
        }

        [Fact]
        public async Task The_probe_never_sends_DATA_or_BDAT()
        {
            using var server = new MailFlowIntel.Lab.FaultSmtpServer(MailFlowIntel.Lab.FaultBehaviour.Normal, lab.World.Certificates.Valid);
            var options = lab.Options();
            options.Port = server.Port;
            options.Recipients = new[] { "someone@lab.test", "nobody@lab.test" };
            var results = await lab.ProbeAsync("127.0.0.1", options: options);
            Assert.Equal(2, results.Count);
            string[] verbs = server.Commands.Select(c => c.Split(' ')[0].ToUpperInvariant()).ToArray();
            Assert.Contains("RCPT", verbs);
            Assert.Contains("RSET", verbs);
            Assert.Contains("QUIT", verbs);
            Assert.DoesNotContain("DATA", verbs);
            Assert.DoesNotContain("BDAT", verbs);
        }
    }
}
