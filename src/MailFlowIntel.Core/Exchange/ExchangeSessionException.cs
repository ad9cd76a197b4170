using System;

namespace MailFlowIntel.Core.Exchange
{
    /// <summary>
    /// An Exchange cmdlet failed: what it said, in engine terms. The session keeps Exchange's own error object whole in
    /// <see cref="Original"/> (the cmdlet assembly's ErrorRecord), for the caller that made the session.
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
    /// </remarks>
    public sealed class ExchangeSessionException : Exception
    {
        const string NotFoundName = "ManagementObjectNotFoundException";

        /// <param name="commandName">The cmdlet as called, with its prefix.</param>
        /// <param name="category">Exchange's error category by name (NotSpecified, PermissionDenied...).</param>
        /// <param name="reason">Its category reason (often the exception's type name).</param>
        /// <param name="errorId">Its FullyQualifiedErrorId.</param>
        /// <param name="text">What it said.</param>
        /// <param name="exchangeException">Its exception (becomes the InnerException).</param>
        /// <param name="original">Its whole error object, kept for the caller.</param>
        public ExchangeSessionException(string commandName, string category, string reason, string errorId, string text, Exception exchangeException, object original)
            : base(Describe(commandName, category, reason, errorId, text), exchangeException)
        {
            CommandName = commandName;
            Category = string.IsNullOrEmpty(category) ? "NotSpecified" : category;
            Reason = reason ?? "";
            ErrorId = errorId ?? "";
            Original = original;
        }

        public string CommandName { get; }
        public string Category { get; }
        public string Reason { get; }
        public string ErrorId { get; }
        public object Original { get; }

        /// <summary>Exchange could not find the object it was asked for (by type or id, never by wording).</summary>
        public bool IsNotFound => IsNotFoundError(InnerException, Reason, ErrorId);

        /// <summary>The one test of "not found": the exception's type (inner ones too), the reason, or the id naming it.</summary>
        public static bool IsNotFoundError(Exception exchangeException, string reason, string errorId)
        {
            for (Exception e = exchangeException; e != null; e = e.InnerException)
                if (e.GetType().Name == NotFoundName) return true;
            return string.Equals(reason, NotFoundName, StringComparison.Ordinal)
                   || (errorId ?? "").IndexOf(NotFoundName, StringComparison.OrdinalIgnoreCase) >= 0;
        }

        /// <summary>Exchange's category when it said one, else ours: it says NotSpecified for almost everything.</summary>
        public string CategoryOr(string ours) => Category == "NotSpecified" ? ours : Category;

        // "Set-OutboundConnector failed (NotSpecified: ADOperationException, [Server=…] [FailureCategory=…] …): <Exchange's message>"
        static string Describe(string commandName, string category, string reason, string errorId, string text)
        {
            if (category == null && errorId == null && text == null) return $"{commandName} failed.";
            string because = string.IsNullOrEmpty(reason) ? "" : ": " + reason;
            return $"{commandName} failed ({category ?? "NotSpecified"}{because}, {errorId}): {text}";
        }
    }
}
