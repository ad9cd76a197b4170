namespace MailFlowIntel
{
    /// <summary>One step of a repair plan: what to do about a failure, whether it ran, and how to undo it.</summary>
    public sealed class RepairAction
    {
        public string Code { get; set; }
        /// <summary>The scenario this step answers (DESIGN.md section 2b).</summary>
        public Reason Reason { get; set; }
        public string Connector { get; set; }
        /// <summary>The Exchange Online organisation the plan was made in: the session's Organization, else its TenantID; empty without a session.</summary>
        public string Organization { get; set; } = "";
        /// <summary>What the step does: DisableConnector, SetAcceptedDomainAuthoritative, SetTlsDomain, AllowFirewall, CheckDns...</summary>
        public string Action { get; set; }
        /// <summary>What it acts on: the connector, an accepted domain, a host.</summary>
        public string Target { get; set; }
        /// <summary>True when the module carries it out with Exchange Online cmdlets; false when a person must.</summary>
        public bool Automatic { get; set; }
        public RepairStatus Status { get; set; }
        /// <summary>The exact PowerShell line that makes the change (or checks it, for manual steps).</summary>
        public string Command { get; set; }
        /// <summary>The line that undoes the change; empty when nothing changes.</summary>
        public string RollbackCommand { get; set; }
        /// <summary>Why this step, for this case (files written before this property existed called it Reason).</summary>
        public string Rationale { get; set; }
        /// <summary>Who must act: the admin, or the partner whose server it is.</summary>
        public Responsible Responsible { get; set; }
        /// <summary>For manual steps: what to do, naming this case's host, address or certificate ("1. ... 2. ...").</summary>
        public string Steps { get; set; }
        /// <summary>The step this one waits for; it is not made when that one is declined or fails.</summary>
        public string DependsOn { get; set; }
        public string DestinationServer { get; set; }
        /// <summary>What happened: an error, a verification result.</summary>
        public string Detail { get; set; }
        /// <summary>For a change: the setting it changes (Enabled, DomainType, TlsDomain), so -Undo can re-plan it from the live state.</summary>
        public string Setting { get; set; }
        /// <summary>The setting's value before the change (empty for none).</summary>
        public string OldValue { get; set; }
        /// <summary>The value the change sets.</summary>
        public string NewValue { get; set; }

        public override string ToString() => $"{Action} {Target} {Status}";
    }
}
