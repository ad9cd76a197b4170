namespace MailFlowIntel.Core.Probing
{
    /// <summary>What DNS said was wrong with a name.</summary>
    internal enum DnsFault
    {
        None,
        /// <summary>NXDOMAIN for the name, in a registered domain that exists.</summary>
        NameNotFound,
        /// <summary>NXDOMAIN up to the registered domain itself (a lapsed or mistyped domain).</summary>
        DomainNotRegistered,
        /// <summary>SERVFAIL or REFUSED from the DNS server.</summary>
        ServerFailure,
        /// <summary>The name exists with neither MX nor A/AAAA records.</summary>
        NoAddress,
        /// <summary>MX 0 "." (RFC 7505).</summary>
        NullMx,
    }


    /// <summary>
    /// The facts one attempt produced: exactly what the probe saw, typed, no verdict and no sentence. The catalog
    /// (Catalog/ScenarioCatalog) names the scenario from them, and ResultBuilder writes the result once, at the end.
    /// </summary>
    internal sealed class ProbeFacts
    {
        public TlsRequirement Tls { get; set; }
        public TargetKind Kind { get; set; }
        public string ConnectorType { get; set; }
        public double TimeoutSeconds { get; set; }
        public int Port { get; set; }
        /// <summary>Where the probe stopped (or, on success, the last step it took).</summary>
        public ProbeStage Stage { get; set; }

        public NotTestedKind NotTested { get; set; }
        public DnsFault Dns { get; set; }
        /// <summary>The name whose lookup failed.</summary>
        public string DnsName { get; set; }
        /// <summary>An OnPremises connector whose destination is Microsoft 365's own front door: mail would loop.</summary>
        public bool LoopToMicrosoft365 { get; set; }
        /// <summary>The TCP connect failed, with this meaning (SocketFaults); null when it did not.</summary>
        public SocketFault? ConnectFault { get; set; }
        /// <summary>The platform's name for the socket error ("ConnectionRefused"), or null.</summary>
        public string SocketError { get; set; }
        /// <summary>A reply other than the expected success at greeting, EHLO/HELO or STARTTLS (Stage says where).</summary>
        public int? RejectedCode { get; set; }
        /// <summary>The server sent a 421 and closed: nothing more was sent.</summary>
        public bool ServerClosing { get; set; }
        /// <summary>Greeting and EHLO went through, so what EHLO offered is known.</summary>
        public bool EhloDone { get; set; }
        public bool StartTlsOffered { get; set; }
        /// <summary>The EHLO reply shows STARTTLS masked by an SMTP-inspecting firewall (XXXXXXXA).</summary>
        public bool StartTlsMasked { get; set; }
        public TlsFailure TlsFailure { get; set; }
        /// <summary>After a failed handshake, the version the server chose for a TLS 1.0-1.2 client ("Tls11"); null when unknown.</summary>
        public string ServerTlsVersion { get; set; }
        /// <summary>The platform's message for a failed handshake (untrusted; cleaned when shown).</summary>
        public string TlsFailureMessage { get; set; }
        public CertificateReport Certificate { get; set; }
        public bool TimedOut { get; set; }
        public bool Closed { get; set; }
        /// <summary>The close was a reset (RST) rather than an orderly end (FIN).</summary>
        public bool Reset { get; set; }
        public bool NotSmtp { get; set; }
        /// <summary>Bytes received without a line end when the reply was given up as not SMTP (0 for other garbage).</summary>
        public int OverlongBytes { get; set; }
        /// <summary>The reply to MAIL FROM or RCPT TO when it was not a success.</summary>
        public string RecipientReply { get; set; }
        /// <summary>The server's reply that decided the outcome (untrusted, cleaned).</summary>
        public string Reply { get; set; }
        /// <summary>The server took the session: Microsoft 365 would deliver here.</summary>
        public bool Reached { get; set; }

        /// <summary>The recipient domain was given as a wildcard (*.fabrikam.com): its parent was probed, its subdomains not.</summary>
        public string Wildcard { get; set; }
        /// <summary>The connector routes every domain (RecipientDomains *): the organisation's own gateway or relay.</summary>
        public bool AllDomains { get; set; }
        /// <summary>The cloud mail gateway the destination host belongs to (Mimecast, Proofpoint...), when its name shows it.</summary>
        public string Gateway { get; set; }

        // Vantage (DESIGN.md 2c): what this computer's own position explains.
        /// <summary>The connect failed, the egress check host did not answer either, and the address is a public one: this computer cannot reach the internet on the port.</summary>
        public bool EgressBlocked { get; set; }
        /// <summary>The egress check's host (or the tenant domain whose MX it is), for the detail.</summary>
        public string EgressCheckHost { get; set; }
        /// <summary>Which DNS answer the address came from; null when no name was resolved.</summary>
        public DnsView? DnsView { get; set; }
        /// <summary>Under Split: what public DNS answered (addresses, "; "-joined); and what this computer's DNS answered.</summary>
        public string PublicAddress { get; set; }
        public string PrivateAddress { get; set; }
        /// <summary>The public address failed from here at connect while the private one answered: a firewall without hairpin NAT.</summary>
        public bool Hairpin { get; set; }
        /// <summary>-PublicDnsServer was given and did not answer: Microsoft 365's view of the name is unknown.</summary>
        public bool PublicDnsUnreachable { get; set; }

        /// <summary>The connector's SmtpDaneMode.</summary>
        public DaneMode DaneMode { get; set; }
        /// <summary>DANE for this host, whatever the mode (the catalog decides what it means under <see cref="DaneMode"/>).</summary>
        public DaneStatus Dane { get; set; }
        /// <summary>Mismatch: a DANE-TA (usage 2) record matched the chain, but the leaf certificate has expired (4.7.322).</summary>
        public bool DaneCertificateExpired { get; set; }
        /// <summary>Mismatch: a DANE-TA (usage 2) record matched the chain, but the leaf carries none of the host's names (4.7.325).</summary>
        public bool DaneHostMismatch { get; set; }
        /// <summary>The host's TLSA records as published ("3 1 1 0a1b...; 2 1 1 ..."), empty when none.</summary>
        public string TlsaRecords { get; set; }
        /// <summary>The record that matched the served certificate (DaneCheck.Outcome.Matched), empty when none; also for records that are not authentic.</summary>
        public string TlsaMatched { get; set; }
        /// <summary>The 3 1 1 TLSA record of the leaf certificate this probe was served, whatever DNS holds: what to publish.</summary>
        public string ObservedTlsaRecord { get; set; }
        /// <summary>DANE is checked under this connector's mode (anything but None).</summary>
        public bool DaneEnforced => DaneMode != DaneMode.None;
        /// <summary>The host's TLSA records are DNSSEC-authentic (as are its MX and address answers): DANE applies to it.</summary>
        public bool DaneApplies { get; set; }
        /// <summary>
        /// DANE decides this host's verdict, and MTA-STS does not: "senders who implement MTA-STS validation MUST NOT allow
        /// MTA-STS Policy validation to override a failing DANE validation" (RFC 8461 section 2); a host with authentic TLSA is
        /// judged by DANE alone while the connector checks DANE.
        /// </summary>
        public bool DaneDecides => DaneEnforced && DaneApplies;
        /// <summary>
        /// SmtpDaneMode Mandatory and no usable DANE for this host (no authentic TLSA, or only unusable records): Exchange
        /// Online queues such mail ("How SMTP DANE works", Microsoft Learn). A resolver that cannot tell (Unknown) is
        /// DaneUnverified, a Warning: this computer cannot know.
        /// </summary>
        public bool DaneMissingUnderMandatory =>
            DaneMode == DaneMode.Mandatory && (Dane == DaneStatus.NotApplicable || Dane == DaneStatus.Unusable);

        /// <summary>The connector's MtaStsMode.</summary>
        public MtaStsMode MtaStsMode { get; set; }
        /// <summary>MTA-STS for this host, whatever the mode (the catalog decides what it means).</summary>
        public MtaStsStatus MtaSts { get; set; }
        /// <summary>The domain whose policy was looked up (the recipient domain, or the smart host's domain); null when none.</summary>
        public string MtaStsPolicyDomain { get; set; }
        /// <summary>The policy's mode as published (enforce, testing, none), "absent" when none was had, null when not looked up.</summary>
        public string MtaStsPolicyMode { get; set; }
        /// <summary>The id of the domain's _mta-sts TXT record; null when it has no valid one.</summary>
        public string MtaStsPolicyId { get; set; }
        /// <summary>The policy's max_age in seconds; null when no policy was fetched.</summary>
        public long? MtaStsMaxAge { get; set; }
        /// <summary>The host matched against the policy (the MX host, or the smart host connected to).</summary>
        public string MtaStsHost { get; set; }
        /// <summary>The policy's mx patterns, joined with ", " and cleaned (for the detail); null when no policy was fetched.</summary>
        public string MtaStsMx { get; set; }
        /// <summary>Why there is no policy (NoPolicy, PolicyUnreachable), in English, cleaned; null otherwise.</summary>
        public string MtaStsFailure { get; set; }
        /// <summary>Some MX host of the domain (or host of the smart host) matches the policy: an unlisted one is skipped, not failed.</summary>
        public bool MtaStsAnyMxMatches { get; set; }
        /// <summary>CertificateInvalid: what fails MTA-STS's certificate check (RFC 8461 section 4.2); None when it is the lack of TLS.</summary>
        public CertificateProblems MtaStsCertificateProblems { get; set; }
        /// <summary>MTA-STS is checked for this host: the connector's MtaStsMode is not None and DANE does not decide.</summary>
        public bool MtaStsChecked => MtaStsMode != MtaStsMode.None && !DaneDecides;
        /// <summary>MTA-STS is checked, and the domain's policy is in enforce mode: a failure holds the mail.</summary>
        public bool MtaStsEnforced => MtaStsChecked && MtaStsPolicyMode == "enforce";

        public bool CertificateRejected => TlsFailure == TlsFailure.CertificateRejected;
        public bool TlsHandshakeFailed => TlsFailure != TlsFailure.None && TlsFailure != TlsFailure.CertificateRejected;

        /// <summary>Whether the connector's settings check this certificate problem (the name only under DomainValidation).</summary>
        public bool Checks(CertificateProblems p) =>
            Tls.ValidatesCertificate() && (p != CertificateProblems.SubjectMismatch || Tls == TlsRequirement.DomainValidation);

        /// <summary>The problems of the served certificate that this connector checks.</summary>
        public CertificateProblems CheckedProblems =>
            Certificate == null || !Tls.ValidatesCertificate() ? CertificateProblems.None
            : Tls == TlsRequirement.DomainValidation ? Certificate.Problems : Certificate.ChainOrDateProblems;

        public ProbeFacts Clone() => (ProbeFacts)MemberwiseClone();
    }
}
