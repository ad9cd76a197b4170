using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>Everything a repair strategy may use for one input and one scenario, and helpers to make its steps.</summary>
    public sealed class RepairContext
    {
        internal RepairContext(RepairInput input, Scenario scenario, ConnectorState connector, IReadOnlyList<AcceptedDomainState> acceptedDomains,
            RepairOptions options, FreshCertificate fresh, IReadOnlyList<CheckFinding> checks = null)
        {
            Checks = checks;
            Input = input;
            Scenario = scenario;
            Connector = connector;
            AcceptedDomains = acceptedDomains ?? Array.Empty<AcceptedDomainState>();
            Options = options;
            Fresh = fresh;
            Responsible = connector?.IsOnPremises == true ? Responsible.Admin
                        : connector?.IsPartner == true ? Responsible.Partner
                        : input.Responsible != Responsible.Unknown ? input.Responsible
                        : string.Equals(input.ConnectorType, "OnPremises", StringComparison.OrdinalIgnoreCase) ? Responsible.Admin
                        : string.Equals(input.ConnectorType, "Partner", StringComparison.OrdinalIgnoreCase) ? Responsible.Partner
                        : Responsible.Unknown;
            Facts = new CaseFacts
            {
                Host = input.DestinationServer ?? connector?.SmartHosts.FirstOrDefault(),
                Address = input.LastAttemptedIP,
                Reply = input.ServerResponse,
                Subject = input.CertificateSubject,
                Names = input.CertificateNames,
                Issuer = input.CertificateIssuer,
                NotAfter = input.CertificateNotAfter,
                Thumbprint = input.CertificateThumbprint,
                TlsaRecord = input.ObservedTlsaRecord,
                ProbedFrom = input.ProbedFrom,
                MtaStsDomain = input.MtaStsPolicyDomain,
                MtaStsPolicyId = input.MtaStsPolicyId,
                Problems = input.CertificateErrors,
                TlsSettings = connector?.TlsSettings,
                TlsDomain = connector?.TlsDomain,
                Connector = ConnectorName,
                FailoverServer = input.FailoverServer,
                Responsible = Responsible,
                // A bare -Code names nothing of its vantage: its spellings are Microsoft 365's.
                ObservedFrom = (input.ObservedFrom ?? ObservedFrom.None) == ObservedFrom.None ? ObservedFrom.Microsoft365 : input.ObservedFrom.Value,
            };
        }

        /// <summary>
        /// Whether the input is a failure a sending server of the admin's saw on its way out (an Exchange server's queue, NDR
        /// or log; another MTA's log), and not Microsoft 365 nor a probe: its repair is on that side, never in Exchange Online.
        /// </summary>
        public static bool FromSendingServer(RepairInput input) => Scenario.IsSendingServer(Scenario.Speaker(input.ObservedFrom ?? ObservedFrom.None));

        public bool SendingServer => FromSendingServer(Input);

        public RepairInput Input { get; }
        public Scenario Scenario { get; }
        /// <summary>The connector as Exchange Online has it now, or as the input named it; null when no connector is named.</summary>
        public ConnectorState Connector { get; }
        public IReadOnlyList<AcceptedDomainState> AcceptedDomains { get; }
        public RepairOptions Options { get; }
        public FreshCertificate Fresh { get; }
        /// <summary>What the checks before -Decommissioned found (read from the tenant and DNS); null when they were not made (no session).</summary>
        internal IReadOnlyList<CheckFinding> Checks { get; }
        public Responsible Responsible { get; }
        public CaseFacts Facts { get; }
        public Language Language => Options.Language;
        public string Prefix => Options.Prefix;
        public string ConnectorName => Connector?.Name ?? Input.Connector;
        public string ConnectorIdentity => Connector?.Identity ?? ConnectorName;
        /// <summary>The server the failure names, or the connector's first smart host.</summary>
        public string Server => Facts.Host;
        public bool IsPartner => Responsible == Responsible.Partner;

        public string Say(Phrase phrase) => phrase.Render(Language, Facts);

        /// <summary>"1. ... 2. ...".</summary>
        public static string Numbered(IEnumerable<string> steps) =>
            string.Join(" ", steps.Where(s => !string.IsNullOrEmpty(s)).Select((s, i) => $"{i + 1}. {s}"));

        /// <summary>
        /// The code as the plan reports it: the family's deferral code, or the code as given; a sending server's own code
        /// (451 4.4.0) as that server wrote it.
        /// </summary>
        public string Code => SendingServer && !string.IsNullOrEmpty(Input.Code) ? Input.Code : Scenario.Family?.Code ?? Input.Code;

        /// <summary>A step for a person.</summary>
        public PlannedStep Manual(string action, string target, string rationale, IEnumerable<string> steps, string command) => new PlannedStep
        {
            Action = new RepairAction
            {
                Code = Code, Reason = Scenario.Reason, Connector = ConnectorName, Action = action, Target = target ?? Server ?? ConnectorName,
                Automatic = false, Status = RepairStatus.Manual, Command = command ?? "", RollbackCommand = "", Rationale = rationale,
                Steps = Numbered(steps), DestinationServer = Input.DestinationServer, Responsible = Responsible,
            },
        };

        /// <summary>A change the module makes through Exchange Online, rendered from its own description.</summary>
        public PlannedStep Automatic(string action, string target, string rationale, ExchangeChange change, bool alreadyDone, string description,
            int? dependsOn = null, string dependsOnAction = null) => new PlannedStep
        {
            Action = new RepairAction
            {
                Code = Code, Reason = Scenario.Reason, Connector = ConnectorName, Action = action, Target = target, Automatic = true,
                Status = RepairStatus.Planned, Command = change.Command(Prefix), RollbackCommand = change.RollbackCommand(Prefix),
                Rationale = rationale, DependsOn = dependsOnAction, DestinationServer = Input.DestinationServer, Responsible = Responsible,
                Setting = change.Setting, OldValue = change.OldValue, NewValue = change.NewValue,
            },
            Change = change,
            AlreadyDone = alreadyDone,
            DependsOn = dependsOn,
            Description = description,
        };

        /// <summary>
        /// A change the module would make, handed to a person as a command to run instead: when something must be
        /// confirmed first or the value before is not known here (no Exchange Online session). It keeps its Command and,
        /// where known, its RollbackCommand, but carries no change, so nothing ever runs it.
        /// </summary>
        public PlannedStep ToRun(PlannedStep change, string dependsOnAction, IEnumerable<string> steps)
        {
            RepairAction a = change.Action;
            a.Automatic = false;
            a.Status = RepairStatus.Manual;
            a.DependsOn = dependsOnAction;
            a.Steps = Numbered(steps);
            return new PlannedStep { Action = a, Description = change.Description };
        }

        /// <summary>Test-ConnectorDelivery against the failing server with the connector's settings: the command that reproduces it.</summary>
        public PsCommand Reproduce() =>
            new PsCommand("Test-ConnectorDelivery")
                .Param(Input.DestinationServer == null && Connector?.UseMXRecord == true ? "Domain" : "SmartHost", Server ?? ConnectorName)
                .Param("TlsSettings", Connector?.TlsSettings)
                .Param("TlsDomain", Connector?.TlsDomain)
                .Param("ConnectorType", Connector?.ConnectorType ?? Input.ConnectorType);
    }
}
