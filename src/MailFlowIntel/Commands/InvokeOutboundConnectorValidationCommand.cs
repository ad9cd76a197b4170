using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Commands
{
    /// <summary>
    /// Microsoft 365's own test of outbound connectors: Validate-OutboundConnector for each piped or named connector, its
    /// output read into results seen from Microsoft 365. It sends real mail, so it asks first (ShouldProcess), and it never
    /// sends to a recipient outside the connector's domains. A thin binder: <see cref="ConnectorValidation"/> does the work.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "OutboundConnectorValidation", DefaultParameterSetName = PipedSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType("MailFlowIntel.ConnectorDeliveryResult")]   // by name, so reflection here never loads the engine early
    public sealed class InvokeOutboundConnectorValidationCommand : ExchangeCmdlet
    {
        const string PipedSet = "Piped", NamedSet = "Named", Caption = "Invoke-OutboundConnectorValidation";

        /// <summary>Connectors by name or identity, read from the tenant.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NamedSet)]
        [ValidateNotNullOrEmpty]
        public string[] Connector { get; set; }

        /// <summary>A Get-OutboundConnector object, a result or an alert (its Connector), or a connector's name.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipedSet)]
        public PSObject InputObject { get; set; }

        /// <summary>Where Microsoft 365 sends the test messages: addresses in the connector's domains.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string[] ValidationRecipient { get; set; }

        /// <summary>After a run where every task succeeded: Set-OutboundConnector -IsValidated $true -LastValidationTimestamp.</summary>
        [Parameter]
        public SwitchParameter MarkValidated { get; set; }

        ConnectorValidation validation;
        // The UI culture read once, on the pipeline thread. Not the engine's Language: a field of an engine value type would
        // load the engine when PowerShell reflects over this class at import, before ModuleInit can serve it.
        CultureInfo culture;
        readonly HashSet<string> done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        protected override void BeginProcessing()
        {
            culture = CultureInfo.CurrentUICulture;
            Language language = Languages.From(culture);
            foreach (string recipient in ValidationRecipient)
                if (ConnectorValidation.DomainOf(recipient) == null)
                    Terminate(new ArgumentException(Say(ValidationMessages.NotAnAddress, Untrusted.Clean(recipient))), "InvalidValidationRecipient", ErrorCategory.InvalidArgument, recipient);
            IExchangeSession session = FindExchangeSession();
            if (session == null)
                Terminate(new InvalidOperationException(ValidationMessages.SessionRequired.In(language)), "ExchangeOnlineSessionRequired", ErrorCategory.ResourceUnavailable, null);
            validation = new ConnectorValidation(session, ValidationRecipient, language);
            string who = session.Connection.Describe(language);
            if (!validation.CanValidate)
                Terminate(new InvalidOperationException(Say(ValidationMessages.CannotValidate, who, $"Validate-{validation.Prefix}OutboundConnector")),
                    "ValidateOutboundConnectorNotAvailable", ErrorCategory.PermissionDenied, who);
            if (MarkValidated && !validation.CanMarkValidated)
                Terminate(new InvalidOperationException(Say(ValidationMessages.CannotMark, who, $"Set-{validation.Prefix}OutboundConnector")),
                    "MarkValidatedNotAvailable", ErrorCategory.PermissionDenied, who);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == NamedSet)
            {
                foreach (string name in Connector) ValidateOne(ValidationTarget.Named(name), name);
                return;
            }
            if (InputObject?.BaseObject is string text)
            {
                ValidateOne(ValidationTarget.Named(text), text);
                return;
            }
            ValidationTarget piped = InputObject == null ? null : ValidationTarget.FromProperties(PipelineRows.Of(InputObject));
            if (piped == null)
            {
                WriteError(new ErrorRecord(new ArgumentException(Say(ValidationMessages.NoConnectorNamed, PipelineRows.Describe(InputObject))),
                    "NoConnectorNamed", ErrorCategory.InvalidArgument, InputObject));
                return;
            }
            ValidateOne(piped, InputObject);
        }

        void ValidateOne(ValidationTarget given, object input)
        {
            if (given == null || Stopping) return;
            ValidationTarget target;
            try { target = validation.Complete(given); }
            catch (ExchangeSessionException ex)
            {
                WriteError(new ErrorRecord(ExchangeCommandException.FromEngine(ex), "ConnectorNotReadable", CategoryOf(ex, ErrorCategory.ReadError), input));
                return;
            }
            if (target == null)
            {
                WriteError(new ErrorRecord(new ItemNotFoundException(Say(ValidationMessages.ConnectorNotFound, Untrusted.Clean(given.Label))),
                    "ConnectorNotFound", ErrorCategory.ObjectNotFound, input));
                return;
            }
            // One validation per connector and run: many alerts of one connector piped in send one set of test messages.
            if (done.Contains(target.IdentityForCall) || done.Contains(target.Label))
            {
                WriteVerbose($"'{Untrusted.Clean(target.Label)}' was validated already in this run.");
                return;
            }
            done.Add(target.IdentityForCall);
            done.Add(target.Label);

            IReadOnlyList<string> outside;
            try { outside = validation.Outside(target); }
            catch (ExchangeSessionException ex)
            {
                WriteError(new ErrorRecord(ExchangeCommandException.FromEngine(ex), "AcceptedDomainsNotReadable", CategoryOf(ex, ErrorCategory.ReadError), input));
                return;
            }
            if (outside.Count > 0)
            {
                string domains = target.RecipientDomains.Count > 0 ? string.Join(", ", target.RecipientDomains) : Say(ValidationMessages.NoDomains);
                if (target.AllAcceptedDomains) domains += " " + Say(ValidationMessages.AcceptedDomainsToo);
                foreach (string recipient in outside)
                    WriteError(new ErrorRecord(new ArgumentException(Say(ValidationMessages.OutsideConnector, Untrusted.Clean(recipient), Untrusted.Clean(target.Label), Untrusted.Clean(domains))),
                        "ValidationRecipientOutsideConnector", ErrorCategory.InvalidArgument, recipient));
                return;
            }

            string command = validation.ValidateCommand(target);
            string label = Untrusted.Clean(target.Label);
            if (!ShouldProcess(Say(ValidationMessages.SendTestMessages, command), Say(ValidationMessages.SendTestMessages, command), Caption)) return;
            List<ConnectorDeliveryResult> results;
            try { results = validation.Run(target); }
            catch (ExchangeSessionException ex)
            {
                WriteError(new ErrorRecord(ExchangeCommandException.FromEngine(ex), "ConnectorValidationFailed", CategoryOf(ex, ErrorCategory.InvalidOperation), input));
                return;
            }
            foreach (ConnectorDeliveryResult r in results) WriteObject(r);

            if (!MarkValidated) return;
            if (!ConnectorValidation.FullySucceeded(results))
            {
                WriteWarning(Say(ValidationMessages.NotMarked, label));
                return;
            }
            DateTime at = DateTime.UtcNow;
            string mark = validation.MarkCommand(target, at);
            if (!ShouldProcess(Say(ValidationMessages.RecordValidation, mark), Say(ValidationMessages.RecordValidation, mark), Caption)) return;
            try
            {
                validation.MarkValidated(target, at);
                WriteVerbose($"{mark}: done.");
            }
            catch (ExchangeSessionException ex)
            {
                WriteError(new ErrorRecord(ExchangeCommandException.FromEngine(ex), "MarkValidatedFailed", CategoryOf(ex, ErrorCategory.WriteError), input));
            }
        }

        static ErrorCategory CategoryOf(ExchangeSessionException ex, ErrorCategory ours) =>
            Enum.TryParse(ex.CategoryOr(ours.ToString()), out ErrorCategory c) ? c : ours;

        string Say(Phrase phrase, params object[] values) => string.Format(CultureInfo.InvariantCulture, phrase.In(Languages.From(culture)), values);
    }
}
