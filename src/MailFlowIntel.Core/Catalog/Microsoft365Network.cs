using System;
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
        /// Prints the current Exchange Online addresses for TCP 25 from Microsoft's endpoints web service. It asks for TLS 1.2
        /// first: Windows PowerShell 5.1 may otherwise offer only older versions, which the service refuses.
        /// </summary>
        public const string EndpointsCommand =
            "[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12; (Invoke-RestMethod \"https://endpoints.office.com/endpoints/worldwide?clientrequestid=$(New-Guid)\") | Where-Object { $_.serviceArea -eq 'Exchange' -and $_.tcpPorts -match '25' } | Select-Object -ExpandProperty ips";

        /// <summary>The MX hosts Microsoft 365 publishes for its customers' domains (contoso-com.mail.protection.outlook.com).</summary>
        public static bool IsMicrosoft365MxHost(string host) =>
            !string.IsNullOrEmpty(host)
            && (host.TrimEnd('.').EndsWith(".mail.protection.outlook.com", StringComparison.OrdinalIgnoreCase)
                || host.TrimEnd('.').EndsWith(".mail.protection.outlook.de", StringComparison.OrdinalIgnoreCase));

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
            address != null && ExchangeOnlineRanges.Any(r => InRange(address, r));

        static bool InRange(IPAddress address, string cidr)
        {
            string[] parts = cidr.Split('/');
            IPAddress network = IPAddress.Parse(parts[0]);
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
