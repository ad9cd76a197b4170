namespace MailFlowIntel
{
    /// <summary>
    /// Where Exchange Online sends one recipient's mail, and why (Resolve-OutboundConnector). Its connector properties are
    /// named as Test-ConnectorDelivery's parameters, so piping it probes that path: the connector's smart hosts with its
    /// TLS settings, or the domain's MX.
    /// </summary>
    public sealed class OutboundRoute
    {
        /// <summary>The address as given.</summary>
        public string Recipient { get; set; }
        /// <summary>The recipient's RecipientTypeDetails in the tenant (UserMailbox, MailUser...); empty when it is not there.</summary>
        public string RecipientType { get; set; }
        /// <summary>The address whose route follows: the recipient, or a mail user's ExternalEmailAddress.</summary>
        public string RoutedAddress { get; set; }
        /// <summary>The domain of RoutedAddress: the one probed by MX when no smart host is used (binds Test-ConnectorDelivery -Domain).</summary>
        public string Domain { get; set; }
        /// <summary>The connector the mail takes; empty for MX, Internal, Rejected and Ambiguous.</summary>
        public string Connector { get; set; }
        public RouteMatch MatchedBy { get; set; }
        /// <summary>What matched: the RecipientDomains entry (*.fabrikam.com) or the transport rule's name; for MailUser, the entry or rule its external address matched.</summary>
        public string MatchedValue { get; set; }
        /// <summary>Every connector that matched as well as the one picked ("; "-joined); under Ambiguous, the tied ones.</summary>
        public string Candidates { get; set; }
        /// <summary>Conditions of the transport rule other than the recipient's domain: reported, not evaluated.</summary>
        public string RuleConditions { get; set; }
        /// <summary>The connector with RouteAllMessagesViaOnPremises (centralized mail transport); empty when none.</summary>
        public string CentralizedTransport { get; set; }
        /// <summary>The pick rests on a precedence Microsoft does not document (said in Because).</summary>
        public bool Assumed { get; set; }
        /// <summary>Why, step by step, in the UI language.</summary>
        public string Because { get; set; }
        /// <summary>The connector's smart hosts ("; "-joined); binds Test-ConnectorDelivery -SmartHost.</summary>
        public string SmartHosts { get; set; }
        public bool UseMXRecord { get; set; }
        public bool Enabled { get; set; } = true;
        public string ConnectorType { get; set; }
        public string TlsSettings { get; set; }
        public string TlsDomain { get; set; }
        public string SmtpDaneMode { get; set; }
        public string MtaStsMode { get; set; }
        /// <summary>The Exchange Online organisation it was read in (Organization, else TenantID).</summary>
        public string Organization { get; set; } = "";

        public override string ToString() => $"{Recipient} {MatchedBy} {Connector}";
    }
}
