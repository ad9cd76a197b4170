using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Globalization;
using System.Text.RegularExpressions;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Commands
{
    /// <summary>
    /// Turns alerts and probe results into repair actions: the changes Exchange Online cmdlets can make run under
    /// ShouldProcess, each with its rollback; the rest are spelled out as manual steps for this case.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "ConnectorConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType("MailFlowIntel.RepairAction")]
    public sealed class RepairConnectorConfigCommand : ProbingCmdlet
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

        ExchangeOnlineCommands exchange;
        List<AcceptedDomainState> acceptedDomains;
        ProbeOptions probeOptions;
        RepairOptions repairOptions;
        CancellationTokenSource cancel;
        readonly HashSet<string> handled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        readonly HashSet<string> validated = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        // Not a field of the engine's enum type: a value-type field would load the engine while PowerShell reflects over
        // this cmdlet at import, before the module's resolver is in place.
        Language language => repairOptions.Language;

        protected override void BeginProcessing()
        {
            cancel = new CancellationTokenSource();
            Language uiLanguage = Languages.From(CultureInfo.CurrentUICulture);   // once per call, on the pipeline thread
            probeOptions = BuildProbeOptions();
            probeOptions.Language = uiLanguage;
            exchange = ExchangeOnlineCommands.Find(InvokeCommand);
            repairOptions = new RepairOptions
            {
                Decommissioned = Decommissioned,
                AdoptCertificateName = AdoptCertificateName,
                AcceptedDomains = AcceptedDomain ?? Array.Empty<string>(),
                Prefix = exchange?.Prefix ?? "",
                Language = uiLanguage,
            };
            if (Undo && (Decommissioned || AdoptCertificateName || Verify || AcceptedDomain != null || ValidationRecipient != null))
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(Messages.UndoOnly.In(language)), "UndoWithRepairOptions", ErrorCategory.InvalidArgument, null));
            if (exchange == null) WriteWarning(Messages.NoExchangeOnline.In(language));
            else WriteVerbose($"Exchange Online cmdlets found: {exchange.GetConnector.Name} ({exchange.GetConnector.ModuleName}).");
        }

        // A code in any spelling: "450 4.4.316", "4.4.316", "5.4.316", a bare reply code ("421"), or "Pending".
        static readonly Regex CodeShape = new Regex(@"(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])|^\s*[245]\d\d\s*$|^\s*Pending\s*$", RegexOptions.CultureInvariant);

        protected override void StopProcessing() => cancel?.Cancel();

        protected override void EndProcessing()
        {
            // The last change first: a dependent step (the domain made Authoritative) goes back before its prerequisite.
            if (Undo)
                for (int i = toUndo.Count - 1; i >= 0 && !Stopping; i--) UndoOne(toUndo[i]);
        }

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
                DestinationServer = Property(item, "DestinationServer"), Setting = Property(item, "Setting"),
                OldValue = Property(item, "OldValue") ?? "", NewValue = Property(item, "NewValue") ?? "",
            };
            if (Enum.TryParse(Property(item, "Reason") ?? "", true, out MailFlowIntel.Reason reason)) applied.Reason = reason;
            if (Enum.TryParse(Property(item, "Responsible") ?? "", true, out Responsible who)) applied.Responsible = who;
            if (applied.Target == null || UndoPlanner.NounOf(applied.Setting) == null || Property(item, "NewValue") == null)
            {
                WriteError(new ErrorRecord(new System.IO.InvalidDataException(Messages.NotUndoable.In(language)), "NotUndoable", ErrorCategory.InvalidData, item));
                return;
            }
            string current = null;
            if (exchange != null)
            {
                try { current = CurrentValue(applied); }
                catch (Exception ex) when (ex is InvalidOperationException || ex is RuntimeException)
                {
                    WriteError(ExchangeCommandException.Record(ex, "UndoStateNotReadable", ErrorCategory.ReadError, applied.Target));
                    return;
                }
                if (current == null)
                {
                    WriteError(new ErrorRecord(new ItemNotFoundException($"'{applied.Target}' was not found."), "UndoTargetNotFound", ErrorCategory.ObjectNotFound, applied.Target));
                    return;
                }
            }
            PlannedStep step = UndoPlanner.Plan(applied, current, repairOptions.Prefix, Messages.UndoWhy.In(language), Messages.UndoChangedSince.In(language), out bool changedSince);
            if (changedSince) WriteObject(step.Action);
            else Carry(new List<PlannedStep> { step });
        }

        /// <summary>The setting's value in the tenant now; null when its object is not there.</summary>
        string CurrentValue(RepairAction a)
        {
            if (a.Setting == "DomainType")
                return exchange.ReadAcceptedDomains().FirstOrDefault(d => string.Equals(d.Identity, a.Target, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(d.DomainName, a.Target, StringComparison.OrdinalIgnoreCase))?.DomainType;
            ConnectorState c;
            try { c = exchange.ReadConnector(a.Target); }
            catch (ExchangeCommandException ex) when (ex.IsNotFound) { return null; }
            if (c == null) return null;
            return a.Setting == "Enabled" ? (c.Enabled ? "True" : "False") : c.TlsDomain ?? "";
        }

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
                WriteError(new ErrorRecord(new ArgumentException(string.Format(CultureInfo.InvariantCulture, Messages.StringPiped.In(language), text)),
                    "StringPiped", ErrorCategory.InvalidArgument, text));
                return;
            }
            if (string.Equals(Change?.Trim(), "Resolved", StringComparison.OrdinalIgnoreCase) || Change?.Trim() == ((long)AlertChange.Resolved).ToString(CultureInfo.InvariantCulture))
            {
                WriteVerbose($"{Code} for {Connector ?? DestinationServer}: resolved since the baseline, nothing to repair.");
                return;
            }
            // A Reason bound from a result ("CertificateExpired", or its number once deserialized) or an alert ("A; B"); free
            // text from files written before RepairAction had Rationale is not a Reason and is passed over.
            var reasons = new List<MailFlowIntel.Reason>();
            foreach (string name in (Reason ?? Array.Empty<string>()).SelectMany(r => (r ?? "").Split(';')).Select(r => r.Trim()))
                if (Enum.TryParse(name, true, out MailFlowIntel.Reason reason) && Enum.IsDefined(typeof(MailFlowIntel.Reason), reason))
                    reasons.Add(reason);
            // A failure Microsoft 365 gives no code for (DaneNotAvailable) is planned by its Reason alone.
            bool codeless = string.IsNullOrWhiteSpace(Code)
                && reasons.Any(r => ScenarioCatalog.ByReason(r) is Scenario s && s.Family == null && s.Status == ProbeStatus.Failed && s.Repair != null);
            if (string.IsNullOrWhiteSpace(Code) && !codeless)
            {
                WriteVerbose($"Nothing to repair for {Connector ?? DestinationServer ?? "this input"}: it names no failure code.");
                return;
            }
            if (!codeless && !CodeShape.IsMatch(Code))
            {
                WriteError(new ErrorRecord(new FormatException(string.Format(CultureInfo.InvariantCulture, Messages.NotACode.In(language), Code.Trim())),
                    "InvalidCode", ErrorCategory.InvalidArgument, Code));
                return;
            }
            var input = new RepairInput
            {
                Code = codeless ? "" : Code.Trim(), Connector = NullIfEmpty(Connector), DestinationServer = NullIfEmpty(DestinationServer),
                ConnectorType = NullIfEmpty(ConnectorType),
                LastAttemptedIP = NullIfEmpty(LastAttemptedIP), CertificateSubject = NullIfEmpty(CertificateSubject),
                CertificateNames = NullIfEmpty(CertificateNames), CertificateErrors = NullIfEmpty(CertificateErrors),
                CertificateNotAfter = CertificateNotAfter, CertificateThumbprint = NullIfEmpty(CertificateThumbprint),
                CertificateIssuer = NullIfEmpty(CertificateIssuer), ObservedTlsaRecord = NullIfEmpty(ObservedTlsaRecord), ProbedFrom = NullIfEmpty(ProbedFrom),
                MtaStsPolicyDomain = NullIfEmpty(MtaStsPolicyDomain), MtaStsPolicyId = NullIfEmpty(MtaStsPolicyId),
                ServerResponse = NullIfEmpty(ServerResponse),
                Detail = NullIfEmpty(Detail), FailoverServer = NullIfEmpty(FailoverServer),
            };
            if (Enum.TryParse(NullIfEmpty(Responsible) ?? "", true, out Responsible who)) input.Responsible = who;
            input.Reasons.AddRange(reasons);

            string family = CodeFamily.Find(input.Code)?.EnhancedStatusCode ?? input.Code;
            if (!handled.Add(family + "|" + string.Join(",", input.Reasons) + "|" + Connector + "|" + DestinationServer))
            {
                WriteVerbose($"{family} for {Connector} ({DestinationServer}) was planned already in this run.");
                return;
            }
            if (input.FailoverServer != null && (Decommissioned || AdoptCertificateName))
                WriteVerbose($"{input.Code} for {input.DestinationServer}: Microsoft 365 failed over to {input.FailoverServer} and delivered, so nothing is changed automatically.");

            ConnectorState connector = null;
            if (exchange != null && input.Connector != null)
            {
                ExchangeCommandException notFound = null;
                try { connector = exchange.ReadConnector(input.Connector); }
                catch (ExchangeCommandException ex) when (ex.IsNotFound)
                {
                    // Exchange Online reports an unknown identity as an error rather than as no output; known by its
                    // type or id (see ExchangeCommandException), never by its wording, which follows the tenant's language.
                    notFound = ex;
                }
                catch (Exception ex) when (ex is InvalidOperationException || ex is RuntimeException)
                {
                    WriteError(ExchangeCommandException.Record(ex, "ConnectorNotReadable", ErrorCategory.ReadError, input.Connector));
                    return;
                }
                if (connector == null)
                {
                    WriteError(new ErrorRecord(new ItemNotFoundException($"Outbound connector '{input.Connector}' was not found.", notFound),
                        "ConnectorNotFound", ErrorCategory.ObjectNotFound, input.Connector));
                    return;
                }
                try { if (acceptedDomains == null) acceptedDomains = exchange.ReadAcceptedDomains(); }
                catch (Exception ex) when (ex is InvalidOperationException || ex is RuntimeException)
                {
                    WriteError(ExchangeCommandException.Record(ex, "AcceptedDomainsNotReadable", ErrorCategory.ReadError, input.Connector));
                    return;
                }
            }
            else if (input.Connector != null)
            {
                // No Exchange Online session: plan from what the admin said; every change becomes a command to run. The
                // domains' DomainType is not known here (null), so no rollback is guessed for them.
                connector = new ConnectorState { Name = input.Connector, Identity = input.Connector, ConnectorType = input.ConnectorType };
                acceptedDomains = (AcceptedDomain ?? Array.Empty<string>())
                    .Select(d => new AcceptedDomainState { Identity = d, DomainName = d }).ToList();
            }

            bool mismatch = RepairPlanner.ScenariosFor(input, connector).Contains(ScenarioCatalog.CertificateNameMismatch);
            FreshCertificate fresh = AdoptCertificateName && connector != null && input.FailoverServer == null && mismatch
                ? ProbeCertificate(connector, input) : null;
            List<PlannedStep> plan = RepairPlanner.Plan(input, connector, acceptedDomains, repairOptions, fresh);
            Carry(plan);
            if (plan.Any(s => s.Action.Status == RepairStatus.Applied)) acceptedDomains = null;   // read them afresh next time

            if (Verify && plan.Any(s => s.Action.Status == RepairStatus.Applied) && connector != null && exchange != null)
                WriteObject(VerifyAction(input, connector, plan));
            if (ValidationRecipient != null && connector != null && validated.Add(connector.Name))
                WriteObject(Validate(input, connector));
        }

        /// <summary>Carries out the plan in order; a step whose prerequisite was not applied is not made either.</summary>
        void Carry(List<PlannedStep> plan)
        {
            foreach (PlannedStep step in plan)
            {
                RepairAction a = step.Action;
                if (step.Change != null)
                {
                    RepairAction before = step.DependsOn != null ? plan[step.DependsOn.Value].Action : null;
                    if (step.AlreadyDone)
                    {
                        a.Status = RepairStatus.Skipped;
                        a.Detail = Messages.AlreadyAsWanted.In(language);
                        a.RollbackCommand = "";
                    }
                    else if (exchange == null)
                    {
                        a.Status = RepairStatus.Manual;
                        a.Steps = Messages.ConnectThenRun.In(language);
                    }
                    else if (before != null && before.Status != RepairStatus.Applied && before.Status != RepairStatus.Skipped
                             && before.Status != RepairStatus.Planned)
                    {
                        a.Status = before.Status;
                        a.Detail = string.Format(CultureInfo.InvariantCulture, Messages.DependsOn.In(language), before.Action, before.Status);
                    }
                    else Apply(step);   // under -WhatIf a step after a Planned one is shown as Planned too
                    // Only a change that was made, or would be (-WhatIf), has something to undo.
                    if (a.Status != RepairStatus.Applied && a.Status != RepairStatus.Planned && a.Status != RepairStatus.Manual) a.RollbackCommand = "";
                }
                WriteObject(a);
            }
        }

        void Apply(PlannedStep step)
        {
            RepairAction a = step.Action;
            if (!ShouldProcess($"{step.Description}. Undo with: {a.RollbackCommand}", step.Description + "?", "Repair-ConnectorConfig", out ShouldProcessReason reason))
            {
                a.Status = reason == ShouldProcessReason.WhatIf ? RepairStatus.Planned : RepairStatus.Declined;
                return;
            }
            CommandInfo command = step.Change.Noun == "AcceptedDomain" ? exchange.SetDomain : exchange.SetConnector;
            try
            {
                if (command == null) throw new InvalidOperationException($"Set-{exchange.Prefix}{step.Change.Noun} is not in the Exchange Online session.");
                ExchangeOnlineCommands.Invoke(command, step.Change.Parameters);
                a.Status = RepairStatus.Applied;
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is RuntimeException)
            {
                a.Status = RepairStatus.Failed;
                a.Detail = ex.Message;
                a.RollbackCommand = "";
                WriteError(ExchangeCommandException.Record(ex, "RepairFailed", ErrorCategory.InvalidOperation, a.Target));
            }
        }

        /// <summary>
        /// Probes every smart host of the connector (chain and dates checked, not the name) to see the certificates as they
        /// are now. A new TlsDomain applies to all of them, so a name is offered only if every host's certificate is valid,
        /// trusted and carries it. Null when no host could be probed.
        /// </summary>
        FreshCertificate ProbeCertificate(ConnectorState connector, RepairInput input)
        {
            List<string> hosts = connector.SmartHosts.Count > 0 ? connector.SmartHosts.Take(16).ToList()
                               : input.DestinationServer != null ? new List<string> { input.DestinationServer } : new List<string>();
            FreshCertificate fresh = null;
            foreach (string host in hosts)
            {
                ProbeTarget target;
                try { target = TargetParser.Parse(host, TargetKind.SmartHost, connector.Name, TlsRequirement.CertificateValidation, connector.TlsDomain); }
                catch (InvalidTargetException) { return null; }
                if (target.NotTested != NotTestedKind.None) return null;
                IReadOnlyList<ConnectorDeliveryResult> results;
                try { results = new DeliveryTester(probeOptions).TestAsync(target, cancel.Token).GetAwaiter().GetResult(); }
                catch (DnsServerUnreachableException ex)
                {
                    WriteError(new ErrorRecord(ex, "DnsServerUnreachable", ErrorCategory.ResourceUnavailable, host));
                    return null;
                }
                ConnectorDeliveryResult seen = results.FirstOrDefault(r => r.CertificateSubject != null);
                if (seen == null) return new FreshCertificate { Host = host, ValidAndTrusted = false, Errors = results.FirstOrDefault()?.Detail };
                string[] chainOrDate = (seen.CertificateErrors ?? "").Split(new[] { "; " }, StringSplitOptions.RemoveEmptyEntries)
                    .Where(e => e != "SubjectMismatch" && e != "RevocationUnknown" && e != "ExpiresSoon" && e != "PrivateRoot").ToArray();
                WriteVerbose($"Fresh probe of {host}: {seen.CertificateSubject}, names {seen.CertificateNames}, errors '{seen.CertificateErrors}'.");
                string[] names = (seen.CertificateNames ?? "").Split(new[] { "; " }, StringSplitOptions.RemoveEmptyEntries);
                bool good = seen.Status != ProbeStatus.Failed && chainOrDate.Length == 0;
                bool privateRoot = (seen.CertificateErrors ?? "").Contains("PrivateRoot");
                bool namePasses = !(seen.CertificateErrors ?? "").Contains("SubjectMismatch");
                fresh = fresh == null
                    ? new FreshCertificate { Host = host, Names = names, ValidAndTrusted = good, Errors = seen.CertificateErrors, PrivateRoot = privateRoot, NamePasses = namePasses }
                    : new FreshCertificate
                    {
                        Host = fresh.Host + ", " + host,
                        Names = fresh.Names.Intersect(names, StringComparer.OrdinalIgnoreCase).ToList(),
                        ValidAndTrusted = fresh.ValidAndTrusted && good,
                        PrivateRoot = fresh.PrivateRoot || privateRoot,
                        NamePasses = fresh.NamePasses && namePasses,
                        Errors = string.Join("; ", new[] { fresh.Errors, seen.CertificateErrors }.Where(e => !string.IsNullOrEmpty(e)).Distinct()),
                    };
            }
            return fresh;
        }

        /// <summary>Probes every smart host of the connector again, with its settings as they are now.</summary>
        RepairAction VerifyAction(RepairInput input, ConnectorState connector, List<PlannedStep> plan)
        {
            var a = new RepairAction { Code = CodeFamily.Find(input.Code)?.Code ?? input.Code, Reason = input.Reasons.FirstOrDefault(), Connector = connector.Name, Action = "Verify",
                Target = connector.Name, Automatic = true, RollbackCommand = "", DestinationServer = input.DestinationServer,
                Command = new PsCommand($"Get-{repairOptions.Prefix}OutboundConnector").Param("Identity", connector.Identity ?? connector.Name)
                    .Pipe(new PsCommand("Test-ConnectorDelivery")).Render(),
                Rationale = Messages.VerifyWhy.In(language) };
            if (plan.Any(s => s.Action.Action == "DisableConnector" && s.Action.Status == RepairStatus.Applied))
            {
                a.Status = RepairStatus.Skipped;
                a.Detail = Messages.NothingToVerify.In(language);
                return a;
            }
            ConnectorState now;
            try { now = exchange.ReadConnector(connector.Identity ?? connector.Name) ?? connector; }
            catch (Exception ex) when (ex is InvalidOperationException || ex is RuntimeException)
            {
                a.Status = RepairStatus.Failed;
                a.Detail = Messages.NotReadAgain.In(language) + " " + ex.Message;
                return a;
            }
            List<string> hosts = now.SmartHosts.Count > 0 ? now.SmartHosts.Take(16).ToList()
                               : input.DestinationServer != null ? new List<string> { input.DestinationServer } : new List<string>();
            if (hosts.Count == 0) { a.Status = RepairStatus.Failed; a.Detail = Messages.NoSmartHost.In(language); return a; }
            var outcomes = new List<string>();
            bool allOk = true;
            foreach (string host in hosts)
            {
                try
                {
                    var target = TargetParser.Parse(host, TargetKind.SmartHost, connector.Name, TlsRequirementParser.Parse(now.TlsSettings), now.TlsDomain);
                    ConnectorDeliveryResult last = new DeliveryTester(probeOptions).TestAsync(target, cancel.Token).GetAwaiter().GetResult().LastOrDefault();
                    bool ok = last != null && (last.Status == ProbeStatus.Succeeded || last.Status == ProbeStatus.Warning || last.Status == ProbeStatus.NotTested);
                    allOk &= ok;
                    outcomes.Add(last == null ? $"{host}: no result" : $"{host}: {last.Status}{(last.Code != null ? " " + last.Code : "")}");
                }
                catch (Exception ex) when (ex is FormatException || ex is DnsServerUnreachableException)
                {
                    allOk = false;
                    outcomes.Add($"{host}: {ex.Message}");
                }
            }
            a.Status = allOk ? RepairStatus.Applied : RepairStatus.Failed;
            a.Detail = string.Join("; ", outcomes);
            return a;
        }

        /// <summary>Asks Exchange Online to test the connector from its side; it sends test messages, so it is a change.</summary>
        RepairAction Validate(RepairInput input, ConnectorState connector)
        {
            var a = new RepairAction
            {
                Code = CodeFamily.Find(input.Code)?.Code ?? input.Code, Reason = input.Reasons.FirstOrDefault(), Connector = connector.Name, Action = "ValidateConnector",
                Target = connector.Name, Automatic = true, RollbackCommand = "", DestinationServer = input.DestinationServer,
                Command = new PsCommand($"Validate-{repairOptions.Prefix}OutboundConnector").Param("Identity", connector.Identity ?? connector.Name)
                    .Param("Recipients", ValidationRecipient).Render(),
                Rationale = Messages.ValidateWhy.In(language),
            };
            if (exchange?.ValidateConnector == null)
            {
                a.Status = RepairStatus.Manual;
                a.Steps = Messages.ValidateManually.In(language);
                return a;
            }
            if (!ShouldProcess($"Send test messages through outbound connector '{connector.Name}' to {string.Join(", ", ValidationRecipient)}",
                    $"Send test messages through '{connector.Name}'?", "Repair-ConnectorConfig", out ShouldProcessReason reason))
            {
                a.Status = reason == ShouldProcessReason.WhatIf ? RepairStatus.Planned : RepairStatus.Declined;
                return a;
            }
            try
            {
                var output = ExchangeOnlineCommands.Invoke(exchange.ValidateConnector,
                    new Dictionary<string, object> { ["Identity"] = connector.Identity ?? connector.Name, ["Recipients"] = ValidationRecipient });
                PSObject first = output.FirstOrDefault();
                object success = first?.Properties["IsTaskSuccessful"]?.Value;
                a.Status = success is bool b && !b ? RepairStatus.Failed : RepairStatus.Applied;
                a.Detail = first == null ? "Validation ran." : string.Join("; ", first.Properties.Select(p => $"{p.Name}={p.Value}").Take(6));
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is RuntimeException)
            {
                a.Status = RepairStatus.Failed;
                a.Detail = ex.Message;
            }
            return a;
        }

        static string NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    }
}
