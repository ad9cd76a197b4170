using System;
using System.ComponentModel;
using System.IO;
using System.Net;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Probing;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// TlsVersionUnsupported from the handshake's facts (the server's ServerHello to a second, TLS 1.0-1.2 client), never
    /// from the platform's words; and TLS 1.3 asked for only where the platform has it.
    /// </summary>
    [Collection("Lab")]
    public sealed class TlsVersionTests
    {
        readonly LabFixture lab;
        public TlsVersionTests(LabFixture lab) { this.lab = lab; }

        [Theory]
        [InlineData(TlsRequirement.Opportunistic)]
        [InlineData(TlsRequirement.EncryptionOnly)]
        public async Task A_server_that_speaks_only_TLS_1_0_and_1_1_is_TlsVersionUnsupported_named_from_its_ServerHello(TlsRequirement tls)
        {
            ConnectorDeliveryResult r = Assert.Single(await lab.ProbeAsync("oldtls.lab.test", tls: tls));
            Assert.Equal(Reason.TlsVersionUnsupported, r.Reason);
            Assert.Equal("450 4.4.317", r.Code);
            Assert.Equal(ProbeStage.TlsHandshake, r.Stage);
            Assert.Equal("Tls11", r.Facts.ServerTlsVersion);
            Assert.Contains("TLS 1.1", r.Detail);
        }

        [Fact]
        public async Task The_second_look_reads_the_version_a_server_chooses()
        {
            var options = lab.Options();
            IPAddress oldTls = IPAddress.Parse(lab.World.Hosts["oldtls.lab.test"]);
            IPAddress ok = IPAddress.Parse(lab.World.Hosts["ok.lab.test"]);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal("Tls11", await TlsVersionProbe.ServerVersionAsync(oldTls, "oldtls.lab.test", options, cts.Token));
            Assert.Equal("Tls12", await TlsVersionProbe.ServerVersionAsync(ok, "ok.lab.test", options, cts.Token));
            // A server without STARTTLS gives no version, and sends nothing to the server but the session's commands.
            Assert.Null(await TlsVersionProbe.ServerVersionAsync(IPAddress.Parse(lab.World.Hosts["notls.lab.test"]), "notls.lab.test", options, cts.Token));
        }

        [Fact]
        public async Task A_handshake_that_fails_for_another_reason_stays_TlsHandshakeFailed()
        {
            // The server resets the connection mid-handshake: the second look learns no old version, so no version is blamed.
            ConnectorDeliveryResult r = Assert.Single(await lab.ProbeAsync("reset.lab.test"));
            Assert.NotEqual(Reason.TlsVersionUnsupported, r.Reason);
            Assert.Null(r.Facts.ServerTlsVersion);
        }

        [Fact]
        public async Task The_second_look_never_sends_a_message()
        {
            var server = lab.World.Servers["oldtls.lab.test"];
            int before = System.Linq.Enumerable.Count(server.Commands, c => c.StartsWith("STARTTLS", StringComparison.OrdinalIgnoreCase));
            await lab.ProbeAsync("oldtls.lab.test");
            // Two sessions: the probe's, then the second look's.
            Assert.Equal(before + 2, System.Linq.Enumerable.Count(server.Commands, c => c.StartsWith("STARTTLS", StringComparison.OrdinalIgnoreCase)));
            foreach (string command in server.Commands)
            {
                string verb = command.Split(' ')[0].ToUpperInvariant();
                Assert.DoesNotContain(verb, new[] { "DATA", "BDAT", "MAIL", "RCPT" });
            }
        }

        [Theory]
        [InlineData(false, 10, 0, 0, true)]      // Linux, macOS: OpenSSL or the platform's own
        [InlineData(true, 10, 0, 17763, false)]  // Windows Server 2019: SChannel has no TLS 1.3 client
        [InlineData(true, 10, 0, 19045, false)]  // Windows 10 22H2
        [InlineData(true, 10, 0, 20348, true)]   // Windows Server 2022
        [InlineData(true, 10, 0, 22631, true)]   // Windows 11
        public void TLS_1_3_is_asked_for_only_where_the_platform_has_it(bool windows, int major, int minor, int build, bool expected) =>
            Assert.Equal(expected, TlsProtocols.PlatformHasTls13(windows, new Version(major, minor, build)));

        [Fact]
        public void The_printed_command_for_the_endpoints_service_is_Get_MailFlowEndpoint_which_asks_for_TLS_1_2_itself()
        {
            // Get-MailFlowEndpoint asks for TLS 1.2 on its own handler (EndpointService), so the command works on 5.1 as printed.
            string command = MailFlowIntel.Core.Catalog.Microsoft365Network.EndpointsCommand;
            Assert.StartsWith("Get-MailFlowEndpoint", command);
            Assert.DoesNotContain("Invoke-RestMethod", command);
        }

        [Fact]
        public void A_refusal_of_the_protocol_flags_is_told_apart_from_the_servers()
        {
            SslProtocols both = SslProtocols.Tls12 | TlsProtocols.Tls13;
            // The API refused the flags: ours, whatever the platform.
            Assert.True(TlsProtocols.MayBeLocalRefusal(new AuthenticationException("x", new NotSupportedException("flag")), both, false));
            Assert.True(TlsProtocols.MayBeLocalRefusal(new ArgumentException("protocols"), both, true));
            // SChannel's "no common algorithm" with TLS 1.3 asked for: perhaps ours (the retry with TLS 1.2 alone tells).
            var mismatch = new Win32Exception(unchecked((int)0x80090331));
            Assert.True(TlsProtocols.MayBeLocalRefusal(new AuthenticationException("x", mismatch), both, true));
            Assert.False(TlsProtocols.MayBeLocalRefusal(new AuthenticationException("x", mismatch), both, false));
            // With TLS 1.2 alone, a failure is the server's to explain; and an I/O error never is a flag refusal.
            Assert.False(TlsProtocols.MayBeLocalRefusal(new AuthenticationException("x", mismatch), SslProtocols.Tls12, true));
            Assert.False(TlsProtocols.MayBeLocalRefusal(new AuthenticationException("x", new IOException("reset")), both, true));
        }
    }
}
