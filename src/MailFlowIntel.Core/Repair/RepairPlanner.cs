using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// From a failure and the connector's current state to a plan: each scenario's own strategy (Catalog entries), for
    /// this case. The changes Exchange Online cmdlets can make carry their rollback; the rest are steps for a person.
    /// Nothing here ever lowers TLS.
    /// </summary>
    public static class RepairPlanner
    {
        /// <summary>
        /// The scenarios to plan for: those the input names (its Reason), else every scenario of its code that the
        /// connector's known settings cannot rule out, else Unrecognized for a code outside the catalog.
        /// </summary>
        public static IReadOnlyList<Scenario> ScenariosFor(RepairInput input, ConnectorState connector)
        {
            CodeFamily family = CodeFamily.Find(input.Code);
            var named = input.Reasons.Select(ScenarioCatalog.ByReason)
                .Where(s => s != null && s.Repair != null && (family == null || s.Family == null || s.Family == family || SameFault(s.Family, family)))
                .Distinct().ToList();
            if (named.Count > 0) return named;
            if (family == null) return new[] { ScenarioCatalog.Unrecognized };

            bool known = connector?.FromExchange == true;
            IEnumerable<Scenario> candidates = ScenarioCatalog.OfFamily(family);
            // Exchange Online also spells certificate failures as 4.4.317 [Message=...]: under a validating connector, a bare
            // 4.4.317 may be one of them.
            if (family == CodeFamily.CannotConnect && known && ScenarioCatalog.CertificateInvalid.PossibleUnderTlsSettings(connector.TlsSettings))
                candidates = candidates.Concat(ScenarioCatalog.OfFamily(CodeFamily.CertificateValidationFailed));
            var list = candidates.Where(s => !known || s.PossibleUnderTlsSettings(connector.TlsSettings)).ToList();
            var specific = list.Where(s => !s.Generic).ToList();
            return specific.Count > 0 ? specific : list.Count > 0 ? list : new List<Scenario> { ScenarioCatalog.OfFamily(family).First() };
        }

        static bool SameFault(CodeFamily a, CodeFamily b) =>
            (a == CodeFamily.CertificateValidationFailed && b == CodeFamily.CannotConnect) || (b == CodeFamily.CertificateValidationFailed && a == CodeFamily.CannotConnect);

        public static List<PlannedStep> Plan(RepairInput input, ConnectorState connector, IReadOnlyList<AcceptedDomainState> acceptedDomains,
            RepairOptions options, FreshCertificate fresh) => Plan(input, connector, acceptedDomains, options, fresh, null);

        /// <param name="checks">What the checks before -Decommissioned found; null when none were made (no Exchange Online session).</param>
        internal static List<PlannedStep> Plan(RepairInput input, ConnectorState connector, IReadOnlyList<AcceptedDomainState> acceptedDomains,
            RepairOptions options, FreshCertificate fresh, IReadOnlyList<CheckFinding> checks)
        {
            // Microsoft 365 failed over and delivered: a failure that queues nothing never drives an automatic change.
            if (input.FailoverServer != null) options = options.ManualOnly();
            var plan = new List<PlannedStep>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (Scenario scenario in ScenariosFor(input, connector))
            {
                var context = new RepairContext(input, scenario, connector, acceptedDomains, options, fresh, checks);
                var placed = new List<int?>();   // the strategy's own step numbers to places in the plan
                // A sending server's failure is repaired on its side (DESIGN.md 2c): never a strategy that changes Exchange Online.
                IEnumerable<PlannedStep> steps = context.SendingServer ? SendingSideRepair.Plan(context) : scenario.Repair.Plan(context);
                foreach (PlannedStep step in steps)
                {
                    // Several scenarios may lead to the very same step (the same words for the same server): say it once.
                    if (!seen.Add(step.Action.Action + "\u0001" + step.Action.Target + "\u0001" + step.Action.Steps)) { placed.Add(null); continue; }
                    if (step.DependsOn != null) step.DependsOn = step.DependsOn < placed.Count ? placed[step.DependsOn.Value] : null;
                    placed.Add(plan.Count);
                    plan.Add(step);
                }
            }
            return plan;
        }

        /// <summary>A value as a PowerShell literal (the one quoting function, <see cref="PsCommand.Quote"/>).</summary>
        public static string Q(string value) => PsCommand.Quote(value);
    }
}
