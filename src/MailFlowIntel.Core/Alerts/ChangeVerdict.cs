namespace MailFlowIntel.Core.Alerts
{
    /// <summary>How a baseline alert that this run did not find stands against what this run saw (<see cref="RunCoverage.Judge"/>).</summary>
    public sealed class ChangeVerdict
    {
        /// <summary>The view that raised it shows the fault gone.</summary>
        public bool Resolved { get; set; }
        /// <summary>Why not, in English, for the verbose stream; null when Resolved.</summary>
        public string Why { get; set; }
        /// <summary>What this run saw instead, in the call's language, for the alert's Detail; null when it saw nothing to tell.</summary>
        public string Note { get; set; }
    }
}
