using System;
using System.Collections.Generic;
using System.Linq;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// What DNS said about DANE for one host, before any connection: its TLSA records, and whether DANE applies to it.
    /// When it applies, the TLS session decides the status (DaneCheck); when not, <see cref="Status"/> is final.
    /// </summary>
    internal sealed class DaneLookup
    {
        DaneLookup(string name, IReadOnlyList<Tlsa> records, DaneStatus status, bool applies)
        {
            Name = name;
            Records = records ?? Array.Empty<Tlsa>();
            Status = status;
            Applies = applies;
        }

        /// <summary>No lookup (a smart host given as an address): nothing to check.</summary>
        public static readonly DaneLookup None = new DaneLookup(null, null, DaneStatus.NotApplicable, false);

        /// <summary>The TLSA name asked: "_25._tcp.mail.contoso.com".</summary>
        public string Name { get; }
        public IReadOnlyList<Tlsa> Records { get; }
        /// <summary>Authentic TLSA records for a host whose own answers are authentic: TLS is required and the certificate is checked.</summary>
        public bool Applies { get; }
        /// <summary>NotApplicable, Unknown or Bogus when DANE does not apply; NotApplicable (to be decided by the session) when it does.</summary>
        public DaneStatus Status { get; }
        /// <summary>Only usages 0 and 1: TLS is still required, but nothing is matched.</summary>
        public bool OnlyUnusable => Records.Count > 0 && !Records.Any(r => r.Usable);

        /// <summary>"_25._tcp.host": where a host's TLSA records live (RFC 6698 section 3; RFC 7672 section 2.2.3).</summary>
        public static string TlsaName(string host, int port) => $"_{port}._tcp.{host.TrimEnd('.')}";

        /// <summary>
        /// Decides from the answers. DANE applies only when the host's MX and address answers are DNSSEC-authentic and its
        /// TLSA records are too ("Once the MX, A/AAAA and DNSSEC-related resource records for a domain are returned ... as
        /// DNSSEC authentic, the sending mail server will ask for the TLSA record", How SMTP DANE works, Microsoft Learn,
        /// https://learn.microsoft.com/en-us/purview/how-smtp-dane-works; RFC 7672 section 2.2). Authenticity is the AD bit
        /// of the DNS server asked (RFC 6840 section 5.8), so it is only as trustworthy as the path to that server.
        /// </summary>
        /// <param name="hostAuthentic">The host's MX answer (when reached by MX) and its address answers had AD.</param>
        /// <param name="failed">The TLSA query got SERVFAIL or no answer at all.</param>
        /// <param name="tlsaAuthentic">The TLSA answer had AD.</param>
        /// <param name="resolverValidates">Whether the DNS server sets AD on the signed root; null when not asked.</param>
        public static DaneLookup Classify(string name, bool hostAuthentic, bool failed, IReadOnlyList<Tlsa> records, bool tlsaAuthentic,
            bool? resolverValidates)
        {
            records = records ?? Array.Empty<Tlsa>();
            // A validating resolver answers SERVFAIL for records that fail validation: bogus, in a zone whose host answers are signed.
            if (failed) return new DaneLookup(name, records, hostAuthentic ? DaneStatus.Bogus : DaneStatus.NotApplicable, false);
            if (records.Count == 0) return new DaneLookup(name, records, DaneStatus.NotApplicable, false);
            // Records without AD: an unsigned zone, or a server that never validates (then nothing can be told).
            if (!tlsaAuthentic) return new DaneLookup(name, records, resolverValidates == false ? DaneStatus.Unknown : DaneStatus.NotApplicable, false);
            // Authentic TLSA behind an MX or address answer that is not: Exchange Online never asks for it.
            if (!hostAuthentic) return new DaneLookup(name, records, DaneStatus.NotApplicable, false);
            return new DaneLookup(name, records, DaneStatus.NotApplicable, true);
        }
    }
}
