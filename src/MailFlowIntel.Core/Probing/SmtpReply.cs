using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>Pulls the reply code ("550") and enhanced status code ("5.1.1") out of an SMTP reply.</summary>
    public static class SmtpReply
    {
        static readonly Regex Reply = new Regex(@"^\s*([2-5]\d\d)(?:[ -]+([245]\.\d{1,3}\.\d{1,3}))?", RegexOptions.CultureInvariant);

        /// <summary>"550 5.1.1" from "550 5.1.1 <x@y>: Recipient address rejected"; the bare reply code when there is no enhanced one.</summary>
        public static string CodeOf(string reply)
        {
            Match m = Reply.Match(reply ?? "");
            if (!m.Success) return null;
            return m.Groups[2].Success ? m.Groups[1].Value + " " + m.Groups[2].Value : m.Groups[1].Value;
        }

        public static string EnhancedCodeOf(string reply)
        {
            Match m = Reply.Match(reply ?? "");
            return m.Success && m.Groups[2].Success ? m.Groups[2].Value : null;
        }

        /// <summary>True when the text begins like an SMTP reply line ("250 ", "250-", "421").</summary>
        public static bool LooksLikeReply(string line) =>
            Regex.IsMatch(line ?? "", @"^[2-5]\d\d([ -]|$)", RegexOptions.CultureInvariant);
    }
}
