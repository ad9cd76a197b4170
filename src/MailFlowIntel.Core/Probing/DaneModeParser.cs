using System;
using System.Collections.Generic;
using System.Linq;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>Reads an outbound connector's SmtpDaneMode as Exchange Online spells it (Set-OutboundConnector).</summary>
    public static class DaneModeParser
    {
        /// <summary>The values Set-OutboundConnector -SmtpDaneMode takes.</summary>
        public static IReadOnlyList<string> Names { get; } = new[] { "Opportunistic", "Mandatory", "None" };

        /// <summary>
        /// The value's canonical spelling. Null or empty is Opportunistic, Exchange Online's default ("Opportunistic: This
        /// value is the default", Set-OutboundConnector, https://learn.microsoft.com/powershell/module/exchangepowershell/set-outboundconnector).
        /// </summary>
        /// <exception cref="FormatException">Any other value.</exception>
        public static string Normalize(string value) => Parse(value).ToString();

        internal static DaneMode Parse(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) return DaneMode.Opportunistic;
            string name = Names.FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
            if (name == null)
                throw new FormatException($"'{value}' is not an SmtpDaneMode value. Use Opportunistic (the default), Mandatory or None.");
            return (DaneMode)Enum.Parse(typeof(DaneMode), name);
        }
    }
}
