using System;
using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>Evidence text made safe for matching phrases: host names, addresses and mailboxes are masked.</summary>
    public static class EvidenceText
    {
        static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(250);
        // Exchange's own dotted diagnostics (SMTPSEND.DNS.NonExistentDomain, QUEUE.Expired) are words, not host names.
        static readonly Regex Mailbox = new Regex(@"[^\s<>""'\[\]{}()]+@[^\s<>""'\[\]{}()]+", RegexOptions.CultureInvariant, Bound);
        static readonly Regex HostName = new Regex(@"(?<![\w.-])(?!SMTPSEND\.|QUEUE\.|SMTP\.|STOREDRV\.)(?:[A-Za-z0-9_-]+\.)+[A-Za-z][A-Za-z0-9-]*(?![\w-])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, Bound);
        static readonly Regex Ipv4 = new Regex(@"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?![\d.])", RegexOptions.CultureInvariant, Bound);
        static readonly Regex Ipv6 = new Regex(@"\[?(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}\]?(?::\d+)?(?![\w:])", RegexOptions.CultureInvariant, Bound);

        /// <summary>The text with every host name, address and mailbox replaced by a neutral mark.</summary>
        public static string Scrub(string text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? "";
            try
            {
                string s = Mailbox.Replace(text, " \u2039mailbox\u203A ");
                s = Ipv4.Replace(s, " \u2039address\u203A ");
                s = Ipv6.Replace(s, " \u2039address\u203A ");
                return HostName.Replace(s, " \u2039host\u203A ");
            }
            catch (RegexMatchTimeoutException) { return ""; }
        }
    }
}
