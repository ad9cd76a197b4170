namespace MailFlowIntel
{
    // Backed by long, as every enum on an output object (ConvertTo-Json writes its name).
    /// <summary>
    /// Which DNS answer a result's address came from, as Microsoft 365 would see it (DESIGN.md 2c): Exchange Online resolves
    /// public DNS. Empty (null) when no name was resolved (an address given as the smart host, or a DNS failure).
    /// </summary>
    public enum DnsView : long
    {
        /// <summary>A public address (loopback counts as public, so a lab on this computer is).</summary>
        Public = 1,
        /// <summary>The DNS this computer asked gave a non-public address (RFC 1918, 100.64/10, link-local, fc00::/7): Microsoft 365 cannot reach it.</summary>
        Private = 2,
        /// <summary>-PublicDnsServer answered differently from this computer's DNS: the probe went where public DNS leads.</summary>
        Split = 3,
    }
}
