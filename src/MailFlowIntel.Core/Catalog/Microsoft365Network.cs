using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>Microsoft 365's own mail hosts and sending ranges: the facts that tell "this is Microsoft 365" apart.</summary>
    public static class Microsoft365Network
    {
        /// <summary>
        /// Exchange Online Protection's published ranges for SMTP (Microsoft 365 URLs and IP address ranges, Exchange Online,
        /// ID 1/2: TCP 25). The endpoints service gives the current list (<see cref="EndpointsCommand"/>).
        /// </summary>
        public static readonly string[] ExchangeOnlineRanges =
        {
            "40.92.0.0/15", "40.107.0.0/16", "52.100.0.0/15", "52.102.0.0/16", "52.103.0.0/17", "104.47.0.0/17",
            "2a01:111:f400::/48", "2a01:111:f403::/48",
        };

        /// <summary>
        /// Prints the current Exchange Online ranges for TCP 25 from Microsoft's endpoints web service, through this module's
        /// Get-MailFlowEndpoint (which asks for TLS 1.2 on its own handler, so it works on Windows PowerShell 5.1 too).
        /// </summary>
        public const string EndpointsCommand =
            "Get-MailFlowEndpoint -Update | Where-Object Kind -eq 'Range' | Select-Object -ExpandProperty Address";

        /// <summary>The version and date of the endpoint list shipped in this module (the service's version format).</summary>
        public const string ShippedVersion = "2026110100";
        public static readonly DateTime ShippedDate = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>Exchange Online's mail hosts in the shipped list: worldwide, the newer mx.microsoft, US government and 21Vianet.</summary>
        static readonly string[] ShippedHosts =
        {
            "*.mail.protection.outlook.com", "*.mx.microsoft", "*.mail.protection.office365.us", "*.mail.protection.partner.outlook.cn",
        };

        /// <summary>The list shipped in the module: what is known when neither the service nor a cache is.</summary>
        public static IReadOnlyList<MailFlowEndpoint> ShippedEndpoints() =>
            ExchangeOnlineRanges.Select(r => new MailFlowEndpoint { Address = r, Kind = EndpointKind.Range })
                .Concat(ShippedHosts.Select(h => new MailFlowEndpoint { Address = h, Kind = EndpointKind.Host }))
                .Select(e => { e.Version = ShippedVersion; e.Source = EndpointSource.Shipped; e.Category = "Allow"; e.Ports = "25"; e.Instance = "Worldwide"; return e; })
                .ToList();

        /// <summary>Exchange Online's ranges as this module knows them without the network: the cache of Get-MailFlowEndpoint, else the shipped list.</summary>
        public static IEnumerable<string> KnownRanges() =>
            MailFlowIntel.Core.Endpoints.EndpointCache.Known().Where(e => e.Kind == EndpointKind.Range).Select(e => e.Address);

        /// <summary>
        /// The MX hosts Microsoft 365 publishes for its customers' domains (contoso-com.mail.protection.outlook.com, and the
        /// newer *.mx.microsoft), in every cloud: the shipped hosts, the legacy Germany cloud, and any host of the cached list.
        /// </summary>
        public static bool IsMicrosoft365MxHost(string host)
        {
            if (string.IsNullOrEmpty(host)) return false;
            string h = "." + host.Trim().TrimEnd('.');
            return h.EndsWith(".mail.protection.outlook.de", StringComparison.OrdinalIgnoreCase)
                || ShippedHosts.Concat(MailFlowIntel.Core.Endpoints.EndpointCache.Known().Where(e => e.Kind == EndpointKind.Host).Select(e => e.Address))
                    .Any(pattern => pattern.StartsWith("*.", StringComparison.Ordinal)
                        ? h.EndsWith(pattern.Substring(1), StringComparison.OrdinalIgnoreCase)
                        : string.Equals(h.Substring(1), pattern, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>Exchange Online's own servers as they name themselves in evidence ("Server at XX.prod.outlook.com returned").</summary>
        public static bool IsExchangeOnlineServer(string host) =>
            !string.IsNullOrEmpty(host)
            && (host.EndsWith(".prod.outlook.com", StringComparison.OrdinalIgnoreCase)
                || host.EndsWith(".prod.protection.outlook.com", StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// Hosts that belong to Exchange Online itself as reports name them: its servers (<see cref="IsExchangeOnlineServer"/>),
        /// its front ends (outlook.office365.com) and its internal forest (*.protection.gbl). They report a failure; they are
        /// not where the mail was going. A tenant's MX (contoso-com.mail.protection.outlook.com) is not matched.
        /// </summary>
        public static bool IsExchangeOnlineOwnHost(string host)
        {
            host = host?.Trim().TrimEnd('.');
            return IsExchangeOnlineServer(host)
                || (!string.IsNullOrEmpty(host)
                    && (host.EndsWith(".outlook.office365.com", StringComparison.OrdinalIgnoreCase)
                        || host.EndsWith(".protection.gbl", StringComparison.OrdinalIgnoreCase)));
        }

        static readonly string[] CloudSuffixes = { ".outlook.com", ".office365.com", ".office365.us", ".outlook.cn", ".office.de" };

        /// <summary>A host name in Microsoft's mail clouds (worldwide, US government, China, Germany): a report from one is Exchange Online's.</summary>
        public static bool IsMicrosoftCloudHost(string host)
        {
            host = host?.Trim().TrimEnd('.');
            if (string.IsNullOrEmpty(host)) return false;
            foreach (var suffix in CloudSuffixes)
                if (host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        public static bool IsExchangeOnlineAddress(IPAddress address) =>
            address != null && ExchangeOnlineRanges.Concat(KnownRanges()).Any(r => InRange(address, r));

        static bool InRange(IPAddress address, string cidr)
        {
            string[] parts = cidr.Split('/');
            if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out IPAddress network)) return false;   // a cached entry that is not a range
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            if (network.AddressFamily != address.AddressFamily) return false;
            byte[] a = address.GetAddressBytes(), n = network.GetAddressBytes();
            int bits = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < a.Length && bits > 0; i++, bits -= 8)
            {
                int mask = bits >= 8 ? 0xFF : 0xFF << (8 - bits) & 0xFF;
                if ((a[i] & mask) != (n[i] & mask)) return false;
            }
            return true;
        }
    }
}
