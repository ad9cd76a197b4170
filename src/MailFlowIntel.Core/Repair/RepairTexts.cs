using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>The words of carrying out a plan (statuses, dependencies, the session's limits), in English and French; the scenarios' own texts live in the catalog.</summary>
    internal static class RepairTexts
    {
        public static readonly Phrase NotACode = new Phrase(
            "'{0}' is not a code. Give one in any of the spellings Microsoft 365 uses: 450 4.4.316, 4.4.316, the expired 550 5.4.316, a bare reply code such as 421, or pipe a result or an alert.",
            "'{0}' n'est pas un code. Donnez-le sous l'une des formes qu'emploie Microsoft 365 : 450 4.4.316, 4.4.316, la forme expirée 550 5.4.316, un code de réponse seul comme 421, ou passez un résultat ou une alerte par le pipeline.");
        public static readonly Phrase ConnectThenRun = new Phrase(
            "Connect-ExchangeOnline, then run the Command (or this cmdlet again).",
            "Connect-ExchangeOnline, puis exécutez la Command (ou relancez cette cmdlet).");
        public static readonly Phrase CannotChangeConnectors = new Phrase(
            "This Exchange Online session cannot change connectors: its roles do not give it {0}, so nothing was changed. The plan was made from the tenant's real values: run the Command in a session whose role holds {0} (Get-ManagementRole -Cmdlet {0} lists those roles), or hand it to an admin who has one.",
            "Cette session Exchange Online ne peut pas modifier les connecteurs : ses rôles ne lui donnent pas {0}, rien n'a donc été modifié. Le plan a été établi d'après les valeurs réelles du locataire : exécutez la Command dans une session dont un rôle comprend {0} (Get-ManagementRole -Cmdlet {0} liste ces rôles), ou confiez-la à un administrateur qui en dispose.");
        public static readonly Phrase CannotChangeDomains = new Phrase(
            "This Exchange Online session cannot change accepted domains: its roles do not give it {0}, so nothing was changed. The plan was made from the tenant's real values: run the Command in a session whose role holds {0} (Get-ManagementRole -Cmdlet {0} lists those roles), or hand it to an admin who has one.",
            "Cette session Exchange Online ne peut pas modifier les domaines acceptés : ses rôles ne lui donnent pas {0}, rien n'a donc été modifié. Le plan a été établi d'après les valeurs réelles du locataire : exécutez la Command dans une session dont un rôle comprend {0} (Get-ManagementRole -Cmdlet {0} liste ces rôles), ou confiez-la à un administrateur qui en dispose.");
        public static readonly Phrase DependsOn = new Phrase(
            "Not made: it depends on {0}, which was {1}.", "Non effectué : dépend de {0}, dont l'état est {1}.");
        public static readonly Phrase AlreadyAsWanted = new Phrase("Already as wanted: nothing changed.", "Déjà dans l'état voulu : rien n'a changé.");
        public static readonly Phrase VerifyWhy = new Phrase(
            "Re-probe after the change, with the connector's settings as they are now.",
            "Nouveau test après la modification, avec les paramètres actuels du connecteur.");
        public static readonly Phrase ValidateWhy = new Phrase(
            "Microsoft 365 tests the connector from its own side, which a probe from here cannot do.",
            "Microsoft 365 teste le connecteur de son propre côté, ce qu'un test d'ici ne peut pas faire.");
        public static readonly Phrase ValidateManually = new Phrase(
            "Run the Command in a session connected to Exchange Online, or use Validate this connector in the Exchange admin center.",
            "Exécutez la Command dans une session connectée à Exchange Online, ou utilisez Valider ce connecteur dans le Centre d'administration Exchange.");
        public static readonly Phrase NothingToVerify = new Phrase(
            "The connector is now disabled: there is nothing to probe.", "Le connecteur est désormais désactivé : il n'y a rien à tester.");
        public static readonly Phrase NotReadAgain = new Phrase("The connector could not be read again:", "Le connecteur n'a pas pu être relu :");
        public static readonly Phrase NoSmartHost = new Phrase("No smart host to probe.", "Aucun hôte actif à tester.");
        public static readonly Phrase UndoWhy = new Phrase(
            "Undo of {0} on '{1}' (applied earlier): {2} back from '{3}' to '{4}'.",
            "Annulation de {0} sur '{1}' (appliqué plus tôt) : {2} revient de '{3}' à '{4}'.");
        public static readonly Phrase UndoChangedSince = new Phrase(
            "{2} of '{1}' is now '{5}', neither the value the change set ('{3}') nor the one before ('{4}'): someone changed it since, so it is left as it is.",
            "{2} de '{1}' vaut maintenant '{5}', ni la valeur posée ('{3}') ni l'ancienne ('{4}') : quelqu'un l'a modifié depuis, il est donc laissé tel quel.");
        public static readonly Phrase NotUndoable = new Phrase(
            "This action cannot be undone by -Undo: it names no Setting, OldValue and NewValue (an action of an older version, or not an automatic change). Read its RollbackCommand and decide by hand.",
            "Cette action ne peut pas être annulée par -Undo : elle ne nomme ni Setting, ni OldValue, ni NewValue (action d'une version antérieure, ou modification non automatique). Lisez sa RollbackCommand et décidez vous-même.");
        public static readonly Phrase OtherOrganization = new Phrase(
            "This input came from the organisation '{0}', but this command works in '{1}': nothing was read or changed for it. Run it again with -Organization '{0}' (connected with Connect-ExchangeOnline), or pipe input from '{1}'.",
            "Cette entrée provient de l'organisation '{0}', mais cette commande travaille dans '{1}' : rien n'a été lu ni modifié pour elle. Relancez avec -Organization '{0}' (connectée par Connect-ExchangeOnline), ou passez des entrées de '{1}'.");
    }
}
