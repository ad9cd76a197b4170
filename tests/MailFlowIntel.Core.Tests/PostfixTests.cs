using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Lab;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// A test that needs Debian's Postfix: skipped with the install line when it is missing,
    /// except under CI=true, where a missing peer must fail.
    /// </summary>
    public sealed class PostfixFactAttribute : FactAttribute
    {
        public PostfixFactAttribute()
        {
            if (!PostfixInstance.IsInstalled && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Skip = "Postfix is not installed: " + PostfixInstance.InstallHint;
        }
    }

    public sealed class PostfixFixture : IDisposable
    {
        public LabCertificates Certificates { get; }
        public PostfixInstance Postfix { get; }
        readonly string dir = Path.Combine(Path.GetTempPath(), "mfi-pf-certs-" + Guid.NewGuid().ToString("N").Substring(0, 8));

        public PostfixFixture()
        {
            if (!PostfixInstance.IsInstalled) return;   // the tests then fail (CI) or are skipped
            Certificates = new LabCertificates(dir);
            var (cert, key) = LabCertificates.WritePem(Certificates.Valid, dir, "mx");
            Postfix = PostfixInstance.Start(cert, key);
        }

        public ProbeOptions Options() => new ProbeOptions
        {
            Port = Postfix.Port,
            Timeout = TimeSpan.FromSeconds(5),
            TrustedRoots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(Certificates.Ca),
        };

        public void Dispose()
        {
            Postfix?.Dispose();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    public sealed class PostfixTests : IClassFixture<PostfixFixture>
    {
        readonly PostfixFixture fx;
        public PostfixTests(PostfixFixture fx) { this.fx = fx; }

        async Task<System.Collections.Generic.IReadOnlyList<ConnectorDeliveryResult>> ProbeAsync(ProbeOptions options, TlsRequirement tls, string tlsDomain)
        {
            Assert.True(PostfixInstance.IsInstalled, "Postfix is required under CI: " + PostfixInstance.InstallHint);
            var target = TargetParser.Parse("127.0.0.1", TargetKind.SmartHost, "Postfix", tls, tlsDomain);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await new DeliveryTester(options).TestAsync(target, cts.Token);
        }

        [PostfixFact]
        public async Task A_clean_STARTTLS_probe_reports_Postfix_and_its_certificate()
        {
            var r = Assert.Single(await ProbeAsync(fx.Options(), TlsRequirement.DomainValidation, "mx.lab.test"));
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
            Assert.Equal(ProbeStage.Quit, r.Stage);
            Assert.Equal("127.0.0.1", r.IPAddress);
            Assert.Matches("^Tls1[23]$", r.TlsProtocol);
            Assert.Equal("CN=mx.lab.test", r.CertificateSubject);
            Assert.Contains("mx.lab.test", r.CertificateNames);
            Assert.Equal(fx.Certificates.Valid.Thumbprint, r.CertificateThumbprint);
            Assert.Equal(fx.Certificates.Valid.NotAfter.ToUniversalTime(), r.CertificateNotAfter.Value, TimeSpan.FromSeconds(1));
        }

        [PostfixFact]
        public async Task A_RCPT_probe_reports_each_recipient_with_Postfixs_reply_and_leaves_no_message()
        {
            var options = fx.Options();
            options.Sender = "probe@contoso.test";
            options.Recipients = new[] { "someone@lab.test", "nobody@lab.test" };
            var results = await ProbeAsync(options, TlsRequirement.EncryptionOnly, "mx.lab.test");

            Assert.Equal(2, results.Count);
            ConnectorDeliveryResult accepted = results.Single(r => r.Recipient == "someone@lab.test");
            ConnectorDeliveryResult refused = results.Single(r => r.Recipient == "nobody@lab.test");
            Assert.Equal(ProbeStatus.Succeeded, accepted.Status);
            Assert.StartsWith("250 2.1.5", accepted.ServerResponse);
            Assert.Equal(ProbeStatus.Failed, refused.Status);
            Assert.Equal(ProbeStage.RcptTo, refused.Stage);
            Assert.Equal("550 5.1.1", refused.Code);
            Assert.Equal("5.1.1", refused.EnhancedStatusCode);
            Assert.Contains("Recipient address rejected: no such user", refused.ServerResponse);

            // First the lines that prove the probe was seen, then the absence of any delivery.
            Assert.True(fx.Postfix.WaitForLog("client=", TimeSpan.FromSeconds(5)), fx.Postfix.ReadLog());
            Assert.True(fx.Postfix.WaitForLog("550 5.1.1 <nobody@lab.test>", TimeSpan.FromSeconds(5)), fx.Postfix.ReadLog());
            Assert.True(fx.Postfix.WaitForLog("disconnect from", TimeSpan.FromSeconds(5)), fx.Postfix.ReadLog());
            string log = fx.Postfix.ReadLog();
            Assert.DoesNotContain("message-id=", log);
            Assert.DoesNotContain("queued as", log);
            Assert.DoesNotContain("status=", log);
            Assert.True(fx.Postfix.QueueIsEmpty(), string.Join(", ", fx.Postfix.QueuedFiles()));
        }
    }
}
