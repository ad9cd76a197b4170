using System;
using System.Linq;
using System.Management.Automation;
using MailFlowIntel.Core.Exchange;

namespace MailFlowIntel
{
    /// <summary>
    /// What every cmdlet that reads Exchange Online shares: -Organization and -Prefix, and finding the one session it
    /// works in (DESIGN.md 2d).
    /// </summary>
    public abstract class ExchangeCmdlet : PSCmdlet
    {
        /// <summary>With several Exchange Online connections: the one whose Organization, DelegatedOrganization or TenantID this is.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Organization { get; set; }

        /// <summary>With several Exchange Online connections: the one whose cmdlets carry this noun prefix ('' for none).</summary>
        [Parameter]
        [AllowEmptyString]
        public string Prefix { get; set; }

        /// <summary>
        /// The Exchange Online session this command works in (DESIGN.md 2d); null when there is none. Several connections
        /// without -Organization or -Prefix to pick one, or a pick that matches none, stop the command with an ErrorRecord
        /// that lists them.
        /// </summary>
        protected IExchangeSession FindExchangeSession()
        {
            var language = Core.Catalog.Languages.From(System.Globalization.CultureInfo.CurrentUICulture);
            var found = PowerShellExchangeSession.Discover(InvokeCommand, WriteVerbose);
            string prefix = MyInvocation.BoundParameters.ContainsKey(nameof(Prefix)) ? Prefix ?? "" : null;
            ExchangeSessionChoice choice = ExchangeSessions.Choose(found, Organization, prefix, language);
            if (choice.ErrorId != null)
                Terminate(new InvalidOperationException(choice.Message), choice.ErrorId,
                    Enum.TryParse(choice.Category, out ErrorCategory category) ? category : ErrorCategory.InvalidOperation, choice.Connections.ToArray());
            if (choice.Session is PowerShellExchangeSession session)
                WriteVerbose($"Exchange Online: {session.Connection.Describe(Core.Catalog.Language.English)}, cmdlets {session.Describe()}.");
            return choice.Session;
        }

        protected void Terminate(Exception ex, string id, ErrorCategory category, object target) =>
            ThrowTerminatingError(new ErrorRecord(ex, id, category, target));
    }
}
