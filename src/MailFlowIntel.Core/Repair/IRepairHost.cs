namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// What <see cref="RepairRunner"/> asks of the command that runs it: consent before each change (ShouldProcess), and
    /// a place to write actions, errors and verbose lines. Only the pipeline thread calls these.
    /// </summary>
    public interface IRepairHost
    {
        /// <summary>Asks before a change: Yes to make it, WhatIf to show it only, No when the admin declined.</summary>
        Consent Ask(string description, string question);
        void Write(RepairAction action);
        void Error(RepairError error);
        void Verbose(string text);
        /// <summary>The command is being stopped (Ctrl+C): start nothing new.</summary>
        bool Stopping { get; }
    }
}
