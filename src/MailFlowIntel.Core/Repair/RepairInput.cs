using System;
using System.Collections.Generic;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>What failed, as an alert or a probe result says it.</summary>
    public sealed class RepairInput
    {
        /// <summary>The code in any spelling ("450 4.4.317", "4.4.317", "5.4.317"); the family decides the scenarios to consider.</summary>
        public string Code { get; set; }
        /// <summary>The scenarios named by the input (a result's or an alert's Reason); empty to plan every scenario of the code.</summary>
        public List<Reason> Reasons { get; } = new List<Reason>();
        public string Connector { get; set; }
        /// <summary>OnPremises or Partner as the input says (the connector read from Exchange Online wins over it).</summary>
        public string ConnectorType { get; set; }
        public Responsible Responsible { get; set; }
        public string DestinationServer { get; set; }
        public string LastAttemptedIP { get; set; }
        public string CertificateSubject { get; set; }
        public string CertificateNames { get; set; }
        public string CertificateErrors { get; set; }
        public DateTime? CertificateNotAfter { get; set; }
        public string CertificateThumbprint { get; set; }
        public string ObservedTlsaRecord { get; set; }
        public string ProbedFrom { get; set; }
        public string MtaStsPolicyDomain { get; set; }
        public string MtaStsPolicyId { get; set; }
        public string CertificateIssuer { get; set; }
        public string ServerResponse { get; set; }
        public string Detail { get; set; }
        /// <summary>The target still delivered through this server (failover): a reason to change nothing automatically.</summary>
        public string FailoverServer { get; set; }
        /// <summary>An alert's Change against a baseline ("Resolved" is history, not a failure to repair).</summary>
        public string Change { get; set; }
        /// <summary>The Exchange Online organisation the input came from (its Organization property); empty when not known.</summary>
        public string Organization { get; set; }
        /// <summary>
        /// Where the piped input's failure was seen (its ObservedFrom, DESIGN.md 2c); null when it does not say (a bare -Code,
        /// whose texts are then Microsoft 365's, whose spellings -Code takes).
        /// </summary>
        public ObservedFrom? ObservedFrom { get; set; }
        /// <summary>The input came through the pipeline (evidence, a result, an alert), not from the admin's own -Connector and -Code.</summary>
        public bool Piped { get; set; }
        /// <summary>When the failure was seen (for what to send a partner).</summary>
        public DateTime? SeenAt { get; set; }
        /// <summary>
        /// The vantage of a piped object: its ObservedFrom ("ExchangeServer", "Microsoft365, ThisComputer", or a number once
        /// deserialized), else, for an alert written before ObservedFrom existed, the kinds of evidence its Source names.
        /// </summary>
        public static ObservedFrom VantageOf(string observedFrom, string source)
        {
            if (!string.IsNullOrWhiteSpace(observedFrom) && Enum.TryParse(observedFrom.Trim(), true, out ObservedFrom seen)
                && MailFlowIntel.Core.Text.EnumValues.IsDefined(typeof(ObservedFrom), seen))
                return seen;
            var vantage = MailFlowIntel.ObservedFrom.None;
            foreach (string kind in (source ?? "").Split(';')) vantage |= MailFlowIntel.Core.Evidence.EvidenceRecord.VantageOfSource(kind);
            return vantage;
        }
    }
}
