namespace MailFlowIntel.Core.Routing
{
    /// <summary>A recipient as Get-Recipient shows it.</summary>
    public sealed class RecipientState
    {
        /// <summary>UserMailbox, SharedMailbox, MailUser, GuestMailUser, MailContact, MailUniversalDistributionGroup...</summary>
        public string RecipientTypeDetails { get; set; }
        public string PrimarySmtpAddress { get; set; }
        /// <summary>A mail user's or mail contact's target address ("SMTP:x@fabrikam.com"); null for others.</summary>
        public string ExternalEmailAddress { get; set; }

        /// <summary>The external address without its "SMTP:" prefix; null when there is none.</summary>
        public string ExternalAddress
        {
            get
            {
                string s = (ExternalEmailAddress ?? "").Trim();
                if (s.StartsWith("SMTP:", System.StringComparison.OrdinalIgnoreCase)) s = s.Substring(5);
                return s.IndexOf('@') > 0 ? s : null;
            }
        }
    }
}
