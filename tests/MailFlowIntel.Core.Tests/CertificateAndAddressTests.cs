using System.Diagnostics;
using System.Threading.Tasks;
using MailFlowIntel.Core.Probing;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    [Collection("Lab")]
    public sealed class CertificateAndAddressTests
    {
        readonly LabFixture lab;
        public CertificateAndAddressTests(LabFixture lab) { this.lab = lab; }

        [Fact]
        public async Task A_certificate_its_CRL_lists_as_revoked_gives_4_7_320()
        {
            var r = Assert.Single(await lab.ProbeAsync("revoked.lab.test", tls: TlsRequirement.CertificateValidation));
            Assert.True(r.Code == "450 4.7.320", $"{r.Status} {r.CertificateErrors} {r.Detail} CRL requests: {lab.World.CrlRequests}");
            Assert.Contains("Revoked", r.CertificateErrors);
            Assert.Contains("Revoked", r.Detail);
        }

        [Fact]
        public async Task Revocation_that_cannot_be_learned_is_noted_but_does_not_fail()
        {
            var clock = Stopwatch.StartNew();
            var r = Assert.Single(await lab.ProbeAsync("norevinfo.lab.test", tls: TlsRequirement.CertificateValidation));
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
            Assert.Contains("RevocationUnknown", r.CertificateErrors);
            Assert.DoesNotContain("Revoked", r.CertificateErrors.Replace("RevocationUnknown", ""));
            Assert.True(clock.Elapsed.TotalSeconds < 10, $"took {clock.Elapsed}");
        }

        [Fact]
        public async Task A_CRL_server_that_never_answers_costs_the_session_nothing_and_is_not_a_timeout()
        {
            // The CRL server takes the request and never answers. The revocation check runs on its own clock beside the
            // session, so the TLS step's 2-second deadline never includes it: no 4.4.315 for a healthy server.
            var clock = Stopwatch.StartNew();
            var r = Assert.Single(await lab.ProbeAsync("crlhang.lab.test", tls: TlsRequirement.CertificateValidation, options: lab.Options(2)));
            Assert.True(r.Status == ProbeStatus.Succeeded, $"{r.Status} {r.Code} {r.Reason} {r.Detail}");
            Assert.Null(r.Code);
            Assert.Equal(ProbeStage.Quit, r.Stage);
            Assert.Contains("RevocationUnknown", r.CertificateErrors);
            // Loose guard: the session plus the revocation bound (2 s), several times over on a busy machine.
            Assert.True(clock.Elapsed.TotalSeconds < 12, $"took {clock.Elapsed}");
        }

        [Fact]
        public async Task A_revoked_certificate_found_after_the_session_means_the_server_did_not_take_it()
        {
            // twomx-style: the target's only host is revoked, so nothing delivered and the result names the certificate stage.
            var r = Assert.Single(await lab.ProbeAsync("revoked.lab.test", tls: TlsRequirement.CertificateValidation));
            Assert.Equal(ProbeStage.Certificate, r.Stage);
            Assert.Equal(ProbeStatus.Failed, r.TargetStatus);
            Assert.Equal(Reason.CertificateRevoked, r.Reason);
            Assert.StartsWith("220", r.ServerResponse);   // the reply to STARTTLS, the last before the refused handshake
        }

        [Fact]
        public async Task A_revoked_certificate_under_opportunistic_TLS_is_reported_and_delivered()
        {
            var r = Assert.Single(await lab.ProbeAsync("revoked.lab.test"));
            Assert.NotEqual(ProbeStatus.Failed, r.Status);
            Assert.Contains("Revoked", r.CertificateErrors);
        }

        [Fact]
        public async Task A_certificate_expiring_within_30_days_is_a_Warning()
        {
            var r = Assert.Single(await lab.ProbeAsync("expiring.lab.test", tls: TlsRequirement.DomainValidation, tlsDomain: "mx.lab.test"));
            Assert.Equal(ProbeStatus.Warning, r.Status);
            Assert.Null(r.Code);
            Assert.Contains("ExpiresSoon", r.CertificateErrors);
            Assert.Contains("expires on", r.Detail);
        }

        [Fact]
        public async Task An_IPv6_only_host_is_probed_over_IPv6()
        {
            Assert.True(lab.World.Hosts.ContainsKey("v6.lab.test"), "this machine has no IPv6 loopback (::1)");
            var r = Assert.Single(await lab.ProbeAsync("v6.lab.test", tls: TlsRequirement.EncryptionOnly, tlsDomain: "mx.lab.test"));
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
            Assert.Equal("::1", r.IPAddress);
            Assert.Equal("::1", r.ProbedFrom);
        }

        [Fact]
        public async Task A_dual_stack_host_moves_on_to_its_IPv6_address_when_IPv4_refuses()
        {
            Assert.True(lab.World.Hosts.ContainsKey("v6.lab.test"), "this machine has no IPv6 loopback (::1)");
            var results = await lab.ProbeAsync("dual.lab.test", tls: TlsRequirement.EncryptionOnly, tlsDomain: "mx.lab.test");
            Assert.Equal(2, results.Count);
            Assert.Equal("127.0.0.11", results[0].IPAddress);
            Assert.Equal("450 4.4.316", results[0].Code);
            Assert.Equal("::1", results[1].IPAddress);
            Assert.Equal(ProbeStatus.Succeeded, results[1].Status);
        }

        [Fact]
        public async Task The_probe_uses_the_source_address_it_is_given()
        {
            var options = lab.Options();
            options.SourceAddress = System.Net.IPAddress.Parse("127.0.0.77");
            var r = Assert.Single(await lab.ProbeAsync("ok.lab.test", options: options));
            Assert.Equal("127.0.0.77", r.ProbedFrom);
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
        }

        [Fact]
        public async Task A_source_address_this_machine_does_not_have_is_a_setup_error()
        {
            var options = lab.Options();
            options.SourceAddress = System.Net.IPAddress.Parse("192.0.2.1");   // TEST-NET-1: bound locally only, never sent to
            await Assert.ThrowsAsync<ProbeSetupException>(() => lab.ProbeAsync("ok.lab.test", options: options));
        }
    }
}
