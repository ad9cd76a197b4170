using System;

namespace MailFlowIntel
{
    /// <summary>What a probe would see Microsoft 365 see, for one address attempted (or one target not tested).</summary>
    /// <remarks>
    /// Defined in the engine rather than the cmdlet layer: it holds only scalars and needs no PowerShell type,
    /// so one class serves both and there is no second copy to keep in step.
    /// </remarks>
    public sealed class ConnectorDeliveryResult
    {
        public string Connector { get; set; }
        /// <summary>The Exchange Online organisation of the session the command ran in (its Organization, else its TenantID); empty without a session.</summary>
        public string Organization { get; set; } = "";
        /// <summary>OnPremises or Partner, from a piped connector; empty for a bare -SmartHost or -Domain.</summary>
        public string ConnectorType { get; set; }
        /// <summary>The smart host, IP address, range or domain as it was given.</summary>
        public string Target { get; set; }
        /// <summary>The host the probe connected to (the smart host, or the MX host of a domain).</summary>
        public string DestinationServer { get; set; }
        public int? MxPreference { get; set; }
        public string IPAddress { get; set; }
        public int Port { get; set; }
        /// <summary>The local address the probe used: the probe's vantage point, not Microsoft 365's.</summary>
        public string ProbedFrom { get; set; }
        /// <summary>Where this was seen: always ThisComputer for a probe (DESIGN.md section 2c).</summary>
        public ObservedFrom ObservedFrom { get; set; } = ObservedFrom.ThisComputer;
        /// <summary>The computer that ran the probe (its name, as the operating system gives it).</summary>
        public string ComputerName { get; set; }
        /// <summary>Whether and how the probe checked its own way out after a connect-stage failure (NotRun, Passed, Failed).</summary>
        public EgressCheck EgressCheck { get; set; }
        /// <summary>Which DNS answer the address came from: Public, Private (Microsoft 365 cannot reach it) or Split (-PublicDnsServer differs); empty when no name was resolved.</summary>
        public DnsView? DnsView { get; set; }
        /// <summary>Under DnsView Split: the addresses public DNS gave ("; "-joined), where Exchange Online connects.</summary>
        public string PublicAddress { get; set; }
        public ProbeStatus Status { get; set; }
        /// <summary>The scenario (DESIGN.md section 2b): more precise than the code, which several causes share.</summary>
        public Reason Reason { get; set; }
        /// <summary>Who must act: the admin (OnPremises), the partner (Partner, or a recipient domain by MX), or not known.</summary>
        public Responsible Responsible { get; set; }
        /// <summary>
        /// The outcome of the whole target (all its MX hosts and addresses): a first MX that failed while the next took the
        /// session reads Status Failed, TargetStatus Succeeded, because Microsoft 365 would fail over and deliver.
        /// </summary>
        public ProbeStatus TargetStatus { get; set; }
        /// <summary>For a failed attempt of a target that delivered: the server (and address) that took the session.</summary>
        public string FailoverServer { get; set; }
        public string Code { get; set; }
        public string EnhancedStatusCode { get; set; }
        public string Title { get; set; }
        public string Cause { get; set; }
        public string Fix { get; set; }
        public ProbeStage Stage { get; set; }
        public string Detail { get; set; }
        /// <summary>The server's own last reply (untrusted text, sanitised).</summary>
        public string ServerResponse { get; set; }
        public string Recipient { get; set; }
        public string TlsSettings { get; set; }
        public string TlsDomain { get; set; }
        /// <summary>The connector's SmtpDaneMode as applied: Opportunistic (Exchange Online's default), Mandatory or None.</summary>
        public string SmtpDaneMode { get; set; }
        public string TlsProtocol { get; set; }
        public string CertificateSubject { get; set; }
        public string CertificateNames { get; set; }
        public string CertificateIssuer { get; set; }
        public DateTime? CertificateNotAfter { get; set; }
        public string CertificateThumbprint { get; set; }
        public string CertificateErrors { get; set; }
        /// <summary>SMTP DANE for this host, whatever SmtpDaneMode (which decides what it means for delivery).</summary>
        public DaneStatus DaneStatus { get; set; }
        /// <summary>The host's TLSA records (_25._tcp.host, or the probe's port), each "usage selector matching data-hex", joined with "; ".</summary>
        public string TlsaRecords { get; set; }
        /// <summary>
        /// The TLSA record that matched the certificate the server sent, in the same form; empty when none did. Records that are
        /// not authentic (DaneStatus NotApplicable or Unknown) are matched too, for information: DANE does not apply to them.
        /// </summary>
        public string TlsaMatched { get; set; }
        /// <summary>
        /// The "3 1 1" TLSA record of the certificate this probe was served (from ProbedFrom): the record to publish for it.
        /// Observed, not proven: a certificate swapped on the path gives another record, so compute it on the server too.
        /// </summary>
        public string ObservedTlsaRecord { get; set; }
        /// <summary>The connector's MtaStsMode as applied: Opportunistic (Exchange Online's default) or None.</summary>
        public string MtaStsMode { get; set; }
        /// <summary>MTA-STS for this host, whatever MtaStsMode (which, with the policy's mode, decides what it means for delivery).</summary>
        public MtaStsStatus MtaStsStatus { get; set; }
        /// <summary>The domain whose MTA-STS policy was checked: the recipient domain, or for a smart host its own domain (the name without its first label); empty when none was.</summary>
        public string MtaStsPolicyDomain { get; set; }
        /// <summary>The policy's mode as published: enforce, testing or none; absent when no policy was had (see MtaStsStatus); empty when none was looked up.</summary>
        public string MtaStsPolicyMode { get; set; }
        /// <summary>The id of the domain's _mta-sts TXT record; empty when it has no valid one.</summary>
        public string MtaStsPolicyId { get; set; }
        /// <summary>
        /// The policy's max_age, in seconds. Exchange Online, as RFC 8461 lets a sender, may keep a policy it fetched until
        /// max_age runs out or the TXT id changes, so what it enforces can differ from this fresh fetch.
        /// </summary>
        public long? MtaStsMaxAge { get; set; }
        /// <summary>
        /// The code a fault that holds no mail today would give later: for a certificate that expires within 30 days, the code
        /// this connector will report once it has expired (empty when it does not check dates); for an MTA-STS policy in
        /// testing mode that this host fails, the code enforce mode would give (450 4.4.8 or 450 4.7.5).
        /// </summary>
        public string ForecastCode { get; set; }
        /// <summary>For a certificate that expires within 30 days: its NotAfter, UTC.</summary>
        public DateTime? ForecastDate { get; set; }
        public string Transcript { get; set; }
        public long DurationMs { get; set; }
        /// <summary>When the probe started, in UTC.</summary>
        public DateTime Timestamp { get; set; }

        /// <summary>The facts the result was written from (engine and tests only; not output).</summary>
        internal MailFlowIntel.Core.Probing.ProbeFacts Facts { get; set; }

        internal ConnectorDeliveryResult Clone() => (ConnectorDeliveryResult)MemberwiseClone();

        public override string ToString() =>
            $"{Target} {IPAddress} {Status} {Code}".Trim();
    }
}
