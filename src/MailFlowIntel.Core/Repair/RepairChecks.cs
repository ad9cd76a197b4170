using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Probing;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>The checks after a plan: -Verify (probe the connector again) and -ValidationRecipient (Exchange Online's own test).</summary>
    internal static class RepairChecks
    {
        /// <summary>Probes every smart host of the connector again, with its settings as they are now.</summary>
        public static RepairAction Verify(RepairRunner run, RepairInput input, ConnectorState connector, List<PlannedStep> plan)
        {
            Language language = run.Language;
            var a = new RepairAction
            {
                Code = CodeFamily.Find(input.Code)?.Code ?? input.Code, Reason = input.Reasons.FirstOrDefault(), Connector = connector.Name, Action = "Verify",
                Target = connector.Name, Automatic = true, RollbackCommand = "", DestinationServer = input.DestinationServer,
                Command = new PsCommand($"Get-{run.Options.Prefix}OutboundConnector").Param("Identity", connector.Identity ?? connector.Name)
                    .Pipe(new PsCommand("Test-ConnectorDelivery")).Render(),
                Rationale = RepairTexts.VerifyWhy.In(language),
            };
            if (plan.Any(s => s.Action.Action == "DisableConnector" && s.Action.Status == RepairStatus.Applied))
            {
                a.Status = RepairStatus.Skipped;
                a.Detail = RepairTexts.NothingToVerify.In(language);
                return a;
            }
            ConnectorState now;
            try { now = run.Tenant.ReadConnector(connector.Identity ?? connector.Name) ?? connector; }
            catch (Exception ex) when (ex is ExchangeSessionException || ex is InvalidOperationException)
            {
                a.Status = RepairStatus.Failed;
                a.Detail = RepairTexts.NotReadAgain.In(language) + " " + ex.Message;
                return a;
            }
            List<string> hosts = now.SmartHosts.Count > 0 ? now.SmartHosts.Take(16).ToList()
                               : input.DestinationServer != null ? new List<string> { input.DestinationServer } : new List<string>();
            if (hosts.Count == 0) { a.Status = RepairStatus.Failed; a.Detail = RepairTexts.NoSmartHost.In(language); return a; }
            var outcomes = new List<string>();
            bool allOk = true;
            foreach (string host in hosts)
            {
                try
                {
                    var target = TargetParser.Parse(host, TargetKind.SmartHost, connector.Name, TlsRequirementParser.Parse(now.TlsSettings), now.TlsDomain);
                    ConnectorDeliveryResult last = new DeliveryTester(run.ProbeOptions).TestAsync(target, run.Cancel).GetAwaiter().GetResult().LastOrDefault();
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
        public static RepairAction Validate(RepairRunner run, RepairInput input, ConnectorState connector)
        {
            Language language = run.Language;
            IReadOnlyList<string> recipients = run.ValidationRecipients;
            var a = new RepairAction
            {
                Code = CodeFamily.Find(input.Code)?.Code ?? input.Code, Reason = input.Reasons.FirstOrDefault(), Connector = connector.Name, Action = "ValidateConnector",
                Target = connector.Name, Automatic = true, RollbackCommand = "", DestinationServer = input.DestinationServer,
                Command = new PsCommand($"Validate-{run.Options.Prefix}OutboundConnector").Param("Identity", connector.Identity ?? connector.Name)
                    .Param("Recipients", recipients).Render(),
                Rationale = RepairTexts.ValidateWhy.In(language),
            };
            if (run.Tenant == null || !run.Tenant.CanValidate)
            {
                a.Status = RepairStatus.Manual;
                a.Steps = RepairTexts.ValidateManually.In(language);
                return a;
            }
            Consent consent = run.Host.Ask($"Send test messages through outbound connector '{connector.Name}' to {string.Join(", ", recipients)}",
                $"Send test messages through '{connector.Name}'?");
            if (consent != Consent.Yes)
            {
                a.Status = consent == Consent.WhatIf ? RepairStatus.Planned : RepairStatus.Declined;
                return a;
            }
            try
            {
                a.Status = run.Tenant.Validate(connector.Identity ?? connector.Name, recipients, out string detail, language) ? RepairStatus.Applied : RepairStatus.Failed;
                a.Detail = detail;
            }
            catch (Exception ex) when (ex is ExchangeSessionException || ex is InvalidOperationException)
            {
                a.Status = RepairStatus.Failed;
                a.Detail = ex.Message;
            }
            return a;
        }
    }
}
