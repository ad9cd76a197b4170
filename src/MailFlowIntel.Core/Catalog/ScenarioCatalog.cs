using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Probing;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>
    /// The one table of scenarios (DESIGN.md section 2b). Each entry, in the ScenarioCatalog.*.cs files, holds its code,
    /// how probe facts and evidence select it, its status, texts and repair. The order of <see cref="All"/> is the
    /// precedence: the first entry whose probe facts hold (or whose evidence wording matches) is the scenario.
    /// </summary>
    public static partial class ScenarioCatalog
    {
        /// <summary>Every scenario, first match first.</summary>
        // Built on first use: the entries are static fields of several files, whose initialisation order C# does not fix.
        public static IReadOnlyList<Scenario> All => all.Value;

        static readonly Lazy<Scenario[]> all = new Lazy<Scenario[]>(() => new[]
        {
            // Nothing to probe, or nothing this machine could try.
            RangeNotTestable, WildcardDomain, ConnectorDisabled, ProbeSideFault, HairpinUnreachable, LoopToMicrosoft365,
            // 4.4.312 and 5.1.10 (DNSSEC that fails validation is 4.4.312 too, before any certificate: nothing is sent there).
            NullMx, RecipientDomainNotFound, DnsDomainNotRegistered, DnsNameNotFound, DnsServerFailure, DnsNoAddress,
            // SMTP DANE: with DNSSEC-authentic TLSA records, its codes replace 4.4.317 and 4.7.320 (Microsoft Learn, "How SMTP
            // DANE works"); the specific failures first.
            DaneStartTlsNotSupported, DaneCertificateExpired, DaneCertificateHostMismatch, DaneTlsaMismatch, DaneDnssecInvalid,
            // MTA-STS where DANE does not decide (RFC 8461 section 2): an enforce policy's codes replace 4.7.320 and 4.4.317 as
            // DANE's do; a host the policy does not list is skipped when another host of the domain is listed.
            MtaStsMxMismatch, MtaStsMxNotListed, MtaStsCertificateInvalid,
            // 4.7.320: the certificate a validating connector rejects, most serious problem first.
            CertificateRevoked, CertificateExpired, CertificateNotYetValid, CertificateIncompleteChain, CertificateUntrustedRoot,
            CertificateNameMismatch,
            // 4.4.317: the server answered, but the session could not go on.
            ServiceNotAvailable, GreetingRejected, EhloRejected, StartTlsStripped, StartTlsNotOffered, StartTlsRefused,
            TlsRequiredByServer, TlsVersionUnsupported, TlsHandshakeFailed, NotSmtp, NetworkUnreachable, HostUnreachable,
            // 4.4.316, 4.4.315, 4.4.318
            ConnectionRefused, ConnectTimedOut, GreetingTimedOut, ReplyTimedOut, ClosedAbruptly,
            // Each code's own meaning, when the evidence says no more.
            CertificateInvalid, CannotConnect, DnsQueryFailed,
            // The server's answer to a recipient, then what worked.
            RecipientRejected, DaneNotAvailable,
            // A private root is a likely 4.7.320 at Microsoft 365, but not a certain one; a private DNS answer comes first (the
            // probe may have reached another server than Microsoft 365 would), what public DNS shows does not.
            PrivateAddress, RootNotInPublicProgram, SplitDns, DaneUnverified, MtaStsTesting, MtaStsPolicyUnreachable, OpportunisticTlsFailed, CertificateExpiresSoon, CertificateNotChecked, Delivered,
            // Evidence only.
            MessageExpired, Pending, Unrecognized,
            // Named only by comparing both vantages of one connector and server (Alerts/VantageComparison).
            BlockedForMicrosoft365, BlockedForThisComputer, DifferentCertificateForMicrosoft365,
        });

        static readonly Lazy<Dictionary<Reason, Scenario>> byReason = new Lazy<Dictionary<Reason, Scenario>>(() => All.ToDictionary(s => s.Reason));

        public static Scenario ByReason(Reason reason) => byReason.Value.TryGetValue(reason, out Scenario s) ? s : null;

        /// <summary>The scenarios of one code, most specific first, the code's own meaning last.</summary>
        public static IEnumerable<Scenario> OfFamily(CodeFamily family) => All.Where(s => s.Family == family);

        /// <summary>The scenario a probe's facts show (always one: Delivered when nothing else holds).</summary>
        internal static Scenario ForProbe(ProbeFacts facts) => All.First(s => s.FromProbe != null && s.FromProbe(facts));

        /// <summary>
        /// The scenario evidence spells. With a catalog code, the most specific scenario of that code whose wording is in the
        /// text, else the code's own meaning (certificate tokens in a 4.4.317 row are the certificate scenarios, as Exchange
        /// Online writes them today). Without one, a scenario whose wording alone names it. Null when nothing does.
        /// </summary>
        public static Scenario ForEvidence(CodeFamily family, string text, string messageToken, bool genericCode)
        {
            string scrubbed = EvidenceText.Scrub(text);
            if (family != null)
            {
                IEnumerable<Scenario> candidates = OfFamily(family);
                if (family == CodeFamily.CannotConnect) candidates = OfFamily(CodeFamily.CertificateValidationFailed).Where(s => !s.FamilyDefault).Concat(candidates);
                return candidates.FirstOrDefault(s => s.Evidence != null && s.Evidence.Matches(scrubbed, messageToken))
                    ?? candidates.First(s => s.FamilyDefault && s.Family == family);
            }
            if (!genericCode) return null;
            return wordingOrder.Value.FirstOrDefault(s => s.Evidence.Matches(scrubbed, messageToken));
        }

        /// <summary>
        /// Which wording wins when a generic code (451 4.4.0, 421, none) carries several: DNS, then certificates, then what
        /// the server said (4.4.317), refused, timed out, closed, and the vaguest ("unable to connect") last.
        /// </summary>
        static readonly Lazy<Scenario[]> wordingOrder = new Lazy<Scenario[]>(() => All
            .Where(s => s.Evidence != null && s.Evidence.Standalone)
            .Select((s, i) => (s, i))
            .OrderBy(x => WordingRank(x.s)).ThenBy(x => x.i)
            .Select(x => x.s)
            .ToArray());

        static int WordingRank(Scenario s)
        {
            if (s.Family == CodeFamily.DnsQueryFailed || s.Family == CodeFamily.RecipientDomainNotFound) return 0;
            if (s.Family == CodeFamily.NullMx || s.Family == CodeFamily.MailLoop) return 1;
            if (NamingTheirCode.Contains(s.Family)) return 1;   // DANE and MTA-STS words name their code
            if (s.Family == CodeFamily.CertificateValidationFailed) return 2;
            if (s.Family == CodeFamily.CannotConnect && !s.FamilyDefault) return 3;
            if (s.Family == CodeFamily.ConnectionRefused) return 4;
            if (s.Family == CodeFamily.ConnectionTimedOut) return 5;
            if (s.Family == CodeFamily.ClosedAbruptly) return 6;
            if (s.Family == CodeFamily.CannotConnect) return 7;
            return 8;
        }

        static readonly CodeFamily[] NamingTheirCode =
        {
            CodeFamily.DaneStartTlsNotSupported, CodeFamily.DaneCertificateExpired, CodeFamily.DaneTlsaInvalid, CodeFamily.DaneDnssecInvalid,
            CodeFamily.DaneCertificateHostMismatch, CodeFamily.MtaStsMxMismatch, CodeFamily.MtaStsCertificateInvalid,
        };

        static EvidenceWording Words(string[] tokens, params string[] phrases) => new EvidenceWording(tokens, phrases, standalone: true);
        static EvidenceWording WordsInFamily(string[] tokens, params string[] phrases) => new EvidenceWording(tokens, phrases, standalone: false);
        static string[] NoTokens => Array.Empty<string>();

        static Phrase T(string english, string french) => new Phrase(english, french);

        static bool IsSet(string tlsSettings) => !string.IsNullOrWhiteSpace(tlsSettings);
        static bool Validating(string tlsSettings) =>
            string.Equals(tlsSettings, "CertificateValidation", StringComparison.OrdinalIgnoreCase)
            || string.Equals(tlsSettings, "DomainValidation", StringComparison.OrdinalIgnoreCase);
    }
}
