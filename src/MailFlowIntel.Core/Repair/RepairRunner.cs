using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Probing;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// Repair-ConnectorConfig's work, input by input: read the connector and accepted domains through the Exchange Online
    /// session, plan, make each change the admin consents to (in order, a step after an unmade one not made either), then
    /// verify or validate; and -Undo, re-planned from the tenant's live values. The command binds, asks and writes
    /// (<see cref="IRepairHost"/>); every action carries the organisation it was planned in.
    /// </summary>
    public sealed class RepairRunner
    {
        // A code in any spelling: "450 4.4.316", "4.4.316", "5.4.316", a bare reply code ("421"), or "Pending".
        static readonly Regex CodeShape = new Regex(@"(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])|^\s*[245]\d\d\s*$|^\s*Pending\s*$", RegexOptions.CultureInvariant);

        readonly HashSet<string> handled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        readonly HashSet<string> validated = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        List<AcceptedDomainState> acceptedDomains;

        /// <param name="session">The Exchange Online session; null when there is none (the plan is then for a person).</param>
        public RepairRunner(IExchangeSession session, RepairOptions options, ProbeOptions probeOptions, IRepairHost host, CancellationToken cancel)
        {
            Tenant = session == null ? null : new ExchangeTenant(session);
            Options = options;
            if (Tenant != null) Options.Prefix = Tenant.Prefix;   // every Command names the session's own cmdlets
            ProbeOptions = probeOptions;
            Host = host;
            Cancel = cancel;
        }

        /// <summary>-Verify: probe the connector again after a change was made.</summary>
        public bool Verify { get; set; }
        /// <summary>-ValidationRecipient: ask Exchange Online to validate the connector, sending to these.</summary>
        public IReadOnlyList<string> ValidationRecipients { get; set; }

        internal ExchangeTenant Tenant { get; }
        internal RepairOptions Options { get; }
        internal ProbeOptions ProbeOptions { get; }
        internal IRepairHost Host { get; }
        internal CancellationToken Cancel { get; }
        internal Language Language => Options.Language;

        /// <summary>The organisation every action carries: the session's (Organization, else TenantID); empty without a session.</summary>
        public string Organization => Tenant?.Connection.Name ?? "";

        /// <summary>Plans one input and carries the plan out.</summary>
        public void Plan(RepairInput input)
        {
            if (IsResolved(input.Change))
            {
                Host.Verbose($"{input.Code} for {input.Connector ?? input.DestinationServer}: resolved since the baseline, nothing to repair.");
                return;
            }
            // A failure Microsoft 365 gives no code for (DaneNotAvailable) is planned by its Reason alone.
            bool codeless = string.IsNullOrWhiteSpace(input.Code)
                && input.Reasons.Any(r => ScenarioCatalog.ByReason(r) is Scenario s && s.Family == null && s.Status == ProbeStatus.Failed && s.Repair != null);
            if (string.IsNullOrWhiteSpace(input.Code) && !codeless)
            {
                Host.Verbose($"Nothing to repair for {input.Connector ?? input.DestinationServer ?? "this input"}: it names no failure code.");
                return;
            }
            if (!codeless && !CodeShape.IsMatch(input.Code))
            {
                Error(new FormatException(string.Format(CultureInfo.InvariantCulture, RepairTexts.NotACode.In(Language), input.Code.Trim())), "InvalidCode", "InvalidArgument", input.Code);
                return;
            }
            input.Code = codeless ? "" : input.Code.Trim();

            string family = CodeFamily.Find(input.Code)?.EnhancedStatusCode ?? input.Code;
            if (!handled.Add(family + "|" + string.Join(",", input.Reasons) + "|" + input.Connector + "|" + input.DestinationServer))
            {
                Host.Verbose($"{family} for {input.Connector} ({input.DestinationServer}) was planned already in this run.");
                return;
            }
            if (!FromThisOrganization(input.Organization, input.Connector ?? input.DestinationServer)) return;
            if (input.FailoverServer != null && (Options.Decommissioned || Options.AdoptCertificateName))
                Host.Verbose($"{input.Code} for {input.DestinationServer}: Microsoft 365 failed over to {input.FailoverServer} and delivered, so nothing is changed automatically.");

            // A sending server's own failure (an Exchange server's queue): its connector is that server's send connector, not
            // Exchange Online's, so nothing is read, probed, changed or validated there (DESIGN.md 2c).
            bool sendingServer = RepairContext.FromSendingServer(input);
            ConnectorState connector;
            if (sendingServer)
            {
                Host.Verbose($"{input.Code} for {input.Connector ?? input.DestinationServer}: seen by {input.ObservedFrom} on its own way out; planned for that side, nothing in Exchange Online is read or changed.");
                connector = input.Connector == null ? null : new ConnectorState { Name = input.Connector, Identity = input.Connector };
            }
            else if (!Gather(input, out connector)) return;
            bool mismatch = RepairPlanner.ScenariosFor(input, connector).Contains(ScenarioCatalog.CertificateNameMismatch);
            FreshCertificate fresh = Options.AdoptCertificateName && connector != null && input.FailoverServer == null && mismatch && !sendingServer
                ? new CertificateProbe(this).Probe(connector, input) : null;
            // -Decommissioned checks before it acts, from the tenant and DNS (only for an OnPremises connector read from Exchange Online).
            List<CheckFinding> checks = Options.Decommissioned && input.FailoverServer == null && Tenant != null && connector?.IsOnPremises == true
                && RepairPlanner.ScenariosFor(input, connector).Contains(ScenarioCatalog.ConnectionRefused)
                ? DecommissionChecks.Run(this, connector, input, acceptedDomains) : null;
            List<PlannedStep> plan = RepairPlanner.Plan(input, connector, acceptedDomains, Options, fresh, checks);
            Carry(plan);
            bool applied = plan.Any(s => s.Action.Status == RepairStatus.Applied);
            if (applied) acceptedDomains = null;   // read them afresh next time

            if (Verify && applied && connector != null && Tenant != null)
                Write(RepairChecks.Verify(this, input, connector, plan));
            if (ValidationRecipients != null && connector != null && !sendingServer && validated.Add(connector.Name))
                Write(RepairChecks.Validate(this, input, connector));
        }

        /// <summary>
        /// -Undo of one applied change: planned again from the setting's current value, never from stored command text.
        /// <paramref name="applied"/>'s NewValue is null when the action named none.
        /// </summary>
        public void Undo(RepairAction applied)
        {
            if (applied.Target == null || UndoPlanner.NounOf(applied.Setting) == null || applied.NewValue == null)
            {
                Error(new System.IO.InvalidDataException(RepairTexts.NotUndoable.In(Language)), "NotUndoable", "InvalidData", applied);
                return;
            }
            if (!FromThisOrganization(applied.Organization, applied.Target)) return;
            string current = null;
            if (Tenant != null)
            {
                try { current = CurrentValue(applied); }
                catch (Exception ex) when (ex is ExchangeSessionException || ex is InvalidOperationException)
                {
                    Error(ex, "UndoStateNotReadable", CategoryOr(ex, "ReadError"), applied.Target);
                    return;
                }
                if (current == null)
                {
                    Error(new KeyNotFoundException($"'{applied.Target}' was not found."), "UndoTargetNotFound", "ObjectNotFound", applied.Target);
                    return;
                }
            }
            PlannedStep step = UndoPlanner.Plan(applied, current, Options.Prefix, RepairTexts.UndoWhy.In(Language), RepairTexts.UndoChangedSince.In(Language), out bool changedSince);
            if (changedSince) Write(step.Action);
            else Carry(new List<PlannedStep> { step });
        }

        static bool IsResolved(string change) =>
            string.Equals(change?.Trim(), "Resolved", StringComparison.OrdinalIgnoreCase)
            || change?.Trim() == ((long)AlertChange.Resolved).ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// Input that names another organisation than this session's is left alone: the same connector name in another
        /// tenant is another connector. Input that names none (older files, probes without a session) is taken as this one's.
        /// </summary>
        bool FromThisOrganization(string organization, object target)
        {
            if (Tenant == null || string.IsNullOrWhiteSpace(organization) || Tenant.Connection.IsNamed(organization)) return true;
            Error(new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, RepairTexts.OtherOrganization.In(Language), organization.Trim(), Organization)),
                "OtherOrganization", "InvalidOperation", target);
            return false;
        }

        /// <summary>The connector and the accepted domains, read from Exchange Online, or as the input names them offline. False after an error.</summary>
        bool Gather(RepairInput input, out ConnectorState connector)
        {
            connector = null;
            if (input.Connector == null) return true;
            if (Tenant == null)
            {
                // No Exchange Online session: plan from what the admin said; every change becomes a command to run. The
                // domains' DomainType is not known here (null), so no rollback is guessed for them.
                connector = new ConnectorState { Name = input.Connector, Identity = input.Connector, ConnectorType = input.ConnectorType };
                acceptedDomains = Options.AcceptedDomains.Select(d => new AcceptedDomainState { Identity = d, DomainName = d }).ToList();
                return true;
            }
            ExchangeSessionException notFound = null;
            try { connector = Tenant.ReadConnector(input.Connector); }
            catch (ExchangeSessionException ex) when (ex.IsNotFound)
            {
                // Exchange Online reports an unknown identity as an error rather than as no output; known by its type or
                // id (see ExchangeSessionException), never by its wording, which follows the tenant's language.
                notFound = ex;
            }
            catch (Exception ex) when (ex is ExchangeSessionException || ex is InvalidOperationException)
            {
                Error(ex, "ConnectorNotReadable", CategoryOr(ex, "ReadError"), input.Connector);
                return false;
            }
            if (connector == null)
            {
                Error(new KeyNotFoundException($"Outbound connector '{input.Connector}' was not found.", notFound), "ConnectorNotFound", "ObjectNotFound", input.Connector);
                return false;
            }
            try { if (acceptedDomains == null) acceptedDomains = Tenant.ReadAcceptedDomains(); }
            catch (Exception ex) when (ex is ExchangeSessionException || ex is InvalidOperationException)
            {
                Error(ex, "AcceptedDomainsNotReadable", CategoryOr(ex, "ReadError"), input.Connector);
                return false;
            }
            return true;
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
                        a.Detail = RepairTexts.AlreadyAsWanted.In(Language);
                        a.RollbackCommand = "";
                    }
                    else if (Tenant == null)
                    {
                        a.Status = RepairStatus.Manual;
                        a.Steps = RepairTexts.ConnectThenRun.In(Language);
                    }
                    else if (!Tenant.CanMake(step.Change))
                    {
                        // A read-only (role-trimmed) session: the plan stands on the tenant's real values; a person makes it.
                        a.Status = RepairStatus.Manual;
                        Phrase cannot = step.Change.Noun == ExchangeTenant.AcceptedDomain ? RepairTexts.CannotChangeDomains : RepairTexts.CannotChangeConnectors;
                        a.Steps = string.Format(CultureInfo.InvariantCulture, cannot.In(Language), step.Change.Verb + "-" + step.Change.Noun);
                    }
                    else if (before != null && before.Status != RepairStatus.Applied && before.Status != RepairStatus.Skipped
                             && before.Status != RepairStatus.Planned)
                    {
                        a.Status = before.Status;
                        a.Detail = string.Format(CultureInfo.InvariantCulture, RepairTexts.DependsOn.In(Language), before.Action, before.Status);
                    }
                    else Apply(step);   // under -WhatIf a step after a Planned one is shown as Planned too
                    // Only a change that was made, or would be (-WhatIf), has something to undo.
                    if (a.Status != RepairStatus.Applied && a.Status != RepairStatus.Planned && a.Status != RepairStatus.Manual) a.RollbackCommand = "";
                }
                Write(a);
            }
        }

        void Apply(PlannedStep step)
        {
            RepairAction a = step.Action;
            Consent consent = Host.Ask($"{step.Description}. Undo with: {a.RollbackCommand}", step.Description + "?");
            if (consent != Consent.Yes)
            {
                a.Status = consent == Consent.WhatIf ? RepairStatus.Planned : RepairStatus.Declined;
                return;
            }
            try
            {
                Tenant.Make(step.Change);
                a.Status = RepairStatus.Applied;
            }
            catch (Exception ex) when (ex is ExchangeSessionException || ex is InvalidOperationException)
            {
                a.Status = RepairStatus.Failed;
                a.Detail = ex.Message;
                a.RollbackCommand = "";
                Error(ex, "RepairFailed", CategoryOr(ex, "InvalidOperation"), a.Target);
            }
        }

        /// <summary>The setting's value in the tenant now; null when its object is not there.</summary>
        string CurrentValue(RepairAction a)
        {
            if (a.Setting == "DomainType")
                return Tenant.ReadAcceptedDomains().FirstOrDefault(d => string.Equals(d.Identity, a.Target, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(d.DomainName, a.Target, StringComparison.OrdinalIgnoreCase))?.DomainType;
            ConnectorState c;
            try { c = Tenant.ReadConnector(a.Target); }
            catch (ExchangeSessionException ex) when (ex.IsNotFound) { return null; }
            if (c == null) return null;
            return a.Setting == "Enabled" ? (c.Enabled ? "True" : "False") : c.TlsDomain ?? "";
        }

        internal void Write(RepairAction action)
        {
            action.Organization = Organization;
            Host.Write(action);
        }

        internal void Error(Exception exception, string id, string category, object target) => Host.Error(new RepairError(exception, id, category, target));

        /// <summary>Exchange's category when it gave one other than NotSpecified, else ours.</summary>
        static string CategoryOr(Exception ex, string ours) => ex is ExchangeSessionException e ? e.CategoryOr(ours) : ours;
    }
}
