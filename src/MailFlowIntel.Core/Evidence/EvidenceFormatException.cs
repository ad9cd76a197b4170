using System;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>A piece of evidence (a file, a row) that cannot be read: says what and where, so the admin can find it.</summary>
    public sealed class EvidenceFormatException : Exception
    {
        public EvidenceFormatException(string message, long line = 0, Exception inner = null) : base(message, inner) { Line = line; }
        /// <summary>1-based line (or record) number where the problem was found; 0 when it does not apply.</summary>
        public long Line { get; }
    }
}
