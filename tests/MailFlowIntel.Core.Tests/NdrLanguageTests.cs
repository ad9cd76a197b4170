using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Evidence.Ndr;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Exchange reports written in French, German and Spanish (fixtures fr-*, de-*, es-* in Data/ndr; the README there
    /// cites where each heading comes from). The original message's arrival must come from the original headers the
    /// readable section quotes under its localized heading, so that the 24-hour expiry counts from the arrival and not
    /// from the report's own Date.
    /// </summary>
    public sealed class NdrLanguageTests
    {
        static readonly TimeSpan Lifetime = AlertAggregator.ExchangeOnlineLifetime;

        static string Fixture(string name) => Path.Combine(EvidenceCorpusTests.DataDirectory(), "ndr", name);

        static IReadOnlyList<EvidenceRecord> ReadFixture(string name)
        {
            using var stream = File.OpenRead(Fixture(name));
            return NdrReader.Read(stream, name);
        }

        static IReadOnlyList<EvidenceRecord> ReadText(string text, string name) =>
            NdrReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), name);

        static string WithoutReportPart(string name) =>
            File.ReadAllText(Fixture(name)).Replace("Content-Type: message/delivery-status", "Content-Type: application/x-withheld");

        static DateTime Utc(int y, int mo, int d, int h, int mi, int s) => new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc);

        static DateTime? AlertExpiry(EvidenceRecord r) =>
            AlertAggregator.Single(r, new AlertOptions { AsOf = Utc(2025, 7, 1, 0, 0, 0) }).ExpiresAt;

        // ------------------------------------------------------------ French

        static readonly DateTime FrenchArrival = Utc(2025, 5, 13, 9, 40, 5);       // Received in "En-têtes de message d'origine"
        static readonly DateTime FrenchReportDate = Utc(2025, 5, 14, 9, 47, 12);

        [Theory]
        [InlineData("fr-expired-5.4.316-connection-refused.eml", false)]
        [InlineData("fr-expired-5.4.316-connection-refused.eml", true)]
        [InlineData("fr-expired-5.4.316-html-only.eml", false)]
        public void French_expired_report_gives_code_server_recipient_and_the_original_arrival(string name, bool withoutReportPart)
        {
            var r = Assert.Single(withoutReportPart ? ReadText(WithoutReportPart(name), name) : ReadFixture(name));

            Assert.Equal(new[] { "lucie@example.com" }, r.Recipients);
            Assert.Equal("550 5.4.316", r.RawCode);
            Assert.Equal("5.4.316", r.EnhancedCode);
            Assert.True(r.Expired);
            Assert.Equal("mail.example.com", r.DestinationServer);
            Assert.Equal("203.0.113.40", r.LastAttemptedIP);
            Assert.Contains("10061", r.Detail);
            // Neither attached nor In-Reply-To: the key can only come from the French original-headers section.
            Assert.Equal("<PA4PR07MB73106E2F4A1B9C3D@PA4PR07MB7310.eurprd07.prod.outlook.com>", r.MessageKey);
            Assert.Equal(FrenchArrival, r.ArrivedAt);
            Assert.Equal(FrenchReportDate, r.ObservedAt);
            Assert.Equal(EvidencePlatform.ExchangeOnline, r.Platform);
            Assert.Equal(FrenchArrival + Lifetime, AlertExpiry(r));
        }

        [Fact]
        public void Html_report_is_read_through_its_entities_and_keeps_no_markup()
        {
            var r = Assert.Single(ReadFixture("fr-expired-5.4.316-html-only.eml"));

            Assert.StartsWith("14/05/2025 09:47:12 - Server at", r.Text);
            Assert.Contains("returned '550 5.4.316 Message expired, connection refused(Socket error code 10061)'", r.Text);
            Assert.DoesNotContain("<", r.Text);
            Assert.DoesNotContain("&#39;", r.Text);
        }

        [Fact]
        public void Without_a_heading_it_knows_the_reader_falls_back_to_the_report_date()
        {
            // The control for the tests above: rename the French heading and the arrival is lost, so the expiry
            // would count from the report's Date (what happened before the French table existed).
            string text = WithoutReportPart("fr-expired-5.4.316-connection-refused.eml")
                .Replace("En-têtes de message d'origine :", "Quelque chose d'autre :");

            var r = Assert.Single(ReadText(text, "fr-renamed.eml"));

            Assert.Null(r.ArrivedAt);
            Assert.Null(r.MessageKey);
            Assert.Equal(FrenchReportDate + Lifetime, AlertExpiry(r));
        }

        // ------------------------------------------------------------ German

        static readonly DateTime GermanArrival = Utc(2025, 6, 2, 6, 15, 30);       // Received in "Ursprüngliche Nachrichtenkopfzeilen"
        static readonly DateTime GermanReportDate = Utc(2025, 6, 2, 10, 16, 2);

        [Theory]
        [InlineData("de-delay-4.4.316-connection-refused.eml")]
        [InlineData("de-delay-4.4.316-text-only.eml")]
        public void German_delay_notice_gives_the_deferral_and_the_original_arrival(string name)
        {
            var r = Assert.Single(ReadFixture(name));

            Assert.Equal(new[] { "greta@example.com" }, r.Recipients);
            Assert.Equal("450 4.4.316", r.RawCode);
            Assert.Equal("4.4.316", r.EnhancedCode);
            Assert.False(r.Expired);
            Assert.Equal("mx.example.com", r.DestinationServer);
            Assert.Equal("192.0.2.25", r.LastAttemptedIP);
            Assert.Equal("<FR2P281MB15307B1C2D3E4F5A@FR2P281MB1530.DEUP281.PROD.OUTLOOK.COM>", r.MessageKey);
            Assert.Equal(GermanArrival, r.ArrivedAt);
            Assert.Equal(GermanReportDate, r.ObservedAt);
            Assert.Equal(EvidencePlatform.ExchangeOnline, r.Platform);
        }

        [Fact]
        public void German_report_part_states_its_deadline()
        {
            var r = Assert.Single(ReadFixture("de-delay-4.4.316-connection-refused.eml"));

            Assert.Equal(Utc(2025, 6, 3, 6, 15, 30), r.ExpiresAt);             // Will-Retry-Until
            Assert.Equal(GermanArrival + Lifetime, AlertExpiry(r));
        }

        [Fact]
        public void German_notice_without_its_report_part_expires_a_day_after_the_original_arrival()
        {
            var r = Assert.Single(ReadFixture("de-delay-4.4.316-text-only.eml"));

            // No German retry sentence is known, so the reader states no deadline of its own ...
            Assert.Null(r.ExpiresAt);
            // ... and the alert counts the day from the arrival, four hours before the notice was written.
            Assert.Equal(GermanArrival + Lifetime, AlertExpiry(r));
            Assert.NotEqual(GermanReportDate + Lifetime, AlertExpiry(r));
        }

        // ------------------------------------------------------------ Spanish

        [Fact]
        public void Spanish_expired_report_gives_the_nested_server_and_the_original_arrival()
        {
            var r = Assert.Single(ReadFixture("es-expired-5.4.317-text-only.eml"));

            Assert.Equal(new[] { "pablo@example.com" }, r.Recipients);
            Assert.Equal("550 5.4.317", r.RawCode);
            Assert.Equal("5.4.317", r.EnhancedCode);
            Assert.True(r.Expired);
            Assert.Equal("correo.example.com", r.DestinationServer);        // [LastAttemptedServerName=...] inside the expired reply
            Assert.Equal("203.0.113.77", r.LastAttemptedIP);
            Assert.Equal("<DB8PR09MB34529A8B7C6D5E4F@DB8PR09MB3452.eurprd09.prod.outlook.com>", r.MessageKey);
            Assert.Equal(Utc(2025, 6, 18, 16, 58, 21), r.ArrivedAt);
            Assert.Equal(Utc(2025, 6, 19, 17, 5, 44), r.ObservedAt);
            Assert.Equal(EvidencePlatform.ExchangeOnline, r.Platform);
            Assert.Equal(Utc(2025, 6, 19, 16, 58, 21), AlertExpiry(r));
        }

        // ------------------------------------------------------------ English still

        [Fact]
        public void English_report_without_its_report_part_still_counts_from_the_original_arrival()
        {
            var r = Assert.Single(ReadText(WithoutReportPart("cert-5.4.320-subject-mismatch.eml"), "cert-no-dsn.eml"));

            Assert.Equal(Utc(2025, 3, 20, 5, 59, 2), r.ArrivedAt);             // "Original message headers:"
            Assert.Equal(Utc(2025, 3, 21, 6, 2, 19), r.ObservedAt);
            Assert.Equal(Utc(2025, 3, 21, 5, 59, 2), AlertExpiry(r));
        }

        // ------------------------------------------------------------ the tables

        [Fact]
        public void Every_language_table_names_its_headings()
        {
            Assert.Equal(new[] { "en-US", "fr-FR", "de-DE", "es-ES" }, NdrWording.All.Select(w => w.Culture));
            foreach (var w in NdrWording.All)
            {
                Assert.False(string.IsNullOrEmpty(w.DiagnosticHeading), w.Culture);
                Assert.False(string.IsNullOrEmpty(w.OriginalHeadersHeading), w.Culture);
                Assert.False(string.IsNullOrEmpty(w.GeneratingServer), w.Culture);
            }
            Assert.NotNull(NdrWording.English.RetryFor);
        }

        /// <summary>The headings as each language writes them, typographic variants included, read from a bare body.</summary>
        [Theory]
        [InlineData("Diagnostic information for administrators:", "Generating server:", "Original message headers:")]
        [InlineData("Informations de diagnostic pour les administrateurs :", "Serveur de génération :", "En-têtes de message d\u2019origine :")]
        [InlineData("Informations de diagnostic pour les administrateurs\u00A0:", "Serveur de generation :", "En-tetes de message d'origine\u00A0:")]
        [InlineData("Diagnoseinformationen für Administratoren:", "Generierender Server:", "Ursprüngliche Nachrichtenkopfzeilen:")]
        [InlineData("DIAGNOSEINFORMATIONEN FUER ADMINISTRATOREN:", "Generierender Server:", "Urspruengliche Nachrichtenkopfzeilen")]
        [InlineData("Información de diagnóstico para administradores:", "Servidor de generación:", "Encabezados del mensaje original:")]
        public void Each_language_heading_is_found(string diagnostic, string generating, string original)
        {
            string body = "Some words for the sender.\n\n" + diagnostic + "\n\n" + generating + " AM0PR01MB1234.eurprd01.prod.outlook.com\n\n"
                          + "zoe@example.com\nRemote Server returned '550 5.4.316 Message expired, connection refused'\n\n"
                          + original + "\n\nReceived: from a.contoso.com by b.contoso.com; Tue, 1 Apr 2025 10:00:00 +0000\n"
                          + "Message-ID: <abc@contoso.com>\n";

            var parsed = ExchangeBodyReader.Parse(body);

            Assert.Equal("AM0PR01MB1234.eurprd01.prod.outlook.com", parsed.GeneratingServer);
            Assert.Equal("zoe@example.com", Assert.Single(parsed.Recipients).Recipient);
            Assert.Equal(Utc(2025, 4, 1, 10, 0, 0), parsed.OriginalArrival);
            Assert.Equal("<abc@contoso.com>", parsed.OriginalMessageId);
        }
    }
}
