using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using MailFlowIntel.Core.Probing;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Every scenario the lab can make, against its loopback peer: Reason, Code and Status, and a Cause or Fix that names
    /// the host or address and the specific fact of the case.
    /// </summary>
    [Collection("Lab")]
    public sealed class ScenarioLabTests
    {
        readonly LabFixture lab;
        public ScenarioLabTests(LabFixture lab) { this.lab = lab; }

        string Ip(string host) => lab.World.Hosts[host];

        [Theory]
        [InlineData("ok.lab.test", TlsRequirement.DomainValidation, null, Reason.Delivered, null, ProbeStatus.Succeeded)]
        [InlineData("missing.lab.test", TlsRequirement.Opportunistic, null, Reason.DnsNameNotFound, "450 4.4.312", ProbeStatus.Failed)]
        [InlineData("mail.lapsed.test", TlsRequirement.Opportunistic, null, Reason.DnsDomainNotRegistered, "450 4.4.312", ProbeStatus.Failed)]
        [InlineData("servfail.lab.test", TlsRequirement.Opportunistic, null, Reason.DnsServerFailure, "450 4.4.312", ProbeStatus.Failed)]
        [InlineData("noaddress.lab.test", TlsRequirement.Opportunistic, null, Reason.DnsNoAddress, "450 4.4.312", ProbeStatus.Failed)]
        [InlineData("refused.lab.test", TlsRequirement.Opportunistic, null, Reason.ConnectionRefused, "450 4.4.316", ProbeStatus.Failed)]
        [InlineData("busy.lab.test", TlsRequirement.Opportunistic, null, Reason.ServiceNotAvailable, "450 4.4.317", ProbeStatus.Failed)]
        [InlineData("ehlo421.lab.test", TlsRequirement.Opportunistic, null, Reason.ServiceNotAvailable, "450 4.4.317", ProbeStatus.Failed)]
        [InlineData("reject554.lab.test", TlsRequirement.Opportunistic, null, Reason.GreetingRejected, "450 4.4.317", ProbeStatus.Failed)]
        [InlineData("ehloreject.lab.test", TlsRequirement.Opportunistic, null, Reason.EhloRejected, "450 4.4.317", ProbeStatus.Failed)]
        [InlineData("notls.lab.test", TlsRequirement.EncryptionOnly, null, Reason.StartTlsNotOffered, "450 4.4.317", ProbeStatus.Failed)]
        [InlineData("masked.lab.test", TlsRequirement.EncryptionOnly, null, Reason.StartTlsStripped, "450 4.4.317", ProbeStatus.Failed)]
        [InlineData("tls454.lab.test", TlsRequirement.Opportunistic, null, Reason.StartTlsRefused, "450 4.4.317", ProbeStatus.Failed)]
        [InlineData("reset.lab.test", TlsRequirement.Opportunistic, null, Reason.TlsHandshakeFailed, "450 4.4.317", ProbeStatus.Failed)]
        [InlineData("garbage.lab.test", TlsRequirement.Opportunistic, null, Reason.NotSmtp, "450 4.4.317", ProbeStatus.Failed)]
        [InlineData("hugeline.lab.test", TlsRequirement.Opportunistic, null, Reason.NotSmtp, "450 4.4.317", ProbeStatus.Failed)]
        [InlineData("drop.lab.test", TlsRequirement.Opportunistic, null, Reason.ClosedAbruptly, "450 4.4.318", ProbeStatus.Failed)]
        [InlineData("acceptreset.lab.test", TlsRequirement.Opportunistic, null, Reason.ClosedAbruptly, "450 4.4.318", ProbeStatus.Failed)]
        [InlineData("expired.lab.test", TlsRequirement.CertificateValidation, null, Reason.CertificateExpired, "450 4.7.320", ProbeStatus.Failed)]
        [InlineData("notyet.lab.test", TlsRequirement.CertificateValidation, null, Reason.CertificateNotYetValid, "450 4.7.320", ProbeStatus.Failed)]
        [InlineData("selfsigned.lab.test", TlsRequirement.CertificateValidation, null, Reason.CertificateUntrustedRoot, "450 4.7.320", ProbeStatus.Failed)]
        [InlineData("leafonly.lab.test", TlsRequirement.CertificateValidation, null, Reason.CertificateIncompleteChain, "450 4.7.320", ProbeStatus.Failed)]
        [InlineData("wrongname.lab.test", TlsRequirement.DomainValidation, "mx.lab.test", Reason.CertificateNameMismatch, "450 4.7.320", ProbeStatus.Failed)]
        [InlineData("revoked.lab.test", TlsRequirement.CertificateValidation, null, Reason.CertificateRevoked, "450 4.7.320", ProbeStatus.Failed)]
        [InlineData("expiring.lab.test", TlsRequirement.DomainValidation, "mx.lab.test", Reason.CertificateExpiresSoon, null, ProbeStatus.Warning)]
        [InlineData("wrongname.lab.test", TlsRequirement.EncryptionOnly, null, Reason.CertificateNotChecked, null, ProbeStatus.Warning)]
        [InlineData("notls.lab.test", TlsRequirement.Opportunistic, null, Reason.OpportunisticTlsFailed, null, ProbeStatus.Warning)]
        public async Task The_lab_reproduces_the_scenario(string host, TlsRequirement tls, string tlsDomain, Reason reason, string code, ProbeStatus status)
        {
            var r = Assert.Single(await lab.ProbeAsync(host, tls: tls, tlsDomain: tlsDomain));
            Assert.True(reason == r.Reason, $"{host}: {r.Reason} {r.Code} {r.Detail}");
            Assert.Equal(code, r.Code);
            Assert.Equal(status, r.Status);
            // The texts name this case: the host (or its address).
            string text = r.Cause + " " + r.Fix;
            Assert.True(text.Contains(host) || (lab.World.Hosts.TryGetValue(host, out string ip) && text.Contains(ip)), text);
        }

        [Fact]
        public async Task Timeouts_are_told_apart_by_where_they_happen()
        {
            var connect = Assert.Single(await lab.ProbeAsync("blackhole.lab.test", options: lab.Options(1)));
            Assert.Equal(Reason.ConnectTimedOut, connect.Reason);
            Assert.Contains(Ip("blackhole.lab.test"), connect.Cause);
            var greeting = Assert.Single(await lab.ProbeAsync("silent.lab.test", options: lab.Options(1)));
            Assert.Equal(Reason.GreetingTimedOut, greeting.Reason);
            Assert.Equal("450 4.4.315", greeting.Code);
        }

        [Fact]
        public async Task An_expired_certificate_is_named_with_its_date()
        {
            var r = Assert.Single(await lab.ProbeAsync("expired.lab.test", tls: TlsRequirement.CertificateValidation));
            string notAfter = lab.World.Certificates.Expired.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Contains(notAfter, r.Cause);
            Assert.Contains("CN=mx.lab.test", r.Cause);
        }

        [Fact]
        public async Task A_name_mismatch_names_the_certificates_names_and_the_TlsDomain()
        {
            var r = Assert.Single(await lab.ProbeAsync("wrongname.lab.test", tls: TlsRequirement.DomainValidation, tlsDomain: "mx.lab.test"));
            Assert.Contains("other.example.test", r.Cause);
            Assert.Contains("mx.lab.test", r.Cause);
        }

        [Fact]
        public async Task A_busy_server_is_named_with_its_reply_and_gets_a_capacity_fix_not_a_TLS_one()
        {
            var r = Assert.Single(await lab.ProbeAsync("busy.lab.test"));
            Assert.Contains("421 4.3.2 Service not available", r.Cause);
            Assert.Contains("MaxInboundConnection", r.Fix);
            Assert.DoesNotContain("TLS", r.Fix);
        }

        [Fact]
        public async Task An_incomplete_chain_names_the_issuer_the_server_did_not_send()
        {
            var r = Assert.Single(await lab.ProbeAsync("leafonly.lab.test", tls: TlsRequirement.CertificateValidation));
            Assert.Contains("MailFlowIntel Lab Intermediate CA", r.Cause);
        }

        [Fact]
        public async Task A_server_that_demands_STARTTLS_without_offering_it_is_seen_at_MAIL_FROM()
        {
            var options = lab.Options();
            options.Recipients = new[] { "someone@lab.test" };
            var r = Assert.Single(await lab.ProbeAsync("tlsrequired.lab.test", options: options));
            Assert.Equal(Reason.TlsRequiredByServer, r.Reason);
            Assert.Equal("450 4.4.317", r.Code);
            Assert.Contains("530 5.7.0", r.Cause);
        }

        [Fact]
        public async Task A_recipient_the_server_refuses_is_its_own_reply()
        {
            var options = lab.Options();
            options.Recipients = new[] { "nobody@lab.test" };
            var r = Assert.Single(await lab.ProbeAsync("ok.lab.test", options: options));
            Assert.Equal(Reason.RecipientRejected, r.Reason);
            Assert.Equal("550 5.1.1", r.Code);
            Assert.Contains("550 5.1.1", r.Cause);
        }

        [Fact]
        public async Task Ranges_wildcards_and_Null_MX_are_scenarios_too()
        {
            Assert.Equal(Reason.RangeNotTestable, Assert.Single(await lab.ProbeAsync("10.0.0.0/8")).Reason);
            Assert.Equal(Reason.WildcardDomain, Assert.Single(await lab.ProbeAsync("*", TargetKind.Domain)).Reason);
            // A wildcard under a name is probed by its parent's MX (the domain itself is covered too).
            ConnectorDeliveryResult wild = (await lab.ProbeAsync("*.relay.lab.test", TargetKind.Domain)).First();
            Assert.Equal("ok.lab.test", wild.DestinationServer);
            Assert.Contains("subdomains", wild.Detail);
            var nullMx = Assert.Single(await lab.ProbeAsync("nomail.lab.test", TargetKind.Domain));
            Assert.Equal(Reason.NullMx, nullMx.Reason);
            Assert.Equal(Responsible.Partner, nullMx.Responsible);   // a recipient domain by MX is someone else's
            Assert.Contains("nomail.lab.test", nullMx.Cause);
        }
    }
}
