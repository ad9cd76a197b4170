using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Catalog
{
    // What only Microsoft 365's connector validation (Validate-OutboundConnector, through Invoke-OutboundConnectorValidation)
    // says: a task that failed without a code, and output this module cannot read. Neither comes from a probe or from text
    // evidence; Exchange.ConnectorValidation selects them. A failed task whose text names a code is that code's scenario.
    public static partial class ScenarioCatalog
    {
        public static readonly Scenario ValidationTaskFailed = new Scenario(Reason.ValidationTaskFailed)
        {
            Label = T("connector validation task failed", "échec d'une tâche de validation du connecteur"),
            Cause = T("Microsoft 365 validated {Connector} and reports a failed task, without a code this module knows: {Reply}.",
                      "Microsoft 365 a validé {Connector} et signale une tâche en échec, sans code connu de ce module : {Reply}."),
            Fix = T("Read the task's text in Detail; make sure the smart hosts of {Connector} accept connections from Microsoft 365's addresses on port {Port} and that the validation recipients exist there, then validate again with Invoke-OutboundConnectorValidation.",
                    "Lisez le texte de la tâche dans Detail ; vérifiez que les hôtes actifs de {Connector} acceptent les connexions des adresses de Microsoft 365 sur le port {Port} et que les destinataires de la validation y existent, puis relancez la validation avec Invoke-OutboundConnectorValidation."),
            PartnerFix = T("Send the partner the task's text (Detail) and ask whether their servers behind {Connector} accept Microsoft 365's addresses on port {Port}.",
                           "Envoyez au partenaire le texte de la tâche (Detail) et demandez si ses serveurs derrière {Connector} acceptent les adresses de Microsoft 365 sur le port {Port}."),
            Repair = new ManualRepair("ReadValidationOutput", check: c => new PsCommand($"Get-{c.Prefix}OutboundConnector").Param("Identity", c.ConnectorIdentity)
                .Pipe(new PsCommand("Format-List"))),
        };

        public static readonly Scenario ValidationOutputNotUnderstood = new Scenario(Reason.ValidationOutputNotUnderstood)
        {
            Status = ProbeStatus.Warning,
            Label = T("connector validation output not understood", "sortie de la validation du connecteur non comprise"),
            Cause = T("Validate-OutboundConnector wrote output for {Connector} that this module does not understand (Microsoft documents no output type for it); it is kept as written, cleaned, in Detail: {Reply}.",
                      "Validate-OutboundConnector a écrit pour {Connector} une sortie que ce module ne comprend pas (Microsoft n'en documente pas le type) ; elle est conservée telle quelle, nettoyée, dans Detail : {Reply}."),
            Fix = T("Read the output in Detail to learn whether each task succeeded; Get-MessageTraceV2 for the validation recipients shows whether Microsoft 365 delivered the test messages through {Connector}.",
                    "Lisez la sortie dans Detail pour savoir si chaque tâche a réussi ; Get-MessageTraceV2 pour les destinataires de la validation montre si Microsoft 365 a remis les messages de test par {Connector}."),
            Repair = NothingToRepair.Instance,
        };
    }
}
