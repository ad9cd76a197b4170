namespace MailFlowIntel.Core.Repair
{
    /// <summary>One check before -Decommissioned acts, and what it found: a line of the plan.</summary>
    internal sealed class CheckFinding
    {
        /// <summary>CheckAcceptedDomains, CheckMx, CheckMailUsers, CheckConnectorSource, CheckObservedFrom.</summary>
        public string Action { get; set; }
        public string Target { get; set; }
        public CheckOutcome Outcome { get; set; }
        /// <summary>What the check is for.</summary>
        public string Why { get; set; }
        /// <summary>What it found, in the run's language (tenant names cleaned).</summary>
        public string Found { get; set; }
        /// <summary>The command that shows it again.</summary>
        public string Command { get; set; }

        public bool Blocks => Outcome != CheckOutcome.Passed;
    }
}
