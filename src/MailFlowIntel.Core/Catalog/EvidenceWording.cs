using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>
    /// How evidence spells one scenario: the tokens Exchange puts in [Message=...] or {MSG=...} (UntrustedRoot,
    /// CertificateExpired...), and phrases in English and French. Phrases are matched as whole words on text whose host
    /// names and addresses have been masked (<see cref="EvidenceText.Scrub"/>), so "dns.contoso.com" is never "DNS".
    /// </summary>
    public sealed class EvidenceWording
    {
        const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;
        static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(250);

        /// <param name="tokens">Values of [Message=...] or {MSG=...}, compared whole and without case.</param>
        /// <param name="phrases">Phrases (regular expressions of words) in English and French.</param>
        /// <param name="standalone">The phrases alone name the scenario, even under a generic code or no code.</param>
        public EvidenceWording(string[] tokens, string[] phrases, bool standalone)
        {
            Tokens = tokens ?? Array.Empty<string>();
            Phrases = phrases ?? Array.Empty<string>();
            Standalone = standalone;
            if (Phrases.Length > 0)
                pattern = new Regex(@"(?<![\w-])(?:" + string.Join("|", Phrases) + @")(?![\w-])", Options, Bound);
        }

        readonly Regex pattern;
        public string[] Tokens { get; }
        public string[] Phrases { get; }
        public bool Standalone { get; }

        /// <summary>Whether a [Message=] token or a phrase of this scenario is in the evidence.</summary>
        public bool Matches(string scrubbed, string messageToken)
        {
            // "[Message=CertificateExpired Expected Subject: ...]": the token is the value's first word(s).
            if (messageToken != null && Tokens.Any(t => messageToken.StartsWith(t, StringComparison.OrdinalIgnoreCase)
                    && (messageToken.Length == t.Length || !char.IsLetterOrDigit(messageToken[t.Length])))) return true;
            return pattern != null && scrubbed != null && pattern.IsMatch(scrubbed);
        }
    }
}
