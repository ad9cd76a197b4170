using System;
using System.Threading;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// A deadline for the current step that, when it passes, runs an action (closing the socket).
    /// Closing is the one way to stop every blocking read and a TLS handshake that takes no CancellationToken.
    /// </summary>
    internal sealed class StepDeadline : IDisposable
    {
        readonly Timer timer;
        readonly TimeSpan limit;
        int fired;

        public StepDeadline(TimeSpan limit, Action onExpired)
        {
            this.limit = limit;
            timer = new Timer(_ => { if (Interlocked.Exchange(ref fired, 1) == 0) onExpired(); });
        }

        public bool Fired => Volatile.Read(ref fired) == 1;

        /// <summary>Starts the clock again for a new step.</summary>
        public void Restart()
        {
            if (!Fired) timer.Change(limit, System.Threading.Timeout.InfiniteTimeSpan);
        }

        public void Stop() => timer.Change(System.Threading.Timeout.Infinite, System.Threading.Timeout.Infinite);

        public void Dispose() => timer.Dispose();
    }
}
