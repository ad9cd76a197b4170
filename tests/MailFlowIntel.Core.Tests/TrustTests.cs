using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Probing;
using Org.BouncyCastle.Security;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Trust as Microsoft 365 trusts (DESIGN.md 2c): the public programs' list anchors a chain this computer could not, a
    /// root only this computer trusts is private, roots given as parameters count as public for the verdict. The lab's
    /// servers are real; the public list and this computer's roots are stand-ins set on the probe's options, so no test
    /// touches the machine's stores (the Pester test Trust.Tests.ps1 does, in a child process of its own).
    /// </summary>
    [Collection("Lab")]
    public sealed class TrustTests
    {
        readonly LabFixture lab;
        public TrustTests(LabFixture lab) { this.lab = lab; }

        /// <summary>The lab's options with no given root: trust comes only from <paramref name="publicRoots"/> and <paramref name="computer"/>.</summary>
        ProbeOptions Options(RootList publicRoots, RootList computer)
        {
            ProbeOptions o = lab.Options();
            o.TrustedRoots = new X509Certificate2Collection();
            o.PublicRootsOverride = publicRoots;
            o.ComputerRootsOverride = computer;
            return o;
        }

        /// <summary>A list in the committed format naming the lab CA by subject and key only, as if Mozilla listed it.</summary>
        RootList LabCaListed(string program = "Mozilla")
        {
            X509Certificate2 ca = lab.World.Certificates.Ca;
            string text = $"program\t{program}\t2026-01-01\ttest\nroot\t{program}\tMailFlowIntel Lab CA\t{Convert.ToBase64String(ca.SubjectName.RawData)}\t{Convert.ToBase64String(ca.PublicKey.ExportSubjectPublicKeyInfo())}\n";
            return RootList.Parse(new StringReader(text), "test list");
        }

        [Fact]
        public void The_committed_public_list_parses_and_holds_over_100_roots_with_valid_keys()
        {
            RootList list = PublicRoots.List;
            Assert.True(list.Count > 100, $"only {list.Count} roots");
            RootProgram mozilla = Assert.Single(list.Programs, p => p.Name == "Mozilla");
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", mozilla.Date);
            Assert.Contains("ca-certificates", mozilla.Source);
            foreach (TrustAnchor a in list.Anchors)
            {
                Assert.False(string.IsNullOrWhiteSpace(a.Name));
                Assert.Contains(a.Program, list.Programs.Select(p => p.Name));
                Assert.NotNull(PublicKeyFactory.CreateKey(a.Key));   // a key BouncyCastle can verify with
                Assert.True(a.Subject.GetOidList().Count > 0, a.Name);
            }
            Assert.Equal(list.Count, list.Anchors.Select(a => Convert.ToBase64String(a.SubjectDer) + Convert.ToBase64String(a.KeyDer)).Distinct().Count());
            // ISRG Root X1 with its well-known key (the SHA-256 of its SubjectPublicKeyInfo, as HPKP pins wrote it).
            TrustAnchor isrg = Assert.Single(list.Anchors, a => a.Name == "ISRG Root X1");
            using var sha = SHA256.Create();
            Assert.Equal("C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=", Convert.ToBase64String(sha.ComputeHash(isrg.KeyDer)));
        }

        [Fact]
        public async Task A_root_in_the_public_list_that_this_computer_lacks_anchors_the_chain_with_a_note()
        {
            ProbeOptions o = Options(LabCaListed(), RootList.Empty);
            foreach (string host in new[] { "ok.lab.test", "fullchain.lab.test" })
            {
                var r = Assert.Single(await lab.ProbeAsync(host, tls: TlsRequirement.CertificateValidation, options: o));
                Assert.True(r.Status == ProbeStatus.Succeeded, $"{host}: {r.Status} {r.Reason} {r.CertificateErrors} {r.Detail}");
                Assert.Contains("PublicRootNotInstalled", r.CertificateErrors);
                Assert.DoesNotContain("PrivateRoot", r.CertificateErrors);
                Assert.DoesNotContain("IncompleteChain", r.CertificateErrors);
                Assert.Contains("Mozilla's list but not among this computer's trusted roots", r.Detail);
            }
        }

        [Fact]
        public async Task Without_the_list_the_same_chain_reads_IncompleteChain_and_with_it_the_fix_names_the_right_intermediate()
        {
            // Control: nothing anchors the lab CA, as on a computer that has not downloaded a public root yet.
            var bare = Assert.Single(await lab.ProbeAsync("ok.lab.test", tls: TlsRequirement.CertificateValidation, options: Options(RootList.Empty, RootList.Empty)));
            Assert.Equal(Reason.CertificateIncompleteChain, bare.Reason);
            // With the list, a server that really omits its intermediate is told about that intermediate, not the root.
            var r = Assert.Single(await lab.ProbeAsync("leafonly.lab.test", tls: TlsRequirement.CertificateValidation, options: Options(LabCaListed(), RootList.Empty)));
            Assert.Equal(Reason.CertificateIncompleteChain, r.Reason);
            Assert.Contains("MailFlowIntel Lab Intermediate CA", r.Fix);
        }

        [Theory]
        [InlineData(TlsRequirement.CertificateValidation)]
        [InlineData(TlsRequirement.DomainValidation)]
        public async Task A_root_only_this_computer_trusts_is_PrivateRoot_and_a_Warning_under_a_validating_connector(TlsRequirement tls)
        {
            ProbeOptions o = Options(RootList.Empty, RootList.FromCertificates(new X509Certificate2Collection(lab.World.Certificates.Ca)));
            var r = Assert.Single(await lab.ProbeAsync("ok.lab.test", tls: tls, tlsDomain: "mx.lab.test", options: o));
            Assert.Equal(ProbeStatus.Warning, r.Status);
            Assert.Equal(Reason.RootNotInPublicProgram, r.Reason);
            Assert.Null(r.Code);
            Assert.Contains("PrivateRoot", r.CertificateErrors);
            Assert.DoesNotContain("RootFromParameter", r.CertificateErrors);
            Assert.Contains("MailFlowIntel Lab CA", r.Cause);
            Assert.Contains("public certification authority", r.Fix);
            Assert.Equal(ProbeStage.Quit, r.Stage);   // nothing was refused here: Microsoft 365's view is the warning's
        }

        [Fact]
        public async Task A_private_root_under_opportunistic_TLS_is_only_a_note()
        {
            ProbeOptions o = Options(RootList.Empty, RootList.FromCertificates(new X509Certificate2Collection(lab.World.Certificates.Ca)));
            var r = Assert.Single(await lab.ProbeAsync("ok.lab.test", options: o));
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
            Assert.Contains("PrivateRoot", r.CertificateErrors);
            Assert.Contains("no public program's list", r.Detail);
        }

        [Fact]
        public async Task A_certain_failure_wins_over_a_private_root()
        {
            ProbeOptions o = Options(RootList.Empty, RootList.FromCertificates(new X509Certificate2Collection(lab.World.Certificates.Ca)));
            var r = Assert.Single(await lab.ProbeAsync("expired.lab.test", tls: TlsRequirement.CertificateValidation, options: o));
            Assert.Equal(Reason.CertificateExpired, r.Reason);
            Assert.Equal("450 4.7.320", r.Code);
        }

        [Fact]
        public async Task Roots_given_as_parameters_count_as_public_for_the_verdict_and_keep_the_PrivateRoot_note()
        {
            // -CertificateAuthority (the lab's usual options), with the lab CA in this computer's roots as well.
            ProbeOptions given = lab.Options();
            given.ComputerRootsOverride = RootList.FromCertificates(new X509Certificate2Collection(lab.World.Certificates.Ca));
            var ca = Assert.Single(await lab.ProbeAsync("ok.lab.test", tls: TlsRequirement.CertificateValidation, options: given));
            Assert.Equal(ProbeStatus.Succeeded, ca.Status);
            Assert.Contains("PrivateRoot", ca.CertificateErrors);
            Assert.Contains("RootFromParameter", ca.CertificateErrors);

            // -TrustedRootList in the committed format: the key alone is enough, whatever program the file names.
            ProbeOptions listed = Options(RootList.Empty, RootList.Empty);
            listed.TrustedRootList = LabCaListed("Lab");
            var r = Assert.Single(await lab.ProbeAsync("fullchain.lab.test", tls: TlsRequirement.CertificateValidation, options: listed));
            Assert.True(r.Status == ProbeStatus.Succeeded, $"{r.Status} {r.Reason} {r.CertificateErrors} {r.Detail}");
            Assert.Contains("PrivateRoot", r.CertificateErrors);
            Assert.Contains("RootFromParameter", r.CertificateErrors);
            Assert.Contains("-TrustedRootList", r.Detail);
        }

        [Theory]
        [InlineData("1.2.840.10045.3.1.7")]   // P-256
        [InlineData("1.3.132.0.34")]          // P-384
        public void An_ECDSA_root_known_only_by_its_key_proves_the_signature_of_what_it_issued(string oid)
        {
            using ECDsa rootKey = ECDsa.Create(ECCurve.CreateFromValue(oid));
            using ECDsa otherKey = ECDsa.Create(ECCurve.CreateFromValue(oid));
            var now = DateTimeOffset.UtcNow;
            X509Certificate2 root = Ca("CN=Listed EC Root", rootKey, now);
            X509Certificate2 impostor = Ca("CN=Listed EC Root", otherKey, now);   // same name, another key
            using ECDsa leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=mail.example.test", leafKey, HashAlgorithmName.SHA256);
            X509Certificate2 leaf = request.Create(root, now.AddDays(-1), now.AddDays(30), new byte[] { 1, 2, 3 });

            var listed = new TrustSources(RootList.Empty, KeyOnly(root), RootList.Empty);
            PresentedChain.Result path = PresentedChain.Build(leaf, new[] { leaf }, listed);
            Assert.Equal(PathEnd.Anchored, path.End);
            Assert.Equal("Mozilla", path.AnchorProgram);
            Assert.False(path.AnchorInstalled);
            Assert.Null(path.Anchor.Certificate);

            var wrong = new TrustSources(RootList.Empty, KeyOnly(impostor), RootList.Empty);
            Assert.Equal(PathEnd.Incomplete, PresentedChain.Build(leaf, new[] { leaf }, wrong).End);
        }

        [Fact]
        public void A_root_list_file_that_is_not_the_format_says_which_line()
        {
            var bad = Assert.Throws<FormatException>(() => RootList.Parse(new StringReader("# comment\nprogram\tX\t2026-01-01\tsrc\nroot\tX\tname\tnot base64!\tAAAA\n"), "roots.tsv"));
            Assert.Contains("'roots.tsv' line 3", bad.Message);
            var other = Assert.Throws<FormatException>(() => RootList.Parse(new StringReader("hello world\n"), "roots.tsv"));
            Assert.Contains("line 1", other.Message);
            var empty = Assert.Throws<FormatException>(() => RootList.Parse(new StringReader("# nothing\n"), "roots.tsv"));
            Assert.Contains("no root", empty.Message);
        }

        static X509Certificate2 Ca(string subject, ECDsa key, DateTimeOffset now)
        {
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA384);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            return request.CreateSelfSigned(now.AddDays(-10), now.AddYears(5));
        }

        static RootList KeyOnly(X509Certificate2 root) => RootList.Parse(new StringReader(
            $"root\tMozilla\ttest\t{Convert.ToBase64String(root.SubjectName.RawData)}\t{Convert.ToBase64String(root.PublicKey.ExportSubjectPublicKeyInfo())}\n"), "test");
    }
}
