namespace MailFlowIntel
{
    // Backed by long, as every enum on an output object: ConvertTo-Json writes it by name.
    /// <summary>What decided where Exchange Online sends a recipient's mail (Resolve-OutboundConnector).</summary>
    public enum RouteMatch : long
    {
        /// <summary>Not decided.</summary>
        None = 0,
        /// <summary>A connector's RecipientDomains entry (MatchedValue): the longest matching suffix.</summary>
        RecipientDomain = 1,
        /// <summary>A transport rule (MatchedValue) routes the message to a connector scoped to rules.</summary>
        TransportRule = 2,
        /// <summary>An OnPremises connector with AllAcceptedDomains, for an accepted-domain address not found in the tenant.</summary>
        AllAcceptedDomains = 3,
        /// <summary>No connector: the recipient domain's MX records.</summary>
        MX = 4,
        /// <summary>The recipient is in the tenant (a mailbox, a group, a public folder): delivered inside Exchange Online.</summary>
        Internal = 5,
        /// <summary>A mail user or mail contact: its mail follows its ExternalEmailAddress (RoutedAddress).</summary>
        MailUser = 6,
        /// <summary>No such recipient in an Authoritative accepted domain: Exchange Online rejects the message.</summary>
        Rejected = 7,
        /// <summary>Several connectors match equally well: no pick (Candidates).</summary>
        Ambiguous = 8,
    }
}
