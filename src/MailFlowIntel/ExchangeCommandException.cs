using System;
using System.Management.Automation;

namespace MailFlowIntel
{
    /// <summary>
    /// An error an Exchange Online cmdlet wrote, kept whole: its exception is the InnerException, its category,
    /// reason, FullyQualifiedErrorId and target stay readable here, and the message names the command.
    /// </summary>
    /// <remarks>
    /// <para>How Exchange writes "not found", from real sessions (the message is in the tenant's language, so it is never read):</para>
    /// <list type="bullet">
    /// <item>Remote PowerShell (and the on-premises shell): category NotSpecified, reason ManagementObjectNotFoundException,
    /// FullyQualifiedErrorId "[Server=…,RequestId=…,TimeStamp=…] [FailureCategory=Cmdlet-ManagementObjectNotFoundException]
    /// 8288830C,Microsoft.Exchange.Management.SystemConfigurationTasks.GetMailboxServer"
    /// (https://github.com/dpaulson45/HealthChecker/issues/213); the exception, once deserialized, is
    /// Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException
    /// (https://github.com/PowerShell/PowerShell/issues/19793).</item>
    /// <item>ExchangeOnlineManagement v3 (REST, the tmpEXO_* module): category NotSpecified, reason
    /// ManagementObjectNotFoundException, but a FullyQualifiedErrorId of "[Server=…,RequestId=…,TimeStamp=…],Write-ErrorMessage"
    /// with no FailureCategory (https://github.com/timmcmic/DLConversionV2/issues/130).</item>
    /// </list>
    /// <para>So "not found" is any of the three: the exception's type name (any namespace, inner exceptions too), the
    /// reason, or the FullyQualifiedErrorId naming ManagementObjectNotFoundException.</para>
    /// <para>What the admin sees: our ErrorRecord keeps our FullyQualifiedErrorId (ConnectorNotReadable, RepairFailed…),
    /// so scripts that catch ours keep working, but takes Exchange's category when Exchange gave one (PermissionDenied…)
    /// and ours when Exchange said NotSpecified, which it does for almost everything; Exchange's category, reason and id
    /// are in the message, and whole in <see cref="ExchangeError"/> and <see cref="ExchangeErrorId"/>.</para>
    /// </remarks>
    public sealed class ExchangeCommandException : RuntimeException
    {
        const string NotFoundName = "ManagementObjectNotFoundException";

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
        public bool IsNotFound
        {
            get
            {
                for (Exception e = ExchangeError.Exception; e != null; e = e.InnerException)
                    if (e.GetType().Name == NotFoundName) return true;
                return string.Equals(ExchangeReason, NotFoundName, StringComparison.Ordinal)
                       || (ExchangeErrorId ?? "").IndexOf(NotFoundName, StringComparison.OrdinalIgnoreCase) >= 0;
            }
        }

        /// <summary>Exchange's category when it said one, else ours.</summary>
        public ErrorCategory CategoryOr(ErrorCategory ours) =>
            ExchangeCategory == ErrorCategory.NotSpecified ? ours : ExchangeCategory;

        /// <summary>Our ErrorRecord for an exception from <see cref="ExchangeOnlineCommands.Invoke"/>: our id; Exchange's category if it gave one.</summary>
        internal static ErrorRecord Record(Exception ex, string errorId, ErrorCategory ours, object target) =>
            new ErrorRecord(ex, errorId, ex is ExchangeCommandException e ? e.CategoryOr(ours) : ours, target);

        // "Set-OutboundConnector failed (NotSpecified: ADOperationException, [Server=…] [FailureCategory=…] …): <Exchange's message>"
        static string Describe(string commandName, ErrorRecord error)
        {
            if (error == null) return $"{commandName} failed.";
            string reason = string.IsNullOrEmpty(error.CategoryInfo.Reason) ? "" : ": " + error.CategoryInfo.Reason;
            return $"{commandName} failed ({error.CategoryInfo.Category}{reason}, {error.FullyQualifiedErrorId}): {error}";
        }
    }
}
