using System;
using System.Management.Automation;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel
{
    /// <summary>The engine's <see cref="IRepairHost"/> as a cmdlet: ShouldProcess, WriteObject, WriteError, WriteVerbose.</summary>
    /// <remarks>A class of its own, not the cmdlet: PowerShell reflects over cmdlets at import, before the engine can load.</remarks>
    internal sealed class CmdletRepairHost : IRepairHost
    {
        readonly PSCmdlet cmdlet;

        public CmdletRepairHost(PSCmdlet cmdlet) => this.cmdlet = cmdlet;

        public Consent Ask(string description, string question)
        {
            if (cmdlet.ShouldProcess(description, question, "Repair-ConnectorConfig", out ShouldProcessReason reason)) return Consent.Yes;
            return reason == ShouldProcessReason.WhatIf ? Consent.WhatIf : Consent.No;
        }

        public void Write(RepairAction action) => cmdlet.WriteObject(action);

        public void Error(RepairError error)
        {
            ErrorCategory category = Enum.TryParse(error.Category, out ErrorCategory parsed) ? parsed : ErrorCategory.NotSpecified;
            cmdlet.WriteError(new ErrorRecord(ExchangeCommandException.FromEngine(error.Exception), error.Id, category, error.Target));
        }

        public void Verbose(string text) => cmdlet.WriteVerbose(text);

        public bool Stopping => cmdlet.Stopping;
    }
}
