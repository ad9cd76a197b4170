using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Text;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    public sealed class TextTests
    {
        [Theory]
        [InlineData("450 4.4.316", "450 4.4.316")]
        [InlineData("4.4.316", "450 4.4.316")]
        [InlineData("550 5.4.316 Message expired, connection refused", "450 4.4.316")]
        [InlineData("LED=450 4.7.320 Certificate validation failed", "450 4.7.320")]
        [InlineData("5.4.312", "450 4.4.312")]
        public void Any_spelling_of_a_code_finds_its_catalog_entry(string spelling, string code) =>
            Assert.Equal(code, CodeFamily.Find(spelling)?.Code);

        [Theory]
        [InlineData("550 5.1.1 no such user")]
        [InlineData("not a code")]
        [InlineData("")]
        public void Codes_outside_the_catalog_find_nothing(string spelling) => Assert.Null(CodeFamily.Find(spelling));

        [Theory]
        [InlineData("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")")]
        [InlineData("+1", "'+1")]
        [InlineData("@SUM(A1)", "'@SUM(A1)")]
        [InlineData("-2", "'-2")]
        [InlineData("220 mx ESMTP", "220 mx ESMTP")]
        [InlineData("a\u0007b\r\nc", "a\\x07b\\x0D\\x0Ac")]
        public void Untrusted_text_is_escaped_and_cannot_start_a_formula(string input, string expected) =>
            Assert.Equal(expected, Untrusted.Clean(input));

        [Fact]
        public void Untrusted_text_is_bounded() => Assert.True(Untrusted.Clean(new string('x', 100_000)).Length <= Untrusted.DefaultMaxLength + 3);

        [Theory]
        [InlineData("mail.contoso.com", "mail.contoso.com", true)]
        [InlineData("*.contoso.com", "mail.contoso.com", true)]
        [InlineData("mail.contoso.com", "*.contoso.com", true)]
        [InlineData("*.contoso.com", "a.b.contoso.com", false)]
        [InlineData("*.contoso.com", "contoso.com", false)]
        [InlineData("MAIL.Contoso.com.", "mail.contoso.com", true)]
        [InlineData("mail.fabrikam.com", "mail.contoso.com", false)]
        public void Certificate_names_match_with_wildcards_on_either_side(string certName, string expected, bool match) =>
            Assert.Equal(match, CertificateNames.Matches(certName, expected));

        [Theory]
        [InlineData("10.0.0.0/8")]
        [InlineData("*")]
        [InlineData("*.contoso.com")]
        public void Ranges_and_wildcards_are_not_tested(string text) =>
            Assert.True(TargetParser.Parse(text, TargetKind.SmartHost, null, TlsRequirement.Opportunistic, null).NotTested != NotTestedKind.None);

        [Theory]
        [InlineData("bad host")]
        [InlineData("-lead.contoso.com")]
        [InlineData("a..b")]
        [InlineData("10.0.0.0/99")]
        [InlineData("")]
        public void Malformed_targets_are_refused(string text) =>
            Assert.Throws<InvalidTargetException>(() => TargetParser.Parse(text, TargetKind.SmartHost, null, TlsRequirement.Opportunistic, null));

        [Theory]
        [InlineData("127.0.0.1", 53)]
        [InlineData("127.0.0.1:5353", 5353)]
        [InlineData("[::1]:5300", 5300)]
        [InlineData("::1", 53)]
        public void DNS_servers_are_read_with_or_without_a_port(string text, int port) =>
            Assert.Equal(port, ProbeInputs.ParseDnsServer(text).Port);

        [Theory]
        [InlineData("EncryptionOnly", TlsRequirement.EncryptionOnly)]
        [InlineData("domainvalidation", TlsRequirement.DomainValidation)]
        [InlineData(null, TlsRequirement.Opportunistic)]
        [InlineData("", TlsRequirement.Opportunistic)]
        public void TlsSettings_are_read_as_Exchange_Online_spells_them(string text, TlsRequirement expected) =>
            Assert.Equal(expected, TlsRequirementParser.Parse(text));

        [Fact]
        public void A_pasted_NDR_line_does_not_take_Exchange_Onlines_own_server_for_the_destination()
        {
            var r = MailFlowIntel.Core.Evidence.TextEvidence.FromLine(
                "Server at DM6PR04MB6575.namprd04.prod.outlook.com returned '550 5.4.316 Message expired, connection refused(Socket error code 10061)'", "Text");
            Assert.Equal("450 4.4.316", r.Family.Code);
            Assert.Equal(Reason.ConnectionRefused, r.Scenario.Reason);
            Assert.True(r.Expired);
            Assert.Null(r.DestinationServer);
        }

        [Fact]
        public void A_Null_MX_refusal_is_final_but_not_an_expired_deferral()
        {
            var r = new MailFlowIntel.Core.Evidence.EvidenceRecord();
            Assert.True(MailFlowIntel.Core.Evidence.ReasonParser.Apply("556 5.1.10", r));
            Assert.Equal(CodeFamily.NullMx, r.Family);
            Assert.Equal(Reason.NullMx, r.Scenario.Reason);
            Assert.False(r.Expired);
        }

        [Fact]
        public void An_unknown_TlsSettings_value_is_refused() => Assert.Throws<System.FormatException>(() => TlsRequirementParser.Parse("Strict"));
    }
}
