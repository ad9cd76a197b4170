using System;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>
    /// How urgent an alert is, from how much mail waits and how long it has left before it bounces: one ordered table,
    /// the first row that matches wins. Get-Help Get-MailFlowAlert shows the same rows under SEVERITY; keep them together.
    /// Microsoft documents no such table; the rows are our choice, tested in SeverityTableTests.
    /// </summary>
    public static class SeverityTable
    {
        /// <summary>Mail with this little time left before it expires is High: it bounces within a working shift.</summary>
        public static readonly TimeSpan ExpiresSoon = TimeSpan.FromHours(4);

        /// <summary>This many waiting messages are High whatever time they have left.</summary>
        public const long ManyMessages = 100;

        /// <param name="messages">Distinct messages waiting (0 for a probe's prediction).</param>
        /// <param name="timeLeft">ExpiresAt minus the -AsOf moment; null when the alert has no ExpiresAt.</param>
        /// <param name="expired">Mail of the alert has expired already.</param>
        /// <param name="queuedOverAnHour">Messages known to have waited over an hour.</param>
        /// <param name="threshold">-Threshold: Microsoft 365's own queue alert counts messages waiting over an hour (200 by default).</param>
        /// <param name="pending">Message trace rows with the status Pending and no reason.</param>
        /// <param name="failoverOnly">Only probes of targets that still delivered through another server.</param>
        public static AlertSeverity Of(long messages, TimeSpan? timeLeft, bool expired, long queuedOverAnHour, int threshold, bool pending, bool failoverOnly)
        {
            if (failoverOnly) return AlertSeverity.Low;                                  // 1. nothing queues: Microsoft 365 moves on
            if (expired) return AlertSeverity.High;                                      // 2. mail has bounced already
            if (timeLeft != null && timeLeft.Value <= ExpiresSoon) return AlertSeverity.High;   // 3. mail bounces within 4 hours
            if (messages >= ManyMessages) return AlertSeverity.High;                     // 4. 100 messages or more wait
            if (queuedOverAnHour >= threshold) return AlertSeverity.High;                // 5. Microsoft 365's own alert would fire
            if (pending) return AlertSeverity.Low;                                       // 6. no reason known yet
            return AlertSeverity.Medium;                                                 // 7. fewer messages with time left, or a probe's prediction
        }
    }
}
