using System;

namespace MailFlowIntel.Core.Routing
{
    /// <summary>
    /// How well a connector's RecipientDomains entry matches a domain, as a rank where higher is more specific: the exact
    /// name, then "*.suffix" by the suffix's length (it covers the suffix itself and its subdomains: New-OutboundConnector,
    /// Example 1), then AllAcceptedDomains, then "*". Negative when it does not match.
    /// </summary>
    internal static class DomainPattern
    {
        public const int NoMatch = -1;
        public const int Everything = 0;
        public const int AllAcceptedDomains = 1;

        public static int Rank(string pattern, string domain)
        {
            string p = Normal(pattern);
            string d = Normal(domain);
            if (p.Length == 0 || d.Length == 0) return NoMatch;
            if (p == "*") return Everything;
            if (p.StartsWith("*.", StringComparison.Ordinal))
            {
                string suffix = p.Substring(2);
                bool covers = d == suffix || d.EndsWith("." + suffix, StringComparison.Ordinal);
                return covers ? 4 * suffix.Length + 2 : NoMatch;
            }
            return p == d ? 4 * p.Length + 3 : NoMatch;
        }

        public static string Normal(string s) => (s ?? "").Trim().TrimEnd('.').ToLowerInvariant();
    }
}
