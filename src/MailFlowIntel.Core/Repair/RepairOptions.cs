using System;
using System.Collections.Generic;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    public sealed class RepairOptions
    {
        /// <summary>The destination was retired on purpose (-Decommissioned).</summary>
        public bool Decommissioned { get; set; }
        /// <summary>-Force: the checks of -Decommissioned do not stop the change (the confirmation is still asked).</summary>
        public bool Force { get; set; }
        /// <summary>A certificate name mismatch may be fixed by setting TlsDomain to a name the certificate carries.</summary>
        public bool AdoptCertificateName { get; set; }
        /// <summary>Accepted domains named by the admin when they cannot be derived from the connector.</summary>
        public IReadOnlyList<string> AcceptedDomains { get; set; } = Array.Empty<string>();
        /// <summary>The noun prefix the Exchange Online cmdlets were imported with (Connect-ExchangeOnline -Prefix).</summary>
        public string Prefix { get; set; } = "";
        public Language Language { get; set; } = Language.English;

        /// <summary>The same options with every automatic change switched off.</summary>
        public RepairOptions ManualOnly() => new RepairOptions { AcceptedDomains = AcceptedDomains, Prefix = Prefix, Language = Language };
    }
}
