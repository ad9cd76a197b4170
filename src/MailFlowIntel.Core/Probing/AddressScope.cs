using System.Net;
using System.Net.Sockets;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>Whether an address is one Microsoft 365 could reach from the internet.</summary>
    internal static class AddressScope
    {
        /// <summary>
        /// RFC 1918 (10/8, 172.16/12, 192.168/16), shared address space (100.64/10, RFC 6598), link-local (169.254/16,
        /// fe80::/10) and unique local IPv6 (fc00::/7). Loopback is not among them: a lab on this computer counts as public.
        /// </summary>
        public static bool IsNonPublic(IPAddress address)
        {
            if (address == null) return false;
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            byte[] b = address.GetAddressBytes();
            if (address.AddressFamily == AddressFamily.InterNetwork)
                return b[0] == 10
                    || (b[0] == 172 && (b[1] & 0xF0) == 16)
                    || (b[0] == 192 && b[1] == 168)
                    || (b[0] == 100 && (b[1] & 0xC0) == 64)
                    || (b[0] == 169 && b[1] == 254);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
                return (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80);
            return false;
        }
    }
}
