using System;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// An error for the admin, in engine terms; the command makes it an ErrorRecord. An Exchange error stays inside
    /// <see cref="Exception"/> (an ExchangeSessionException, as cause or as the exception itself); a "not found" is a
    /// KeyNotFoundException, which the command turns into PowerShell's ItemNotFoundException.
    /// </summary>
    public sealed class RepairError
    {
        public RepairError(Exception exception, string id, string category, object target)
        {
            Exception = exception;
            Id = id;
            Category = category;
            Target = target;
        }

        public Exception Exception { get; }
        /// <summary>A literal PascalCase id (ConnectorNotFound, RepairFailed...).</summary>
        public string Id { get; }
        /// <summary>The ErrorCategory by name: Exchange's own when it gave one other than NotSpecified.</summary>
        public string Category { get; }
        public object Target { get; }
    }
}
