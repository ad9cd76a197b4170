namespace MailFlowIntel
{
    // Backed by long, as ProbeStatus: ConvertTo-Json writes the name.
    /// <summary>
    /// SMTP DANE (RFC 7672) for one probed host, as Exchange Online applies it on outbound mail ("How SMTP DANE works",
    /// Microsoft Learn): DANE applies only when the host's TLSA records are DNSSEC-authentic.
    /// </summary>
    public enum DaneStatus : long
    {
        /// <summary>No TLSA record, or none that is authentic (an unsigned zone): Exchange Online checks no DANE here.</summary>
        NotApplicable = 0,
        /// <summary>An authentic, usable TLSA record matches the certificate the server sent.</summary>
        Valid,
        /// <summary>Authentic, usable TLSA records, and the certificate fails them (no match; or DANE-TA with an expired leaf or another name).</summary>
        Mismatch,
        /// <summary>The zone is signed but its answers fail validation: Exchange Online gives 4.4.312 today.</summary>
        Bogus,
        /// <summary>TLSA records exist but the DNS server asked never validates (never sets AD): whether DANE applies cannot be told.</summary>
        Unknown,
        /// <summary>Authentic TLSA records, and the server offers no STARTTLS or its handshake fails: Exchange Online requires TLS.</summary>
        NoTls,
        /// <summary>Authentic TLSA records of usages 0 and 1 only: unusable for SMTP, but TLS is still required.</summary>
        Unusable,
    }
}
