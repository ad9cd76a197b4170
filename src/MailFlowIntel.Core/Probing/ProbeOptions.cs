using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>How to probe: the same for every target of one run.</summary>
    public sealed class ProbeOptions
    {
        public int Port { get; set; } = 25;
        /// <summary>
        /// The HTTPS port of MTA-STS policy hosts. Always 443 for Exchange Online (RFC 8461 section 3.3 names an https URL
        /// without a port); another value only serves a test lab that cannot listen on 443.
        /// </summary>
        public int MtaStsPort { get; set; } = 443;
        /// <summary>The bound on each step (DNS query, connect, each reply, the TLS handshake).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
        /// <summary>DNS servers to ask; empty for the system's resolvers.</summary>
        public IReadOnlyList<IPEndPoint> DnsServers { get; set; } = Array.Empty<IPEndPoint>();
        /// <summary>
        /// Public DNS servers to ask as well (-PublicDnsServer), since Exchange Online resolves public DNS; empty: none is
        /// asked (nothing leaves for public DNS unless the admin asks).
        /// </summary>
        public IReadOnlyList<IPEndPoint> PublicDnsServers { get; set; } = Array.Empty<IPEndPoint>();
        /// <summary>A host known to listen on Port, for the egress check (-EgressCheckHost); null for none.</summary>
        public string EgressCheckHost { get; set; }
        /// <summary>A domain whose MX listens on Port (the tenant's initial domain), for the egress check when no host is given.</summary>
        public string EgressCheckDomain { get; set; }
        public string HeloName { get; set; } = "mailflowintel.probe";
        public IPAddress SourceAddress { get; set; }
        /// <summary>Roots trusted besides the public programs' and this computer's (-CertificateAuthority: a private CA, the lab's).</summary>
        public X509Certificate2Collection TrustedRoots { get; set; } = new X509Certificate2Collection();
        /// <summary>More roots given by the admin (-TrustedRootList), trusted as <see cref="TrustedRoots"/> are; null for none.</summary>
        public RootList TrustedRootList { get; set; }
        /// <summary>Tests only: the public programs' list in place of the one the module carries.</summary>
        internal RootList PublicRootsOverride { get; set; }
        /// <summary>Tests only: this computer's trusted roots in place of its stores.</summary>
        internal RootList ComputerRootsOverride { get; set; }
        /// <summary>The reverse path for a RCPT probe; empty for the null sender.</summary>
        public string Sender { get; set; } = "";
        public IReadOnlyList<string> Recipients { get; set; } = Array.Empty<string>();
        public bool IncludeTranscript { get; set; }
        /// <summary>The language of Titles, Causes, Fixes and Details (read once per call from the UI culture).</summary>
        public MailFlowIntel.Core.Catalog.Language Language { get; set; }
    }
}
