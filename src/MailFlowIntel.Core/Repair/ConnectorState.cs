using System;
using System.Collections.Generic;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>The connector as Get-OutboundConnector shows it now.</summary>
    public sealed class ConnectorState
    {
        public string Identity { get; set; }
        public string Name { get; set; }
        /// <summary>OnPremises or Partner; null when it could not be read.</summary>
        public string ConnectorType { get; set; }
        public bool Enabled { get; set; } = true;
        public bool UseMXRecord { get; set; }
        public List<string> SmartHosts { get; } = new List<string>();
        public List<string> RecipientDomains { get; } = new List<string>();
        public string TlsSettings { get; set; }
        public string TlsDomain { get; set; }
        /// <summary>Default, Migrated, HybridWizard (made by the Hybrid Configuration Wizard) or AdminUI; null when not read.</summary>
        public string ConnectorSource { get; set; }
        /// <summary>Used only for mail a transport rule routes to it (RouteMessageOutboundConnector).</summary>
        public bool IsTransportRuleScoped { get; set; }
        /// <summary>Used for recipients in the organisation's accepted domains (OnPremises connectors only).</summary>
        public bool AllAcceptedDomains { get; set; }
        /// <summary>Centralized mail transport: the messages it serves go through the on-premises organisation first.</summary>
        public bool RouteAllMessagesViaOnPremises { get; set; }
        public string SmtpDaneMode { get; set; }
        public string MtaStsMode { get; set; }
        /// <summary>Read from Exchange Online (its TlsSettings are known, empty meaning opportunistic); false when only named.</summary>
        public bool FromExchange { get; set; }
        /// <summary>True only for a connector known to be OnPremises (never for an unknown type).</summary>
        public bool IsOnPremises => string.Equals(ConnectorType, "OnPremises", StringComparison.OrdinalIgnoreCase);
        public bool IsPartner => string.Equals(ConnectorType, "Partner", StringComparison.OrdinalIgnoreCase);
    }
}
