using System;
using System.Collections.Generic;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>What failed, as an alert or a probe result says it.</summary>
    public sealed class RepairInput
    {
        public string Code { get; set; }
        public string Connector { get; set; }
        public string DestinationServer { get; set; }
        public string LastAttemptedIP { get; set; }
        public string CertificateSubject { get; set; }
        public string CertificateNames { get; set; }
        public string CertificateErrors { get; set; }
        public DateTime? CertificateNotAfter { get; set; }
        public string Detail { get; set; }
        /// <summary>The target still delivered through this server (failover): a reason to change nothing automatically.</summary>
        public string FailoverServer { get; set; }
    }

    /// <summary>The connector as Get-OutboundConnector shows it now.</summary>
    public sealed class ConnectorState
    {
        public string Identity { get; set; }
        public string Name { get; set; }
        /// <summary>OnPremises or Partner.</summary>
        public string ConnectorType { get; set; }
        public bool Enabled { get; set; } = true;
        public bool UseMXRecord { get; set; }
        public List<string> SmartHosts { get; } = new List<string>();
        public List<string> RecipientDomains { get; } = new List<string>();
        public string TlsSettings { get; set; }
        public string TlsDomain { get; set; }
        public bool IsOnPremises => string.Equals(ConnectorType, "OnPremises", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An accepted domain as Get-AcceptedDomain shows it now.</summary>
    public sealed class AcceptedDomainState
    {
        public string Identity { get; set; }
        public string DomainName { get; set; }
        /// <summary>Authoritative, InternalRelay or ExternalRelay.</summary>
        public string DomainType { get; set; }
    }

    /// <summary>What a fresh probe of the connector's own smart hosts learned of the certificate.</summary>
    public sealed class FreshCertificate
    {
        public string Host { get; set; }
        public IReadOnlyList<string> Names { get; set; } = Array.Empty<string>();
        /// <summary>Dates and chain good (the name aside): the only kind of certificate whose name may be adopted.</summary>
        public bool ValidAndTrusted { get; set; }
        public string Errors { get; set; }
    }

    public sealed class RepairOptions
    {
        /// <summary>The destination was retired on purpose (-Decommissioned).</summary>
        public bool Decommissioned { get; set; }
        /// <summary>A 4.7.320 name mismatch may be fixed by setting TlsDomain to a name the certificate carries.</summary>
        public bool AdoptCertificateName { get; set; }
        /// <summary>Accepted domains named by the admin when they cannot be derived from the connector.</summary>
        public IReadOnlyList<string> AcceptedDomains { get; set; } = Array.Empty<string>();
        /// <summary>The noun prefix the Exchange Online cmdlets were imported with (Connect-ExchangeOnline -Prefix).</summary>
        public string Prefix { get; set; } = "";

        /// <summary>The same options with every automatic change switched off.</summary>
        public RepairOptions ManualOnly() => new RepairOptions { AcceptedDomains = AcceptedDomains, Prefix = Prefix };
    }

    /// <summary>A change an Exchange Online cmdlet makes, and the call that undoes it.</summary>
    public sealed class ExchangeChange
    {
        public ExchangeChange(string noun, IDictionary<string, object> parameters, IDictionary<string, object> rollback)
        {
            Noun = noun;
            Parameters = parameters;
            Rollback = rollback;
        }
        /// <summary>"OutboundConnector" or "AcceptedDomain": the cmdlet is Set-{Prefix}{Noun}.</summary>
        public string Noun { get; }
        public IDictionary<string, object> Parameters { get; }
        public IDictionary<string, object> Rollback { get; }
    }

    /// <summary>One step of the plan: the action to report, the change to make (null for manual steps).</summary>
    public sealed class PlannedStep
    {
        public RepairAction Action { get; set; }
        public ExchangeChange Change { get; set; }
        /// <summary>The state already is as wanted: report Skipped, change nothing.</summary>
        public bool AlreadyDone { get; set; }
        /// <summary>The step (by index in the plan) that must be applied first.</summary>
        public int? DependsOn { get; set; }
        /// <summary>The question put to the admin under -Confirm.</summary>
        public string Description { get; set; }
    }
}
