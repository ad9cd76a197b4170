using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Exchange
{
    /// <summary>
    /// Which Exchange Online connection a command works in. One connection is used as it is; with several, -Organization
    /// or -Prefix must pick one, for a change made in the wrong tenant cannot be told from a right one afterwards.
    /// </summary>
    public static class ExchangeSessions
    {
        static readonly Phrase Ambiguous = new Phrase(
            "Several Exchange Online connections are open in this PowerShell session: {0}. Choose one with -Organization (its Organization or TenantID) or -Prefix (its ModulePrefix); nothing was read or changed.",
            "Plusieurs connexions Exchange Online sont ouvertes dans cette session PowerShell : {0}. Choisissez-en une avec -Organization (son Organization ou son TenantID) ou -Prefix (son ModulePrefix) ; rien n'a été lu ni modifié.");
        static readonly Phrase NoneMatches = new Phrase(
            "No Exchange Online connection of this PowerShell session matches {1}. The connections open: {0}.",
            "Aucune connexion Exchange Online de cette session PowerShell ne correspond à {1}. Connexions ouvertes : {0}.");
        static readonly Phrase NoneOpen = new Phrase(
            "no Exchange Online connection (Connect-ExchangeOnline)", "aucune connexion Exchange Online (Connect-ExchangeOnline)");

        /// <param name="candidates">The Exchange Online connections found in the PowerShell session.</param>
        /// <param name="organization">-Organization, or null.</param>
        /// <param name="prefix">-Prefix, or null when not given ("" picks the connection without a prefix).</param>
        public static ExchangeSessionChoice Choose(IReadOnlyList<IExchangeSession> candidates, string organization, string prefix, Language language)
        {
            candidates = candidates ?? new IExchangeSession[0];
            var described = candidates.Select(s => s.Connection.Describe(language)).ToList();
            string listed = described.Count > 0 ? string.Join("; ", described) : NoneOpen.In(language);
            bool filtered = organization != null || prefix != null;
            List<IExchangeSession> matching = candidates
                .Where(s => organization == null || s.Connection.IsNamed(organization))
                .Where(s => prefix == null || s.Connection.HasPrefix(prefix))
                .ToList();
            if (matching.Count == 1) return new ExchangeSessionChoice { Session = matching[0], Connections = described };
            if (matching.Count == 0 && !filtered) return new ExchangeSessionChoice { Connections = described };   // offline
            if (matching.Count == 0)
            {
                var asked = new List<string>();
                if (organization != null) asked.Add("-Organization '" + organization + "'");
                if (prefix != null) asked.Add("-Prefix '" + prefix + "'");
                return new ExchangeSessionChoice
                {
                    ErrorId = "ExchangeSessionNotFound", Category = "ObjectNotFound", Connections = described,
                    Message = string.Format(CultureInfo.InvariantCulture, NoneMatches.In(language), listed, string.Join(" ", asked)),
                };
            }
            return new ExchangeSessionChoice
            {
                ErrorId = "AmbiguousExchangeSession", Category = "InvalidOperation", Connections = described,
                Message = string.Format(CultureInfo.InvariantCulture, Ambiguous.In(language), string.Join("; ", matching.Select(s => s.Connection.Describe(language)))),
            };
        }
    }
}
