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
        /// <summary>Read from Exchange Online (its TlsSettings are known, empty meaning opportunistic); false when only named.</summary>
        public bool FromExchange { get; set; }
        /// <summary>True only for a connector known to be OnPremises (never for an unknown type).</summary>
        public bool IsOnPremises => string.Equals(ConnectorType, "OnPremises", StringComparison.OrdinalIgnoreCase);
        public bool IsPartner => string.Equals(ConnectorType, "Partner", StringComparison.OrdinalIgnoreCase);
    }
}
