using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Probing;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>The catalog as a table: every scenario complete, and facts to (Reason, Code, Status) without a socket.</summary>
    public sealed class CatalogTests
    {
        public static IEnumerable<object[]> Scenarios() => ScenarioCatalog.All.Select(s => new object[] { s.Reason });

        static readonly CaseFacts Everything = new CaseFacts
        {
            Host = "mail.contoso.com", Address = "203.0.113.5", Port = 25, MxPreference = 10, Reply = "421 4.3.2 busy",
            Subject = "CN=mail.contoso.com", Names = "mail.contoso.com", Issuer = "CN=Some CA", NotAfter = new DateTime(2027, 1, 2),
            Thumbprint = "ABC", MissingIssuer = "CN=Intermediate", Problems = "Expired", TlsSettings = "DomainValidation",
            TlsDomain = "mail.contoso.com", Connector = "To Contoso", Domain = "contoso.com", FailoverServer = "mx2.contoso.com",
            SocketError = "HostUnreachable", Seconds = 15, Stage = "Ehlo", MtaStsDomain = "contoso.com", MtaStsPolicyId = "20260101000000Z",
        };

        [Fact]
        public void Every_Reason_has_exactly_one_catalog_entry()
        {
            var reasons = Enum.GetValues(typeof(Reason)).Cast<Reason>().Where(r => r != Reason.None).ToList();
            Assert.Equal(reasons.OrderBy(r => r), ScenarioCatalog.All.Select(s => s.Reason).OrderBy(r => r));
            foreach (Reason r in reasons) Assert.Same(ScenarioCatalog.ByReason(r), ScenarioCatalog.All.Single(s => s.Reason == r));
        }

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void Every_entry_has_texts_in_both_languages_a_repair_and_a_way_to_be_recognised(Reason reason)
        {
            Scenario s = ScenarioCatalog.ByReason(reason);
            Assert.NotNull(s.Repair);
            Assert.True(s.FromProbe != null || s.Evidence != null || s.FromComparison || MailFlowIntel.Core.Exchange.ConnectorValidation.OwnScenarios.Contains(s),
                $"{reason} can be recognised neither from a probe, nor from evidence, nor by comparing vantages, nor from a connector validation's output");
            foreach (Language lang in new[] { Language.English, Language.French })
            {
                Assert.False(string.IsNullOrWhiteSpace(s.Title(lang)), $"{reason} has no {lang} title");
                Assert.False(string.IsNullOrWhiteSpace(s.CauseFor(lang, Everything)), $"{reason} has no {lang} cause");
                Assert.False(string.IsNullOrWhiteSpace(s.FixFor(lang, Everything)), $"{reason} has no {lang} fix");
                // Every placeholder names a known fact, and a missing fact still reads as words.
                Assert.DoesNotContain("{", s.CauseFor(lang, CaseFacts.None));
                Assert.DoesNotContain("{", s.FixFor(lang, CaseFacts.None));
            }
            Assert.NotEqual(s.Cause.English, s.Cause.French);
            Assert.NotEqual(s.Fix.English, s.Fix.French);
            if (s.PartnerFix != null) Assert.NotEqual(s.PartnerFix.English, s.PartnerFix.French);
        }

        [Fact]
        public void Every_phrase_of_the_catalog_and_its_repairs_renders_in_both_languages()
        {
            // The repair strategies keep their own phrases (steps); reflection finds them all.
            var phrases = typeof(ScenarioCatalog).Assembly.GetTypes()
                .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
                .Where(f => f.FieldType == typeof(Phrase) && !f.DeclaringType.ContainsGenericParameters)
                // The report's own words are format strings ("{0} failing"), checked in ReportTests.
                .Where(f => f.DeclaringType.Namespace != typeof(MailFlowIntel.Core.Report.ReportWriter).Namespace)
                // So are the notes of Unverified alerts ("reachable from this computer{0}{1}"), checked in BaselineTests.
                .Where(f => f.DeclaringType != typeof(MailFlowIntel.Core.Alerts.ChangeNote))
                // So are the words of carrying out a plan and of choosing a session ("{0} ... {1}"), in RepairRunnerTests.
                .Where(f => f.DeclaringType != typeof(MailFlowIntel.Core.Repair.RepairTexts) && f.DeclaringType != typeof(MailFlowIntel.Core.Exchange.ExchangeSessions))
                // So are the checks of -Decommissioned and the words of routing ("{0} ... {1}"), in RepairRunnerTests too.
                .Where(f => f.DeclaringType != typeof(MailFlowIntel.Core.Repair.DecommissionTexts) && f.DeclaringType != typeof(MailFlowIntel.Core.Routing.RoutingTexts))
                .Select(f => (Name: f.DeclaringType.Name + "." + f.Name, Phrase: (Phrase)f.GetValue(null)))
                .ToList();
            Assert.True(phrases.Count > 20, $"found only {phrases.Count} phrases");
            foreach (var (name, phrase) in phrases)
            {
                Assert.False(string.IsNullOrWhiteSpace(phrase.English), name);
                Assert.False(string.IsNullOrWhiteSpace(phrase.French), name);
                Assert.NotEqual(phrase.English, phrase.French);
                Assert.DoesNotContain("{", phrase.Render(Language.French, CaseFacts.None));
                Assert.DoesNotContain("{", phrase.Render(Language.English, Everything));
            }
        }

        [Fact]
        public void The_seed_codes_carry_Microsofts_own_French_titles()
        {
            Assert.Equal("Échec de la requête DNS", CodeFamily.DnsQueryFailed.Title.French);
            Assert.Equal("Délai de connexion dépassé", CodeFamily.ConnectionTimedOut.Title.French);
            Assert.Equal("Connexion refusée", CodeFamily.ConnectionRefused.Title.French);
            Assert.Equal("La connexion au serveur distant a échoué", CodeFamily.CannotConnect.Title.French);
            Assert.Equal("La connexion a été interrompue brusquement", CodeFamily.ClosedAbruptly.Title.French);
            Assert.Equal("Échec de la validation du certificat", CodeFamily.CertificateValidationFailed.Title.French);
        }

        // ---- facts to (Reason, Code, Status), no socket ----

        static ProbeFacts Facts(TlsRequirement tls = TlsRequirement.Opportunistic) =>
            new ProbeFacts { Tls = tls, Port = 25, TimeoutSeconds = 15, Stage = ProbeStage.Greeting };

        static ProbeFacts Reached(TlsRequirement tls = TlsRequirement.Opportunistic, bool starttls = true) =>
            new ProbeFacts { Tls = tls, Port = 25, TimeoutSeconds = 15, Stage = ProbeStage.Quit, EhloDone = true, StartTlsOffered = starttls, Reached = true };

        static CertificateReport Certificate(CertificateProblems problems, CertificateNotes notes = CertificateNotes.None) =>
            new CertificateReport { Subject = "CN=x", Problems = problems, Notes = notes, NotAfter = DateTime.UtcNow.AddDays(10) };

        static ProbeFacts Rejected(CertificateProblems problems, TlsRequirement tls = TlsRequirement.DomainValidation)
        {
            var f = Facts(tls);
            f.Stage = ProbeStage.Certificate;
            f.TlsFailure = TlsFailure.CertificateRejected;
            f.Certificate = Certificate(problems);
            return f;
        }

        static ProbeFacts With(ProbeFacts f, Action<ProbeFacts> change) { change(f); return f; }

        /// <summary>For every scenario a probe can show: facts that show it, and the code and status it must give.</summary>
        internal static readonly Dictionary<Reason, (ProbeFacts Facts, string Code, ProbeStatus Status)> ProbeTable = new Dictionary<Reason, (ProbeFacts, string, ProbeStatus)>
        {
            [Reason.RangeNotTestable] = (With(Facts(), f => f.NotTested = NotTestedKind.Range), null, ProbeStatus.NotTested),
            [Reason.WildcardDomain] = (With(Facts(), f => f.NotTested = NotTestedKind.Wildcard), null, ProbeStatus.NotTested),
            [Reason.ConnectorDisabled] = (With(Facts(), f => f.NotTested = NotTestedKind.Disabled), null, ProbeStatus.NotTested),
            [Reason.ProbeSideFault] = (With(Facts(), f => { f.Stage = ProbeStage.Connect; f.ConnectFault = SocketFault.NoRouteFromHere; }), null, ProbeStatus.NotTested),
            [Reason.LoopToMicrosoft365] = (With(Facts(), f => { f.Stage = ProbeStage.Dns; f.LoopToMicrosoft365 = true; }), "554 5.4.14", ProbeStatus.Failed),
            [Reason.CertificateRevoked] = (Rejected(CertificateProblems.Revoked | CertificateProblems.SubjectMismatch), "450 4.7.320", ProbeStatus.Failed),
            [Reason.CertificateExpired] = (Rejected(CertificateProblems.Expired | CertificateProblems.SubjectMismatch), "450 4.7.320", ProbeStatus.Failed),
            [Reason.CertificateNotYetValid] = (Rejected(CertificateProblems.NotYetValid), "450 4.7.320", ProbeStatus.Failed),
            [Reason.CertificateIncompleteChain] = (Rejected(CertificateProblems.IncompleteChain, TlsRequirement.CertificateValidation), "450 4.7.320", ProbeStatus.Failed),
            [Reason.CertificateUntrustedRoot] = (Rejected(CertificateProblems.UntrustedRoot), "450 4.7.320", ProbeStatus.Failed),
            [Reason.CertificateNameMismatch] = (Rejected(CertificateProblems.SubjectMismatch), "450 4.7.320", ProbeStatus.Failed),
            [Reason.CertificateInvalid] = (Rejected(CertificateProblems.NotValidForUsage), "450 4.7.320", ProbeStatus.Failed),
            [Reason.NullMx] = (With(Facts(), f => { f.Stage = ProbeStage.Dns; f.Dns = DnsFault.NullMx; }), "556 5.1.10", ProbeStatus.Failed),
            [Reason.DnsDomainNotRegistered] = (With(Facts(), f => { f.Stage = ProbeStage.Dns; f.Dns = DnsFault.DomainNotRegistered; }), "450 4.4.312", ProbeStatus.Failed),
            [Reason.DnsNameNotFound] = (With(Facts(), f => { f.Stage = ProbeStage.Dns; f.Dns = DnsFault.NameNotFound; }), "450 4.4.312", ProbeStatus.Failed),
            [Reason.DnsServerFailure] = (With(Facts(), f => { f.Stage = ProbeStage.Dns; f.Dns = DnsFault.ServerFailure; }), "450 4.4.312", ProbeStatus.Failed),
            [Reason.DnsNoAddress] = (With(Facts(), f => { f.Stage = ProbeStage.Dns; f.Dns = DnsFault.NoAddress; }), "450 4.4.312", ProbeStatus.Failed),
            [Reason.ServiceNotAvailable] = (With(Facts(), f => { f.Stage = ProbeStage.Ehlo; f.RejectedCode = 421; }), "450 4.4.317", ProbeStatus.Failed),
            [Reason.GreetingRejected] = (With(Facts(), f => { f.Stage = ProbeStage.Greeting; f.RejectedCode = 554; }), "450 4.4.317", ProbeStatus.Failed),
            [Reason.EhloRejected] = (With(Facts(), f => { f.Stage = ProbeStage.Ehlo; f.RejectedCode = 550; }), "450 4.4.317", ProbeStatus.Failed),
            [Reason.StartTlsStripped] = (With(Facts(TlsRequirement.EncryptionOnly), f => { f.Stage = ProbeStage.StartTls; f.EhloDone = true; f.StartTlsMasked = true; }), "450 4.4.317", ProbeStatus.Failed),
            [Reason.StartTlsNotOffered] = (With(Facts(TlsRequirement.EncryptionOnly), f => { f.Stage = ProbeStage.StartTls; f.EhloDone = true; }), "450 4.4.317", ProbeStatus.Failed),
            [Reason.StartTlsRefused] = (With(Facts(), f => { f.Stage = ProbeStage.StartTls; f.EhloDone = true; f.StartTlsOffered = true; f.RejectedCode = 454; }), "450 4.4.317", ProbeStatus.Failed),
            [Reason.TlsRequiredByServer] = (With(Reached(starttls: false), f => { f.Stage = ProbeStage.RcptTo; f.RecipientReply = "530 5.7.0 Must issue a STARTTLS command first"; }), "450 4.4.317", ProbeStatus.Failed),
            [Reason.TlsVersionUnsupported] = (With(Facts(), f => { f.Stage = ProbeStage.TlsHandshake; f.TlsFailure = TlsFailure.VersionUnsupported; }), "450 4.4.317", ProbeStatus.Failed),
            [Reason.TlsHandshakeFailed] = (With(Facts(), f => { f.Stage = ProbeStage.TlsHandshake; f.TlsFailure = TlsFailure.Closed; }), "450 4.4.317", ProbeStatus.Failed),
            [Reason.NotSmtp] = (With(Facts(), f => { f.NotSmtp = true; f.OverlongBytes = 70000; }), "450 4.4.317", ProbeStatus.Failed),
            [Reason.ConnectionRefused] = (With(Facts(), f => { f.Stage = ProbeStage.Connect; f.ConnectFault = SocketFault.Refused; }), "450 4.4.316", ProbeStatus.Failed),
            [Reason.ConnectTimedOut] = (With(Facts(), f => { f.Stage = ProbeStage.Connect; f.ConnectFault = SocketFault.NoAnswer; }), "450 4.4.315", ProbeStatus.Failed),
            [Reason.GreetingTimedOut] = (With(Facts(), f => { f.Stage = ProbeStage.Greeting; f.TimedOut = true; }), "450 4.4.315", ProbeStatus.Failed),
            [Reason.ReplyTimedOut] = (With(Facts(), f => { f.Stage = ProbeStage.Ehlo; f.TimedOut = true; }), "450 4.4.315", ProbeStatus.Failed),
            [Reason.ClosedAbruptly] = (With(Facts(), f => { f.Stage = ProbeStage.Ehlo; f.Closed = true; }), "450 4.4.318", ProbeStatus.Failed),
            [Reason.RecipientRejected] = (With(Reached(), f => { f.Stage = ProbeStage.RcptTo; f.RecipientReply = "550 5.1.1 no such user"; }), "550 5.1.1", ProbeStatus.Failed),
            [Reason.OpportunisticTlsFailed] = (Reached(starttls: false), null, ProbeStatus.Warning),
            [Reason.CertificateExpiresSoon] = (With(Reached(TlsRequirement.DomainValidation), f => f.Certificate = Certificate(CertificateProblems.None, CertificateNotes.ExpiresSoon)), null, ProbeStatus.Warning),
            [Reason.CertificateNotChecked] = (With(Reached(TlsRequirement.EncryptionOnly), f => f.Certificate = Certificate(CertificateProblems.UntrustedRoot)), null, ProbeStatus.Warning),
            [Reason.Delivered] = (Reached(), null, ProbeStatus.Succeeded),
            [Reason.DaneStartTlsNotSupported] = (With(Reached(starttls: false), f => f.Dane = DaneStatus.NoTls), "450 4.7.321", ProbeStatus.Failed),
            [Reason.DaneCertificateExpired] = (With(Reached(), f => { f.Dane = DaneStatus.Mismatch; f.DaneCertificateExpired = true; f.DaneHostMismatch = true; }), "450 4.7.322", ProbeStatus.Failed),
            [Reason.DaneCertificateHostMismatch] = (With(Reached(), f => { f.Dane = DaneStatus.Mismatch; f.DaneHostMismatch = true; }), "450 4.7.325", ProbeStatus.Failed),
            [Reason.DaneTlsaMismatch] = (With(Reached(), f => f.Dane = DaneStatus.Mismatch), "450 4.7.323", ProbeStatus.Failed),
            [Reason.DaneUnverified] = (With(Reached(), f => f.Dane = DaneStatus.Unknown), null, ProbeStatus.Warning),
            [Reason.MtaStsMxMismatch] = (With(Facts(), f => { f.Stage = ProbeStage.Dns; f.MtaStsPolicyMode = "enforce"; f.MtaSts = MtaStsStatus.MxMismatch; }), "450 4.4.8", ProbeStatus.Failed),
            [Reason.MtaStsMxNotListed] = (With(Facts(), f => { f.Stage = ProbeStage.Dns; f.MtaStsPolicyMode = "enforce"; f.MtaSts = MtaStsStatus.MxMismatch; f.MtaStsAnyMxMatches = true; }), null, ProbeStatus.Warning),
            [Reason.MtaStsCertificateInvalid] = (With(Reached(), f => { f.Reached = false; f.Stage = ProbeStage.Certificate; f.MtaStsPolicyMode = "enforce"; f.MtaSts = MtaStsStatus.CertificateInvalid; f.MtaStsCertificateProblems = CertificateProblems.SubjectMismatch; }), "450 4.7.5", ProbeStatus.Failed),
            [Reason.MtaStsTesting] = (With(Reached(), f => { f.MtaStsPolicyMode = "testing"; f.MtaSts = MtaStsStatus.MxMismatch; }), null, ProbeStatus.Warning),
            [Reason.MtaStsPolicyUnreachable] = (With(Reached(), f => { f.MtaStsPolicyMode = "absent"; f.MtaSts = MtaStsStatus.PolicyUnreachable; f.MtaStsPolicyId = "1"; }), null, ProbeStatus.Warning),
            [Reason.DaneNotAvailable] = (With(Reached(), f => { f.DaneMode = DaneMode.Mandatory; f.Dane = DaneStatus.NotApplicable; }), null, ProbeStatus.Failed),
            [Reason.HairpinUnreachable] = (With(Facts(), f => { f.Stage = ProbeStage.Connect; f.ConnectFault = SocketFault.NoAnswer; f.DnsView = DnsView.Split; f.Hairpin = true; }), null, ProbeStatus.NotTested),
            [Reason.SplitDns] = (With(Reached(), f => f.DnsView = DnsView.Split), null, ProbeStatus.Warning),
            [Reason.PrivateAddress] = (With(Reached(), f => f.DnsView = DnsView.Private), null, ProbeStatus.Warning),
            [Reason.RootNotInPublicProgram] = (With(Reached(TlsRequirement.CertificateValidation), f => f.Certificate = Certificate(CertificateProblems.None, CertificateNotes.PrivateRoot)), null, ProbeStatus.Warning),
        };

        [Theory]
        [InlineData(TlsRequirement.CertificateValidation, CertificateNotes.PrivateRoot, null, Reason.RootNotInPublicProgram)]
        [InlineData(TlsRequirement.DomainValidation, CertificateNotes.PrivateRoot, null, Reason.RootNotInPublicProgram)]
        [InlineData(TlsRequirement.EncryptionOnly, CertificateNotes.PrivateRoot, null, Reason.Delivered)]
        [InlineData(TlsRequirement.Opportunistic, CertificateNotes.PrivateRoot, null, Reason.Delivered)]
        // Given as a parameter (a lab): public for the verdict.
        [InlineData(TlsRequirement.CertificateValidation, CertificateNotes.PrivateRoot | CertificateNotes.RootFromParameter, null, Reason.Delivered)]
        [InlineData(TlsRequirement.CertificateValidation, CertificateNotes.PublicRootNotInstalled, null, Reason.Delivered)]
        // What public DNS shows is what Microsoft 365 meets: the root decides; a private answer may be another server.
        [InlineData(TlsRequirement.CertificateValidation, CertificateNotes.PrivateRoot, DnsView.Split, Reason.RootNotInPublicProgram)]
        [InlineData(TlsRequirement.CertificateValidation, CertificateNotes.PrivateRoot, DnsView.Private, Reason.PrivateAddress)]
        public void A_root_only_this_computer_trusts_is_a_warning_under_a_validating_connector_only(TlsRequirement tls, CertificateNotes notes, DnsView? view, Reason expected)
        {
            var result = new ConnectorDeliveryResult { DestinationServer = "mail.contoso.com", IPAddress = "203.0.113.5", Port = 25 };
            ResultBuilder.Complete(result, With(Reached(tls), f => { f.Certificate = Certificate(CertificateProblems.None, notes); f.Certificate.Root = "Contoso Root CA"; f.DnsView = view; }),
                "mail.contoso.com", Language.French);
            Assert.Equal(expected, result.Reason);
            if (expected != Reason.RootNotInPublicProgram) return;
            Assert.Null(result.Code);
            Assert.Contains("Contoso Root CA", result.Cause);
            Assert.Contains("Mozilla (", result.Cause);   // the lists this module carries, with their dates
        }

        [Theory]
        [InlineData(SocketFault.NoAnswer)]
        [InlineData(SocketFault.Refused)]
        public void A_connect_failure_while_this_computers_way_out_is_closed_is_ProbeSideFault_never_a_code(SocketFault fault)
        {
            var result = new ConnectorDeliveryResult { DestinationServer = "mail.contoso.com", IPAddress = "203.0.113.5", Port = 25 };
            ResultBuilder.Complete(result, With(Facts(), f => { f.Stage = ProbeStage.Connect; f.ConnectFault = fault; }), null, Language.English);
            Assert.NotNull(result.Code);   // as before: the code Microsoft 365 would give
            ResultBuilder.Complete(result, With(Facts(), f => { f.Stage = ProbeStage.Connect; f.ConnectFault = fault; f.EgressBlocked = true; f.EgressCheckHost = "probe.example"; }), null, Language.English);
            Assert.Equal(Reason.ProbeSideFault, result.Reason);
            Assert.Equal(ProbeStatus.NotTested, result.Status);
            Assert.Null(result.Code);
            Assert.Contains("cannot open TCP port 25", result.Detail);
        }

        public static IEnumerable<object[]> ProbeScenarios() => ScenarioCatalog.All.Where(s => s.FromProbe != null).Select(s => new object[] { s.Reason });

        [Theory]
        [MemberData(nameof(ProbeScenarios))]
        public void Facts_select_each_scenario_with_its_code_and_status(Reason reason)
        {
            Assert.True(ProbeTable.ContainsKey(reason), $"{reason} can come from a probe but has no row in this table");
            var (facts, code, status) = ProbeTable[reason];
            var result = new ConnectorDeliveryResult { DestinationServer = "mail.contoso.com", IPAddress = "203.0.113.5", Port = 25, Target = "contoso.com" };
            ResultBuilder.Complete(result, facts, "mail.contoso.com", Language.English);
            Assert.Equal(reason, result.Reason);
            Assert.Equal(code, result.Code);
            Assert.Equal(status, result.Status);
            Assert.False(string.IsNullOrEmpty(result.Cause));
            Assert.False(string.IsNullOrEmpty(result.Fix));
        }

        [Fact]
        public void A_certificate_expiring_soon_forecasts_the_code_of_a_validating_connector_only()
        {
            var validating = new ConnectorDeliveryResult();
            ResultBuilder.Complete(validating, ProbeTable[Reason.CertificateExpiresSoon].Facts, null, Language.English);
            Assert.Equal("450 4.7.320", validating.ForecastCode);
            Assert.NotNull(validating.ForecastDate);

            var open = new ConnectorDeliveryResult();
            ResultBuilder.Complete(open, With(Reached(TlsRequirement.EncryptionOnly), f => f.Certificate = Certificate(CertificateProblems.None, CertificateNotes.ExpiresSoon)), null, Language.English);
            Assert.Equal(Reason.CertificateExpiresSoon, open.Reason);
            Assert.Null(open.ForecastCode);
            Assert.NotNull(open.ForecastDate);
        }

        [Theory]
        [InlineData("OnPremises", TargetKind.SmartHost, Responsible.Admin)]
        [InlineData("Partner", TargetKind.SmartHost, Responsible.Partner)]
        [InlineData(null, TargetKind.Domain, Responsible.Partner)]
        [InlineData(null, TargetKind.SmartHost, Responsible.Unknown)]
        public void Who_must_act_follows_the_connector_type_and_the_kind_of_target(string type, TargetKind kind, Responsible who)
        {
            var f = ProbeTable[Reason.ConnectionRefused].Facts.Clone();
            f.ConnectorType = type;
            f.Kind = kind;
            var r = new ConnectorDeliveryResult { DestinationServer = "mx.fabrikam.com" };
            ResultBuilder.Complete(r, f, null, Language.English);
            Assert.Equal(who, r.Responsible);
            if (who == Responsible.Partner) Assert.DoesNotContain("Allow Microsoft 365", r.Fix);
            if (who == Responsible.Admin) Assert.DoesNotContain("partner", r.Fix, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void Texts_follow_the_language_asked()
        {
            var r = new ConnectorDeliveryResult { DestinationServer = "mail.contoso.com", Port = 25 };
            ResultBuilder.Complete(r, ProbeTable[Reason.ConnectionRefused].Facts, null, Language.French);
            Assert.Equal("Connexion refusée", r.Title);
            Assert.StartsWith("La connexion TCP de ce poste à mail.contoso.com", r.Cause);   // a probe speaks of this computer
            Assert.Contains("refusée", r.Detail);
        }
    }
}
