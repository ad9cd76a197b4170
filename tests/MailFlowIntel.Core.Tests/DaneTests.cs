using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Lab;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// DANE matching without sockets: usages 2 and 3, selectors 0 and 1, matching types 0 to 2, against certificates whose
    /// records the lab computes with .NET's own SPKI export (not the probe's BouncyCastle path).
    /// </summary>
    public sealed class DaneMatchingTests
    {
        static readonly Lazy<LabCertificates> Lazy = new Lazy<LabCertificates>(() =>
            new LabCertificates(Path.Combine(Path.GetTempPath(), "mfi-dane-" + Guid.NewGuid().ToString("N").Substring(0, 8)),
                intermediateUrl: "http://127.0.0.1:9/unused.cer"));
        static LabCertificates C => Lazy.Value;
        static readonly DateTime Now = DateTime.UtcNow;

        static Tlsa Record(int usage, int selector, int matching, X509Certificate2 c) =>
            new Tlsa(usage, selector, matching, LabDns.TlsaData(c, selector, matching));

        static DaneCheck.Outcome Match(Tlsa record, X509Certificate2[] presented, params string[] names) =>
            DaneCheck.Match(new[] { record }, presented, names, Now);

        [Theory]
        [InlineData(3, 0, 0)] [InlineData(3, 0, 1)] [InlineData(3, 0, 2)]
        [InlineData(3, 1, 0)] [InlineData(3, 1, 1)] [InlineData(3, 1, 2)]
        [InlineData(2, 0, 0)] [InlineData(2, 0, 1)] [InlineData(2, 0, 2)]
        [InlineData(2, 1, 0)] [InlineData(2, 1, 1)] [InlineData(2, 1, 2)]
        public void Every_usage_selector_and_matching_type_matches_its_certificate(int usage, int selector, int matching)
        {
            // DANE-EE names the leaf; DANE-TA names the intermediate the server sends after its leaf.
            Tlsa record = Record(usage, selector, matching, usage == 3 ? C.Valid : C.Intermediate);
            var presented = usage == 3 ? new[] { C.Valid } : new[] { C.DaneTa, C.Intermediate };
            DaneCheck.Outcome o = Match(record, presented, "dane-ta.lab.test");
            Assert.Equal(DaneStatus.Valid, o.Status);
            Assert.Same(record, o.Matched);
            Assert.False(o.CertificateExpired || o.HostMismatch);
        }

        [Fact]
        public void The_probes_own_SPKI_is_the_one_dotnet_exports()
        {
            Assert.Equal(C.Valid.PublicKey.ExportSubjectPublicKeyInfo(), DaneCheck.SubjectPublicKeyInfo(C.Valid));
            Assert.Equal(Record(3, 1, 1, C.Valid).ToString(), DaneCheck.RecordFor(C.Valid).ToString());
        }

        [Fact]
        public void A_record_of_another_key_is_a_mismatch_with_nothing_matched()
        {
            DaneCheck.Outcome o = Match(Record(3, 1, 1, C.Previous), new[] { C.Valid }, "mx.lab.test");
            Assert.Equal(DaneStatus.Mismatch, o.Status);
            Assert.Null(o.Matched);
            Assert.False(o.CertificateExpired || o.HostMismatch);
        }

        [Fact]
        public void DANE_EE_ignores_the_leafs_dates_and_names()
        {
            Tlsa record = Record(3, 1, 1, C.Expired);
            DaneCheck.Outcome o = Match(record, new[] { C.Expired }, "not-in-the-certificate.example");
            Assert.Equal(DaneStatus.Valid, o.Status);
            Assert.Same(record, o.Matched);
            Assert.Equal(DaneStatus.Valid, Match(Record(3, 1, 1, C.WrongName), new[] { C.WrongName }, "mx.lab.test").Status);
        }

        [Fact]
        public void DANE_TA_with_an_expired_leaf_is_a_mismatch_flagged_expired()
        {
            Tlsa record = Record(2, 1, 1, C.Intermediate);
            DaneCheck.Outcome o = Match(record, new[] { C.DaneExpired, C.Intermediate }, "dane-expired.lab.test");
            Assert.Equal(DaneStatus.Mismatch, o.Status);
            Assert.True(o.CertificateExpired);
            Assert.False(o.HostMismatch);
            Assert.Same(record, o.Matched);
        }

        [Fact]
        public void DANE_TA_with_a_leaf_for_another_name_is_a_mismatch_flagged_host()
        {
            DaneCheck.Outcome o = Match(Record(2, 1, 1, C.Intermediate), new[] { C.DaneWrongName, C.Intermediate }, "dane-wrongname.lab.test", "lab.test");
            Assert.Equal(DaneStatus.Mismatch, o.Status);
            Assert.True(o.HostMismatch);
            Assert.False(o.CertificateExpired);
        }

        [Fact]
        public void DANE_TA_takes_a_wildcard_for_the_left_most_label_only()
        {
            Tlsa ca = Record(2, 1, 1, C.Ca);
            Assert.Equal(DaneStatus.Valid, Match(ca, new[] { C.Wildcard, C.Ca }, "mx.lab.test").Status);
            Assert.True(Match(ca, new[] { C.Wildcard, C.Ca }, "a.b.lab.test").HostMismatch);
            Assert.True(Match(ca, new[] { C.Wildcard, C.Ca }, "lab.test").HostMismatch);
        }

        [Fact]
        public void DANE_TA_needs_the_anchor_among_what_was_sent_and_the_leaf_chaining_to_it()
        {
            Tlsa intermediate = Record(2, 1, 1, C.Intermediate);
            // Not sent: the server sent its leaf alone.
            Assert.Equal(DaneStatus.Mismatch, Match(intermediate, new[] { C.DaneTa }, "dane-ta.lab.test").Status);
            // Sent, but the leaf was issued by the root, not by it.
            DaneCheck.Outcome o = Match(intermediate, new[] { C.Valid, C.Intermediate }, "mx.lab.test");
            Assert.Equal(DaneStatus.Mismatch, o.Status);
            Assert.Null(o.Matched);
            // The leaf is never its own trust anchor.
            Assert.Equal(DaneStatus.Mismatch, Match(Record(2, 1, 1, C.DaneTa), new[] { C.DaneTa, C.Intermediate }, "dane-ta.lab.test").Status);
            // The root as anchor, reached through the intermediate the server sent too.
            Assert.Equal(DaneStatus.Valid, Match(Record(2, 0, 1, C.Ca), new[] { C.DaneTa, C.Intermediate, C.Ca }, "dane-ta.lab.test").Status);
        }

        [Fact]
        public void Usages_0_and_1_only_are_unusable_and_one_usable_record_among_others_is_enough()
        {
            var pkix = new[] { Record(1, 1, 1, C.Valid), Record(0, 0, 1, C.Ca) };
            Assert.Equal(DaneStatus.Unusable, DaneCheck.Match(pkix, new[] { C.Valid }, new[] { "mx.lab.test" }, Now).Status);
            var mixed = new[] { Record(3, 1, 1, C.Previous), Record(1, 1, 1, C.Valid), Record(3, 1, 2, C.Valid) };
            DaneCheck.Outcome o = DaneCheck.Match(mixed, new[] { C.Valid }, new[] { "mx.lab.test" }, Now);
            Assert.Equal(DaneStatus.Valid, o.Status);
            Assert.Same(mixed[2], o.Matched);
        }

        [Fact]
        public void Records_read_as_published_in_lower_case_hex()
        {
            var r = new Tlsa(3, 1, 1, new byte[] { 0x0A, 0xBC, 0xFF });
            Assert.Equal("3 1 1 0abcff", r.ToString());
            Assert.Equal("3 1 1 0abcff; 2 0 0 01", Tlsa.Join(new[] { r, new Tlsa(2, 0, 0, new byte[] { 1 }) }));
            Assert.False(new Tlsa(3, 1, 3, new byte[1]).Usable);
            Assert.False(new Tlsa(255, 1, 1, new byte[1]).Usable);
        }
    }

    /// <summary>What DNS alone decides (DaneLookup.Classify), and the connector's mode as Exchange Online spells it.</summary>
    public sealed class DaneLookupTests
    {
        static readonly Tlsa[] Some = { new Tlsa(3, 1, 1, new byte[32]) };

        [Theory]
        // hostAuthentic, failed, records, tlsaAuthentic, validates -> status, applies
        [InlineData(true, false, true, true, null, DaneStatus.NotApplicable, true)]
        [InlineData(true, false, false, true, null, DaneStatus.NotApplicable, false)]     // no TLSA record
        [InlineData(true, true, false, false, null, DaneStatus.Bogus, false)]             // SERVFAIL under a signed host
        [InlineData(false, true, false, false, null, DaneStatus.NotApplicable, false)]    // SERVFAIL under an unsigned host
        [InlineData(true, false, true, false, null, DaneStatus.NotApplicable, false)]     // TLSA in an unsigned zone
        [InlineData(false, false, true, false, true, DaneStatus.NotApplicable, false)]    // validating resolver, unsigned zone
        [InlineData(false, false, true, false, false, DaneStatus.Unknown, false)]         // a resolver that never validates
        [InlineData(false, false, true, true, null, DaneStatus.NotApplicable, false)]     // authentic TLSA behind an insecure MX or A
        public void DNS_decides_whether_DANE_applies(bool hostAuthentic, bool failed, bool records, bool tlsaAuthentic, bool? validates,
            DaneStatus status, bool applies)
        {
            DaneLookup d = DaneLookup.Classify("_25._tcp.mx.contoso.com", hostAuthentic, failed, records ? Some : null, tlsaAuthentic, validates);
            Assert.Equal(status, d.Status);
            Assert.Equal(applies, d.Applies);
        }

        [Fact]
        public void The_TLSA_name_carries_the_port()
        {
            Assert.Equal("_25._tcp.mx.contoso.com", DaneLookup.TlsaName("mx.contoso.com.", 25));
        }

        [Theory]
        [InlineData(null, "Opportunistic")]
        [InlineData("", "Opportunistic")]
        [InlineData(" mandatory ", "Mandatory")]
        [InlineData("NONE", "None")]
        public void SmtpDaneMode_reads_as_Exchange_Online_spells_it(string value, string expected)
        {
            Assert.Equal(expected, ConnectorModes.NormalizeDane(value));
        }

        [Theory]
        [InlineData("Strict")]
        [InlineData("1")]
        public void Another_SmtpDaneMode_is_refused(string value)
        {
            Assert.Throws<FormatException>(() => ConnectorModes.NormalizeDane(value));
        }
    }

    /// <summary>DANE through the engine against the lab: its DNS (AD for signed names, TLSA records) and its TLS servers.</summary>
    [Collection("Lab")]
    public sealed class DaneLabTests
    {
        readonly LabFixture lab;
        public DaneLabTests(LabFixture lab) { this.lab = lab; }

        LabCertificates C => lab.World.Certificates;

        async Task<IReadOnlyList<ConnectorDeliveryResult>> Probe(string name, string mode = "Opportunistic", TargetKind kind = TargetKind.SmartHost,
            ProbeOptions options = null)
        {
            var tester = new DeliveryTester(options ?? lab.Options());
            ProbeTarget target = TargetParser.Parse(name, kind, "Lab connector", TlsRequirement.Opportunistic, null);
            target.SmtpDaneMode = mode;
            using var cts = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await tester.TestAsync(target, cts.Token);
        }

        string Record(int usage, int selector, int matching, X509Certificate2 c) =>
            new Tlsa(usage, selector, matching, LabDns.TlsaData(c, selector, matching)).ToString();

        [Fact]
        public async Task A_matching_DANE_EE_record_is_Valid_and_named()
        {
            var r = Assert.Single(await Probe("dane-ok.lab.test"));
            Assert.Equal(DaneStatus.Valid, r.DaneStatus);
            Assert.Equal(Record(3, 1, 1, C.DaneEe), r.TlsaMatched);
            Assert.Equal(r.TlsaMatched, r.TlsaRecords);
            Assert.Equal("Opportunistic", r.SmtpDaneMode);
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
        }

        [Fact]
        public async Task A_matching_DANE_TA_record_of_the_sent_intermediate_is_Valid()
        {
            var r = Assert.Single(await Probe("dane-ta.lab.test"));
            Assert.True(r.DaneStatus == DaneStatus.Valid, $"{r.DaneStatus} {r.CertificateNames} {r.Detail}");
            Assert.Equal(Record(2, 1, 1, C.Intermediate), r.TlsaMatched);
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
        }

        [Fact]
        public async Task A_record_of_the_key_before_a_renewal_is_a_Mismatch_and_nothing_is_sent()
        {
            var r = Assert.Single(await Probe("dane-renewed.lab.test"));
            Assert.Equal(DaneStatus.Mismatch, r.DaneStatus);
            Assert.Equal("", r.TlsaMatched);
            Assert.Equal(Record(3, 1, 1, C.Previous), r.TlsaRecords);
            Assert.False(r.Facts.DaneCertificateExpired || r.Facts.DaneHostMismatch);
            Assert.False(r.Facts.Reached);   // Exchange Online would queue and try another MX
            Assert.Equal(ProbeStage.Certificate, r.Stage);
        }

        [Fact]
        public async Task DANE_TA_with_an_expired_leaf_is_flagged_expired()
        {
            var r = Assert.Single(await Probe("dane-expired.lab.test"));
            Assert.Equal(DaneStatus.Mismatch, r.DaneStatus);
            Assert.True(r.Facts.DaneCertificateExpired);
            Assert.False(r.Facts.DaneHostMismatch);
            Assert.Equal(Record(2, 1, 1, C.Intermediate), r.TlsaMatched);
        }

        [Fact]
        public async Task DANE_TA_with_a_leaf_for_another_name_is_flagged_host_mismatch()
        {
            var r = Assert.Single(await Probe("dane-wrongname.lab.test"));
            Assert.Equal(DaneStatus.Mismatch, r.DaneStatus);
            Assert.True(r.Facts.DaneHostMismatch);
            Assert.False(r.Facts.DaneCertificateExpired);
        }

        [Fact]
        public async Task Authentic_TLSA_and_no_STARTTLS_is_NoTls_and_nothing_is_sent_in_the_clear()
        {
            var r = Assert.Single(await Probe("dane-nostarttls.lab.test"));
            Assert.Equal(DaneStatus.NoTls, r.DaneStatus);
            Assert.False(r.Facts.Reached);
            Assert.Equal(ProbeStage.StartTls, r.Stage);
            // Under SmtpDaneMode None it is reported, and the session goes on in the clear as the connector would.
            var none = Assert.Single(await Probe("dane-nostarttls.lab.test", "None"));
            Assert.Equal(DaneStatus.NoTls, none.DaneStatus);
            Assert.Equal("None", none.SmtpDaneMode);
            Assert.True(none.Facts.Reached);
        }

        [Fact]
        public async Task Only_usages_0_and_1_are_Unusable_and_still_require_TLS()
        {
            var r = Assert.Single(await Probe("dane-usage01.lab.test"));
            Assert.Equal(DaneStatus.Unusable, r.DaneStatus);
            Assert.Equal("", r.TlsaMatched);
            Assert.Equal(2, r.TlsaRecords.Split("; ").Length);
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
            var clear = Assert.Single(await Probe("dane-usage01-nostarttls.lab.test"));
            Assert.Equal(DaneStatus.NoTls, clear.DaneStatus);
        }

        [Fact]
        public async Task TLSA_without_AD_is_NotApplicable_from_a_validating_resolver_and_Unknown_from_one_that_never_validates()
        {
            var unsigned = Assert.Single(await Probe("dane-unsigned.lab.test"));
            Assert.Equal(DaneStatus.NotApplicable, unsigned.DaneStatus);
            Assert.Equal(Record(3, 1, 1, C.DaneEe), unsigned.TlsaRecords);
            Assert.Equal(unsigned.TlsaRecords, unsigned.TlsaMatched);
            Assert.Equal(ProbeStatus.Succeeded, unsigned.Status);

            ProbeOptions noAd = lab.Options();
            noAd.DnsServers = new[] { new IPEndPoint(IPAddress.Loopback, lab.World.DnsNoAd.Port) };
            var unknown = Assert.Single(await Probe("dane-ok.lab.test", options: noAd));
            Assert.Equal(DaneStatus.Unknown, unknown.DaneStatus);
            // Matched for information: DANE does not apply, so nothing else follows from it.
            Assert.Equal(Record(3, 1, 1, C.DaneEe), unknown.TlsaMatched);
            Assert.False(unknown.Facts.DaneCertificateExpired || unknown.Facts.DaneHostMismatch);
            // A host without TLSA is NotApplicable there too: nothing to say about DANE.
            Assert.Equal(DaneStatus.NotApplicable, Assert.Single(await Probe("ok.lab.test", options: noAd)).DaneStatus);
        }

        [Fact]
        public async Task A_bogus_TLSA_answer_under_a_signed_host_is_Bogus_and_a_DNS_failure_without_a_connection()
        {
            var r = Assert.Single(await Probe("dane-bogus.lab.test"));
            Assert.Equal(DaneStatus.Bogus, r.DaneStatus);
            Assert.Equal("450 4.4.312", r.Code);
            Assert.Equal(ProbeStatus.Failed, r.Status);
            Assert.Null(r.IPAddress);
            Assert.Equal("dane-bogus.lab.test", r.DestinationServer);
            // SmtpDaneMode None: reported, and the server is probed as usual.
            var none = Assert.Single(await Probe("dane-bogus.lab.test", "None"));
            Assert.Equal(DaneStatus.Bogus, none.DaneStatus);
            Assert.Equal(ProbeStatus.Succeeded, none.Status);
        }

        [Fact]
        public async Task DANE_by_MX_needs_the_MX_answer_authentic_and_fails_over_to_the_next_MX()
        {
            var signedMx = Assert.Single(await Probe("dane-mx.lab.test", kind: TargetKind.Domain));
            Assert.Equal(DaneStatus.Valid, signedMx.DaneStatus);
            var insecureMx = Assert.Single(await Probe("dane-insecuremx.lab.test", kind: TargetKind.Domain));
            Assert.Equal(DaneStatus.NotApplicable, insecureMx.DaneStatus);
            Assert.NotEqual("", insecureMx.TlsaRecords);

            var both = await Probe("dane-failover.lab.test", kind: TargetKind.Domain);
            Assert.Equal(2, both.Count);
            Assert.Equal(("dane-renewed.lab.test", DaneStatus.Mismatch), (both[0].DestinationServer, both[0].DaneStatus));
            Assert.Equal(("dane-ok.lab.test", DaneStatus.Valid), (both[1].DestinationServer, both[1].DaneStatus));
            Assert.Equal(ProbeStatus.Succeeded, both[1].TargetStatus);
        }

        [Fact]
        public async Task A_host_without_TLSA_costs_one_extra_query_and_reads_NotApplicable()
        {
            int before = lab.World.Dns.QueryCount;
            var r = Assert.Single(await Probe("ok.lab.test"));
            // MX, A, AAAA and TLSA, and the _mta-sts TXT of its domain: no root check for a host without TLSA records.
            Assert.Equal(5, lab.World.Dns.QueryCount - before);
            Assert.Equal(DaneStatus.NotApplicable, r.DaneStatus);
            Assert.Equal("", r.TlsaRecords);
            Assert.Equal("", r.TlsaMatched);
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
        }

        [Fact]
        public async Task A_smart_host_given_as_an_address_has_no_DANE()
        {
            var r = Assert.Single(await Probe(lab.World.Hosts["ok.lab.test"], "Mandatory"));
            Assert.Equal(DaneStatus.NotApplicable, r.DaneStatus);
            Assert.Equal("Mandatory", r.SmtpDaneMode);
        }
    }
}
