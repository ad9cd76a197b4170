using System;
using System.Collections.Generic;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// What an alert read back (from its own CSV, Clixml, a job or the pipeline) already counted: grouping adds it as a
    /// whole, never as one message, so yesterday's alert keeps its counts, times and severity.
    /// </summary>
    public sealed class PriorAlert
    {
        public long MessageCount { get; set; }
        public long RecipientCount { get; set; }
        public long EvidenceCount { get; set; } = 1;
        public DateTime? FirstSeen { get; set; }
        public DateTime? LastSeen { get; set; }
        public DateTime? ExpiresAt { get; set; }
        public ExpiryBasis? ExpiresFrom { get; set; }
        /// <summary>
        /// Written before the severity table weighed time (the alert has no ExpiresFrom column): its Severity followed the
        /// older rule, so a baseline does not compare it (DESIGN.md 2c: no change from an upgrade alone).
        /// </summary>
        public bool OlderSeverityRule { get; set; }
        /// <summary>
        /// Written before ObservedFrom existed (no such column): whatever resolved it then resolves it now, so the first run
        /// after the upgrade changes nothing by the vantage rules alone (DESIGN.md 2c).
        /// </summary>
        public bool OlderVantageRule { get; set; }
        public bool Expired { get; set; }
        public AlertSeverity Severity { get; set; }
        /// <summary>Every scenario the alert named (its Reason, "A; B").</summary>
        public List<Scenario> Scenarios { get; } = new List<Scenario>();
        /// <summary>Every spelling it had seen (its RawCode, "450 4.4.317 ...; 450 4.7.320").</summary>
        public List<string> RawCodes { get; } = new List<string>();
        public List<string> Sources { get; } = new List<string>();
    }
}
