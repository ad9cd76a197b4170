using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using MailFlowIntel.Core.Probing;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// A connector's smart hosts as names and addresses, resolved as Exchange Online resolves them (MX first, then A/AAAA),
    /// and its CIDR ranges: what an MX record is compared with. A smart host that does not resolve adds only its name.
    /// </summary>
    internal sealed class SmartHostAddresses
    {
        public HashSet<string> Names { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        readonly List<(IPAddress Address, string Host)> addresses = new List<(IPAddress, string)>();
        readonly List<(IPAddress Network, int Length, string Host)> ranges = new List<(IPAddress, int, string)>();

        public static SmartHostAddresses Resolve(DnsResolver resolver, ConnectorState connector, RepairRunner run)
        {
            var result = new SmartHostAddresses();
            foreach (string raw in connector.SmartHosts)
            {
                string host = (raw ?? "").Trim().TrimEnd('.').ToLowerInvariant();
                if (host.Length == 0) continue;
                string[] cidr = host.Split('/');
                if (cidr.Length == 2 && IPAddress.TryParse(cidr[0], out IPAddress network) && int.TryParse(cidr[1], out int length))
                {
                    result.ranges.Add((network, length, host));
                    continue;
                }
                if (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress literal)) { result.addresses.Add((literal, host)); continue; }
                result.Names.Add(host);
                try
                {
                    DnsOutcome outcome = resolver.ResolveSmartHostAsync(host, run.Cancel).GetAwaiter().GetResult();
                    foreach (ResolvedHost h in outcome.Hosts)
                    {
                        result.Names.Add(h.Host);
                        result.addresses.AddRange(h.Addresses.Select(a => (a, host)));
                    }
                }
                catch (DnsServerUnreachableException) { /* its name is still compared */ }
            }
            return result;
        }

        /// <summary>The smart host this address belongs to; null when none.</summary>
        public string Owner(IPAddress address)
        {
            foreach (var (a, host) in addresses) if (a.Equals(address)) return host;
            foreach (var (network, length, host) in ranges) if (InRange(address, network, length)) return host;
            return null;
        }

        static bool InRange(IPAddress address, IPAddress network, int length)
        {
            byte[] a = address.GetAddressBytes(), n = network.GetAddressBytes();
            if (a.Length != n.Length || length < 0 || length > a.Length * 8) return false;
            for (int i = 0; i < length; i++)
            {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (n[i / 8] & mask)) return false;
            }
            return true;
        }
    }
}
