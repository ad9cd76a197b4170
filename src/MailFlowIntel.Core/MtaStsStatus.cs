namespace MailFlowIntel
{
    // Backed by long, as ProbeStatus and DaneStatus: ConvertTo-Json (Windows PowerShell 5.1 and PowerShell 7) writes
    // long-backed enums as their names, so JSON shows words, while -eq 'Valid' and numeric sorting keep working.
    /// <summary>
    /// MTA-STS (RFC 8461) for one probed host, against the policy of its policy domain: the recipient domain for a domain
    /// delivered by MX, the smart host's own domain for a smart host ("For Outbound connectors using smart hosts, we're
    /// performing the MTA-STS validation against the smart host domain", Enhancing mail flow with MTA-STS, Microsoft Learn;
    /// RFC 8461 section 3.4). What it means for delivery depends on the policy's mode and the connector's MtaStsMode.
    /// </summary>
    public enum MtaStsStatus : long
    {
        /// <summary>Not looked up: a smart host given as an address, a target not tested, or a name DNS could not resolve.</summary>
        NotApplicable = 0,
        /// <summary>A policy was fetched, the host matches one of its mx patterns, and its certificate passes MTA-STS's check.</summary>
        Valid,
        /// <summary>A policy was fetched and the host matches none of its mx patterns (RFC 8461 section 4.1).</summary>
        MxMismatch,
        /// <summary>
        /// The host matches the policy, but offers no STARTTLS or serves a certificate that does not chain to a trusted root,
        /// is out of date, or does not carry the host's name (RFC 8461 section 4.2).
        /// </summary>
        CertificateInvalid,
        /// <summary>The _mta-sts TXT record exists, but no valid policy could be fetched over HTTPS (RFC 8461 section 3.3).</summary>
        PolicyUnreachable,
        /// <summary>No policy: no _mta-sts TXT record, or not exactly one that begins with v=STSv1 and is valid (RFC 8461 section 3.1).</summary>
        NoPolicy,
    }
}
