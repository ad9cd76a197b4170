using System;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>The DNS server the probe asks did not answer at all: a fault on the probing side, not a 4.4.312.</summary>
    public sealed class DnsServerUnreachableException : Exception
    {
        public DnsServerUnreachableException(string message, Exception inner) : base(message, inner) { }
    }
}
