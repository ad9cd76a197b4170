using System;
using System.Collections.Generic;
using System.Globalization;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>
    /// The words an Unverified alert carries in its Detail (DESIGN.md 2c): what this run saw of the alert's connector or
    /// server from a vantage other than the one that raised it ("reachable from this computer (PC1) at ..."), and which
    /// view alone can resolve it. The note follows the evidence's own Detail after " | " and is taken off again when the
    /// alert is read back, so notes never pile up and the texts written from the Detail stay the evidence's.
    /// </summary>
    public static class ChangeNote
    {
        static readonly Phrase Lead = new Phrase("Not verified: ", "Non vérifiée : ");
        const string Separator = " | ";
        static readonly Phrase Between = new Phrase("; ", " ; ");

        static readonly Phrase Reachable = new Phrase("reachable from this computer{0}{1}", "joignable depuis ce poste{0}{1}");
        static readonly Phrase At = new Phrase(" at {0:yyyy-MM-dd HH:mm} UTC", " le {0:yyyy-MM-dd} à {0:HH:mm} UTC");
        static readonly Phrase DeliveredThere = new Phrase("{0} shows a delivery there{1}", "{0} montre une remise à cet endroit{1}");
        static readonly Phrase DeliveredBefore = new Phrase(
            "{0} shows its latest delivery there{1}, before the alert was last seen{2}",
            "{0} montre sa dernière remise à cet endroit{1}, avant la dernière observation de l'alerte{2}");
        static readonly Phrase StillDeferred = new Phrase("{0} still shows {1} message(s) deferred there", "{0} montre encore {1} message(s) différé(s) à cet endroit");

        static readonly Phrase NeedsMicrosoft365 = new Phrase(
            "only Microsoft 365's own view resolves an alert Microsoft 365 raised: a delivery through its connector after it was last seen, with no message still deferred there (pipe the trace rows of delivered messages too)",
            "seule la vue de Microsoft 365 résout une alerte levée par Microsoft 365 : une remise par son connecteur après sa dernière observation, sans message encore différé à cet endroit (passez aussi les lignes de suivi des messages remis)");
        static readonly Phrase NeedsExchangeServer = new Phrase(
            "only Exchange Server's own view resolves an alert Exchange Server raised: its queues toward this next hop (all of Get-Queue, not only those in Retry), none of them in retry",
            "seule la vue d'Exchange Server résout une alerte levée par Exchange Server : ses files d'attente vers ce tronçon suivant (tout Get-Queue, pas seulement les files en Retry), aucune en nouvelle tentative");
        static readonly Phrase NeedsOtherMta = new Phrase(
            "only the log of the mail server that raised it resolves it: a later delivery there (status=sent), with no message still deferred there",
            "seul le journal du serveur de messagerie qui l'a levée la résout : une remise ultérieure à cet endroit (status=sent), sans message encore différé");
        static readonly Phrase NeedsProbe = new Phrase(
            "only a probe from {0}, where it was raised, resolves it",
            "seul un test depuis {0}, où elle a été levée, la résout");

        /// <summary>The name of a view in a sentence: "Microsoft 365", "Exchange Server", "the mail server's log".</summary>
        public static string ViewName(ObservedFrom view, Language language) =>
            view == ObservedFrom.Microsoft365 ? "Microsoft 365"
            : view == ObservedFrom.ExchangeServer ? "Exchange Server"
            : language == Language.French ? "le journal du serveur de messagerie" : "the mail server's log";

        /// <summary>A probe of this run that took the session: "reachable from this computer (PC1) at ...".</summary>
        public static string ReachableFrom(Language language, string computer, DateTime? at) =>
            Format(Reachable, language, string.IsNullOrEmpty(computer) ? "" : " (" + computer + ")", When(language, at));

        /// <summary>A view's deliveries toward the place, after the alert was last seen or only before.</summary>
        public static string Delivered(Language language, ObservedFrom view, DateTime? latest, bool since, DateTime? lastSeen) =>
            since ? Format(DeliveredThere, language, ViewName(view, language), When(language, latest))
                  : Format(DeliveredBefore, language, ViewName(view, language), When(language, latest), When(language, lastSeen));

        /// <summary>Messages whose last event in a view is a deferral at the place.</summary>
        public static string Deferred(Language language, ObservedFrom view, long count) =>
            Format(StillDeferred, language, ViewName(view, language), count);

        /// <summary>Which view alone resolves an alert raised from <paramref name="raisedBy"/> (the view that decides).</summary>
        public static string Rule(Language language, ObservedFrom raisedBy, string computers) =>
            raisedBy == ObservedFrom.Microsoft365 ? NeedsMicrosoft365.In(language)
            : raisedBy == ObservedFrom.ExchangeServer ? NeedsExchangeServer.In(language)
            : raisedBy == ObservedFrom.OtherMta ? NeedsOtherMta.In(language)
            : Format(NeedsProbe, language, string.IsNullOrEmpty(computers) ? (language == Language.French ? "le même poste" : "the same computer") : computers);

        /// <summary>What was seen, then the rule: "reachable from ...; only Microsoft 365's own view ...".</summary>
        public static string Compose(Language language, IEnumerable<string> sightings, string rule) =>
            string.Join(Between.In(language), sightings) + Between.In(language) + rule;

        /// <summary>The alert's Detail with the note after it (the note alone when there was no Detail).</summary>
        public static string Attach(string detail, string note, Language language)
        {
            string tagged = Lead.In(language) + note;
            return string.IsNullOrEmpty(detail) ? tagged : detail + Separator + tagged;
        }

        /// <summary>A Detail read back without the note <see cref="Attach"/> added (in either language); null when the note was all of it.</summary>
        public static string Strip(string detail)
        {
            if (string.IsNullOrEmpty(detail)) return detail;
            foreach (string lead in new[] { Lead.English, Lead.French })
            {
                if (detail.StartsWith(lead, StringComparison.Ordinal)) return null;
                int at = detail.LastIndexOf(Separator + lead, StringComparison.Ordinal);
                if (at >= 0) return at == 0 ? null : detail.Substring(0, at);
            }
            return detail;
        }

        static string When(Language language, DateTime? at) => at == null ? "" : Format(At, language, at.Value);

        static string Format(Phrase phrase, Language language, params object[] args) =>
            string.Format(CultureInfo.InvariantCulture, phrase.In(language), args);
    }
}
