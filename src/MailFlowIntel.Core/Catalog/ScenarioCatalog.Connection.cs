using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Catalog
{
    // 450 4.4.315 Connection timed out, 450 4.4.316 Connection refused, 450 4.4.318 Connection was closed abruptly, and
    // the connections that never reached the server (no route: Exchange files them under 450 4.4.317 Cannot connect).
    // Postfix's own log lines name the same faults without a code; they take the code Microsoft 365 would give (Evidence/PostfixLog).
    public static partial class ScenarioCatalog
    {
        static PsCommand TestPort(RepairContext c) =>
            new PsCommand("Test-NetConnection").Param("ComputerName", c.Facts.Address ?? c.Server).Param("Port", "25");

        static PsCommand Transcript(RepairContext c) =>
            c.Reproduce().Switch("IncludeTranscript").Pipe(new PsCommand("Select-Object").Literal("-ExpandProperty Transcript"));

        public static readonly Scenario ConnectionRefused = new Scenario(Reason.ConnectionRefused)
        {
            Family = CodeFamily.ConnectionRefused,
            FamilyDefault = true,
            Cause = T("{^SenderOf} connection to {Server} on port {Port} was refused (a TCP reset): nothing listens there, or a firewall rejects {SenderOf} addresses.",
                      "La connexion TCP {SenderOf} à {Server} sur le port {Port} a été refusée (réponse par une réinitialisation) : rien n'y écoute, ou un pare-feu rejette les adresses {SenderOf}."),
            Fix = T("Allow Microsoft 365's Exchange Online addresses to reach {Host} on TCP 25 and check that its SMTP service runs; if on-premises mail was retired on purpose, disable {Connector} and make the domain Authoritative (Repair-ConnectorConfig -Decommissioned).",
                    "Autorisez les adresses d'Exchange Online de Microsoft 365 à joindre {Host} sur le TCP 25 et vérifiez que son service SMTP tourne ; si la messagerie locale a été retirée volontairement, désactivez {Connector} et passez le domaine en Authoritative (Repair-ConnectorConfig -Decommissioned)."),
            PartnerFix = T("Ask the partner to accept connections from Microsoft 365 on TCP 25 at {Host}; there is nothing to change on your side.",
                           "Demandez au partenaire d'accepter les connexions de Microsoft 365 sur le TCP 25 de {Host} ; rien n'est à changer de votre côté."),
            ProbeImplication = T("Microsoft 365 will meet the same unless the firewall treats its addresses differently.",
                                 "Microsoft 365 rencontrera la même chose, sauf si le pare-feu traite ses adresses autrement."),
            SenderFix = T("Look at the way out first: a firewall or proxy of {SenderOf} network that resets connections to {Host} on TCP {Port}, and {SenderOf} route to it (Exchange: the send connector's SmartHosts or DNS routing; Postfix: relayhost); test from {Sender} itself (Test-NetConnection -ComputerName {Host} -Port {Port}). If the way out is clear, whoever runs {Host} must make it listen on TCP 25 and accept {SenderOf} address.",
                          "Regardez d'abord la sortie : un pare-feu ou un proxy du réseau {SenderOf} qui réinitialise les connexions vers {Host} sur le TCP {Port}, et l'acheminement {SenderOf} vers lui (Exchange : les SmartHosts ou le routage DNS du connecteur d'envoi ; Postfix : relayhost) ; testez depuis {Sender} lui-même (Test-NetConnection -ComputerName {Host} -Port {Port}). Si la sortie est libre, l'exploitant de {Host} doit le faire écouter sur le TCP 25 et accepter l'adresse {SenderOf}."),
            FromProbe = f => f.ConnectFault == SocketFault.Refused,
            Evidence = Words(new[] { "Socket error code 10061" }, "10061", "actively refused", "connection refused", "ECONNREFUSED", "ConnectionRefused", "Connexion refusée"),
            Repair = new RefusedRepair(),
        };

        public static readonly Scenario ConnectTimedOut = new Scenario(Reason.ConnectTimedOut)
        {
            Family = CodeFamily.ConnectionTimedOut,
            FamilyDefault = true,
            Cause = T("{Server} did not answer {SenderOf} TCP connection on port {Port} in time: the host is down, a firewall on the way silently drops port 25, or the connection goes to an address where nothing is (a connector that still names an old address, after a change of internet provider, say).",
                      "{Server} n'a pas répondu à temps à la connexion TCP {SenderOf} sur le port {Port} : l'hôte est arrêté, un pare-feu sur le chemin ignore le port 25 sans répondre, ou la connexion vise une adresse où il n'y a rien (un connecteur qui nomme encore une ancienne adresse, après un changement de fournisseur d'accès, par exemple)."),
            Fix = T("Check that {Host} is up and listening on TCP 25, that the firewall in front of it lets Microsoft 365's addresses through instead of dropping them, and that the smart hosts of {Connector} hold its current address.",
                    "Vérifiez que {Host} est en marche et écoute sur le TCP 25, que le pare-feu devant lui laisse passer les adresses de Microsoft 365 au lieu de les ignorer, et que les hôtes actifs de {Connector} portent son adresse actuelle."),
            PartnerFix = T("Ask the partner whether {Host} is up and reachable on TCP 25 from Microsoft 365.",
                           "Demandez au partenaire si {Host} est en marche et joignable sur le TCP 25 depuis Microsoft 365."),
            ProbeImplication = T("Microsoft 365 will meet the same unless a firewall on the way treats its addresses differently from this computer's.",
                                 "Microsoft 365 rencontrera la même chose, sauf si un pare-feu sur le chemin traite ses adresses autrement que celles de ce poste."),
            SenderFix = T("Look at the way out first: outbound TCP {Port} is often blocked or dropped by the firewall or proxy of {SenderOf} network, so test from {Sender} itself (Test-NetConnection -ComputerName {Host} -Port {Port}), and check that {SenderOf} route leads to the current address of {Host} (Exchange: the send connector's SmartHosts or DNS routing; Postfix: relayhost). If the way out is clear, whoever runs {Host} must check that it is up and reachable on TCP 25.",
                          "Regardez d'abord la sortie : le TCP {Port} sortant est souvent bloqué ou ignoré par le pare-feu ou le proxy du réseau {SenderOf} ; testez donc depuis {Sender} lui-même (Test-NetConnection -ComputerName {Host} -Port {Port}), et vérifiez que l'acheminement {SenderOf} mène à l'adresse actuelle de {Host} (Exchange : les SmartHosts ou le routage DNS du connecteur d'envoi ; Postfix : relayhost). Si la sortie est libre, l'exploitant de {Host} doit vérifier qu'il est en marche et joignable sur le TCP 25."),
            FromProbe = f => f.ConnectFault == SocketFault.NoAnswer,
            Evidence = Words(new[] { "Socket error code 10060" }, "10060", "connection timed out", "ETIMEDOUT", "Délai de connexion dépassé"),
            Repair = new ManualRepair("CheckServerReachable", check: TestPort),
        };

        // Winsock 10051 (WSAENETUNREACH) and 10065 (WSAEHOSTUNREACH), Unix's ENETUNREACH and EHOSTUNREACH: the sender had no
        // route, so the server was never reached; which sender it was follows the evidence's vantage ({Sender}).
        public static readonly Scenario NetworkUnreachable = new Scenario(Reason.NetworkUnreachable)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("network unreachable", "réseau injoignable"),
            Cause = T("The connection never reached {Server}: from {Sender}, its network was unreachable (Winsock 10051, no route to that network). Nothing was refused; the path is missing: an address that is not routed on the internet (a private address, or an IPv6 address where the sender has no IPv6 route), or a routing fault at a provider.",
                      "La connexion n'a jamais atteint {Server} : depuis {Sender}, son réseau était injoignable (Winsock 10051, aucune route vers ce réseau). Rien n'a été refusé ; c'est le chemin qui manque : une adresse non routée sur Internet (une adresse privée, ou une adresse IPv6 là où l'émetteur n'a pas de route IPv6), ou une panne de routage chez un fournisseur."),
            Fix = T("Check the address {Sender} used for {Host}: the smart host or MX must resolve to a public address that is routed on the internet (publish an AAAA record only where IPv6 really works); if it does, have the network team of {Host} check that its provider announces that network.",
                    "Vérifiez l'adresse que {Sender} a utilisée pour {Host} : l'hôte actif ou le MX doit se résoudre en une adresse publique routée sur Internet (ne publiez d'enregistrement AAAA que là où l'IPv6 fonctionne vraiment) ; si c'est le cas, faites vérifier par l'équipe réseau de {Host} que son fournisseur annonce ce réseau."),
            PartnerFix = T("Ask the partner whether the address of {Host} is public and routed: from {Sender}, no route leads to its network.",
                           "Demandez au partenaire si l'adresse de {Host} est publique et routée : depuis {Sender}, aucune route ne mène à son réseau."),
            SenderFix = T("Look at {SenderOf} own routing first: its default gateway and outbound firewall toward the address of {Host}, and whether it tried IPv6 without an IPv6 route (give it one, or have it prefer IPv4); check that its route names the right host (Exchange: the send connector's SmartHosts; Postfix: relayhost). If {Sender} reaches other networks, have whoever runs {Host} check that its address is public and routed.",
                          "Regardez d'abord le routage propre {SenderOf} : sa passerelle par défaut et son pare-feu sortant vers l'adresse de {Host}, et s'il a tenté l'IPv6 sans route IPv6 (donnez-lui-en une, ou faites-lui préférer l'IPv4) ; vérifiez que son acheminement nomme le bon hôte (Exchange : les SmartHosts du connecteur d'envoi ; Postfix : relayhost). Si {Sender} atteint d'autres réseaux, faites vérifier par l'exploitant de {Host} que son adresse est publique et routée."),
            Evidence = Words(new[] { "Socket error code 10051" }, "10051", "WSAENETUNREACH", "ENETUNREACH", "NetworkUnreachable", "network is unreachable",
                "unreachable network", "réseau (?:est )?injoignable"),
            Repair = new ManualRepair("CheckRouteToServer", check: TestPort),
        };

        public static readonly Scenario HostUnreachable = new Scenario(Reason.HostUnreachable)
        {
            Family = CodeFamily.CannotConnect,
            Label = T("host unreachable", "hôte injoignable"),
            Cause = T("The connection never reached {Server}: from {Sender}, no route led to that host (Winsock 10065, \u201Cno route to host\u201D). The network on the way answered that the host cannot be reached: it is down or disconnected, or a router or firewall in front of it rejects the traffic with an \u201Cunreachable\u201D message.",
                      "La connexion n'a jamais atteint {Server} : depuis {Sender}, aucune route ne menait à cet hôte (Winsock 10065, \u00AB pas de route vers l'hôte \u00BB). Le réseau sur le chemin a répondu que l'hôte est injoignable : il est arrêté ou déconnecté, ou un routeur ou un pare-feu devant lui rejette le trafic par un message \u00AB injoignable \u00BB."),
            Fix = T("Check that {Host} is up and connected at the address it resolves to, and that no router or firewall in front of it rejects port 25 with a \u201Chost unreachable\u201D answer (a reject rule instead of an allow).",
                    "Vérifiez que {Host} est en marche et connecté à l'adresse en laquelle il se résout, et qu'aucun routeur ni pare-feu devant lui ne rejette le port 25 par une réponse \u00AB hôte injoignable \u00BB (une règle de rejet au lieu d'une autorisation)."),
            PartnerFix = T("Ask the partner whether {Host} is up: from {Sender}, no route leads to it.",
                           "Demandez au partenaire si {Host} est en marche : depuis {Sender}, aucune route ne mène à lui."),
            SenderFix = T("Look at the way out first: {SenderOf} gateway and outbound firewall (a reject rule there answers “host unreachable” too), and whether its route names the right host (Exchange: the send connector's SmartHosts; Postfix: relayhost). If the way out is clear, {Host} is down or disconnected, or a firewall in front of it rejects port 25: ask whoever runs it.",
                          "Regardez d'abord la sortie : la passerelle et le pare-feu sortant {SenderOf} (une règle de rejet y répond aussi « hôte injoignable »), et si son acheminement nomme le bon hôte (Exchange : les SmartHosts du connecteur d'envoi ; Postfix : relayhost). Si la sortie est libre, {Host} est arrêté ou déconnecté, ou un pare-feu devant lui rejette le port 25 : demandez à son exploitant."),
            Evidence = Words(new[] { "Socket error code 10065" }, "10065", "WSAEHOSTUNREACH", "EHOSTUNREACH", "HostUnreachable", "No route to host",
                "host is unreachable", "unreachable host", "hôte (?:est )?injoignable"),
            Repair = new ManualRepair("CheckRouteToServer", check: TestPort),
        };

        public static readonly Scenario GreetingTimedOut = new Scenario(Reason.GreetingTimedOut)
        {
            Family = CodeFamily.ConnectionTimedOut,
            Label = T("no greeting", "pas de message d'accueil"),
            Cause = T("{Server} accepted the TCP connection but sent no SMTP greeting in time: its mail service hangs, or a device in front of it holds the connection.",
                      "{Server} a accepté la connexion TCP mais n'a envoyé aucun message d'accueil SMTP à temps : son service de messagerie est bloqué, ou un équipement devant lui retient la connexion."),
            Fix = T("Check the SMTP service on {Host} (restart it if it hangs), its load and logs, and any load balancer or proxy in front of it.",
                    "Vérifiez le service SMTP de {Host} (redémarrez-le s'il est bloqué), sa charge et ses journaux, ainsi que tout équilibreur de charge ou proxy placé devant."),
            PartnerFix = T("Ask the partner to check the SMTP service on {Host}: it accepts connections but never greets.",
                           "Demandez au partenaire de vérifier le service SMTP de {Host} : il accepte les connexions mais n'envoie jamais d'accueil."),
            ProbeImplication = T("A hung service greets no one, so Microsoft 365 will meet the same, unless the device that holds the connection is on this computer's path only.",
                                 "Un service bloqué n'accueille personne : Microsoft 365 rencontrera donc la même chose, sauf si l'équipement qui retient la connexion n'est que sur le chemin de ce poste."),
            SenderFix = T("Look first for what stands between {Sender} and {Host}: an outbound proxy or SMTP-inspecting firewall that holds the connection. If nothing does, whoever runs {Host} must check its SMTP service (restart it if it hangs), its load, and any load balancer in front of it.",
                          "Cherchez d'abord ce qui se trouve entre {Sender} et {Host} : un proxy sortant ou un pare-feu qui inspecte le SMTP et retient la connexion. S'il n'y a rien, l'exploitant de {Host} doit vérifier son service SMTP (le redémarrer s'il est bloqué), sa charge, et tout équilibreur de charge placé devant."),
            FromProbe = f => f.TimedOut && f.Stage == ProbeStage.Greeting,
            Evidence = Words(NoTokens, @"(?:no|waiting for (?:the )?)(?:SMTP )?(?:greeting|banner)", "timed out while receiving the initial server greeting"),
            Repair = new ManualRepair("CheckMailService", check: Transcript),
        };

        public static readonly Scenario ReplyTimedOut = new Scenario(Reason.ReplyTimedOut)
        {
            Family = CodeFamily.ConnectionTimedOut,
            Label = T("reply timed out", "délai de réponse dépassé"),
            Cause = T("{Server} stopped answering during the session, for longer than {Sender} waits.",
                      "{Server} a cessé de répondre pendant la session, plus longtemps que {Sender} n'attend."),
            Fix = T("Check the load and health of the mail service on {Host}, and any SMTP-inspecting firewall that may hold its replies.",
                    "Vérifiez la charge et l'état du service de messagerie de {Host}, ainsi que tout pare-feu qui inspecte le SMTP et pourrait retenir ses réponses."),
            PartnerFix = T("Ask the partner to check the mail service on {Host}: it stops answering in the middle of the session.",
                           "Demandez au partenaire de vérifier le service de messagerie de {Host} : il cesse de répondre en cours de session."),
            ProbeImplication = T("Microsoft 365 will meet the same unless what holds the replies is on this computer's path only (an SMTP-inspecting firewall on the way out).",
                                 "Microsoft 365 rencontrera la même chose, sauf si ce qui retient les réponses n'est que sur le chemin de ce poste (un pare-feu qui inspecte le SMTP en sortie)."),
            SenderFix = T("Look first for an SMTP-inspecting firewall or proxy on the way out of {SenderOf} network that may hold the replies; if there is none, whoever runs {Host} must check the load and health of its mail service.",
                          "Cherchez d'abord un pare-feu ou un proxy qui inspecte le SMTP en sortie du réseau {SenderOf} et pourrait retenir les réponses ; s'il n'y en a pas, l'exploitant de {Host} doit vérifier la charge et l'état de son service de messagerie."),
            FromProbe = f => f.TimedOut,
            Evidence = Words(NoTokens, "Timeout waiting for client input", @"dropped due to TimedOut", "TimedOut", @"timed out", "time-?out", "timeout"),
            Repair = new ManualRepair("CheckMailService", check: Transcript),
        };

        public static readonly Scenario ClosedAbruptly = new Scenario(Reason.ClosedAbruptly)
        {
            Family = CodeFamily.ClosedAbruptly,
            FamilyDefault = true,
            Cause = T("{Server}, or a device between, closed the connection in the middle of the session: an SMTP-inspecting firewall, a mail service that crashes or runs out of resources, or an unstable network path.",
                      "{Server}, ou un équipement intermédiaire, a fermé la connexion en pleine session : un pare-feu qui inspecte le SMTP, un service de messagerie qui plante ou manque de ressources, ou un chemin réseau instable."),
            Fix = T("Turn off SMTP inspection on the firewall in front of {Host}, check the mail service's health and resources, and have the network team trace the path from Microsoft 365.",
                    "Désactivez l'inspection SMTP du pare-feu devant {Host}, vérifiez l'état et les ressources du service de messagerie, et faites tracer le chemin depuis Microsoft 365 par l'équipe réseau."),
            PartnerFix = T("Ask the partner to check {Host}: it drops sessions with {Sender} midway.",
                           "Demandez au partenaire de vérifier {Host} : il coupe les sessions {SenderOf} en cours de route."),
            ProbeImplication = T("Microsoft 365 will meet the same unless what closes it is on this computer's path only (a firewall or proxy on the way out from here).",
                                 "Microsoft 365 rencontrera la même chose, sauf si ce qui la ferme n'est que sur le chemin de ce poste (un pare-feu ou un proxy en sortie d'ici)."),
            SenderFix = T("Turn off SMTP inspection on the firewalls between {Sender} and {Host}, the one on the way out first, and have the network team check that path; if the drops come from {Host} itself, ask whoever runs it to check the health and resources of its mail service.",
                          "Désactivez l'inspection SMTP des pare-feu entre {Sender} et {Host}, celui de la sortie d'abord, et faites vérifier ce chemin par l'équipe réseau ; si les coupures viennent de {Host} lui-même, demandez à son exploitant de vérifier l'état et les ressources de son service de messagerie."),
            FromProbe = f => f.Closed,
            Evidence = Words(new[] { "Socket error code 10054", "Socket error code 10053" }, "10054", "10053", "forcibly closed", "Connection dropped",
                @"connection (?:was )?(?:reset|closed|aborted)", "closed abruptly", "SuspiciousRemoteServerError", "ConnectionReset", "ConnectionAborted",
                "lost connection", "disconnected", "closed by the remote", "interrompue brusquement"),
            Repair = new ManualRepair("CheckConnectionDrops", check: Transcript),
        };
    }
}
