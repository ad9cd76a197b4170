using System;
using System.Management.Automation;

namespace MailFlowIntel
{
    /// <summary>
    /// An error an Exchange Online cmdlet wrote, kept whole: its exception is the InnerException, its category,
    /// reason, FullyQualifiedErrorId and target stay readable here, and the message names the command.
    /// </summary>
    /// <remarks>
    /// <para>"Not found" is read by type or id, never by wording (the tenant's language): see ExchangeSessionException in
    /// the engine, whose test this uses.</para>
    /// <para>What the admin sees: our ErrorRecord keeps our FullyQualifiedErrorId (ConnectorNotReadable, RepairFailed…),
    /// so scripts that catch ours keep working, but takes Exchange's category when Exchange gave one (PermissionDenied…)
    /// and ours when Exchange said NotSpecified, which it does for almost everything; Exchange's category, reason and id
    /// are in the message, and whole in <see cref="ExchangeError"/> and <see cref="ExchangeErrorId"/>.</para>
    /// </remarks>
    /// <remarks>
    /// Not derived from the engine's ExchangeSessionException on purpose: PowerShell reads this assembly's public types at
    /// import, before the engine can load.
    /// </remarks>
    public sealed class ExchangeCommandException : RuntimeException
    {

        public ExchangeCommandException(string commandName, ErrorRecord exchangeError)
            : base(Describe(commandName, exchangeError), exchangeError?.Exception)
        {
            CommandName = commandName;
            ExchangeError = exchangeError ?? throw new ArgumentNullException(nameof(exchangeError));
        }

        /// <summary>The cmdlet that failed, as called (with its -Prefix).</summary>
        public string CommandName { get; }

        /// <summary>The ErrorRecord Exchange wrote, as it was.</summary>
        public ErrorRecord ExchangeError { get; }

        public string ExchangeErrorId => ExchangeError.FullyQualifiedErrorId;
        public ErrorCategory ExchangeCategory => ExchangeError.CategoryInfo.Category;
        public string ExchangeReason => ExchangeError.CategoryInfo.Reason;
        public object ExchangeTargetObject => ExchangeError.TargetObject;

        /// <summary>Exchange could not find the object it was asked for (by type or id, never by wording).</summary>
        public bool IsNotFound => Core.Exchange.ExchangeSessionException.IsNotFoundError(ExchangeError.Exception, ExchangeReason, ExchangeErrorId);

        /// <summary>Exchange's category when it said one, else ours.</summary>
        public ErrorCategory CategoryOr(ErrorCategory ours) =>
            ExchangeCategory == ErrorCategory.NotSpecified ? ours : ExchangeCategory;

        /// <summary>
        /// An engine exception as the admin gets it: an Exchange error as this type (its ErrorRecord whole), the engine's
        /// "not found" as PowerShell's ItemNotFoundException, anything else as it is.
        /// </summary>
        internal static Exception FromEngine(Exception ex)
        {
            switch (ex)
            {
                case Core.Exchange.ExchangeSessionException e when e.Original is ErrorRecord record: return new ExchangeCommandException(e.CommandName, record);
                case System.Collections.Generic.KeyNotFoundException k: return new ItemNotFoundException(k.Message, k.InnerException == null ? null : FromEngine(k.InnerException));
                default: return ex;
            }
        }

        // "Set-OutboundConnector failed (NotSpecified: ADOperationException, [Server=…] [FailureCategory=…] …): <Exchange's message>"
        static string Describe(string commandName, ErrorRecord error)
        {
            if (error == null) return $"{commandName} failed.";
            string reason = string.IsNullOrEmpty(error.CategoryInfo.Reason) ? "" : ": " + error.CategoryInfo.Reason;
            return $"{commandName} failed ({error.CategoryInfo.Category}{reason}, {error.FullyQualifiedErrorId}): {error}";
        }
    }
}
