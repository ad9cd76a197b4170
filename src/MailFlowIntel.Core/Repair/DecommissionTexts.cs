using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>The words of the checks -Decommissioned makes before it acts: format strings ({0}...), English and French.</summary>
    internal static class DecommissionTexts
    {
        public static readonly Phrase DomainsWhy = new Phrase(
            "Which accepted domains the decommission would change: a connector tied to none is not disabled.",
            "Quels domaines acceptés la mise hors service changerait : un connecteur lié à aucun n'est pas désactivé.");
        public static readonly Phrase DomainsFound = new Phrase(
            "Accepted domains of {0}: {1}.", "Domaines acceptés de {0} : {1}.");
        public static readonly Phrase DomainsNone = new Phrase(
            "No accepted domain of this organisation matches the recipient domains of {0} ({1}): nothing would change, so nothing is disabled.",
            "Aucun domaine accepté de cette organisation ne correspond aux domaines destinataires de {0} ({1}) : rien ne changerait, rien n'est donc désactivé.");
        public static readonly Phrase WildcardParent = new Phrase(
            "{0} never changes {1} (a wildcard stands for subdomains).", "{0} ne change jamais {1} (un générique désigne des sous-domaines).");
        public static readonly Phrase ToAuthoritative = new Phrase("{0} ({1} to Authoritative)", "{0} ({1} vers Authoritative)");
        public static readonly Phrase AlreadyAuthoritative = new Phrase("{0} (Authoritative already)", "{0} (déjà Authoritative)");

        public static readonly Phrase MxWhy = new Phrase(
            "Where internet mail for {0} arrives: an MX that is a smart host of the connector, or one of its addresses, means it still goes on-premises.",
            "Où arrive le courrier Internet pour {0} : un MX qui est un hôte actif du connecteur, ou l'une de ses adresses, signifie qu'il va encore en local.");
        public static readonly Phrase MxElsewhere = new Phrase(
            "The MX of {0} is {1}: none of it is a smart host of {2} or one of its addresses.",
            "Le MX de {0} est {1} : rien n'y est un hôte actif de {2} ni l'une de ses adresses.");
        public static readonly Phrase MxIsSmartHost = new Phrase(
            "The MX of {0} is {1}, a smart host of {2}: internet mail for {0} still goes on-premises.",
            "Le MX de {0} est {1}, un hôte actif de {2} : le courrier Internet pour {0} va encore en local.");
        public static readonly Phrase MxAtSmartHostAddress = new Phrase(
            "The MX of {0}, {1}, resolves to {2}, an address of the smart host {3}: internet mail for {0} still goes on-premises.",
            "Le MX de {0}, {1}, pointe vers {2}, une adresse de l'hôte actif {3} : le courrier Internet pour {0} va encore en local.");
        public static readonly Phrase MxNullMx = new Phrase(
            "{0} publishes a Null MX: it takes no internet mail at all.", "{0} publie un MX nul : il ne reçoit aucun courrier Internet.");
        public static readonly Phrase MxUnanswered = new Phrase(
            "The MX of {0} could not be read ({1}): whether internet mail still goes on-premises is not known.",
            "Le MX de {0} n'a pas pu être lu ({1}) : on ne sait pas si le courrier Internet va encore en local.");

        public static readonly Phrase MailUserWhy = new Phrase(
            "Whether a mail user of {0} exists (one is enough: -ResultSize 1): its mailbox may still live on-premises.",
            "S'il existe un utilisateur de messagerie de {0} (un suffit : -ResultSize 1) : sa boîte peut encore être en local.");
        public static readonly Phrase MailUserFound = new Phrase(
            "A mail user of {0} exists ({1}): mail for it may still go to a mailbox on-premises.",
            "Un utilisateur de messagerie de {0} existe ({1}) : son courrier peut encore aller vers une boîte locale.");
        public static readonly Phrase MailUserNone = new Phrase(
            "No mail user of {0}.", "Aucun utilisateur de messagerie de {0}.");
        public static readonly Phrase MailUserUnanswered = new Phrase(
            "Whether a mail user of {0} exists could not be read ({1}).", "Impossible de savoir s'il existe un utilisateur de messagerie de {0} ({1}).");

        public static readonly Phrase SourceWhy = new Phrase(
            "Who made the connector: one made by the Hybrid Configuration Wizard carries hybrid mail flow.",
            "Qui a créé le connecteur : celui du Hybrid Configuration Wizard porte le flux de courrier hybride.");
        public static readonly Phrase SourceHybrid = new Phrase(
            "{0} was made by the Hybrid Configuration Wizard (ConnectorSource HybridWizard): hybrid mail flow depends on it; change it through the wizard, or remove the hybrid configuration first.",
            "{0} a été créé par le Hybrid Configuration Wizard (ConnectorSource HybridWizard) : le flux hybride en dépend ; modifiez-le par l'assistant, ou retirez d'abord la configuration hybride.");
        public static readonly Phrase SourceOther = new Phrase(
            "ConnectorSource {0}: not made by the Hybrid Configuration Wizard.", "ConnectorSource {0} : non créé par le Hybrid Configuration Wizard.");
        public static readonly Phrase SourceUnknown = new Phrase(
            "The ConnectorSource of {0} could not be read.", "Le ConnectorSource de {0} n'a pas pu être lu.");

        public static readonly Phrase VantageWhy = new Phrase(
            "Who saw the refusal: only Microsoft 365's own view shows that Exchange Online cannot deliver.",
            "Qui a vu le refus : seule la vue de Microsoft 365 montre qu'Exchange Online ne peut pas remettre.");
        public static readonly Phrase VantageMicrosoft365 = new Phrase(
            "Microsoft 365 itself saw the refusal (ObservedFrom {0}).", "Microsoft 365 a lui-même vu le refus (ObservedFrom {0}).");
        public static readonly Phrase VantageStated = new Phrase(
            "The refusal was stated by the admin (-Connector and -Code, nothing piped): taken as their decision.",
            "Le refus a été déclaré par l'administrateur (-Connector et -Code, rien par le pipeline) : pris comme sa décision.");
        public static readonly Phrase VantageOther = new Phrase(
            "The refusal was seen only from {0} (ObservedFrom {1}), not by Microsoft 365: Exchange Online may still reach the server.",
            "Le refus n'a été vu que depuis {0} (ObservedFrom {1}), pas par Microsoft 365 : Exchange Online peut encore joindre le serveur.");
        public static readonly Phrase ThisComputer = new Phrase("this computer", "cet ordinateur");
        public static readonly Phrase VantageUnknown = new Phrase(
            "The piped input does not say where the refusal was seen (no ObservedFrom).",
            "L'entrée du pipeline ne dit pas où le refus a été vu (pas d'ObservedFrom).");

        public static readonly Phrase Held = new Phrase(
            "Not made: a check before -Decommissioned says on-premises mail may still be in use, or could not be answered: {0} Settle it, then run this again; or run it with -Force to make the change anyway (each change is still confirmed).",
            "Non effectué : une vérification préalable à -Decommissioned indique que la messagerie locale peut encore servir, ou n'a pas pu répondre : {0} Réglez ce point puis relancez ; ou relancez avec -Force pour modifier malgré tout (chaque modification reste confirmée).");
        public static readonly Phrase Overrode = new Phrase(
            "Made with -Force over these checks: {0}", "Effectué avec -Force malgré ces vérifications : {0}");
        public static readonly Phrase Overridden = new Phrase("Overridden by -Force.", "Passé outre par -Force.");
    }
}
