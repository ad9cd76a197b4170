using System;

namespace MailFlowIntel
{
    /// <summary>
    /// Mail that Microsoft 365 (or Exchange Server) cannot deliver, grouped by code, connector and destination server:
    /// what failed, where, how many messages, and when they expire. Scalars only, so it exports cleanly.
    /// </summary>
    public sealed class MailFlowAlert
    {
        /// <summary>"450 4.4.316" for catalog codes (also when the evidence held the expired 5.4.316 form); the raw code otherwise.</summary>
        public string Code { get; set; }
        public string EnhancedStatusCode { get; set; }
        /// <summary>The scenarios the evidence shows (DESIGN.md section 2b), "CertificateUntrustedRoot" or several joined with "; ".</summary>
        public string Reason { get; set; }
        public string Title { get; set; }
        public string Cause { get; set; }
        public string Fix { get; set; }
        public string Connector { get; set; }
        /// <summary>
        /// For an Exchange Server send connector shown by name in <see cref="Connector"/> (Get-SendConnector was at hand): the
        /// GUID the server wrote (Get-Queue's NextHopConnector), by which the alert is keyed and read back. Empty otherwise.
        /// </summary>
        public string SendConnectorId { get; set; }
        /// <summary>OnPremises or Partner, when the evidence says (probe results of piped connectors do).</summary>
        public string ConnectorType { get; set; }
        /// <summary>Who must act: the admin, the partner, or not known from this evidence.</summary>
        public Responsible Responsible { get; set; }
        public string DestinationServer { get; set; }
        /// <summary>Bare address, no port.</summary>
        public string LastAttemptedIP { get; set; }
        /// <summary>Distinct messages (a message deferred twenty times counts once).</summary>
        public long MessageCount { get; set; }
        public long RecipientCount { get; set; }
        /// <summary>A bounded sample of the recipients, "a; b; c".</summary>
        public string Recipients { get; set; }
        public DateTime? FirstSeen { get; set; }
        public DateTime? LastSeen { get; set; }
        /// <summary>When the oldest message expires and bounces (UTC): its arrival plus 24 hours in Exchange Online.</summary>
        public DateTime? ExpiresAt { get; set; }
        /// <summary>
        /// What ExpiresAt was counted from: Arrival, FirstDeferral (the arrival was not in the evidence, so the real expiry
        /// can only be earlier) or Stated. Empty when there is no ExpiresAt, or an alert read back did not say.
        /// </summary>
        public ExpiryBasis? ExpiresFrom { get; set; }
        public bool Expired { get; set; }
        public AlertSeverity Severity { get; set; }
        /// <summary>
        /// Against a baseline (-Baseline, -BaselinePath): New, Ongoing, Worse, Better, or Resolved for a baseline alert this
        /// run looked for and no longer found (it keeps the baseline's figures). None without a baseline.
        /// </summary>
        public AlertChange Change { get; set; }
        /// <summary>The baseline's MessageCount and Severity for the same alert, when there was one: why it is Worse or Better.</summary>
        public long? PreviousMessageCount { get; set; }
        public AlertSeverity? PreviousSeverity { get; set; }
        /// <summary>
        /// Set when every piece of evidence is a probe of a target that still delivered through another server: that server.
        /// Such an alert is Low and never drives an automatic repair.
        /// </summary>
        public string FailoverServer { get; set; }
        /// <summary>The codes exactly as the evidence gave them, when they differ from Code ("450 4.4.317" for a certificate fault, "451 4.4.0").</summary>
        public string RawCode { get; set; }
        /// <summary>Specifics the evidence named: [Message=...], a socket error, a DNS error name.</summary>
        public string Detail { get; set; }
        /// <summary>The server's last reply, when a probe saw it (untrusted; sanitised).</summary>
        public string ServerResponse { get; set; }
        public string TlsSettings { get; set; }
        public string TlsDomain { get; set; }
        /// <summary>The certificate the server presented, when a probe saw it: what a repair and a partner need.</summary>
        public string CertificateSubject { get; set; }
        public string CertificateIssuer { get; set; }
        public string CertificateNames { get; set; }
        public DateTime? CertificateNotAfter { get; set; }
        public string CertificateThumbprint { get; set; }
        public string CertificateErrors { get; set; }
        /// <summary>From a probe: the "3 1 1" TLSA record of the certificate it was served, and the address it probed from.</summary>
        public string ObservedTlsaRecord { get; set; }
        public string ProbedFrom { get; set; }
        /// <summary>From a probe: the domain whose MTA-STS policy was checked, and the id of its _mta-sts TXT record.</summary>
        public string MtaStsPolicyDomain { get; set; }
        public string MtaStsPolicyId { get; set; }
        /// <summary>Where the evidence was seen, each vantage a flag ("Microsoft365, ThisComputer"); None when nothing tells.</summary>
        public ObservedFrom ObservedFrom { get; set; }
        /// <summary>The computers whose probes are behind the alert ("ADMIN01; JUMP02"), when probes are.</summary>
        public string ComputerName { get; set; }
        /// <summary>
        /// Where Microsoft 365's evidence and a probe from this computer speak of the same connector and server: what the probe
        /// found there (Succeeded, Warning, Failed), and its code when it failed; empty without such a probe in the run.
        /// </summary>
        public ProbeStatus? ProbeStatus { get; set; }
        public string ProbeCode { get; set; }
        /// <summary>Kinds of evidence behind the alert ("MessageTraceDetail; Probe").</summary>
        public string Source { get; set; }
        /// <summary>The files the evidence was read from (a bounded list), when it came from files.</summary>
        public string EvidenceFiles { get; set; }
        public long EvidenceCount { get; set; }
        /// <summary>One raw example of the evidence (untrusted; sanitised).</summary>
        public string Evidence { get; set; }

        /// <summary>The [Message=...] token of Microsoft 365's own evidence, for the comparison of vantages (engine only; not output).</summary>
        internal string Microsoft365Token { get; set; }

        public override string ToString() => $"{Code} {Connector} {DestinationServer} {MessageCount}".Trim();
    }
}
