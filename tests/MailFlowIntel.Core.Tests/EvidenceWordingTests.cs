using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>Evidence wording matched as whole words and phrases on text whose host names are masked.</summary>
    public sealed class EvidenceWordingTests
    {
        static EvidenceRecord Read(string text) => TextEvidence.FromLine(text, null);

        [Theory]
        [InlineData("451 4.4.0 Primary target IP address responded with: \"421 4.3.2 Service not available\" dns.contoso.com")]
        [InlineData("451 4.4.0 Primary target IP address responded with: \"421 4.3.2 Service not available\" [LastAttemptedServerName=mx.dnsprovider.example]")]
        [InlineData("451 4.4.0 Primary target IP address responded with: \"421 4.3.2 Service not available\" The last endpoint attempted was 203.0.113.53:25 (smtp-dns.fabrikam.com)")]
        public void A_host_name_that_contains_dns_does_not_make_a_421_a_DNS_failure(string text)
        {
            EvidenceRecord r = Read(text);
            Assert.Equal(Reason.ServiceNotAvailable, r.Scenario.Reason);
            Assert.Equal(CodeFamily.CannotConnect, r.Family);
        }

        [Theory]
        [InlineData("451 4.4.0 Primary target IP address responded with \"421 4.4.2 timeout.refused.example\"")]
        [InlineData("451 4.4.0 Unexpected error at tls.contoso.com")]
        public void Words_inside_host_names_are_not_read(string text)
        {
            EvidenceRecord r = Read(text);
            Assert.Equal(Reason.Unrecognized, r.Scenario.Reason);
        }

        [Theory]
        [InlineData("Échec de la requête DNS", Reason.DnsQueryFailed)]
        [InlineData("Connexion refusée", Reason.ConnectionRefused)]
        [InlineData("La connexion a été interrompue brusquement", Reason.ClosedAbruptly)]
        [InlineData("Échec de la validation du certificat", Reason.CertificateInvalid)]
        public void Microsofts_French_titles_are_read_under_a_generic_code(string words, Reason reason)
        {
            EvidenceRecord r = Read("451 4.4.0 " + words);
            Assert.Equal(reason, r.Scenario.Reason);
        }

        [Fact]
        public void Exchange_Servers_own_wordings_for_a_server_not_accepting_sessions_and_one_insisting_on_STARTTLS_are_recognised()
        {
            Assert.Equal(Reason.ServiceNotAvailable, Read("451 4.4.0 Primary target IP address responded with: \"421 4.3.2 The server is not accepting messages\"").Scenario.Reason);
            Assert.Equal(Reason.TlsRequiredByServer, Read("451 4.4.0 Primary target IP address responded with: \"530 5.7.0 Must issue a STARTTLS command first\"").Scenario.Reason);
        }

        [Fact]
        public void A_550_5_1_10_is_an_unknown_recipient_in_Exchange_Online_not_a_Null_MX()
        {
            Assert.Equal(Reason.Unrecognized, Read("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup").Scenario.Reason);
            Assert.Equal(Reason.NullMx, Read("556 5.1.10 Recipient address rejected: Domain contoso.test does not accept mail (nullMX)").Scenario.Reason);
        }
    }
}
