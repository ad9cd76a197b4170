namespace MailFlowIntel
{
    // Backed by long, not int: ConvertTo-Json (Windows PowerShell 5.1 and PowerShell 7) writes long-backed enums as their
    // names, so JSON for a SIEM or a webhook shows words, while -eq 'Failed' and numeric sorting keep working.
    /// <summary>
    /// The scenario behind a result, an alert or a repair action (DESIGN.md section 2b): more precise than the code, which
    /// Microsoft 365 shares between several causes. Each value is one entry of the catalog (Catalog/ScenarioCatalog).
    /// </summary>
    public enum Reason : long
    {
        None = 0,
        // Succeeded, and nothing to probe
        Delivered,
        RangeNotTestable,
        WildcardDomain,
        ConnectorDisabled,
        /// <summary>This machine could not try the address (no route from here, a local limit): not a code Microsoft 365 gives.</summary>
        ProbeSideFault,
        // 4.4.312
        DnsQueryFailed,
        DnsNameNotFound,
        DnsDomainNotRegistered,
        DnsServerFailure,
        DnsNoAddress,
        // 5.1.10
        NullMx,
        // 5.4.14
        LoopToMicrosoft365,
        // 4.4.315
        ConnectTimedOut,
        GreetingTimedOut,
        ReplyTimedOut,
        // 4.4.316
        ConnectionRefused,
        // 4.4.317
        CannotConnect,
        ServiceNotAvailable,
        GreetingRejected,
        EhloRejected,
        StartTlsNotOffered,
        StartTlsStripped,
        StartTlsRefused,
        TlsRequiredByServer,
        TlsVersionUnsupported,
        TlsHandshakeFailed,
        NotSmtp,
        // 4.4.318
        ClosedAbruptly,
        // 4.7.320
        CertificateInvalid,
        CertificateExpired,
        CertificateNotYetValid,
        CertificateUntrustedRoot,
        CertificateIncompleteChain,
        CertificateNameMismatch,
        CertificateRevoked,
        // Warnings
        CertificateExpiresSoon,
        CertificateNotChecked,
        OpportunisticTlsFailed,
        // The server's own code
        RecipientRejected,
        // Evidence only
        Pending,
        MessageExpired,
        Unrecognized,
        // New scenarios go last, so the numbers of the others (a deserialized enum, a JSON number) keep their meaning.
        // SMTP DANE: 4.7.321 to 4.7.325
        DaneStartTlsNotSupported,
        DaneCertificateExpired,
        DaneTlsaMismatch,
        DaneDnssecInvalid,
        DaneCertificateHostMismatch,
        // MTA-STS: 4.4.8 and 4.7.5
        MtaStsMxMismatch,
        MtaStsCertificateInvalid,
        // DANE warnings
        /// <summary>TLSA records exist, but the DNS server asked does not validate DNSSEC: whether DANE applies is unknown.</summary>
        DaneUnverified,
        /// <summary>The connector's SmtpDaneMode is Mandatory and the destination has no usable DANE.</summary>
        DaneNotAvailable,
        // MTA-STS warnings
        /// <summary>An enforce policy lists some MX hosts of the domain but not this one: Microsoft 365 skips it.</summary>
        MtaStsMxNotListed,
        /// <summary>A policy in testing mode that this host fails: delivered, held once the policy enforces.</summary>
        MtaStsTesting,
        /// <summary>An _mta-sts TXT record, and no policy that could be fetched: Exchange Online may apply a cached one.</summary>
        MtaStsPolicyUnreachable,
        // Evidence of connections that never reached the server (Winsock 10051 and 10065, "Network is unreachable" and
        // "No route to host"): 4.4.317, as Exchange files them.
        /// <summary>No route to the destination's network from the sending server.</summary>
        NetworkUnreachable,
        /// <summary>No route to the destination host from the sending server.</summary>
        HostUnreachable,
        // 5.4.310
        /// <summary>The recipient's domain does not exist in DNS: whoever addressed the mail must correct it; no connector is involved.</summary>
        RecipientDomainNotFound,
        // Vantage (DESIGN.md 2c): what this computer's position explains
        /// <summary>Public DNS (-PublicDnsServer) and this computer's DNS give different addresses: the probe went where public DNS leads.</summary>
        SplitDns,
        /// <summary>The public address does not answer from here while the private one does: hairpin NAT; Microsoft 365's view unknown.</summary>
        HairpinUnreachable,
        /// <summary>This computer's DNS gives a non-public address, which Microsoft 365 cannot reach.</summary>
        PrivateAddress,
        /// <summary>Under a validating connector, the certificate chains to a root only this computer trusts: no public root program lists it.</summary>
        RootNotInPublicProgram,
        // One connector and server seen from both vantages (DESIGN.md 2c): what only the comparison names
        /// <summary>Microsoft 365 fails there while this computer gets through: something treats Microsoft 365's addresses differently.</summary>
        BlockedForMicrosoft365,
        /// <summary>This computer fails there while Microsoft 365 delivers: a fault of this computer's path, not of the mail flow.</summary>
        BlockedForThisComputer,
        /// <summary>The certificate Microsoft 365 reports differs from the one this computer was served.</summary>
        DifferentCertificateForMicrosoft365,
    }
}
