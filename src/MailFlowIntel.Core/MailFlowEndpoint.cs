namespace MailFlowIntel
{
    // Backed by long, as every enum on an output object.
    public enum EndpointKind : long { Range, Host }

    /// <summary>Where an endpoint list came from: the service answered in this call, the cache kept from an earlier one, or the list shipped in the module.</summary>
    public enum EndpointSource : long { Live, Cache, Shipped }

    /// <summary>One address range or host Exchange Online uses for mail (service area Exchange, TCP 25), from the Microsoft 365 IP address and URL web service.</summary>
    public sealed class MailFlowEndpoint
    {
        /// <summary>The range ("40.92.0.0/15", "2a01:111:f400::/48") or the host name ("*.mail.protection.outlook.com").</summary>
        public string Address { get; set; }
        public EndpointKind Kind { get; set; }
        /// <summary>The service's version of the list ("2026110100").</summary>
        public string Version { get; set; }
        public EndpointSource Source { get; set; }
        /// <summary>The service's category (Optimize, Allow, Default).</summary>
        public string Category { get; set; }
        /// <summary>The TCP ports of the endpoint set ("25", "25,587").</summary>
        public string Ports { get; set; }
        /// <summary>The service instance: Worldwide, USGovDoD, USGovGCCHigh or China.</summary>
        public string Instance { get; set; }

        public override string ToString() => Address;
    }
}
