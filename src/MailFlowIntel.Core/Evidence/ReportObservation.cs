using System;
using System.Collections.Generic;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>What one policy of a TLS report says as a whole: successes too, which resolve nothing alone but are an observation for a baseline.</summary>
    public sealed class ReportObservation
    {
        public string PolicyDomain { get; set; }
        public bool Microsoft365 { get; set; }
        public DateTime? From { get; set; }
        public DateTime? Until { get; set; }
        public long SuccessfulSessions { get; set; }
        public long FailedSessions { get; set; }
        public IReadOnlyList<string> FailedHosts { get; set; }
        /// <summary>The policy's mx patterns (an MTA-STS policy's mx: lines), which name the hosts the report speaks of.</summary>
        public IReadOnlyList<string> Mx { get; set; }
    }
}
