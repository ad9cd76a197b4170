using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>
    /// One code as Microsoft 365 reports it, in every spelling: the deferral ("450 4.4.316"), its enhanced code alone
    /// ("4.4.316"), and the expired form it takes once the 24 hours are over ("550 5.4.316"). Microsoft's own title in
    /// English and French (Microsoft Learn, "Mail flow intelligence in EOP", both languages).
    /// </summary>
    public sealed class CodeFamily
    {
        CodeFamily(string code, string english, string french, bool final = false, bool expiresInSameSubject = false, string requiredWording = null)
        {
            ExpiresInSameSubject = expiresInSameSubject;
            RequiredWording = requiredWording == null ? null : new Regex(requiredWording, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100));
            Code = code;
            EnhancedStatusCode = code.Substring(code.IndexOf(' ') + 1);
            Key = EnhancedStatusCode.Substring(EnhancedStatusCode.IndexOf('.') + 1);
            Title = new Phrase(english, french);
            Final = final;
        }

        /// <summary>Reply code and enhanced status code, e.g. "450 4.4.316".</summary>
        public string Code { get; }
        /// <summary>The enhanced status code alone, e.g. "4.4.316".</summary>
        public string EnhancedStatusCode { get; }
        /// <summary>The subject and detail ("4.316") that the deferred and the expired forms share.</summary>
        public string Key { get; }
        public Phrase Title { get; }
        /// <summary>A permanent code from the start (556 5.1.10, 554 5.4.14): it has no separate expired form.</summary>
        public bool Final { get; }
        /// <summary>Expires as 5 and the same subject (5.7.323 for 4.7.323), not as 5.4.x.</summary>
        bool ExpiresInSameSubject { get; }
        /// <summary>
        /// A code other systems also use (x.7.5, x.4.8): in a text it is this family only beside this wording; a bare code
        /// ("4.7.5", "450 4.7.5") is taken as it is.
        /// </summary>
        Regex RequiredWording { get; }

        /// <summary>Whether a text that carries this family's code is this family (the wording a shared code needs is there).</summary>
        public bool IsIn(string text) => RequiredWording == null || (text != null && RequiredWording.IsMatch(text));

        public override string ToString() => Code + " " + Title.English;

        public static readonly CodeFamily DnsQueryFailed = new CodeFamily("450 4.4.312", "DNS query failed", "Échec de la requête DNS");
        public static readonly CodeFamily ConnectionTimedOut = new CodeFamily("450 4.4.315", "Connection timed out", "Délai de connexion dépassé");
        public static readonly CodeFamily ConnectionRefused = new CodeFamily("450 4.4.316", "Connection refused", "Connexion refusée");
        public static readonly CodeFamily CannotConnect = new CodeFamily("450 4.4.317", "Cannot connect to remote server", "La connexion au serveur distant a échoué");
        public static readonly CodeFamily ClosedAbruptly = new CodeFamily("450 4.4.318", "Connection was closed abruptly", "La connexion a été interrompue brusquement");
        public static readonly CodeFamily CertificateValidationFailed = new CodeFamily("450 4.7.320", "Certificate validation failed", "Échec de la validation du certificat");
        /// <summary>RFC 7505's code for a domain that publishes a Null MX.</summary>
        public static readonly CodeFamily NullMx = new CodeFamily("556 5.1.10", "Recipient domain accepts no mail", "Le domaine du destinataire n'accepte aucun courrier", final: true);
        /// <summary>
        /// Exchange Online's loop code ("5.4.14 Hop count exceeded - possible mail loop", Microsoft Learn: "Fix email
        /// delivery issues for error code 5.4.6 or 5.4.14 in Exchange Online").
        /// </summary>
        public static readonly CodeFamily MailLoop = new CodeFamily("554 5.4.14", "Hop count exceeded - possible mail loop", "Nombre de tronçons dépassé - boucle de messagerie possible", final: true);

        /// <summary>
        /// Exchange Online's code for a recipient domain that does not exist in DNS, final from the start: "550 5.4.310 DNS
        /// domain contoso.com does not exist [Message=InfoDomainNonexistent]", in an NDR that tells the sender the domain
        /// "isn't properly registered at their domain registrar" and links Microsoft's help (go.microsoft.com/fwlink/?LinkId=389361).
        /// No connector is involved. The French title is ours.
        /// </summary>
        public static readonly CodeFamily RecipientDomainNotFound = new CodeFamily("550 5.4.310", "DNS domain does not exist", "Le domaine DNS n'existe pas", final: true);

        // SMTP DANE and MTA-STS as Exchange Online enforces them on outbound mail. Microsoft documents the enhanced codes
        // ("4/5.7.321 starttls-not-supported", ..., "4/5.4.8", "4/5.7.5": Microsoft Learn, "Email non-delivery reports and
        // SMTP errors in Exchange Online", and "How SMTP DNS-based Authentication of Named Entities (DANE) works"), not the
        // reply code before them: we write 450, as for every connector deferral above. Titles are ours.
        public static readonly CodeFamily DaneStartTlsNotSupported = new CodeFamily("450 4.7.321", "STARTTLS not supported (DANE)", "STARTTLS non pris en charge (DANE)", expiresInSameSubject: true);
        public static readonly CodeFamily DaneCertificateExpired = new CodeFamily("450 4.7.322", "Certificate expired (DANE)", "Certificat expiré (DANE)", expiresInSameSubject: true);
        public static readonly CodeFamily DaneTlsaInvalid = new CodeFamily("450 4.7.323", "TLSA records do not match (DANE)", "Les enregistrements TLSA ne correspondent pas (DANE)", expiresInSameSubject: true);
        public static readonly CodeFamily DaneDnssecInvalid = new CodeFamily("450 4.7.324", "DNSSEC records invalid (DANE)", "Enregistrements DNSSEC non valides (DANE)", expiresInSameSubject: true);
        public static readonly CodeFamily DaneCertificateHostMismatch = new CodeFamily("450 4.7.325", "Certificate host name mismatch (DANE)", "Nom d'hôte du certificat non concordant (DANE)", expiresInSameSubject: true);
        public static readonly CodeFamily MtaStsMxMismatch = new CodeFamily("450 4.4.8", "MX hosts failed MTA-STS validation", "Les hôtes MX ont échoué à la validation MTA-STS",
            expiresInSameSubject: true, requiredWording: @"MTA-?STS|MX_HOSTS_MISMATCH");
        public static readonly CodeFamily MtaStsCertificateInvalid = new CodeFamily("450 4.7.5", "Certificate failed MTA-STS validation", "Le certificat a échoué à la validation MTA-STS",
            expiresInSameSubject: true, requiredWording: @"MTA-?STS");

        /// <summary>Every family, in code order.</summary>
        public static IReadOnlyList<CodeFamily> All { get; } = new[]
        {
            DnsQueryFailed, ConnectionTimedOut, ConnectionRefused, CannotConnect, ClosedAbruptly, CertificateValidationFailed, NullMx, MailLoop,
            RecipientDomainNotFound, DaneStartTlsNotSupported, DaneCertificateExpired, DaneTlsaInvalid, DaneDnssecInvalid, DaneCertificateHostMismatch,
            MtaStsMxMismatch, MtaStsCertificateInvalid,
        };

        static readonly Regex BareCode = new Regex(@"^\s*(?:[245]\d\d[ -])?[245]\.\d{1,3}\.\d{1,3}\s*$", RegexOptions.CultureInvariant);

        static readonly Regex EnhancedCode = new Regex(@"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])", RegexOptions.CultureInvariant);

        /// <summary>
        /// The family for any spelling an admin may hold: "450 4.4.316", "4.4.316" or the expired "550 5.4.316".
        /// Null when the code is not in the catalog. 5.1.10 is ours only as 556 (Exchange Online's 550 5.1.10 is an unknown recipient).
        /// </summary>
        public static CodeFamily Find(string anySpelling)
        {
            if (string.IsNullOrWhiteSpace(anySpelling)) return null;
            Match m = EnhancedCode.Match(anySpelling);
            if (!m.Success) return null;
            string key = m.Groups[2].Value + "." + m.Groups[3].Value;
            CodeFamily f = All.FirstOrDefault(c => c.Key == key && (c.EnhancedStatusCode[0] == m.Groups[1].Value[0] || !c.Final))
                        ?? All.FirstOrDefault(c => !c.Final && c.ExpiredEnhancedCode == m.Value);
            if (f == NullMx && !Regex.IsMatch(anySpelling, @"(?<!\d)556(?!\d)") && anySpelling.Trim() != "5.1.10") return null;
            if (f?.RequiredWording != null && !BareCode.IsMatch(anySpelling) && !f.RequiredWording.IsMatch(anySpelling)) return null;
            return f;
        }

        /// <summary>
        /// Exchange Online's expired form: "5.4." and the detail ("550 5.4.316 Message expired, connection refused"; for
        /// 4.7.320 it writes 5.4.320). Null for a final code.
        /// </summary>
        public string ExpiredEnhancedCode => Final ? null : ExpiresInSameSubject ? "5." + Key : "5.4." + Key.Substring(Key.IndexOf('.') + 1);

        /// <summary>The expired form of a deferral code ("5.4.316" for 450 4.4.316, or 5.x.y of the same subject): the mail has bounced.</summary>
        public bool IsExpiredSpelling(string enhanced) =>
            !Final && enhanced != null && enhanced.StartsWith("5.", StringComparison.Ordinal)
            && (enhanced == ExpiredEnhancedCode || enhanced.Substring(enhanced.IndexOf('.') + 1) == Key);
    }
}
