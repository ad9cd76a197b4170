using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Report
{
    /// <summary>Every fixed word of the report, in English and French (the culture rule of the rest of the module).</summary>
    internal static class ReportWords
    {
        public static readonly Phrase DefaultTitle = new Phrase("Mail flow report", "Rapport de flux de messagerie");
        public static readonly Phrase AsOf = new Phrase("As of {0}", "Au {0}");
        public static readonly Phrase Summary = new Phrase("Summary", "Synthèse");
        public static readonly Phrase Connectors = new Phrase("{0} connector(s)", "{0} connecteur(s)");
        public static readonly Phrase Failing = new Phrase("{0} failing", "{0} en échec");
        public static readonly Phrase NewSinceBaseline = new Phrase("{0} new since the baseline", "{0} nouvelle(s) depuis la référence");
        public static readonly Phrase WorseSinceBaseline = new Phrase("{0} worse", "{0} aggravée(s)");
        public static readonly Phrase ResolvedSinceBaseline = new Phrase("{0} resolved", "{0} résolue(s)");
        public static readonly Phrase UnverifiedSinceBaseline = new Phrase("{0} not verified this run", "{0} non vérifiée(s) par cette exécution");
        public static readonly Phrase AlertCounts = new Phrase("{0} open alert(s): {1} high, {2} medium, {3} low",
            "{0} alerte(s) ouverte(s) : {1} élevée(s), {2} moyenne(s), {3} faible(s)");
        public static readonly Phrase ResultCounts = new Phrase("{0} probe result(s), {1} failed", "{0} résultat(s) de test, {1} en échec");
        public static readonly Phrase RepairCounts = new Phrase("{0} planned repair step(s)", "{0} étape(s) de réparation prévue(s)");
        public static readonly Phrase NothingGiven = new Phrase("Nothing was given to report.", "Rien à rapporter.");

        public static readonly Phrase Chart = new Phrase("Open alerts by code", "Alertes ouvertes par code");
        public static readonly Phrase ChartOther = new Phrase("other codes", "autres codes");
        public static readonly Phrase Timeline = new Phrase("Certificate expiry dates", "Dates d'expiration des certificats");
        public static readonly Phrase Today = new Phrase("now", "maintenant");
        public static readonly Phrase TimelineMore = new Phrase("{0} more certificate(s) expire later.", "{0} autre(s) certificat(s) expirent plus tard.");

        public static readonly Phrase Alerts = new Phrase("Alerts", "Alertes");
        public static readonly Phrase Results = new Phrase("Probe results", "Résultats des tests");
        public static readonly Phrase Repairs = new Phrase("Planned repairs", "Réparations prévues");
        public static readonly Phrase NoConnector = new Phrase("Without a connector", "Sans connecteur");

        public static readonly Phrase Severity = new Phrase("Severity", "Gravité");
        public static readonly Phrase Code = new Phrase("Code", "Code");
        public static readonly Phrase Reason = new Phrase("Reason", "Raison");
        public static readonly Phrase Server = new Phrase("Server", "Serveur");
        public static readonly Phrase Messages = new Phrase("Messages", "Messages");
        public static readonly Phrase Expiry = new Phrase("Expiry", "Expiration");
        public static readonly Phrase Details = new Phrase("Cause and fix", "Cause et correction");
        public static readonly Phrase Cause = new Phrase("Cause", "Cause");
        public static readonly Phrase Fix = new Phrase("Fix", "Correction");
        public static readonly Phrase Reply = new Phrase("Server reply", "Réponse du serveur");
        public static readonly Phrase Detail = new Phrase("Detail", "Détail");
        public static readonly Phrase Evidence = new Phrase("Evidence", "Preuve");
        public static readonly Phrase Was = new Phrase("was {0}", "avant : {0}");

        public static readonly Phrase Status = new Phrase("Status", "État");
        public static readonly Phrase Stage = new Phrase("Stage", "Étape");
        public static readonly Phrase Certificate = new Phrase("Certificate", "Certificat");
        public static readonly Phrase Subject = new Phrase("Subject", "Sujet");
        public static readonly Phrase Issuer = new Phrase("Issuer", "Émetteur");
        public static readonly Phrase NotAfter = new Phrase("Expires", "Expire le");
        public static readonly Phrase Dane = new Phrase("DANE, MTA-STS", "DANE, MTA-STS");
        public static readonly Phrase Tls = new Phrase("TLS", "TLS");

        public static readonly Phrase Action = new Phrase("Action", "Action");
        public static readonly Phrase Target = new Phrase("Target", "Cible");
        public static readonly Phrase Automatic = new Phrase("automatic", "automatique");
        public static readonly Phrase Manual = new Phrase("by hand", "manuelle");
        public static readonly Phrase WhoActs = new Phrase("Who acts: {0}", "Qui agit : {0}");
        public static readonly Phrase Why = new Phrase("Why", "Pourquoi");
        public static readonly Phrase Steps = new Phrase("Steps", "Étapes");
        public static readonly Phrase Command = new Phrase("Command", "Commande");
        public static readonly Phrase Rollback = new Phrase("Rollback", "Annulation");
        public static readonly Phrase DependsOn = new Phrase("After", "Après");

        public static readonly Phrase Expired = new Phrase("expired", "expiré");
        public static readonly Phrase ExpiresInMinutes = new Phrase("expires in {0} min", "expire dans {0} min");
        public static readonly Phrase ExpiresInHours = new Phrase("expires in {0} h", "expire dans {0} h");
        public static readonly Phrase ExpiresInDays = new Phrase("expires in {0} d", "expire dans {0} j");

        public static Phrase Of(AlertSeverity s) =>
            s == AlertSeverity.High ? High : s == AlertSeverity.Medium ? Medium : Low;
        static readonly Phrase High = new Phrase("High", "Élevée");
        static readonly Phrase Medium = new Phrase("Medium", "Moyenne");
        static readonly Phrase Low = new Phrase("Low", "Faible");

        public static Phrase Of(AlertChange c)
        {
            switch (c)
            {
                case AlertChange.New: return New;
                case AlertChange.Ongoing: return Ongoing;
                case AlertChange.Worse: return Worse;
                case AlertChange.Better: return Better;
                case AlertChange.Resolved: return Resolved;
                case AlertChange.Unverified: return Unverified;
                default: return null;
            }
        }
        static readonly Phrase New = new Phrase("New", "Nouvelle");
        static readonly Phrase Ongoing = new Phrase("Ongoing", "En cours");
        static readonly Phrase Worse = new Phrase("Worse", "Aggravée");
        static readonly Phrase Better = new Phrase("Better", "En amélioration");
        static readonly Phrase Resolved = new Phrase("Resolved", "Résolue");
        static readonly Phrase Unverified = new Phrase("Unverified", "Non vérifiée");

        public static Phrase Of(ProbeStatus s)
        {
            switch (s)
            {
                case ProbeStatus.Succeeded: return Succeeded;
                case ProbeStatus.Warning: return Warning;
                case ProbeStatus.Failed: return FailedStatus;
                default: return NotTested;
            }
        }
        static readonly Phrase Succeeded = new Phrase("Succeeded", "Réussi");
        static readonly Phrase Warning = new Phrase("Warning", "Avertissement");
        static readonly Phrase FailedStatus = new Phrase("Failed", "Échec");
        static readonly Phrase NotTested = new Phrase("Not tested", "Non testé");

        public static Phrase Of(RepairStatus s)
        {
            switch (s)
            {
                case RepairStatus.Planned: return Planned;
                case RepairStatus.Applied: return Applied;
                case RepairStatus.Skipped: return Skipped;
                case RepairStatus.Declined: return Declined;
                case RepairStatus.Failed: return FailedStatus;
                default: return ManualStatus;
            }
        }
        static readonly Phrase Planned = new Phrase("Planned", "Prévue");
        static readonly Phrase Applied = new Phrase("Applied", "Appliquée");
        static readonly Phrase Skipped = new Phrase("Skipped", "Ignorée");
        static readonly Phrase Declined = new Phrase("Declined", "Refusée");
        static readonly Phrase ManualStatus = new Phrase("Manual", "Manuelle");

        public static Phrase Of(Responsible r) =>
            r == global::MailFlowIntel.Responsible.Admin ? Admin : r == global::MailFlowIntel.Responsible.Partner ? Partner
            : r == global::MailFlowIntel.Responsible.Sender ? Sender : Unknown;
        static readonly Phrase Admin = new Phrase("the admin", "l'administrateur");
        static readonly Phrase Partner = new Phrase("the partner", "le partenaire");
        static readonly Phrase Sender = new Phrase("whoever addressed the mail", "qui a adressé le courrier");
        static readonly Phrase Unknown = new Phrase("not known", "inconnu");
    }
}
