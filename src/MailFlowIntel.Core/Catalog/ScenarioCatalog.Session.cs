using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Catalog
{
    // 450 4.4.317 Cannot connect to remote server: the server was reached, but the session could not go on.
    public static partial class ScenarioCatalog
    {
        public static readonly Scenario CannotConnect = new Scenario(Reason.CannotConnect)
        {
            Generic = true,
            Family = CodeFamily.CannotConnect,
            FamilyDefault = true,
            Cause = T("{Server} was reached but did not let the session go on; the evidence does not say why (an error reply, TLS the server cannot do, or a reply that is not SMTP).",
                      "{Server} a été atteint mais n'a pas laissé la session se poursuivre ; la preuve ne dit pas pourquoi (une réponse d'erreur, un TLS que le serveur ne sait pas faire, ou une réponse qui n'est pas du SMTP)."),
            Fix = T("Probe {Host} with the connector's settings (the Command) to see which it is, then follow that scenario's fix.",
                    "Testez {Host} avec les paramètres du connecteur (la Command) pour savoir lequel de ces cas s'applique, puis suivez la correction de ce cas."),
            PartnerFix = T("Ask the partner to check the SMTP service and the TLS set-up of {Host}.",
                           "Demandez au partenaire de vérifier le service SMTP et la configuration TLS de {Host}."),
            SenderCause = T("{^Sender} could not open or carry on a session with {Server}; the evidence does not say why (no answer on port 25, a reset, an error reply, or a TLS failure).",
                            "{^Sender} n'a pas pu ouvrir ou poursuivre une session avec {Server} ; la preuve ne dit pas pourquoi (pas de réponse sur le port 25, une réinitialisation, une réponse d'erreur, ou un échec TLS)."),
            SenderFix = T("Test from {Sender} itself (Test-NetConnection -ComputerName {Host} -Port 25), read its log of the session for the last reply (Exchange: the send connector's protocol log, Set-SendConnector -ProtocolLoggingLevel Verbose; Postfix: its mail log), and check the way out (firewall, proxy, SMTP inspection) and its TLS settings toward {Host} (Exchange: the send connector's RequireTLS, TlsAuthLevel and TlsDomain). If all of that is right, ask whoever runs {Host}.",
                          "Testez depuis {Sender} lui-même (Test-NetConnection -ComputerName {Host} -Port 25), lisez son journal de la session pour la dernière réponse (Exchange : le journal de protocole du connecteur d'envoi, Set-SendConnector -ProtocolLoggingLevel Verbose ; Postfix : son journal de messagerie), et vérifiez la sortie (pare-feu, proxy, inspection SMTP) et ses paramètres TLS vers {Host} (Exchange : RequireTLS, TlsAuthLevel et TlsDomain du connecteur d'envoi). Si tout cela est juste, demandez à l'exploitant de {Host}."),
            Evidence = Words(NoTokens, "Cannot connect to remote server", "La connexion au serveur distant a échoué", "Unable to connect", "Failed to connect", "cannot connect",
                "TLS", "STARTTLS", "TlsCertificateName", "Exchange Server authentication"),
            Repair = new ManualRepair("CheckServerTls", check: c => c.Reproduce().Switch("IncludeTranscript")),
        };

        public static readonly Scenario ServiceNotAvailable = new Scenario(Reason.ServiceNotAvailable)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("service not available", "service non disponible"),
            Cause = T("{Server} answered {Reply} and closed the session: the server is not taking sessions now (too many connections, a service that is stopping, or back pressure).",
                      "{Server} a répondu {Reply} et fermé la session : le serveur n'accepte pas de session pour l'instant (trop de connexions, un service en cours d'arrêt, ou une contre-pression)."),
            Fix = T("Check the capacity of the mail service on {Host}: its connection limits (Exchange: the receive connector's MaxInboundConnection and MaxInboundConnectionPerSource), queue and disk back pressure, and whether the service is restarting.",
                    "Vérifiez la capacité du service de messagerie de {Host} : ses limites de connexions (Exchange : MaxInboundConnection et MaxInboundConnectionPerSource du connecteur de réception), la contre-pression de la file d'attente et du disque, et si le service est en train de redémarrer."),
            PartnerFix = T("Ask the partner to check the capacity of {Host}: it turns sessions from {Sender} away with {Reply}.",
                           "Demandez au partenaire de vérifier la capacité de {Host} : il refuse les sessions {SenderOf} avec {Reply}."),
            ProbeImplication = T("Microsoft 365 will meet the same while the server is in this state, unless its limits count each sending address apart.",
                                 "Microsoft 365 rencontrera la même chose tant que le serveur est dans cet état, sauf si ses limites comptent chaque adresse d'envoi à part."),
            SenderFix = T("{Host} turned {SenderOf} session away for now, and {Sender} retries by itself. If it goes on, ask whoever runs {Host} about its connection limits and whether {SenderOf} address is throttled, and check that {Sender} opens no more connections to it than it accepts (Exchange: Set-TransportService -MaxPerDomainOutboundConnections).",
                          "{Host} a refusé la session {SenderOf} pour l'instant, et {Sender} réessaie de lui-même. Si cela dure, interrogez l'exploitant de {Host} sur ses limites de connexions et sur un éventuel bridage de l'adresse {SenderOf}, et vérifiez que {Sender} ne lui ouvre pas plus de connexions qu'il n'en accepte (Exchange : Set-TransportService -MaxPerDomainOutboundConnections)."),
            FromProbe = f => f.RejectedCode == 421,
            Evidence = Words(NoTokens, "Service not available", "Service non disponible", "too many connections", @"not accepting (?:network )?messages",
                @"421[ -]4\.[37]\.\d+"),
            Repair = new ManualRepair("CheckServerCapacity", new[]
            {
                T("Look at the server's own logs for the moment of the failure (Exchange: the receive connector protocol log, and event 15004/15006 for back pressure).",
                  "Consultez les journaux du serveur au moment de l'échec (Exchange : le journal de protocole du connecteur de réception, et les événements 15004/15006 de contre-pression)."),
            }),
        };

        public static readonly Scenario GreetingRejected = new Scenario(Reason.GreetingRejected)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("greeting refused", "accueil refusé"),
            Cause = T("{Server} greeted with {Reply} instead of 220: it refuses SMTP sessions from {Sender} (a connection filter or block list that judges {SenderOf} address, or no mail service on that address).",
                      "{Server} a accueilli avec {Reply} au lieu de 220 : il refuse les sessions SMTP {SenderOf} (un filtre de connexion ou une liste de blocage qui juge l'adresse {SenderOf}, ou aucun service de messagerie à cette adresse)."),
            Fix = T("Check what listens on TCP 25 at {Host} and why it refuses sessions; Microsoft 365's addresses must be allowed to connect.",
                    "Vérifiez ce qui écoute sur le TCP 25 de {Host} et pourquoi il refuse les sessions ; les adresses de Microsoft 365 doivent pouvoir s'y connecter."),
            PartnerFix = T("Ask the partner why {Host} refuses sessions from {Sender} with {Reply}.",
                           "Demandez au partenaire pourquoi {Host} refuse les sessions {SenderOf} avec {Reply}."),
            ProbeImplication = T("A connection filter judges the sending address, so Microsoft 365 may be let in where this computer is not.",
                                 "Un filtre de connexion juge l'adresse d'envoi : Microsoft 365 peut donc être admis là où ce poste ne l'est pas."),
            SenderFix = T("{Host} refuses {SenderOf} address: check whether the public address it leaves from is on a block list, and ask whoever runs {Host} to accept it; check also that {Sender} routes to the right host (Exchange: the send connector's SmartHosts; Postfix: relayhost).",
                          "{Host} refuse l'adresse {SenderOf} : vérifiez si l'adresse publique par laquelle il sort figure sur une liste de blocage, et demandez à l'exploitant de {Host} de l'accepter ; vérifiez aussi que {Sender} achemine vers le bon hôte (Exchange : les SmartHosts du connecteur d'envoi ; Postfix : relayhost)."),
            FromProbe = f => f.RejectedCode != null && f.Stage == ProbeStage.Greeting,
            Evidence = Words(NoTokens, "No SMTP service", "refuses? (?:the )?(?:SMTP )?sessions?", "Senderscore", "reputation", @"block ?list(?:ed)?", @"blacklist(?:ed)?"),
            Repair = new ManualRepair("CheckGreeting", check: c => c.Reproduce().Switch("IncludeTranscript")),
        };

        public static readonly Scenario EhloRejected = new Scenario(Reason.EhloRejected)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("EHLO refused", "EHLO refusé"),
            Cause = T("{Server} refused EHLO and HELO with {Reply}: it rejects how {Sender} introduces itself.",
                      "{Server} a refusé EHLO et HELO avec {Reply} : il rejette la façon dont {Sender} se présente."),
            Fix = T("Check the receive connector on {Host}: it must accept EHLO from the names Microsoft 365 uses (*.outbound.protection.outlook.com) without asking Microsoft 365's addresses to authenticate.",
                    "Vérifiez le connecteur de réception de {Host} : il doit accepter l'EHLO des noms qu'emploie Microsoft 365 (*.outbound.protection.outlook.com) sans demander d'authentification aux adresses de Microsoft 365."),
            PartnerFix = T("Ask the partner why {Host} refuses EHLO from {Sender} with {Reply}.",
                           "Demandez au partenaire pourquoi {Host} refuse l'EHLO {SenderOf} avec {Reply}."),
            ProbeImplication = T("Microsoft 365 introduces itself with its own names from its own addresses, so it may be accepted where this probe is not.",
                                 "Microsoft 365 se présente sous ses propres noms depuis ses propres adresses : il peut donc être accepté là où cette sonde ne l'est pas."),
            SenderFix = T("Make {Sender} introduce itself with a fully qualified name that resolves in public DNS (Exchange: the send connector's Fqdn, Set-SendConnector -Fqdn; Postfix: smtp_helo_name), and ask whoever runs {Host} what it expects.",
                          "Faites que {Sender} se présente sous un nom complet qui se résout dans le DNS public (Exchange : le Fqdn du connecteur d'envoi, Set-SendConnector -Fqdn ; Postfix : smtp_helo_name), et demandez à l'exploitant de {Host} ce qu'il attend."),
            FromProbe = f => f.RejectedCode != null && f.Stage == ProbeStage.Ehlo,
            Evidence = Words(NoTokens, @"(?:EHLO|HELO)(?: command)? (?:rejected|refused)", "Invalid domain name"),
            Repair = new ManualRepair("CheckEhlo", check: c => c.Reproduce().Switch("IncludeTranscript")),
        };

        public static readonly Scenario StartTlsStripped = new Scenario(Reason.StartTlsStripped)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("STARTTLS masked by a firewall", "STARTTLS masqué par un pare-feu"),
            Cause = T("{Connector} requires TLS ({TlsSettings}), but the EHLO reply of {Server} shows STARTTLS masked (XXXXXXXA): a firewall inspecting SMTP hides it, so {Sender} cannot start TLS.",
                      "{Connector} exige le TLS ({TlsSettings}), mais la réponse EHLO de {Server} montre STARTTLS masqué (XXXXXXXA) : un pare-feu qui inspecte le SMTP le cache, et {Sender} ne peut pas démarrer le TLS."),
            Fix = T("Turn off SMTP/ESMTP inspection on the firewall in front of {Host} (Cisco: no inspect esmtp), then check that EHLO offers STARTTLS again.",
                    "Désactivez l'inspection SMTP/ESMTP du pare-feu devant {Host} (Cisco : no inspect esmtp), puis vérifiez que l'EHLO propose de nouveau STARTTLS."),
            PartnerFix = T("Ask the partner to turn off SMTP inspection on the firewall in front of {Host}: it hides STARTTLS.",
                           "Demandez au partenaire de désactiver l'inspection SMTP du pare-feu devant {Host} : elle cache STARTTLS."),
            ProbeImplication = T("Microsoft 365 will meet the same unless the inspecting firewall is on this computer's way out only.",
                                 "Microsoft 365 rencontrera la même chose, sauf si le pare-feu qui inspecte n'est que sur la sortie de ce poste."),
            SenderCause = T("The EHLO reply of {Server} shows STARTTLS masked (XXXXXXXA): a firewall inspecting SMTP hides it, so {Sender} cannot start the TLS it requires there.",
                            "La réponse EHLO de {Server} montre STARTTLS masqué (XXXXXXXA) : un pare-feu qui inspecte le SMTP le cache, et {Sender} ne peut pas démarrer le TLS qu'il exige à cet endroit."),
            SenderFix = T("Turn off SMTP/ESMTP inspection on the firewalls between {Sender} and {Host}, the one on the way out first (Cisco: no inspect esmtp), then check that EHLO offers STARTTLS again.",
                          "Désactivez l'inspection SMTP/ESMTP des pare-feu entre {Sender} et {Host}, celui de la sortie d'abord (Cisco : no inspect esmtp), puis vérifiez que l'EHLO propose de nouveau STARTTLS."),
            FromProbe = f => f.EhloDone && !f.StartTlsOffered && f.StartTlsMasked && f.Tls.RequiresTls(),
            PossibleUnderTlsSettings = IsSet,
            Evidence = Words(NoTokens, "XXXXXXXA", "ESMTP inspection"),
            Repair = new ManualRepair("DisableSmtpInspection", check: c => c.Reproduce().Switch("IncludeTranscript")),
        };

        public static readonly Scenario StartTlsNotOffered = new Scenario(Reason.StartTlsNotOffered)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("STARTTLS not offered", "STARTTLS non proposé"),
            Cause = T("{Connector} requires TLS ({TlsSettings}), but {Server} does not offer STARTTLS: TLS is off on the server, or it has no usable certificate bound to SMTP.",
                      "{Connector} exige le TLS ({TlsSettings}), mais {Server} ne propose pas STARTTLS : le TLS est désactivé sur le serveur, ou aucun certificat utilisable n'est lié au SMTP."),
            Fix = T("Enable STARTTLS on {Host}: bind a current certificate to SMTP (Exchange: Enable-ExchangeCertificate -Services SMTP) so its receive connector offers it. Keep the connector's TlsSettings as they are.",
                    "Activez STARTTLS sur {Host} : liez un certificat valide au SMTP (Exchange : Enable-ExchangeCertificate -Services SMTP) pour que son connecteur de réception le propose. Gardez les TlsSettings du connecteur tels quels."),
            PartnerFix = T("Ask the partner to enable STARTTLS on {Host}; the connector requires TLS.",
                           "Demandez au partenaire d'activer STARTTLS sur {Host} ; le connecteur exige le TLS."),
            ProbeImplication = T("Microsoft 365 will meet the same unless a firewall on this computer's way out hides STARTTLS.",
                                 "Microsoft 365 rencontrera la même chose, sauf si un pare-feu sur la sortie de ce poste cache STARTTLS."),
            SenderCause = T("{^Sender} requires TLS toward {Server}, which does not offer STARTTLS: TLS is off on that server, it has no usable certificate bound to SMTP, or a firewall on the way hides it.",
                            "{^Sender} exige le TLS vers {Server}, qui ne propose pas STARTTLS : le TLS est désactivé sur ce serveur, aucun certificat utilisable n'y est lié au SMTP, ou un pare-feu sur le chemin le cache."),
            SenderFix = T("Whoever runs {Host} must enable STARTTLS there (a current certificate bound to SMTP); check also that no SMTP-inspecting firewall on the way out of {SenderOf} network hides it. Do not lower TLS on the sending side to let the mail through.",
                          "L'exploitant de {Host} doit y activer STARTTLS (un certificat valide lié au SMTP) ; vérifiez aussi qu'aucun pare-feu qui inspecte le SMTP en sortie du réseau {SenderOf} ne le cache. N'abaissez pas le TLS du côté de l'envoi pour faire passer le courrier."),
            FromProbe = f => f.EhloDone && !f.StartTlsOffered && f.Tls.RequiresTls(),
            PossibleUnderTlsSettings = IsSet,
            // Postfix: "TLS is required, but was not offered by host mx.contoso.com[203.0.113.5]".
            Evidence = Words(NoTokens, @"(?:doesn't|does not|did not|didn't) support (?:TLS|STARTTLS)", "TLS is required,? but was not offered",
                @"STARTTLS (?:was )?not (?:offered|advertised|supported)"),
            Repair = new ManualRepair("EnableStartTls", check: c => c.Reproduce().Switch("IncludeTranscript")),
        };

        public static readonly Scenario StartTlsRefused = new Scenario(Reason.StartTlsRefused)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("STARTTLS refused", "STARTTLS refusé"),
            Cause = T("{Server} offers STARTTLS but answered {Reply} when {Sender} asked for it: its TLS set-up is broken (often a certificate it cannot load).",
                      "{Server} propose STARTTLS mais a répondu {Reply} quand {Sender} l'a demandé : sa configuration TLS est cassée (souvent un certificat qu'il ne peut pas charger)."),
            Fix = T("Check TLS on {Host}: the certificate bound to SMTP, its private key, and the TLS versions enabled (TLS 1.2 at least).",
                    "Vérifiez le TLS de {Host} : le certificat lié au SMTP, sa clé privée, et les versions de TLS activées (TLS 1.2 au moins)."),
            PartnerFix = T("Ask the partner to repair TLS on {Host}: it refuses STARTTLS with {Reply}.",
                           "Demandez au partenaire de réparer le TLS de {Host} : il refuse STARTTLS avec {Reply}."),
            FromProbe = f => f.RejectedCode != null && f.Stage == ProbeStage.StartTls,
            Evidence = Words(NoTokens, "TLS not available", @"454 4\.7\.0", "refused to start TLS"),
            Repair = new ManualRepair("CheckStartTls", check: c => c.Reproduce().Switch("IncludeTranscript")),
        };

        public static readonly Scenario TlsRequiredByServer = new Scenario(Reason.TlsRequiredByServer)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("the server demands STARTTLS", "le serveur exige STARTTLS"),
            Cause = T("{Server} demands STARTTLS ({Reply}) but does not offer it: its certificate is missing, expired or not bound to SMTP, so the receive connector hides STARTTLS while still requiring it. If it does offer STARTTLS, the fault is on the sending side: {Sender} did not start TLS.",
                      "{Server} exige STARTTLS ({Reply}) mais ne le propose pas : son certificat manque, a expiré ou n'est pas lié au SMTP, si bien que le connecteur de réception cache STARTTLS tout en l'exigeant. S'il propose bien STARTTLS, le problème est du côté de l'envoi : {Sender} n'a pas démarré le TLS."),
            Fix = T("On {Host}, bind a current certificate to SMTP (Exchange: Get-ExchangeCertificate, then Enable-ExchangeCertificate -Services SMTP, and the receive connector's TlsCertificateName) so that STARTTLS is offered again. If it already offers STARTTLS, turn TLS on at the sender instead (Postfix: smtp_tls_security_level = may or stricter).",
                    "Sur {Host}, liez un certificat valide au SMTP (Exchange : Get-ExchangeCertificate, puis Enable-ExchangeCertificate -Services SMTP, et le TlsCertificateName du connecteur de réception) pour que STARTTLS soit de nouveau proposé. S'il propose déjà STARTTLS, activez plutôt le TLS chez l'émetteur (Postfix : smtp_tls_security_level = may ou plus strict)."),
            PartnerFix = T("Ask the partner to bind a valid certificate to SMTP on {Host}: it requires STARTTLS but does not offer it.",
                           "Demandez au partenaire de lier un certificat valide au SMTP sur {Host} : il exige STARTTLS sans le proposer."),
            FromProbe = f => !f.StartTlsOffered && f.RecipientReply != null
                             && (f.RecipientReply.StartsWith("530", System.StringComparison.Ordinal) || f.RecipientReply.IndexOf("STARTTLS", System.StringComparison.OrdinalIgnoreCase) >= 0),
            // The server's own reply before MAIL: "530 5.7.0 Must issue a STARTTLS command first" (Postfix's smtpd),
            // "451 5.7.3 STARTTLS is required to send mail" (Exchange); 5.7.0 and 5.7.3 are read by their wording.
            Evidence = Words(NoTokens, "STARTTLS is required", "Must issue a STARTTLS command first", @"530 5\.7\.0"),
            Repair = new ManualRepair("BindCertificateToSmtp", check: c => c.Reproduce().Switch("IncludeTranscript")),
        };

        public static readonly Scenario TlsVersionUnsupported = new Scenario(Reason.TlsVersionUnsupported)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("no TLS 1.2", "pas de TLS 1.2"),
            Cause = T("{Server} offers only TLS versions older than 1.2; Microsoft 365 sends with TLS 1.2 or later only, so the handshake fails.",
                      "{Server} ne propose que des versions de TLS antérieures à 1.2 ; Microsoft 365 n'envoie qu'en TLS 1.2 ou ultérieur, la négociation échoue donc."),
            Fix = T("Enable TLS 1.2 (and 1.3 where available) on {Host} and its operating system; on Windows, in SCHANNEL and for .NET (SchUseStrongCrypto).",
                    "Activez TLS 1.2 (et 1.3 si disponible) sur {Host} et son système ; sous Windows, dans SCHANNEL et pour .NET (SchUseStrongCrypto)."),
            PartnerFix = T("Ask the partner to enable TLS 1.2 on {Host}.", "Demandez au partenaire d'activer TLS 1.2 sur {Host}."),
            SenderCause = T("{^Sender} and {Server} share no TLS version: one side offers only versions the other has turned off (older than TLS 1.2, say).",
                            "{^Sender} et {Server} n'ont aucune version de TLS en commun : l'un ne propose que des versions que l'autre a désactivées (antérieures à TLS 1.2, par exemple)."),
            SenderFix = T("Enable TLS 1.2 (and 1.3 where available) on both {Sender} and {Host}: on Windows, in SCHANNEL and for .NET (SchUseStrongCrypto), which Exchange Server needs for TLS 1.2; then check that neither side offers only older versions.",
                          "Activez TLS 1.2 (et 1.3 si disponible) sur {Sender} comme sur {Host} : sous Windows, dans SCHANNEL et pour .NET (SchUseStrongCrypto), dont Exchange Server a besoin pour TLS 1.2 ; vérifiez ensuite qu'aucun des deux ne propose que des versions anciennes."),
            FromProbe = f => f.TlsFailure == TlsFailure.VersionUnsupported,
            Evidence = Words(NoTokens, "UnsupportedProtocolVersion", "protocol version", "unsupported protocol"),
            Repair = new ManualRepair("EnableTls12"),
        };

        public static readonly Scenario TlsHandshakeFailed = new Scenario(Reason.TlsHandshakeFailed)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("TLS negotiation failed", "échec de la négociation TLS"),
            Cause = T("{Server} offered STARTTLS but the TLS handshake failed ({Problems}). Microsoft 365 then queues the mail rather than send it in clear text.",
                      "{Server} a proposé STARTTLS mais la négociation TLS a échoué ({Problems}). Microsoft 365 met alors le courrier en file d'attente plutôt que de l'envoyer en clair."),
            Fix = T("Check TLS on {Host}: TLS 1.2 enabled with current cipher suites, a certificate with its private key bound to SMTP, and no SMTP-inspecting firewall in the way.",
                    "Vérifiez le TLS de {Host} : TLS 1.2 activé avec des suites de chiffrement actuelles, un certificat avec sa clé privée lié au SMTP, et aucun pare-feu qui inspecte le SMTP sur le chemin."),
            PartnerFix = T("Ask the partner to check TLS on {Host}: the handshake with {Sender} fails.",
                           "Demandez au partenaire de vérifier le TLS de {Host} : la négociation avec {Sender} échoue."),
            ProbeImplication = T("Microsoft 365 will meet the same unless an SMTP-inspecting firewall on this computer's way out broke the handshake.",
                                 "Microsoft 365 rencontrera la même chose, sauf si un pare-feu qui inspecte le SMTP sur la sortie de ce poste a cassé la négociation."),
            SenderCause = T("{Server} offered STARTTLS but the TLS handshake with {Sender} failed ({Problems}), so the mail waits in its queue.",
                            "{Server} a proposé STARTTLS mais la négociation TLS avec {Sender} a échoué ({Problems}) : le courrier attend donc dans sa file d'attente."),
            SenderFix = T("Check TLS on {Sender} first: TLS 1.2 enabled with current cipher suites, the certificate it offers (Exchange: the send connector's TlsCertificateName), and no SMTP-inspecting firewall or proxy on the way out; if all of that is right, ask whoever runs {Host} to check its TLS.",
                          "Vérifiez d'abord le TLS {SenderOf} : TLS 1.2 activé avec des suites de chiffrement actuelles, le certificat qu'il présente (Exchange : le TlsCertificateName du connecteur d'envoi), et aucun pare-feu ni proxy qui inspecte le SMTP en sortie ; si tout cela est juste, demandez à l'exploitant de {Host} de vérifier son TLS."),
            FromProbe = f => f.TlsHandshakeFailed,
            Evidence = Words(NoTokens, "TLS negotiation failed", "Security status IllegalMessage", "TLS handshake failed", "AlgorithmMismatch", "Échec de la négociation TLS",
                "Cannot start TLS"),
            Repair = new ManualRepair("CheckServerTls"),
        };

        public static readonly Scenario NotSmtp = new Scenario(Reason.NotSmtp)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("reply is not SMTP", "la réponse n'est pas du SMTP"),
            Cause = T("What {Server} sent on port {Port} is not an SMTP reply: another service listens there, or it sent a line far beyond SMTP's 512-octet limit.",
                      "Ce que {Server} a envoyé sur le port {Port} n'est pas une réponse SMTP : un autre service y écoute, ou il a envoyé une ligne bien au-delà de la limite de 512 octets du SMTP."),
            Fix = T("Check what listens on TCP 25 at {Host}: it must be the mail server, not a web server, a proxy or another service; correct the port forwarding if needed.",
                    "Vérifiez ce qui écoute sur le TCP 25 de {Host} : ce doit être le serveur de messagerie, pas un serveur web, un proxy ou un autre service ; corrigez la redirection de port si besoin."),
            PartnerFix = T("Ask the partner what answers on TCP 25 at {Host}: it is not an SMTP server.",
                           "Demandez au partenaire ce qui répond sur le TCP 25 de {Host} : ce n'est pas un serveur SMTP."),
            ProbeImplication = T("Microsoft 365 will meet the same unless something on this computer's way out answers in the server's place (a transparent proxy on port 25).",
                                 "Microsoft 365 rencontrera la même chose, sauf si un équipement sur la sortie de ce poste répond à la place du serveur (un proxy transparent sur le port 25)."),
            SenderFix = T("Check that nothing on the way out of {SenderOf} network answers in place of {Host} (a transparent proxy on port 25); if nothing does, whoever runs {Host} must make its mail server, not another service, answer on TCP 25.",
                          "Vérifiez que rien en sortie du réseau {SenderOf} ne répond à la place de {Host} (un proxy transparent sur le port 25) ; si rien ne le fait, l'exploitant de {Host} doit faire répondre son serveur de messagerie, et non un autre service, sur le TCP 25."),
            FromProbe = f => f.NotSmtp,
            Evidence = Words(NoTokens, @"not (?:a valid )?SMTP (?:reply|response|server)"),
            Repair = new ManualRepair("CheckWhatListens", check: c => c.Reproduce().Switch("IncludeTranscript")),
        };
    }
}
