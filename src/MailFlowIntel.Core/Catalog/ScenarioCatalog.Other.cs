using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Catalog
{
    // What is not a failure code: targets not probed, warnings, success, a recipient's own reply, evidence without a reason.
    public static partial class ScenarioCatalog
    {
        public static readonly Scenario RangeNotTestable = new Scenario(Reason.RangeNotTestable)
        {
            Status = ProbeStatus.NotTested,
            Label = T("address range", "plage d'adresses"),
            Cause = T("{Host} is an address range; a probe needs one address.", "{Host} est une plage d'adresses ; un test a besoin d'une seule adresse."),
            Fix = T("Test the servers of the range by address.", "Testez les serveurs de la plage par leur adresse."),
            FromProbe = f => f.NotTested == NotTestedKind.Range,
            Repair = NothingToRepair.Instance,
        };

        public static readonly Scenario WildcardDomain = new Scenario(Reason.WildcardDomain)
        {
            Status = ProbeStatus.NotTested,
            Label = T("wildcard domain", "domaine générique"),
            Cause = T("{Domain} is a wildcard domain: there are no MX records to look up for it.", "{Domain} est un domaine générique : il n'a pas d'enregistrements MX à rechercher."),
            Fix = T("Name the domains it stands for with -Domain to probe their MX hosts.", "Nommez les domaines qu'il désigne avec -Domain pour tester leurs hôtes MX."),
            FromProbe = f => f.NotTested == NotTestedKind.Wildcard,
            Repair = NothingToRepair.Instance,
        };

        public static readonly Scenario ConnectorDisabled = new Scenario(Reason.ConnectorDisabled)
        {
            Status = ProbeStatus.NotTested,
            Label = T("connector disabled", "connecteur désactivé"),
            Cause = T("{Connector} is disabled: Microsoft 365 routes no mail through it.", "{Connector} est désactivé : Microsoft 365 n'y achemine aucun courrier."),
            Fix = T("Nothing to test unless you mean to enable it; probe its smart hosts first if so.",
                    "Rien à tester, sauf si vous comptez l'activer ; testez alors d'abord ses hôtes actifs."),
            FromProbe = f => f.NotTested == NotTestedKind.Disabled,
            Repair = NothingToRepair.Instance,
        };

        public static readonly Scenario ProbeSideFault = new Scenario(Reason.ProbeSideFault)
        {
            Status = ProbeStatus.NotTested,
            Label = T("not tested from here", "non testé depuis ce poste"),
            Cause = T("This computer could not connect to {Server} ({SocketError}): the fault is on this computer's side (no route, port {Port} blocked on the way out, a local limit), and it says nothing of what Microsoft 365 meets there.",
                      "Cet ordinateur n'a pas pu se connecter à {Server} ({SocketError}) : le problème est de son côté (pas de route, port {Port} bloqué en sortie, une limite locale), et cela ne dit rien de ce que rencontre Microsoft 365."),
            Fix = T("Probe from a host that reaches the internet on TCP {Port} (port 25 is often blocked outbound, on Azure virtual machines and by internet providers), or with -SourceAddress on a suitable interface.",
                    "Testez depuis un hôte qui atteint Internet sur le TCP {Port} (le port 25 est souvent bloqué en sortie, sur les machines virtuelles Azure et par les fournisseurs d'accès), ou avec -SourceAddress sur une interface adaptée."),
            // A connect that failed while the egress check host did not answer either is this computer's fault too.
            FromProbe = f => f.ConnectFault == SocketFault.NoRouteFromHere || f.ConnectFault == SocketFault.LocalFailure || f.EgressBlocked,
            Repair = NothingToRepair.Instance,
        };

        public static readonly Scenario RecipientRejected = new Scenario(Reason.RecipientRejected)
        {
            Label = T("recipient refused", "destinataire refusé"),
            Cause = T("{Server} refused the recipient with {Reply}.", "{Server} a refusé le destinataire avec {Reply}."),
            Fix = T("Check that the recipient exists on {Host} and that it accepts mail for its domain from Microsoft 365.",
                    "Vérifiez que le destinataire existe sur {Host} et que celui-ci accepte le courrier de son domaine venant de Microsoft 365."),
            PartnerFix = T("Ask the partner whether the recipient exists: {Host} refuses it with {Reply}.",
                           "Demandez au partenaire si le destinataire existe : {Host} le refuse avec {Reply}."),
            FromProbe = f => f.RecipientReply != null,
            Repair = new ManualRepair("CheckRecipient"),
        };

        public static readonly Scenario OpportunisticTlsFailed = new Scenario(Reason.OpportunisticTlsFailed)
        {
            Status = ProbeStatus.Warning,
            Label = T("mail goes without TLS", "le courrier part sans TLS"),
            Cause = T("{Server} does not offer STARTTLS (or a firewall masks it) and the connector uses opportunistic TLS: Microsoft 365 delivers, but in clear text.",
                      "{Server} ne propose pas STARTTLS (ou un pare-feu le masque) et le connecteur utilise le TLS opportuniste : Microsoft 365 remet le courrier, mais en clair."),
            Fix = T("Enable STARTTLS on {Host} with a current certificate; then consider TlsSettings EncryptionOnly or stricter on {Connector}.",
                    "Activez STARTTLS sur {Host} avec un certificat valide ; envisagez ensuite TlsSettings EncryptionOnly ou plus strict sur {Connector}."),
            PartnerFix = T("Ask the partner to enable STARTTLS on {Host}.", "Demandez au partenaire d'activer STARTTLS sur {Host}."),
            FromProbe = f => f.Reached && !f.StartTlsOffered && !f.Tls.RequiresTls(),
            Repair = new ManualRepair("EnableStartTls"),
        };

        public static readonly Scenario CertificateExpiresSoon = new Scenario(Reason.CertificateExpiresSoon)
        {
            Status = ProbeStatus.Warning,
            Label = T("certificate expires soon", "le certificat expire bientôt"),
            Cause = T("The certificate {Subject} of {Server} expires on {NotAfter}; after that, a connector that validates certificates fails with 450 4.7.320.",
                      "Le certificat {Subject} de {Server} expire le {NotAfter} ; ensuite, un connecteur qui valide les certificats échouera avec 450 4.7.320."),
            Fix = T("Renew the certificate of {Host} before {NotAfter} and bind the new one to SMTP.",
                    "Renouvelez le certificat de {Host} avant le {NotAfter} et liez le nouveau au SMTP."),
            PartnerFix = T("Remind the partner that the certificate of {Host} expires on {NotAfter}.",
                           "Rappelez au partenaire que le certificat de {Host} expire le {NotAfter}."),
            FromProbe = f => f.Reached && f.Certificate != null && (f.Certificate.Notes & CertificateNotes.ExpiresSoon) != 0,
            Repair = new CertificateRepair(),
        };

        public static readonly Scenario CertificateNotChecked = new Scenario(Reason.CertificateNotChecked)
        {
            Status = ProbeStatus.Warning,
            Label = T("certificate problem not checked", "problème de certificat non contrôlé"),
            Cause = T("The certificate of {Server} has problems ({Problems}) that the connector's TlsSettings ({TlsSettings}) do not check: mail goes through, but a connector that checks them would fail with 450 4.7.320.",
                      "Le certificat de {Server} a des problèmes ({Problems}) que les TlsSettings du connecteur ({TlsSettings}) ne contrôlent pas : le courrier passe, mais un connecteur qui les contrôle échouerait avec 450 4.7.320."),
            Fix = T("Fix the certificate of {Host} before making the connector's TLS settings stricter.",
                    "Corrigez le certificat de {Host} avant de durcir les paramètres TLS du connecteur."),
            PartnerFix = T("Tell the partner about the certificate problems of {Host} ({Problems}).",
                           "Signalez au partenaire les problèmes de certificat de {Host} ({Problems})."),
            FromProbe = f => f.Reached && f.Certificate != null && f.Certificate.Problems != CertificateProblems.None,
            Repair = new CertificateRepair(),
        };

        public static readonly Scenario Delivered = new Scenario(Reason.Delivered)
        {
            Status = ProbeStatus.Succeeded,
            Label = T("delivered", "remis"),
            Cause = T("Every step worked from this computer: {Server} took the session on port {Port}.",
                      "Chaque étape a réussi depuis ce poste\u00A0: {Server} a accepté la session sur le port {Port}."),
            Fix = T("Nothing to do.", "Rien à faire."),
            ProbeImplication = T("Microsoft 365 would deliver there too, unless a firewall or the server treats its addresses differently.",
                                 "Microsoft 365 y remettrait aussi le courrier, sauf si un pare-feu ou le serveur traite ses adresses autrement."),
            FromProbe = f => true,
            Repair = NothingToRepair.Instance,
        };

        public static readonly Scenario MessageExpired = new Scenario(Reason.MessageExpired)
        {
            Label = T("message expired", "message expiré"),
            Cause = T("The messages expired in the queue and went back to their senders; this evidence gives no connector code for why.",
                      "Les messages ont expiré dans la file d'attente et sont revenus à leurs expéditeurs ; cette preuve ne donne pas de code de connecteur expliquant pourquoi."),
            Fix = T("Find the cause in the trace detail or queue of the same messages (Get-MessageTraceDetailV2), fix it, and ask the senders to send again.",
                    "Trouvez la cause dans le détail de suivi ou la file d'attente des mêmes messages (Get-MessageTraceDetailV2), corrigez-la, et demandez aux expéditeurs de renvoyer."),
            SenderFix = T("Find the cause in the queue or logs of {Sender} for the same messages (Exchange: Get-Message and the send connector's protocol log; Postfix: its log lines before the expiry), fix it, and ask the senders to send again.",
                          "Trouvez la cause dans la file d'attente ou les journaux {SenderOf} pour les mêmes messages (Exchange : Get-Message et le journal de protocole du connecteur d'envoi ; Postfix : ses lignes de journal avant l'expiration), corrigez-la, et demandez aux expéditeurs de renvoyer."),
            Evidence = Words(NoTokens, "message (?:has )?expired", @"QUEUE\.Expired", "message a expiré"),
            Repair = new ManualRepair("FindExpiryCause", check: c => new PsCommand("Get-MessageTraceV2").Param("RecipientAddress", "<recipient>").Param("Status", "Failed")),
        };

        public static readonly Scenario Pending = new Scenario(Reason.Pending)
        {
            Status = ProbeStatus.Warning,
            Label = T("messages pending, reason not in this evidence", "messages en attente, raison absente de cette preuve"),
            Cause = T("Message trace shows these messages as pending; the summary rows do not say why.",
                      "Le suivi des messages les montre en attente ; les lignes de synthèse ne disent pas pourquoi."),
            Fix = T("Pipe the messages to Get-MessageTraceDetailV2 to see the deferral reason, then run Get-MailFlowAlert on that.",
                    "Passez les messages à Get-MessageTraceDetailV2 pour voir la raison du report, puis exécutez Get-MailFlowAlert sur ce résultat."),
            Evidence = WordsInFamily(NoTokens, @"Status (?:Pending|Deferred|GettingStatus)"),
            Repair = new ManualRepair("GetTraceDetail", check: c => new PsCommand("Get-MessageTraceV2").Param("Status", "Pending")
                .Pipe(new PsCommand("Get-MessageTraceDetailV2")).Pipe(new PsCommand("Get-MailFlowAlert"))),
        };

        public static readonly Scenario Unrecognized = new Scenario(Reason.Unrecognized)
        {
            Label = T("outside the mail flow intelligence codes", "hors des codes de veille sur le flux de courrier"),
            Cause = T("The evidence carries a code that is not one of the connector failure codes; the server's own text says what it means: {Reply}.",
                      "La preuve porte un code qui n'est pas l'un des codes d'échec de connecteur ; le texte du serveur dit ce qu'il signifie : {Reply}."),
            Fix = T("Read the evidence and the documentation of {Host} for this code; correct {Connector} if it is misconfigured.",
                    "Lisez la preuve et la documentation de {Host} pour ce code ; corrigez {Connector} s'il est mal configuré."),
            SenderFix = T("Read the evidence, the log of {Sender} for that session (Exchange: the send connector's protocol log; Postfix: its mail log) and the documentation of {Host} for this code; correct where {Sender} routes this mail if that is wrong (Exchange: the send connector).",
                          "Lisez la preuve, le journal {SenderOf} pour cette session (Exchange : le journal de protocole du connecteur d'envoi ; Postfix : son journal de messagerie) et la documentation de {Host} pour ce code ; corrigez l'acheminement de ce courrier par {Sender} s'il est erroné (Exchange : le connecteur d'envoi)."),
            Evidence = WordsInFamily(NoTokens, @"[245]\.\d{1,3}\.\d{1,3}"),
            Repair = new ManualRepair("Investigate", check: c => new PsCommand($"Get-{c.Prefix}OutboundConnector").Param("Identity", c.ConnectorIdentity)
                .Pipe(new PsCommand("Format-List"))),
        };
    }
}
