using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Routing
{
    /// <summary>The words of Resolve-OutboundConnector's Because and warnings: format strings ({0}...), English and French.</summary>
    internal static class RoutingTexts
    {
        public static readonly Phrase Internal = new Phrase(
            "{0} is a recipient of this organisation ({1}): Exchange Online delivers to it inside the service, through no outbound connector.",
            "{0} est un destinataire de cette organisation ({1}) : Exchange Online le remet à l'intérieur du service, sans connecteur sortant.");
        public static readonly Phrase MailUser = new Phrase(
            "{0} is a {1} whose ExternalEmailAddress is {2}: its mail goes where mail for {2} goes.",
            "{0} est un {1} dont l'ExternalEmailAddress est {2} : son courrier va là où va celui de {2}.");
        public static readonly Phrase Rejected = new Phrase(
            "{0} is no recipient of this organisation and {1} is an Authoritative accepted domain: Exchange Online rejects the message (an Authoritative domain rejects unknown recipients).",
            "{0} n'est pas un destinataire de cette organisation et {1} est un domaine accepté Authoritative : Exchange Online rejette le message (un domaine Authoritative rejette les destinataires inconnus).");
        public static readonly Phrase NotInTenant = new Phrase(
            "{0} is no recipient of this organisation.", "{0} n'est pas un destinataire de cette organisation.");
        public static readonly Phrase LookupFailed = new Phrase(
            "Whether {0} is a recipient of this organisation could not be read ({1}); it is routed as an address outside it.",
            "Impossible de savoir si {0} est un destinataire de cette organisation ({1}) ; il est acheminé comme une adresse extérieure.");
        public static readonly Phrase Rule = new Phrase(
            "The transport rule '{0}' (priority {1}) routes it through '{2}', a connector used only through transport rules (IsTransportRuleScoped).",
            "La règle de transport '{0}' (priorité {1}) l'achemine par '{2}', un connecteur utilisé seulement par des règles de transport (IsTransportRuleScoped).");
        public static readonly Phrase RuleConditions = new Phrase(
            "The rule's other conditions were not evaluated; it routes this message only if they match: {0}.",
            "Les autres conditions de la règle n'ont pas été évaluées ; elle n'achemine ce message que si elles sont remplies : {0}.");
        public static readonly Phrase RuleFirst = new Phrase(
            "Assumed: a transport rule's connector is taken before any RecipientDomains match ({0}), and the rule of lowest priority number first; Microsoft does not document the order.",
            "Supposé : le connecteur d'une règle de transport passe avant toute correspondance de RecipientDomains ({0}), et la règle de plus petit numéro de priorité d'abord ; Microsoft ne documente pas cet ordre.");
        public static readonly Phrase RulesUnread = new Phrase(
            "The transport rules could not be read ({0}): a rule may send this message through a connector scoped to rules ({1}) instead.",
            "Les règles de transport n'ont pas pu être lues ({0}) : une règle peut envoyer ce message par un connecteur réservé aux règles ({1}).");
        public static readonly Phrase Domain = new Phrase(
            "'{0}' matches {1} through its RecipientDomains entry {2}.",
            "'{0}' correspond à {1} par son entrée RecipientDomains {2}.");
        public static readonly Phrase WildcardCoversDomain = new Phrase(
            "{0} covers the domain {1} itself as well as its subdomains (New-OutboundConnector, Example 1).",
            "{0} couvre le domaine {1} lui-même comme ses sous-domaines (New-OutboundConnector, exemple 1).");
        public static readonly Phrase AllAccepted = new Phrase(
            "'{0}' has AllAcceptedDomains: {1} is an accepted domain of this organisation ({2}) and the address is not in the tenant.",
            "'{0}' a AllAcceptedDomains : {1} est un domaine accepté de cette organisation ({2}) et l'adresse n'est pas dans le locataire.");
        public static readonly Phrase Longest = new Phrase(
            "Assumed: the most specific match wins (the exact domain, then the longest *.suffix, then AllAcceptedDomains, then *), as Exchange Server picks the most specific address space; Microsoft does not document the order for Exchange Online. Also matching: {0}.",
            "Supposé : la correspondance la plus précise l'emporte (le domaine exact, puis le plus long *.suffixe, puis AllAcceptedDomains, puis *), comme Exchange Server choisit l'espace d'adressage le plus précis ; Microsoft ne documente pas cet ordre pour Exchange Online. Correspondent aussi : {0}.");
        public static readonly Phrase Tie = new Phrase(
            "Several connectors match {0} equally ({1}): which one Exchange Online takes cannot be told from their settings, so none is picked.",
            "Plusieurs connecteurs correspondent autant à {0} ({1}) : leurs paramètres ne disent pas lequel Exchange Online prend, aucun n'est donc choisi.");
        public static readonly Phrase Mx = new Phrase(
            "No enabled connector matches {0}: Exchange Online delivers by the domain's MX records.",
            "Aucun connecteur activé ne correspond à {0} : Exchange Online remet le courrier selon les enregistrements MX du domaine.");
        public static readonly Phrase Disabled = new Phrase(
            "Disabled connectors are never used: {0}.", "Les connecteurs désactivés ne sont jamais utilisés : {0}.");
        public static readonly Phrase Centralized = new Phrase(
            "Centralized mail transport is on ('{0}' has RouteAllMessagesViaOnPremises): the messages it serves go through the on-premises organisation first.",
            "Le transport centralisé du courrier est actif ('{0}' a RouteAllMessagesViaOnPremises) : les messages qu'il sert passent d'abord par l'organisation locale.");
    }
}
