using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel
{
    /// <summary>The cmdlets' own words (warnings, statuses of steps), in English and French; the scenarios' texts live in the catalog.</summary>
    internal static class Messages
    {
        public static readonly Phrase ResolveNeedsExchangeOnline = new Phrase(
            "Resolve-OutboundConnector reads the tenant's connectors, accepted domains, recipients and transport rules: connect to Exchange Online first (Install-Module ExchangeOnlineManagement; Connect-ExchangeOnline).",
            "Resolve-OutboundConnector lit les connecteurs, domaines acceptés, destinataires et règles de transport du locataire : connectez-vous d'abord à Exchange Online (Install-Module ExchangeOnlineManagement ; Connect-ExchangeOnline).");
        public static readonly Phrase RulesCmdletMissing = new Phrase(
            "this session has no {0}", "cette session n'a pas {0}");
        public static readonly Phrase NotAnAddress = new Phrase(
            "'{0}' is not an email address.", "'{0}' n'est pas une adresse de messagerie.");
        public static readonly Phrase NoExchangeOnline = new Phrase(
            "The Exchange Online cmdlets are not in this session, so nothing will be changed. Connect first (Install-Module ExchangeOnlineManagement; Connect-ExchangeOnline), then run this again; meanwhile the plan below lists the commands to run.",
            "Les cmdlets Exchange Online ne sont pas dans cette session : rien ne sera modifié. Connectez-vous d'abord (Install-Module ExchangeOnlineManagement ; Connect-ExchangeOnline), puis relancez ; en attendant, le plan ci-dessous donne les commandes à exécuter.");
        public static readonly Phrase ReadOnlyExchangeOnline = new Phrase(
            "The Exchange Online session {0} can read connectors but not change them: {1} is not in it (its roles leave it out). The plan is made from the tenant's real values; nothing will be changed, and every change is a Manual action whose Command someone with that role can run.",
            "La session Exchange Online {0} peut lire les connecteurs mais pas les modifier : {1} n'y figure pas (ses rôles l'excluent). Le plan est établi d'après les valeurs réelles du locataire ; rien ne sera modifié, et chaque modification est une action Manual dont la Command peut être exécutée par quelqu'un qui a ce rôle.");
        public static readonly Phrase NotClaimedResolved = new Phrase(
            "{0} alert(s) of the baseline are not in this run but are not claimed resolved: the probing side failed (a DNS server that did not answer, or no route from this host to port 25, as on Azure virtual machines). Add -Verbose to see which.",
            "{0} alerte(s) de la référence ne figurent pas dans cette exécution mais ne sont pas déclarées résolues : le test a échoué de son côté (un serveur DNS qui n'a pas répondu, ou aucune route depuis ce poste vers le port 25, comme sur les machines virtuelles Azure). Ajoutez -Verbose pour savoir lesquelles.");
        public static readonly Phrase EgressBlocked = new Phrase(
            "This computer cannot open TCP port {0} to the internet: the check connection to {1} failed too, so {2} target(s) whose connection failed are NotTested (ProbeSideFault) rather than given a code Microsoft 365 would report. Probe from a host that can reach the internet on port {0}.",
            "Cet ordinateur ne peut pas ouvrir le port TCP {0} vers Internet : la connexion de contrôle à {1} a échoué elle aussi, donc {2} cible(s) dont la connexion a échoué sont NotTested (ProbeSideFault) plutôt que de recevoir un code que donnerait Microsoft 365. Testez depuis un hôte qui atteint Internet sur le port {0}.");
        public static readonly Phrase EveryConnectFailed = new Phrase(
            "Every target failed at the TCP connect on port {0}, and no egress check host was known (-EgressCheckHost, or an Exchange Online session whose tenant MX is checked): this computer may not reach the internet on port {0} at all, and then these codes are this computer's, not Microsoft 365's.",
            "Toutes les cibles ont échoué à la connexion TCP sur le port {0}, et aucun hôte de contrôle de sortie n'était connu (-EgressCheckHost, ou une session Exchange Online dont le MX du locataire est testé) : cet ordinateur n'atteint peut-être pas Internet sur le port {0}, et ces codes seraient alors les siens, pas ceux de Microsoft 365.");
        public static readonly Phrase PublicDnsUnreachable = new Phrase(
            "The public DNS server (-PublicDnsServer) did not answer: results follow this computer's DNS, and what Microsoft 365 resolves is unknown.",
            "Le serveur DNS public (-PublicDnsServer) n'a pas répondu : les résultats suivent le DNS de cet ordinateur, et ce que résout Microsoft 365 est inconnu.");
        public static readonly Phrase EndpointUriNotAllowed = new Phrase(
            "'{0}' is not allowed: the endpoints service is reached over https (plain http only on this computer's loopback, for a lab).",
            "'{0}' n'est pas permis : le service des points de terminaison se joint en https (http simple seulement sur le bouclage de cet ordinateur, pour un labo).");
        public static readonly Phrase EndpointCacheUsed = new Phrase(
            "The Microsoft 365 endpoints service did not answer ({0}): these are the cached ranges, fetched on {1}.",
            "Le service des points de terminaison de Microsoft 365 n'a pas répondu ({0}) : voici les plages en cache, lues le {1}.");
        public static readonly Phrase EndpointShippedUsed = new Phrase(
            "The Microsoft 365 endpoints service did not answer ({0}) and there is no cache: these are the ranges shipped in the module, dated {1} ({2} days old). Microsoft publishes changes monthly; run Get-MailFlowEndpoint -Update where the service can be reached.",
            "Le service des points de terminaison de Microsoft 365 n'a pas répondu ({0}) et il n'y a pas de cache : voici les plages livrées avec le module, datées du {1} (il y a {2} jours). Microsoft publie des changements chaque mois ; lancez Get-MailFlowEndpoint -Update là où le service est joignable.");
        public static readonly Phrase StringPiped = new Phrase(
            "'{0}' is text: pipe results, alerts or repair actions, or give a code with -Code.",
            "'{0}' est du texte : passez des résultats, des alertes ou des actions de réparation, ou donnez un code avec -Code.");
        public static readonly Phrase UndoOnly = new Phrase(
            "-Undo takes applied actions only: it cannot be combined with -Decommissioned, -AdoptCertificateName, -AcceptedDomain, -Verify or -ValidationRecipient.",
            "-Undo ne prend que des actions appliquées : il ne se combine pas avec -Decommissioned, -AdoptCertificateName, -AcceptedDomain, -Verify ni -ValidationRecipient.");
        public static readonly Phrase UnsupportedReportInput = new Phrase(
            "A {0} is not something the report shows: pipe Test-ConnectorDelivery results, Get-MailFlowAlert alerts or Repair-ConnectorConfig actions (live, or read back with Import-Clixml or Import-Csv).",
            "Un objet {0} n'est pas repris dans le rapport : passez des résultats de Test-ConnectorDelivery, des alertes de Get-MailFlowAlert ou des actions de Repair-ConnectorConfig (tels quels, ou relus avec Import-Clixml ou Import-Csv).");
        public static readonly Phrase ReportExists = new Phrase(
            "'{0}' exists and -NoClobber was given: the report was not written.",
            "'{0}' existe et -NoClobber a été donné : le rapport n'a pas été écrit.");
        public static readonly Phrase ReportReadOnly = new Phrase(
            "'{0}' is read-only: add -Force to replace it.",
            "'{0}' est en lecture seule : ajoutez -Force pour le remplacer.");
    }
}
