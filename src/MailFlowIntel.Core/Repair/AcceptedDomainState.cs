namespace MailFlowIntel.Core.Repair
{
    /// <summary>An accepted domain as Get-AcceptedDomain shows it now.</summary>
    public sealed class AcceptedDomainState
    {
        public string Identity { get; set; }
        public string DomainName { get; set; }
        /// <summary>Authoritative, InternalRelay or ExternalRelay.</summary>
        public string DomainType { get; set; }
        /// <summary>The tenant's initial domain (contoso.onmicrosoft.com), whose MX is Exchange Online's own front door.</summary>
        public bool InitialDomain { get; set; }
    }
}
