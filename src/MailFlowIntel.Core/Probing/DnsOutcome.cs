using System;
using System.Collections.Generic;
using System.Net;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>A host to connect to, with the addresses found for it (or why none were).</summary>
    public sealed class ResolvedHost
    {
        public string Host { get; set; }
        public int? MxPreference { get; set; }
        public List<IPAddress> Addresses { get; } = new List<IPAddress>();
        /// <summary>Why the host has no address (NXDOMAIN, SERVFAIL, no A/AAAA); null when it has some.</summary>
        public string Failure { get; set; }
    }

    /// <summary>What DNS said about a target: the hosts to try in order, or why there are none.</summary>
    public sealed class DnsOutcome
    {
        public List<ResolvedHost> Hosts { get; } = new List<ResolvedHost>();
        /// <summary>The target's own name failed (NXDOMAIN, SERVFAIL, REFUSED, no record).</summary>
        public string Failure { get; set; }
        /// <summary>The domain publishes a Null MX (RFC 7505).</summary>
        public bool NullMx { get; set; }
        public string Detail { get; set; }
    }

    /// <summary>The DNS server the probe asks did not answer at all: a fault on the probing side, not a 4.4.312.</summary>
    public sealed class DnsServerUnreachableException : Exception
    {
        public DnsServerUnreachableException(string message, Exception inner) : base(message, inner) { }
    }
}
