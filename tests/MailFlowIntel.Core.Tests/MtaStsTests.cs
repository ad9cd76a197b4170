using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Lab;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>MTA-STS without sockets: the TXT record, the policy, mx matching (RFC 8461 sections 3.1, 3.2, 4.1), the policy domain.</summary>
    public sealed class MtaStsParsingTests
    {
        [Theory]
        [InlineData("mail.example.com", "mail.example.com", true)]
        [InlineData("MAIL.Example.COM.", "mail.example.com", true)]
        [InlineData("mail.example.com", "MAIL.EXAMPLE.COM.", true)]
        [InlineData("mail.example.com", "mx.example.com", false)]
        [InlineData("*.example.com", "mail.example.com", true)]
        [InlineData("*.example.com", "MAIL.example.com", true)]
        // RFC 8461 section 4.1: "'*.example.com' matches 'mail.example.com' but not 'example.com' or 'foo.bar.example.com'".
        [InlineData("*.example.com", "example.com", false)]
        [InlineData("*.example.com", "foo.bar.example.com", false)]
        [InlineData("*.example.com", "mail.example.org", false)]
        [InlineData("*.example.com", "mailexample.com", false)]
        [InlineData("*.mail.protection.outlook.com", "contoso-com.mail.protection.outlook.com", true)]
        [InlineData("mail.*.com", "mail.example.com", false)]
        [InlineData("", "mail.example.com", false)]
        public void An_mx_pattern_matches_the_host_itself_or_exactly_one_left_most_label(string pattern, string host, bool matches) =>
            Assert.Equal(matches, MtaStsPolicy.PatternMatches(pattern, host));

        [Fact]
        public void A_policy_reads_with_CRLF_or_LF_ignores_unknown_keys_and_keeps_every_mx()
        {
            foreach (string eol in new[] { "\r\n", "\n" })
            {
                string text = string.Join(eol, "version: STSv1", "mode: Enforce", "mx: mail.contoso.com", "x-extension: anything", "mx:*.backup.contoso.com.",
                    "max_age: 604800", "");
                MtaStsPolicy p = MtaStsPolicy.Parse(text, out string why);
                Assert.True(p != null, why);
                Assert.Equal("enforce", p.Mode);
                Assert.Equal(new[] { "mail.contoso.com", "*.backup.contoso.com" }, p.Mx);
                Assert.Equal(604800, p.MaxAge);
                Assert.True(p.Matches("mx1.backup.contoso.com"));
                Assert.False(p.Matches("mx1.contoso.com"));
            }
        }

        [Fact]
        public void A_max_age_above_the_RFC_limit_is_capped_and_mode_none_needs_no_mx()
        {
            Assert.Equal(MtaStsPolicy.MaxAgeLimit, MtaStsPolicy.Parse("version: STSv1\nmode: testing\nmx: a.b.c\nmax_age: 99999999999\n", out _).MaxAge);
            Assert.NotNull(MtaStsPolicy.Parse("version: STSv1\nmode: none\nmax_age: 86400\n", out _));
        }

        [Theory]
        [InlineData("mode: enforce\nmx: a.example.com\nmax_age: 86400", "version")]
        [InlineData("version: STSv2\nmode: enforce\nmx: a.example.com\nmax_age: 86400", "version")]
        [InlineData("version: STSv1\nmode: strict\nmx: a.example.com\nmax_age: 86400", "mode")]
        [InlineData("version: STSv1\nmx: a.example.com\nmax_age: 86400", "mode")]
        [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com", "max_age")]
        [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: -1", "max_age")]
        [InlineData("version: STSv1\nmode: enforce\nmax_age: 86400", "mx")]
        [InlineData("<html><body>Not here</body></html>", "version")]
        public void An_invalid_policy_says_what_is_wrong(string text, string word)
        {
            Assert.Null(MtaStsPolicy.Parse(text, out string why));
            Assert.Contains(word, why);
        }

        [Theory]
        [InlineData("v=STSv1; id=20260101000000Z;", "20260101000000Z")]
        [InlineData("v=STSv1;id=abc123", "abc123")]
        [InlineData("v=STSv1; id=abc123; ext=ignored;", "abc123")]
        public void One_valid_TXT_record_gives_its_id(string record, string id)
        {
            Assert.Equal(id, MtaStsRecord.IdOf(new[] { "v=spf1 -all", record }, out string why));
            Assert.Null(why);
        }

        [Theory]
        [InlineData(new string[0], "no TXT record")]
        [InlineData(new[] { "v=spf1 -all" }, "no TXT record")]
        [InlineData(new[] { "x v=STSv1; id=abc" }, "no TXT record")]
        [InlineData(new[] { "v=STSv1; id=abc", "v=STSv1; id=def" }, "exactly one")]
        [InlineData(new[] { "v=STSv1;" }, "no id")]
        [InlineData(new[] { "v=STSv1; id=abc-def" }, "letters and digits")]
        [InlineData(new[] { "v=STSv1; id=123456789012345678901234567890123" }, "letters and digits")]
        [InlineData(new[] { "v=STSv1; id" }, "key=value")]
        public void Anything_but_exactly_one_valid_record_is_no_policy(string[] records, string word)
        {
            Assert.Null(MtaStsRecord.IdOf(records, out string why));
            Assert.Contains(word, why);
        }

        [Theory]
        [InlineData(TargetKind.Domain, "fabrikam.com", "fabrikam.com")]
        [InlineData(TargetKind.Domain, "mail.fabrikam.com", "mail.fabrikam.com")]
        [InlineData(TargetKind.SmartHost, "smtp.fabrikam.com", "fabrikam.com")]
        [InlineData(TargetKind.SmartHost, "SMTP.relay.fabrikam.co.uk.", "relay.fabrikam.co.uk")]
        [InlineData(TargetKind.SmartHost, "fabrikam.com", "fabrikam.com")]
        public void A_smart_host_is_checked_against_its_own_domain_and_a_recipient_domain_against_itself(TargetKind kind, string name, string domain) =>
            Assert.Equal(domain, MtaStsLookup.PolicyDomainOf(kind, name));

        [Theory]
        [InlineData("mail.contoso.com", "mx: mail.contoso.com", "mx: *.contoso.com")]
        [InlineData("contoso.com", "mx: contoso.com", "mx: *.<parent domain of the MX hosts>")]
        public void The_repair_texts_name_the_mx_line_for_the_host_and_its_wildcard(string host, string line, string wildcard)
        {
            var facts = new CaseFacts { Host = host };
            Assert.Equal(line, facts.Get("MtaStsMx", Language.English));
            Assert.Equal(wildcard, facts.Get("MtaStsWildcardMx", Language.English));
            Assert.Matches("^[0-9]{14}Z$", facts.Get("MtaStsNewId", Language.English));
        }
    }

    /// <summary>What MTA-STS facts mean under each mode, and the precedence of DANE and DNS over them; no socket.</summary>
    public sealed class MtaStsCatalogTests
    {
        static ProbeFacts Reached(string policyMode, MtaStsStatus status) => new ProbeFacts
        {
            Tls = TlsRequirement.Opportunistic, Port = 25, TimeoutSeconds = 15, Stage = ProbeStage.Quit, EhloDone = true, StartTlsOffered = true,
            Reached = true, MtaStsPolicyMode = policyMode, MtaSts = status, MtaStsPolicyDomain = "fabrikam.com", MtaStsPolicyId = "20260101000000Z",
            MtaStsMaxAge = 604800, MtaStsHost = "mail.fabrikam.com", MtaStsMx = "mx.fabrikam.com",
        };

        static ConnectorDeliveryResult Judge(ProbeFacts f)
        {
            var result = new ConnectorDeliveryResult { DestinationServer = "mail.fabrikam.com", IPAddress = "203.0.113.9", Port = 25, Target = "fabrikam.com" };
            ResultBuilder.Complete(result, f, "mail.fabrikam.com", Language.English);
            return result;
        }

        static ProbeFacts Skipped(bool anyMatches)
        {
            var f = Reached("enforce", MtaStsStatus.MxMismatch);
            f.Reached = false;
            f.EhloDone = f.StartTlsOffered = false;
            f.Stage = ProbeStage.Dns;
            f.MtaStsAnyMxMatches = anyMatches;
            return f;
        }

        [Theory]
        [InlineData("enforce", MtaStsStatus.Valid, ProbeStatus.Succeeded, Reason.Delivered)]
        [InlineData("testing", MtaStsStatus.MxMismatch, ProbeStatus.Warning, Reason.MtaStsTesting)]
        [InlineData("testing", MtaStsStatus.CertificateInvalid, ProbeStatus.Warning, Reason.MtaStsTesting)]
        [InlineData("testing", MtaStsStatus.Valid, ProbeStatus.Succeeded, Reason.Delivered)]
        [InlineData("none", MtaStsStatus.MxMismatch, ProbeStatus.Succeeded, Reason.Delivered)]
        [InlineData("absent", MtaStsStatus.PolicyUnreachable, ProbeStatus.Warning, Reason.MtaStsPolicyUnreachable)]
        [InlineData("absent", MtaStsStatus.NoPolicy, ProbeStatus.Succeeded, Reason.Delivered)]
        public void A_session_that_went_through_reads_by_the_policy_mode_and_status(string mode, MtaStsStatus status, ProbeStatus expected, Reason reason)
        {
            ConnectorDeliveryResult r = Judge(Reached(mode, status));
            Assert.Equal(expected, r.Status);
            Assert.Equal(reason, r.Reason);
            Assert.Null(r.Code);
            Assert.Equal(status, r.MtaStsStatus);
            Assert.Equal("Opportunistic", r.MtaStsMode);
        }

        [Fact]
        public void An_enforce_policy_that_lists_no_MX_of_the_domain_is_4_4_8_and_an_unlisted_MX_among_listed_ones_is_a_Warning()
        {
            ConnectorDeliveryResult none = Judge(Skipped(anyMatches: false));
            Assert.Equal((ProbeStatus.Failed, "450 4.4.8", Reason.MtaStsMxMismatch), (none.Status, none.Code, none.Reason));
            Assert.Contains("mx: mail.fabrikam.com", none.Fix);
            Assert.Contains("id=", none.Fix);
            ConnectorDeliveryResult some = Judge(Skipped(anyMatches: true));
            Assert.Equal((ProbeStatus.Warning, (string)null, Reason.MtaStsMxNotListed), (some.Status, some.Code, some.Reason));
        }

        [Fact]
        public void Under_MtaStsMode_None_nothing_of_MTA_STS_changes_the_verdict()
        {
            foreach (ProbeFacts f in new[] { Skipped(false), Reached("enforce", MtaStsStatus.CertificateInvalid), Reached("testing", MtaStsStatus.MxMismatch), Reached("absent", MtaStsStatus.PolicyUnreachable) })
            {
                f.MtaStsMode = MtaStsMode.None;
                ConnectorDeliveryResult r = Judge(f);
                Assert.NotEqual(ProbeStatus.Failed, r.Status);
                Assert.DoesNotContain("MtaSts", r.Reason.ToString());
                Assert.Equal("None", r.MtaStsMode);
            }
        }

        [Fact]
        public void A_listed_host_whose_certificate_fails_the_check_is_4_7_5_and_wins_over_the_connectors_own_4_7_320()
        {
            var f = Reached("enforce", MtaStsStatus.CertificateInvalid);
            f.Reached = false;
            f.Stage = ProbeStage.Certificate;
            f.Tls = TlsRequirement.DomainValidation;
            f.TlsFailure = TlsFailure.CertificateRejected;
            f.Certificate = new CertificateReport { Subject = "CN=other", Problems = CertificateProblems.SubjectMismatch | CertificateProblems.UntrustedRoot };
            f.MtaStsCertificateProblems = CertificateProblems.SubjectMismatch | CertificateProblems.UntrustedRoot;
            ConnectorDeliveryResult r = Judge(f);
            Assert.Equal(("450 4.7.5", Reason.MtaStsCertificateInvalid), (r.Code, r.Reason));
            Assert.Contains("UntrustedRoot, SubjectMismatch", r.Cause);
            Assert.Contains("fabrikam.com", r.Cause);

            // The certificate passes MTA-STS's check: only the connector's TlsDomain rule refuses it.
            f.MtaSts = MtaStsStatus.Valid;
            f.MtaStsCertificateProblems = CertificateProblems.None;
            f.Certificate.Problems = CertificateProblems.SubjectMismatch;
            Assert.Equal("450 4.7.320", Judge(f).Code);
        }

        [Fact]
        public void DANE_decides_before_MTA_STS_and_DNS_before_both()
        {
            // RFC 8461 section 2: MTA-STS must not override a failing DANE validation.
            var dane = Skipped(false);
            dane.DaneApplies = true;
            dane.Dane = DaneStatus.Mismatch;
            Assert.Equal("450 4.7.323", Judge(dane).Code);
            // Passing DANE: MTA-STS is not evaluated for the verdict.
            var valid = Reached("enforce", MtaStsStatus.MxMismatch);
            valid.DaneApplies = true;
            valid.Dane = DaneStatus.Valid;
            Assert.Equal(Reason.Delivered, Judge(valid).Reason);
            // The connector checks no DANE: MTA-STS decides.
            dane.DaneMode = DaneMode.None;
            Assert.Equal("450 4.4.8", Judge(dane).Code);

            var dns = Skipped(false);
            dns.Dns = DnsFault.ServerFailure;
            dns.DnsName = "mail.fabrikam.com";
            Assert.Equal("450 4.4.312", Judge(dns).Code);
        }

        [Fact]
        public void The_detail_says_that_Exchange_Online_may_keep_a_cached_policy()
        {
            ConnectorDeliveryResult r = Judge(Reached("enforce", MtaStsStatus.Valid));
            Assert.Contains("max_age (604800 s)", r.Detail);
            Assert.Contains("_mta-sts.fabrikam.com", r.Detail);
            Assert.Equal(604800, r.MtaStsMaxAge);
            Assert.Equal("20260101000000Z", r.MtaStsPolicyId);
            Assert.Equal("enforce", r.MtaStsPolicyMode);
            var fr = new ConnectorDeliveryResult { DestinationServer = "mail.fabrikam.com" };
            ResultBuilder.Complete(fr, Reached("enforce", MtaStsStatus.Valid), null, Language.French);
            Assert.Contains("max_age (604800 s)", fr.Detail);
            Assert.Contains("peut garder", fr.Detail);
        }
    }

    /// <summary>MTA-STS against the lab: its DNS serves the _mta-sts TXT records, its HTTPS server the policies.</summary>
    [Collection("Lab")]
    public sealed class MtaStsLabTests
    {
        readonly LabFixture lab;
        public MtaStsLabTests(LabFixture lab) { this.lab = lab; }

        LabHttpsServer Https => lab.World.MtaSts;

        async Task<MtaStsLookup> Discover(string domain, ProbeOptions options = null)
        {
            options = options ?? lab.Options();
            var resolver = new DnsResolver(options.DnsServers, options.Timeout, options.Port);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await MtaStsLookup.DiscoverAsync(domain, resolver, options, cts.Token);
        }

        async Task<IReadOnlyList<ConnectorDeliveryResult>> Probe(string name, TargetKind kind = TargetKind.Domain, string mode = "Opportunistic",
            string daneMode = "Opportunistic", DeliveryTester tester = null)
        {
            tester = tester ?? new DeliveryTester(lab.Options());
            ProbeTarget target = TargetParser.Parse(name, kind, "Lab connector", TlsRequirement.Opportunistic, null);
            target.MtaStsMode = mode;
            target.SmtpDaneMode = daneMode;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await tester.TestAsync(target, cts.Token);
        }

        [Fact]
        public async Task A_policy_is_fetched_over_HTTPS_from_the_policy_host_with_the_TXT_id()
        {
            MtaStsLookup l = await Discover("sts-enforce.lab.test");
            Assert.True(l.Status == MtaStsStatus.Valid, l.Failure);
            Assert.Equal(LabWorld.MtaStsId, l.PolicyId);
            Assert.Equal("enforce", l.PolicyMode);
            Assert.Equal(604800, l.Policy.MaxAge);
            Assert.Equal(MtaStsStatus.Valid, l.StatusOf("mx.sts-enforce.lab.test"));
            Assert.Equal(MtaStsStatus.MxMismatch, l.StatusOf("mx.sts-mismatch.lab.test"));
            // Served in chunks of 100 bytes: read whole.
            MtaStsLookup chunked = await Discover("sts-testing.lab.test");
            Assert.Equal(("testing", MtaStsStatus.Valid), (chunked.PolicyMode, chunked.Status));
        }

        [Fact]
        public async Task A_redirect_is_not_followed()
        {
            int before = Https.Requests("mta-sts.sts-redirect-target.lab.test");
            MtaStsLookup l = await Discover("sts-redirect.lab.test");
            Assert.Equal(MtaStsStatus.PolicyUnreachable, l.Status);
            Assert.Equal("absent", l.PolicyMode);
            Assert.Equal(LabWorld.MtaStsId, l.PolicyId);
            Assert.Contains("HTTP 301", l.Failure);
            Assert.Contains("https://mta-sts.sts-redirect-target.lab.test/", l.Failure);
            Assert.Equal(before, Https.Requests("mta-sts.sts-redirect-target.lab.test"));
        }

        [Theory]
        [InlineData("sts-oversized.lab.test")]          // no Content-Length: cut off while reading
        [InlineData("sts-oversized-length.lab.test")]   // a Content-Length over the cap: refused from the headers
        public async Task A_policy_over_64_KB_is_refused(string domain)
        {
            MtaStsLookup l = await Discover(domain);
            Assert.Equal(MtaStsStatus.PolicyUnreachable, l.Status);
            Assert.Contains("larger than 64 KB", l.Failure);
        }

        [Fact]
        public async Task A_policy_host_with_a_certificate_for_another_name_or_from_an_untrusted_root_is_refused()
        {
            MtaStsLookup l = await Discover("sts-badcert.lab.test");
            Assert.Equal(MtaStsStatus.PolicyUnreachable, l.Status);
            Assert.Contains("SubjectMismatch", l.Failure);
            Assert.Contains("mta-sts.other.lab.test", l.Failure);

            ProbeOptions noCa = lab.Options();
            noCa.TrustedRoots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            MtaStsLookup untrusted = await Discover("sts-enforce.lab.test", noCa);
            Assert.Equal(MtaStsStatus.PolicyUnreachable, untrusted.Status);
            // Without the lab CA the server's leaf leads to no trusted root (its issuer is neither sent nor trusted).
            Assert.Matches("fails validation \\((IncompleteChain|UntrustedRoot)", untrusted.Failure);
        }

        [Fact]
        public async Task A_policy_host_that_does_not_answer_and_a_domain_without_a_TXT_record()
        {
            MtaStsLookup refused = await Discover("sts-unreachable.lab.test");
            Assert.Equal(MtaStsStatus.PolicyUnreachable, refused.Status);
            Assert.Contains("could not connect", refused.Failure);
            MtaStsLookup none = await Discover("lab.test");
            Assert.Equal((MtaStsStatus.NoPolicy, "absent", (string)null), (none.Status, none.PolicyMode, none.PolicyId));
        }

        [Fact]
        public async Task An_unlisted_MX_among_listed_ones_is_skipped_without_connecting_and_the_policy_is_fetched_once()
        {
            int before = Https.Requests("mta-sts.sts-partial.lab.test");
            var r = await Probe("sts-partial.lab.test");
            Assert.Equal(1, Https.Requests("mta-sts.sts-partial.lab.test") - before);
            Assert.Equal(2, r.Count);
            Assert.Equal(("mx1.sts-partial.lab.test", MtaStsStatus.MxMismatch, ProbeStatus.Warning, Reason.MtaStsMxNotListed),
                (r[0].DestinationServer, r[0].MtaStsStatus, r[0].Status, r[0].Reason));
            Assert.Null(r[0].IPAddress);
            Assert.Equal(("mx2.sts-partial.lab.test", MtaStsStatus.Valid, ProbeStatus.Succeeded), (r[1].DestinationServer, r[1].MtaStsStatus, r[1].Status));
            Assert.All(r, x => Assert.Equal(ProbeStatus.Succeeded, x.TargetStatus));
        }

        [Fact]
        public async Task Targets_of_one_run_that_share_a_policy_domain_fetch_it_once()
        {
            var tester = new DeliveryTester(lab.Options());
            int before = Https.Requests("mta-sts.sts-relay.lab.test");
            var listed = Assert.Single(await Probe("smtp.sts-relay.lab.test", TargetKind.SmartHost, tester: tester));
            var other = Assert.Single(await Probe("other.sts-relay.lab.test", TargetKind.SmartHost, tester: tester));
            Assert.Equal(1, Https.Requests("mta-sts.sts-relay.lab.test") - before);
            // The smart hosts' own domain's policy, not a policy of their own names.
            Assert.Equal(("sts-relay.lab.test", MtaStsStatus.Valid, ProbeStatus.Succeeded), (listed.MtaStsPolicyDomain, listed.MtaStsStatus, listed.Status));
            Assert.Equal(("sts-relay.lab.test", "450 4.4.8", Reason.MtaStsMxMismatch), (other.MtaStsPolicyDomain, other.Code, other.Reason));
        }

        [Theory]
        [InlineData("sts-enforce.lab.test", "Opportunistic", MtaStsStatus.Valid, ProbeStatus.Succeeded, null)]
        [InlineData("sts-wild.lab.test", "Opportunistic", MtaStsStatus.Valid, ProbeStatus.Succeeded, null)]
        [InlineData("sts-mismatch.lab.test", "Opportunistic", MtaStsStatus.MxMismatch, ProbeStatus.Failed, "450 4.4.8")]
        [InlineData("sts-mismatch.lab.test", "None", MtaStsStatus.MxMismatch, ProbeStatus.Succeeded, null)]
        [InlineData("sts-certfail.lab.test", "Opportunistic", MtaStsStatus.CertificateInvalid, ProbeStatus.Failed, "450 4.7.5")]
        // Reported, not enforced: the Warning is the connector's own (a certificate problem it does not check).
        [InlineData("sts-certfail.lab.test", "None", MtaStsStatus.CertificateInvalid, ProbeStatus.Warning, null)]
        [InlineData("sts-testing.lab.test", "Opportunistic", MtaStsStatus.MxMismatch, ProbeStatus.Warning, null)]
        [InlineData("sts-none.lab.test", "Opportunistic", MtaStsStatus.MxMismatch, ProbeStatus.Succeeded, null)]
        [InlineData("sts-unreachable.lab.test", "Opportunistic", MtaStsStatus.PolicyUnreachable, ProbeStatus.Warning, null)]
        [InlineData("sts-badcert.lab.test", "Opportunistic", MtaStsStatus.PolicyUnreachable, ProbeStatus.Warning, null)]
        public async Task Each_lab_domain_under_each_MtaStsMode(string domain, string mode, MtaStsStatus status, ProbeStatus expected, string code)
        {
            var r = Assert.Single(await Probe(domain, mode: mode));
            Assert.Equal((status, expected, code), (r.MtaStsStatus, r.Status, r.Code));
            Assert.Equal(mode, r.MtaStsMode);
            Assert.Equal(domain, r.MtaStsPolicyDomain);
            // Under enforce, a host that does not match is never connected to.
            Assert.Equal(status == MtaStsStatus.MxMismatch && mode != "None" && domain == "sts-mismatch.lab.test", r.IPAddress == null);
        }

        [Fact]
        public async Task DANE_wins_over_MTA_STS_where_both_apply()
        {
            var r = Assert.Single(await Probe("sts-dane.lab.test"));
            Assert.Equal(("450 4.7.323", DaneStatus.Mismatch, MtaStsStatus.MxMismatch), (r.Code, r.DaneStatus, r.MtaStsStatus));
            var noDane = Assert.Single(await Probe("sts-dane.lab.test", daneMode: "None"));
            Assert.Equal(("450 4.4.8", Reason.MtaStsMxMismatch), (noDane.Code, noDane.Reason));
        }
    }
}
