using System.Collections.Generic;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Probing;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>What DANE facts mean under each SmtpDaneMode, and how DANE and MTA-STS codes read as evidence; no socket.</summary>
    public sealed class DaneCatalogTests
    {
        static ProbeFacts Reached(TlsRequirement tls = TlsRequirement.Opportunistic, bool starttls = true) =>
            new ProbeFacts { Tls = tls, Port = 25, TimeoutSeconds = 15, Stage = ProbeStage.Quit, EhloDone = true, StartTlsOffered = starttls, Reached = true };

        static ConnectorDeliveryResult Judge(ProbeFacts f)
        {
            var result = new ConnectorDeliveryResult { DestinationServer = "mail.fabrikam.com", IPAddress = "203.0.113.9", Port = 25, Target = "fabrikam.com" };
            ResultBuilder.Complete(result, f, "mail.fabrikam.com", Language.English);
            return result;
        }

        static DaneMode Mode(string name) => (DaneMode)System.Enum.Parse(typeof(DaneMode), name);

        [Theory]
        [InlineData("Opportunistic")]
        [InlineData("Mandatory")]
        [InlineData("None")]
        public void A_TLSA_mismatch_fails_unless_the_connector_checks_no_DANE(string modeName)
        {
            DaneMode mode = Mode(modeName);
            ConnectorDeliveryResult r = Judge(new ProbeFacts { Tls = TlsRequirement.Opportunistic, Port = 25, Stage = ProbeStage.Quit, EhloDone = true, StartTlsOffered = true, Reached = true, Dane = DaneStatus.Mismatch, DaneMode = mode });
            if (mode == DaneMode.None)
            {
                Assert.Equal(ProbeStatus.Succeeded, r.Status);
                Assert.Null(r.Code);
            }
            else
            {
                Assert.Equal(ProbeStatus.Failed, r.Status);
                Assert.Equal("450 4.7.323", r.Code);
                Assert.Equal(Reason.DaneTlsaMismatch, r.Reason);
            }
        }

        [Fact]
        public void With_authentic_TLSA_the_DANE_code_replaces_4_7_320_and_4_4_317()
        {
            var rejected = Reached(TlsRequirement.DomainValidation);
            rejected.Stage = ProbeStage.Certificate;
            rejected.TlsFailure = TlsFailure.CertificateRejected;
            rejected.Certificate = new CertificateReport { Subject = "CN=x", Problems = CertificateProblems.SubjectMismatch };
            rejected.Dane = DaneStatus.Mismatch;
            Assert.Equal("450 4.7.323", Judge(rejected).Code);

            var noTls = Reached(TlsRequirement.EncryptionOnly, starttls: false);
            noTls.Stage = ProbeStage.StartTls;
            noTls.Reached = false;
            noTls.Dane = DaneStatus.NoTls;
            Assert.Equal("450 4.7.321", Judge(noTls).Code);

            noTls.DaneMode = DaneMode.None;   // the connector's own TLS rule is all that is left
            Assert.Equal("450 4.4.317", Judge(noTls).Code);
        }

        [Fact]
        public void DNSSEC_that_fails_validation_is_predicted_as_4_4_312_as_Microsoft_documents()
        {
            var f = Reached();
            f.Dane = DaneStatus.Bogus;
            ConnectorDeliveryResult r = Judge(f);
            Assert.Equal("450 4.4.312", r.Code);
            Assert.Equal(Reason.DnsServerFailure, r.Reason);
        }

        [Theory]
        [InlineData(DaneStatus.NotApplicable, "Opportunistic", ProbeStatus.Succeeded, Reason.Delivered)]
        [InlineData(DaneStatus.Unusable, "Opportunistic", ProbeStatus.Succeeded, Reason.Delivered)]
        [InlineData(DaneStatus.Valid, "Mandatory", ProbeStatus.Succeeded, Reason.Delivered)]
        [InlineData(DaneStatus.NotApplicable, "Mandatory", ProbeStatus.Failed, Reason.DaneNotAvailable)]
        [InlineData(DaneStatus.Unusable, "Mandatory", ProbeStatus.Failed, Reason.DaneNotAvailable)]
        [InlineData(DaneStatus.Unknown, "Opportunistic", ProbeStatus.Warning, Reason.DaneUnverified)]
        [InlineData(DaneStatus.Unknown, "None", ProbeStatus.Succeeded, Reason.Delivered)]
        public void A_session_that_went_through_reads_by_DANE_status_and_mode(DaneStatus dane, string mode, ProbeStatus status, Reason reason)
        {
            var f = Reached();
            f.Dane = dane;
            f.DaneMode = Mode(mode);
            ConnectorDeliveryResult r = Judge(f);
            Assert.Equal(status, r.Status);
            Assert.Equal(reason, r.Reason);
        }

        [Theory]
        [InlineData("450 4.7.5 Remote certificate failed MTA-STS validation. Reason: Expired", "450 4.7.5", "MtaStsCertificateInvalid")]
        [InlineData("454 4.7.5 Certificate validation failure, reason:untrustedroot", "450 4.7.320", "CertificateUntrustedRoot")]
        [InlineData("550 5.4.8 MX hosts of fabrikam.com failed MTA-STS validation", "450 4.4.8", "MtaStsMxMismatch")]
        [InlineData("Reason: [{LED=450 4.7.323 tlsa-invalid: The domain failed DANE validation [LastAttemptedServerName=mx1.fabrikam.com]}]", "450 4.7.323", "DaneTlsaMismatch")]
        public void MTA_STS_4_7_5_is_told_from_other_4_7_5_texts_by_its_words(string text, string code, string reason)
        {
            EvidenceRecord r = TextEvidence.FromLine(text, null);
            Assert.Equal(code, r.Family?.Code);
            Assert.Equal(reason, r.Scenario.Reason.ToString());
        }

        [Fact]
        public void A_bare_code_names_its_family_and_a_shared_code_in_other_words_does_not()
        {
            Assert.Same(CodeFamily.MtaStsCertificateInvalid, CodeFamily.Find("4.7.5"));
            Assert.Same(CodeFamily.MtaStsMxMismatch, CodeFamily.Find("550 5.4.8"));
            Assert.Null(CodeFamily.Find("454 4.7.5 certificate validation failure"));
            Assert.Same(CodeFamily.DaneTlsaInvalid, CodeFamily.Find("5.7.323"));
            Assert.Equal("5.7.323", CodeFamily.DaneTlsaInvalid.ExpiredEnhancedCode);
            Assert.Equal("5.4.320", CodeFamily.CertificateValidationFailed.ExpiredEnhancedCode);
        }

        [Fact]
        public void A_4_4_8_text_names_its_policy_domain_and_the_alert_plans_that_domains_policy()
        {
            EvidenceRecord r = TextEvidence.FromLine("550 5.4.8 MX hosts of Fabrikam.com failed MTA-STS validation", null);
            Assert.Equal("fabrikam.com", r.MtaStsPolicyDomain);
            Assert.Null(TextEvidence.FromLine("4.4.8 MX hosts of <domain> failed MTA-STS validation", null).MtaStsPolicyDomain);

            var aggregator = new MailFlowIntel.Core.Alerts.AlertAggregator(new MailFlowIntel.Core.Alerts.AlertOptions { Language = Language.English, AsOf = System.DateTime.UtcNow });
            aggregator.Add(r);
            MailFlowAlert alert = System.Linq.Enumerable.Single(aggregator.Alerts());
            Assert.Equal("fabrikam.com", alert.MtaStsPolicyDomain);
            Assert.Contains("mta-sts.fabrikam.com", alert.Fix);
        }
    }
}
