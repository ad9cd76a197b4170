namespace MailFlowIntel.Core.Evidence
{
    /// <summary>The shapes of SMTP codes, written once for every reader that looks for them in text.</summary>
    internal static class SmtpCodePatterns
    {
        /// <summary>A reply code of class 2, 4 or 5 ("450").</summary>
        public const string Reply = @"[245]\d\d";

        /// <summary>An enhanced status code, RFC 3463 class.subject.detail ("4.4.316").</summary>
        public const string Enhanced = @"[245]\.\d{1,3}\.\d{1,3}";
    }
}
