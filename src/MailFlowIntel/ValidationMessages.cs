using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel
{
    /// <summary>Invoke-OutboundConnectorValidation's own words (errors and warnings), in English and French.</summary>
    internal static class ValidationMessages
    {
        public static readonly Phrase SessionRequired = new Phrase(
            "Invoke-OutboundConnectorValidation needs an Exchange Online session: Microsoft 365 itself runs the validation. Connect first (Install-Module ExchangeOnlineManagement; Connect-ExchangeOnline), then run it again; nothing was sent.",
            "Invoke-OutboundConnectorValidation a besoin d'une session Exchange Online : c'est Microsoft 365 qui exécute la validation. Connectez-vous d'abord (Install-Module ExchangeOnlineManagement ; Connect-ExchangeOnline), puis relancez ; rien n'a été envoyé.");
        public static readonly Phrase CannotValidate = new Phrase(
            "The Exchange Online session {0} has no {1}: its roles leave it out. Nothing was sent.",
            "La session Exchange Online {0} n'a pas {1} : ses rôles l'excluent. Rien n'a été envoyé.");
        public static readonly Phrase CannotMark = new Phrase(
            "-MarkValidated needs {1}, which the Exchange Online session {0} does not have (its roles leave it out). Nothing was sent.",
            "-MarkValidated a besoin de {1}, que la session Exchange Online {0} n'a pas (ses rôles l'excluent). Rien n'a été envoyé.");
        public static readonly Phrase NotAnAddress = new Phrase(
            "'{0}' is not an email address (local@domain.tld): nothing was sent.",
            "'{0}' n'est pas une adresse de messagerie (local@domaine.tld) : rien n'a été envoyé.");
        public static readonly Phrase OutsideConnector = new Phrase(
            "'{0}' is not in a domain of connector '{1}' ({2}): Validate-OutboundConnector needs its recipients in the connector's domains. Nothing was sent through '{1}'.",
            "'{0}' n'est pas dans un domaine du connecteur '{1}' ({2}) : Validate-OutboundConnector veut ses destinataires dans les domaines du connecteur. Rien n'a été envoyé par '{1}'.");
        public static readonly Phrase NoDomains = new Phrase(
            "it names no RecipientDomains", "il ne nomme aucun RecipientDomains");
        public static readonly Phrase AcceptedDomainsToo = new Phrase(
            "and the tenant's accepted domains (AllAcceptedDomains)", "et les domaines acceptés du locataire (AllAcceptedDomains)");
        public static readonly Phrase ConnectorNotFound = new Phrase(
            "Exchange Online has no outbound connector '{0}': nothing was sent.",
            "Exchange Online n'a pas de connecteur sortant '{0}' : rien n'a été envoyé.");
        public static readonly Phrase NoConnectorNamed = new Phrase(
            "A {0} names no connector (Identity, Name or Connector): pipe Get-OutboundConnector objects, results or alerts, or give -Connector.",
            "Un objet {0} ne nomme aucun connecteur (Identity, Name ou Connector) : passez des objets de Get-OutboundConnector, des résultats ou des alertes, ou donnez -Connector.");
        public static readonly Phrase NotMarked = new Phrase(
            "'{0}' was not marked validated: not every task of its validation succeeded (see the results). IsValidated and LastValidationTimestamp are unchanged.",
            "'{0}' n'a pas été marqué comme validé : toutes les tâches de sa validation n'ont pas réussi (voir les résultats). IsValidated et LastValidationTimestamp sont inchangés.");
        public static readonly Phrase SendTestMessages = new Phrase(
            "Microsoft 365 sends a real test message to each recipient: {0}",
            "Microsoft 365 envoie un vrai message de test à chaque destinataire : {0}");
        public static readonly Phrase RecordValidation = new Phrase(
            "Record the validation on the connector: {0}",
            "Enregistrer la validation sur le connecteur : {0}");
    }
}
