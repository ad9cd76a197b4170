namespace MailFlowIntel.Core.Repair
{
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
