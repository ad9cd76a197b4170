using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Globalization;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Commands
{
    /// <summary>
    /// Turns alerts and probe results into repair actions: the changes Exchange Online cmdlets can make run under
    /// ShouldProcess, each with its rollback; the rest are spelled out as manual steps for this case. A thin binder: the
    /// engine's <see cref="RepairRunner"/> reads the tenant (through the session), plans and carries the plan out.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "ConnectorConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType("MailFlowIntel.RepairAction")]
    public sealed class RepairConnectorConfigCommand : ProbingCmdlet, IDisposable
    {
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string Code { get; set; }

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Identity")]
        [AllowNull, AllowEmptyString]
        public string Connector { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyCollection]
        [ArgumentCompleter(typeof(ReasonCompleter))]
        public string[] Reason { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(ConnectorTypeCompleter))]
        public string ConnectorType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string Responsible { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string DestinationServer { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("IPAddress")]
        [AllowNull, AllowEmptyString]
        public string LastAttemptedIP { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string CertificateSubject { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string CertificateNames { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string CertificateErrors { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public DateTime? CertificateNotAfter { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string CertificateThumbprint { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string CertificateIssuer { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string ObservedTlsaRecord { get; set; }

        /// <summary>An alert's Change against a baseline: a Resolved alert is history, not a failure to repair.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string Change { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string ProbedFrom { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string MtaStsPolicyDomain { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string MtaStsPolicyId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string ServerResponse { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string Detail { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string FailoverServer { get; set; }

        [Parameter]
        public SwitchParameter Decommissioned { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] AcceptedDomain { get; set; }

        /// <summary>-Decommissioned acts even when its checks say on-premises mail may be in use (never without the confirmation).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter AdoptCertificateName { get; set; }

        [Parameter]
        public SwitchParameter Verify { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] ValidationRecipient { get; set; }

        // -Undo is a switch rather than a parameter set of its own: a set whose InputObject binds by value would capture
        // every piped result and alert, whose parameters here bind by property name.
        /// <summary>Undo applied actions, re-planned from the tenant's live values (stored command text is never run).</summary>
        [Parameter]
        public SwitchParameter Undo { get; set; }

        /// <summary>The piped object; with -Undo, an action to undo (live, from Import-Clixml or Import-Csv).</summary>
        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public PSObject InputObject { get; set; }

        readonly List<PSObject> toUndo = new List<PSObject>();
        RepairRunner runner;
        RepairOptions options;
        CancellationTokenSource cancel;

        protected override void BeginProcessing()
        {
            cancel = new CancellationTokenSource();
            Language language = Languages.From(CultureInfo.CurrentUICulture);   // once per call, on the pipeline thread
            if (Undo && (Decommissioned || AdoptCertificateName || Verify || AcceptedDomain != null || ValidationRecipient != null))
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(Messages.UndoOnly.In(language)), "UndoWithRepairOptions", ErrorCategory.InvalidArgument, null));
            ProbeOptions probeOptions = BuildProbeOptions();
            probeOptions.Language = language;
            IExchangeSession session = FindExchangeSession();
            options = new RepairOptions
            {
                Decommissioned = Decommissioned,
                Force = Force,
                AdoptCertificateName = AdoptCertificateName,
                AcceptedDomains = AcceptedDomain ?? Array.Empty<string>(),
                Prefix = session?.Connection.Prefix ?? "",
                Language = language,
            };
            if (session == null) WriteWarning(Messages.NoExchangeOnline.In(language));
            else if (!new ExchangeTenant(session).CanChangeConnectors)
                WriteWarning(string.Format(CultureInfo.InvariantCulture, Messages.ReadOnlyExchangeOnline.In(language), session.Connection.Describe(language), $"Set-{options.Prefix}OutboundConnector"));
            runner = new RepairRunner(session, options, probeOptions, new CmdletRepairHost(this), cancel.Token)
            {
                Verify = Verify,
                ValidationRecipients = ValidationRecipient,
            };
        }

        protected override void StopProcessing() => cancel?.Cancel();

        protected override void EndProcessing()
        {
            // The last change first: a dependent step (the domain made Authoritative) goes back before its prerequisite.
            if (Undo)
                for (int i = toUndo.Count - 1; i >= 0 && !Stopping; i--) UndoOne(toUndo[i]);
        }

        public void Dispose() => cancel?.Dispose();

        void UndoOne(PSObject item)
        {
            string status = Property(item, "Status");
            if (!string.Equals(status, "Applied", StringComparison.OrdinalIgnoreCase) && status != ((long)RepairStatus.Applied).ToString(CultureInfo.InvariantCulture))
            {
                WriteVerbose($"{Property(item, "Action")} {Property(item, "Target")}: status {status ?? "none"}, nothing was changed, nothing to undo.");
                return;
            }
            var applied = new RepairAction
            {
                Code = Property(item, "Code"), Connector = Property(item, "Connector"), Action = Property(item, "Action"), Target = Property(item, "Target"),
                DestinationServer = Property(item, "DestinationServer"), Setting = Property(item, "Setting"), Organization = Property(item, "Organization"),
                OldValue = Property(item, "OldValue") ?? "", NewValue = Property(item, "NewValue"), Status = RepairStatus.Applied,
            };
            if (Enum.TryParse(Property(item, "Reason") ?? "", true, out MailFlowIntel.Reason reason)) applied.Reason = reason;
            if (Enum.TryParse(Property(item, "Responsible") ?? "", true, out Responsible who)) applied.Responsible = who;
            runner.Undo(applied);
        }

        /// <summary>A property of a piped object as text (live, deserialized, or an Import-Csv row); null when empty.</summary>
        static string Property(PSObject o, string name)
        {
            object v = o.Properties[name]?.Value;
            if (v is PSObject p) v = p.BaseObject is ValueType && p.TypeNames.Any(t => t == "Deserialized.System.Enum") ? p.ToString() : p.BaseObject;
            string s = v?.ToString();
            return string.IsNullOrEmpty(s) ? null : s;
        }

        protected override void ProcessRecord()
        {
            if (Undo)
            {
                if (InputObject != null) toUndo.Add(InputObject);   // undone last first, at the end
                return;
            }
            if (InputObject?.BaseObject is string text && !MyInvocation.BoundParameters.ContainsKey(nameof(Code)))
            {
                WriteError(new ErrorRecord(new ArgumentException(string.Format(CultureInfo.InvariantCulture, Messages.StringPiped.In(options.Language), text)),
                    "StringPiped", ErrorCategory.InvalidArgument, text));
                return;
            }
            var input = new RepairInput
            {
                Code = Code, Change = Change, Organization = InputObject == null ? null : Property(InputObject, "Organization"),
                Connector = NullIfEmpty(Connector), DestinationServer = NullIfEmpty(DestinationServer), ConnectorType = NullIfEmpty(ConnectorType),
                LastAttemptedIP = NullIfEmpty(LastAttemptedIP), CertificateSubject = NullIfEmpty(CertificateSubject),
                CertificateNames = NullIfEmpty(CertificateNames), CertificateErrors = NullIfEmpty(CertificateErrors),
                CertificateNotAfter = CertificateNotAfter, CertificateThumbprint = NullIfEmpty(CertificateThumbprint),
                CertificateIssuer = NullIfEmpty(CertificateIssuer), ObservedTlsaRecord = NullIfEmpty(ObservedTlsaRecord), ProbedFrom = NullIfEmpty(ProbedFrom),
                MtaStsPolicyDomain = NullIfEmpty(MtaStsPolicyDomain), MtaStsPolicyId = NullIfEmpty(MtaStsPolicyId),
                ServerResponse = NullIfEmpty(ServerResponse), Detail = NullIfEmpty(Detail), FailoverServer = NullIfEmpty(FailoverServer),
            };
            if (Enum.TryParse(NullIfEmpty(Responsible) ?? "", true, out Responsible who)) input.Responsible = who;
            // Where piped evidence was seen (a result's or an alert's ObservedFrom, by name or number; an alert saved before
            // ObservedFrom existed, by its Source); the admin's own -Connector and -Code, with nothing piped, are their statement.
            input.Piped = InputObject != null;
            if (input.Piped && RepairInput.VantageOf(Property(InputObject, "ObservedFrom"), Property(InputObject, "Source")) is ObservedFrom seen && seen != ObservedFrom.None)
                input.ObservedFrom = seen;
            // A Reason bound from a result ("CertificateExpired", or its number once deserialized) or an alert ("A; B"); free
            // text from files written before RepairAction had Rationale is not a Reason and is passed over.
            foreach (string name in (Reason ?? Array.Empty<string>()).SelectMany(r => (r ?? "").Split(';')).Select(r => r.Trim()))
                if (Enum.TryParse(name, true, out MailFlowIntel.Reason reason) && Enum.IsDefined(typeof(MailFlowIntel.Reason), reason))
                    input.Reasons.Add(reason);
            runner.Plan(input);
        }

        static string NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    }
}
