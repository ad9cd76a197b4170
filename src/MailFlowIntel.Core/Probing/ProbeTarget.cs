using System;
using System.Collections.Generic;
using System.Net;
using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Probing
{
    public enum TargetKind { SmartHost, Domain }

    /// <summary>One thing to probe: a smart host (name or address) or a recipient domain delivered by MX.</summary>
    public sealed class ProbeTarget
    {
        public string Connector { get; set; }
        public string Text { get; set; }
        public TargetKind Kind { get; set; }
        public TlsRequirement Tls { get; set; }
        public string TlsDomain { get; set; }
        /// <summary>The connector's ConnectorType (OnPremises or Partner); null for a bare -SmartHost or -Domain.</summary>
        public string ConnectorType { get; set; }
        /// <summary>Set when the target cannot be probed at all (a range, a wildcard, a disabled connector).</summary>
        public NotTestedKind NotTested { get; set; }
        /// <summary>The connector's SmtpDaneMode: Opportunistic (the default, also for null or empty), Mandatory or None.</summary>
        /// <exception cref="FormatException">Set to another value (ConnectorModes).</exception>
        public string SmtpDaneMode { get => DaneMode.ToString(); set => DaneMode = ConnectorModes.Parse<DaneMode>(value, "SmtpDaneMode"); }

        internal DaneMode DaneMode { get; private set; }

        /// <summary>The connector's MtaStsMode: Opportunistic (the default, also for null or empty) or None.</summary>
        /// <exception cref="FormatException">Set to another value (ConnectorModes).</exception>
        public string MtaStsMode { get => MtaStsModeValue.ToString(); set => MtaStsModeValue = ConnectorModes.Parse<MtaStsMode>(value, "MtaStsMode"); }

        internal MailFlowIntel.Core.Probing.MtaStsMode MtaStsModeValue { get; private set; }

        /// <summary>
        /// A connector's smart hosts taken together, as Exchange Online takes them: null for a single host or domain. Each is
        /// probed (Exchange Online spreads mail over them round-robin and fails over to the next when one does not answer),
        /// and the connector delivers when any takes the session.
        /// </summary>
        public IReadOnlyList<ProbeTarget> SmartHosts { get; set; }

        /// <summary>
        /// A recipient domain given as a wildcard (*.fabrikam.com) and probed by its parent's MX; its subdomains, which may have
        /// MX records of their own, are not probed. Null otherwise.
        /// </summary>
        public string Wildcard { get; internal set; }

        /// <summary>The connector routes every domain (RecipientDomains *): it is the organisation's own gateway or relay.</summary>
        public bool AllDomains { get; set; }

        /// <summary>The address when the target is a literal IP address; null for names.</summary>
        internal IPAddress Address { get; set; }
        /// <summary>The name without a trailing dot, lower case.</summary>
        internal string Name { get; set; }
    }

    /// <summary>Thrown for a smart host or domain that is not a host name, address or range.</summary>
    public sealed class InvalidTargetException : FormatException
    {
        public InvalidTargetException(string target, string message) : base(message) { Target = target; }
        public string Target { get; }
    }

    public static class TargetParser
    {
        static readonly Regex Label = new Regex(@"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$", RegexOptions.CultureInvariant);
        static readonly Regex DottedQuad = new Regex(@"^\d{1,3}(\.\d{1,3}){3}$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Builds a target from text as Set-OutboundConnector accepts it: host name, IP address, or CIDR range
        /// (smart hosts); domain or wildcard domain (recipient domains).
        /// </summary>
        public static ProbeTarget Parse(string text, TargetKind kind, string connector, TlsRequirement tls, string tlsDomain)
        {
            var t = new ProbeTarget { Connector = connector, Text = text, Kind = kind, Tls = tls, TlsDomain = tlsDomain };
            string s = (text ?? "").Trim();
            if (s.Length == 0) throw new InvalidTargetException(text, "The target is empty.");
            if (s.IndexOf('/') >= 0)
            {
                string[] parts = s.Split('/');
                if (parts.Length == 2 && TryAddress(parts[0], out IPAddress network) && int.TryParse(parts[1], out int len) && len >= 0
                    && len <= (network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
                {
                    t.NotTested = NotTestedKind.Range;
                    return t;
                }
                throw new InvalidTargetException(text, $"'{Shorten(s)}' is not a valid CIDR range, address or host name.");
            }
            if (TryAddress(s, out IPAddress ip))
            {
                t.Address = ip;
                return t;
            }
            if (s == "*" || s.StartsWith("*.", StringComparison.Ordinal))
            {
                if (s != "*" && !IsHostName(s.Substring(2)))
                    throw new InvalidTargetException(text, $"'{Shorten(s)}' is not a valid wildcard domain.");
                if (s == "*" || kind != TargetKind.Domain)
                {
                    t.NotTested = NotTestedKind.Wildcard;
                    return t;
                }
                // "*.contoso.com" covers the domain itself and its subdomains (New-OutboundConnector, Example 1; the parameter
                // text says "all subdomains"): the domain is probed by its MX, its subdomains are not.
                t.Wildcard = s;
                t.Name = s.Substring(2).TrimEnd('.').ToLowerInvariant();
                return t;
            }
            if (!IsHostName(s))
                throw new InvalidTargetException(text, $"'{Shorten(s)}' is not a valid host name, IP address or CIDR range.");
            t.Name = s.TrimEnd('.').ToLowerInvariant();
            return t;
        }

        static bool TryAddress(string s, out IPAddress ip)
        {
            ip = null;
            // IPAddress.TryParse takes "1" for 0.0.0.1; accept only the full forms an admin writes.
            if (s.IndexOf(':') < 0 && !DottedQuad.IsMatch(s)) return false;
            return IPAddress.TryParse(s.Trim('[', ']'), out ip);
        }

        public static bool IsHostName(string s)
        {
            if (string.IsNullOrEmpty(s)) return false;
            string n = s.EndsWith(".", StringComparison.Ordinal) ? s.Substring(0, s.Length - 1) : s;
            if (n.Length == 0 || n.Length > 253) return false;
            foreach (string label in n.Split('.'))
                if (!Label.IsMatch(label)) return false;
            return true;
        }

        static string Shorten(string s) => s.Length > 80 ? s.Substring(0, 80) + "..." : s;
    }
}
