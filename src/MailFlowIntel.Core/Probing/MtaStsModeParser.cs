using System;
using System.Collections.Generic;
using System.Linq;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>Reads an outbound connector's MtaStsMode as Exchange Online spells it (Set-OutboundConnector).</summary>
    public static class MtaStsModeParser
    {
        /// <summary>The values Set-OutboundConnector -MtaStsMode takes.</summary>
        public static IReadOnlyList<string> Names { get; } = new[] { "Opportunistic", "None" };

        /// <summary>
        /// The value's canonical spelling. Null or empty is Opportunistic, Exchange Online's default ("Opportunistic: This
        /// value is the default", Set-OutboundConnector, https://learn.microsoft.com/powershell/module/exchangepowershell/set-outboundconnector).
        /// </summary>
        /// <exception cref="FormatException">Any other value.</exception>
        public static string Normalize(string value) => Parse(value).ToString();

        internal static MtaStsMode Parse(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) return MtaStsMode.Opportunistic;
            string name = Names.FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
            if (name == null)
                throw new FormatException($"'{value}' is not an MtaStsMode value. Use Opportunistic (the default) or None.");
            return (MtaStsMode)Enum.Parse(typeof(MtaStsMode), name);
        }
    }
}
