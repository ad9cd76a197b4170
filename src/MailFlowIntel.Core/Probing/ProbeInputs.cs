using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>Reads the probe's option values as an admin types them.</summary>
    public static class ProbeInputs
    {
        /// <summary>"192.0.2.53", "192.0.2.53:5353", "2001:db8::53" or "[2001:db8::53]:5353".</summary>
        public static IPEndPoint ParseDnsServer(string text)
        {
            string s = (text ?? "").Trim();
            int port = 53;
            string host = s;
            if (s.StartsWith("[", StringComparison.Ordinal))
            {
                int close = s.IndexOf(']');
                if (close < 0) throw new FormatException($"'{s}' is not a DNS server address.");
                host = s.Substring(1, close - 1);
                string rest = s.Substring(close + 1);
                if (rest.Length > 0 && (!rest.StartsWith(":", StringComparison.Ordinal) || !TryPort(rest.Substring(1), out port)))
                    throw new FormatException($"'{s}' has no valid port after the address.");
            }
            else if (s.Split(':').Length == 2)
            {
                host = s.Substring(0, s.IndexOf(':'));
                if (!TryPort(s.Substring(s.IndexOf(':') + 1), out port)) throw new FormatException($"'{s}' has no valid port after the address.");
            }
            if (!IPAddress.TryParse(host, out IPAddress ip) || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && host.Split('.').Length != 4))
                throw new FormatException($"'{s}' is not an IP address (use ip or ip:port).");
            return new IPEndPoint(ip, port);
        }

        static bool TryPort(string s, out int port) =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port >= 1 && port <= 65535;

        static readonly Regex Mailbox = new Regex(@"^[^\s<>@]+@[^\s<>@]+$", RegexOptions.CultureInvariant);

        /// <summary>An address for MAIL FROM or RCPT TO: no spaces, angle brackets or line breaks that could smuggle a command.</summary>
        public static bool IsMailbox(string s) => s != null && s.Length <= 320 && Mailbox.IsMatch(s);

        /// <summary>Every certificate in a PEM file (netstandard2.0 has no PEM reader).</summary>
        public static X509Certificate2Collection LoadPemCertificates(string path)
        {
            string text = File.ReadAllText(path);
            var result = new X509Certificate2Collection();
            foreach (Match m in Regex.Matches(text, "-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", RegexOptions.Singleline))
                result.Add(new X509Certificate2(Convert.FromBase64String(Regex.Replace(m.Groups[1].Value, @"\s", ""))));
            if (result.Count == 0) throw new FormatException($"'{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
            return result;
        }
    }
}
