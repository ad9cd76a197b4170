using System;
using System.Collections.Generic;
using System.Net;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>A host to connect to, with the addresses found for it (or why none were).</summary>
    internal sealed class ResolvedHost
    {
        public string Host { get; set; }
        public int? MxPreference { get; set; }
        public List<IPAddress> Addresses { get; } = new List<IPAddress>();
        /// <summary>Why the host has no address; None when it has some.</summary>
        public DnsFault Fault { get; set; }
        /// <summary>What DNS said about DANE for this host (its TLSA records, and whether they apply).</summary>
        public DaneLookup Dane { get; set; } = DaneLookup.None;
    }

    /// <summary>What DNS said about a target: the hosts to try in order, or why there are none.</summary>
    internal sealed class DnsOutcome
    {
        public List<ResolvedHost> Hosts { get; } = new List<ResolvedHost>();
        /// <summary>Why the target's own name gives no host (NXDOMAIN, SERVFAIL, no record, Null MX).</summary>
        public DnsFault Fault { get; set; }
        /// <summary>The name the fault is about.</summary>
        public string FaultName { get; set; }
    }
}
