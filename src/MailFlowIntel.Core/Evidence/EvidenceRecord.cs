using System;
using System.Collections.Generic;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// One piece of evidence, normalised: what failed (the code), where (connector, server, address), for which message
    /// and recipients, and when. Readers of every format produce these; the aggregator turns them into alerts.
    /// </summary>
    public sealed class EvidenceRecord
    {
        /// <summary>The reply code as the evidence gave it ("450 4.4.316", "550 5.4.316", "451 4.7.500").</summary>
        public string RawCode { get; set; }
        /// <summary>The enhanced status code alone ("4.4.316"), when there is one.</summary>
        public string EnhancedCode { get; set; }
        /// <summary>The catalog code the evidence maps to (directly, or by its wording); null when it is outside the catalog.</summary>
        public MailFlowIntel.Core.Catalog.CodeFamily Family { get; set; }
        /// <summary>The scenario the evidence spells (the catalog decides); Unrecognized for a code outside it, Pending for none yet.</summary>
        public MailFlowIntel.Core.Catalog.Scenario Scenario { get; set; }
        /// <summary>The value of [Message=...] or {MSG=...}, as Exchange wrote it.</summary>
        public string MessageToken { get; set; }
        /// <summary>The expired form (5.4.3xx "Message expired"): the mail has already bounced.</summary>
        public bool Expired { get; set; }
        public string Connector { get; set; }
        /// <summary>
        /// <see cref="Connector"/> names an Exchange Server send connector as the server wrote it (Get-Queue's NextHopConnector,
        /// a GUID), never an Exchange Online connector. Get-MailFlowAlert resolves it to <see cref="ConnectorName"/> where
        /// Get-SendConnector is at hand.
        /// </summary>
        public bool ExchangeServerConnector { get; set; }
        /// <summary>
        /// The send connector's name for a <see cref="Connector"/> that is its GUID: what the alert shows. The GUID stays the
        /// identity (the key, the run's coverage), so an alert compares the same with or without the name.
        /// </summary>
        public string ConnectorName { get; set; }
        public string DestinationServer { get; set; }
        /// <summary>Bare address, no port.</summary>
        public string LastAttemptedIP { get; set; }
        /// <summary>The [Message=...] value, Winsock error, or other specifics.</summary>
        public string Detail { get; set; }
        /// <summary>A key that identifies the message (MessageId, MessageTraceId); null when the evidence names none.</summary>
        public string MessageKey { get; set; }
        /// <summary>How many messages this record stands for when it names none (a queue row's MessageCount); else 1.</summary>
        public long MessageCount { get; set; } = 1;
        public List<string> Recipients { get; } = new List<string>();
        /// <summary>When this evidence was observed (the DEFER event, the probe, the NDR), UTC.</summary>
        public DateTime? ObservedAt { get; set; }
        /// <summary>A report's date range (an SMTP TLS report): what it counts was seen in it. Not an arrival: no expiry follows.</summary>
        public DateTime? SeenFrom { get; set; }
        public DateTime? SeenUntil { get; set; }
        /// <summary>When the message arrived (Received, DateReceived, Arrival-Date), UTC.</summary>
        public DateTime? ArrivedAt { get; set; }
        /// <summary>When the evidence says the waiting began, where it gives no arrival (a queue's FirstRetryTime), UTC.</summary>
        public DateTime? FirstDeferredAt { get; set; }
        /// <summary>
        /// A message trace row's MessageTraceId: what joins a Get-MessageTraceDetailV2 row to its Get-MessageTraceV2 row,
        /// which carries the message's arrival (Received).
        /// </summary>
        public string TraceId { get; set; }
        /// <summary>An expiry the evidence states itself (Get-Message ExpirationTime), UTC.</summary>
        public DateTime? ExpiresAt { get; set; }
        public EvidencePlatform Platform { get; set; } = EvidencePlatform.Unknown;
        /// <summary>
        /// Where it was seen (DESIGN.md section 2c): Platform decides how long mail lives, this whose view it is. Readers that
        /// know say so; otherwise the platform tells (an NDR or line from Exchange Online is Microsoft 365's view).
        /// </summary>
        public ObservedFrom ObservedFrom
        {
            get => observedFrom ?? (Platform == EvidencePlatform.ExchangeOnline ? ObservedFrom.Microsoft365
                                  : Platform == EvidencePlatform.ExchangeServer ? ObservedFrom.ExchangeServer : ObservedFrom.None);
            set => observedFrom = value;
        }
        ObservedFrom? observedFrom;

        /// <summary>The vantage of a kind of evidence as <see cref="Source"/> names it (for alerts written before ObservedFrom).</summary>
        public static ObservedFrom VantageOfSource(string source)
        {
            switch ((source ?? "").Trim().ToLowerInvariant())
            {
                case "probe": return ObservedFrom.ThisComputer;
                case "messagetracedetail": case "messagetrace": case "report": case "validation": return ObservedFrom.Microsoft365;
                case "queue": case "message": return ObservedFrom.ExchangeServer;
                case "postfixlog": return ObservedFrom.OtherMta;
                default: return ObservedFrom.None;   // an NDR or a line of text: it depends on who wrote it, which the old alert did not keep
            }
        }
        /// <summary>A probe's egress check (DESIGN.md 2c): Failed means this computer could not reach the internet on the port either.</summary>
        public EgressCheck EgressCheck { get; set; }
        /// <summary>The computer that ran a probe (a probe result, or an alert read back: its names, "A; B").</summary>
        public string ComputerName { get; set; }
        /// <summary>What kind of evidence: "MessageTraceDetail", "MessageTrace", "Queue", "Message", "Report", "Ndr", "Text", "PostfixLog", "Probe", "Validation".</summary>
        public string Source { get; set; }
        /// <summary>The file it was read from (name only); null for objects from the pipeline.</summary>
        public string File { get; set; }
        /// <summary>
        /// A probe result whose target still delivered through another server (TargetStatus Succeeded): that server.
        /// Microsoft 365 would fail over to it, so the failure queues nothing.
        /// </summary>
        public string FailoverServer { get; set; }
        /// <summary>Facts a probe result carries that texts and repairs name (untrusted where they came from a server).</summary>
        public string ConnectorType { get; set; }
        public Responsible Responsible { get; set; }
        public string TlsSettings { get; set; }
        public string TlsDomain { get; set; }
        public string ServerResponse { get; set; }
        public string CertificateSubject { get; set; }
        public string CertificateIssuer { get; set; }
        public string CertificateNames { get; set; }
        public string CertificateErrors { get; set; }
        public string CertificateThumbprint { get; set; }
        /// <summary>A probe's "3 1 1" record of the certificate it was served, and where it probed from.</summary>
        public string ObservedTlsaRecord { get; set; }
        public string ProbedFrom { get; set; }
        /// <summary>A probe's MTA-STS policy domain and the id of its _mta-sts TXT record.</summary>
        public string MtaStsPolicyDomain { get; set; }
        public string MtaStsPolicyId { get; set; }
        public DateTime? CertificateNotAfter { get; set; }
        /// <summary>An alert read back: what it had counted already (null for every other kind of evidence).</summary>
        public PriorAlert Prior { get; set; }
        /// <summary>The raw evidence line (untrusted; sanitised before it is shown).</summary>
        public string Text { get; set; }
    }
}
