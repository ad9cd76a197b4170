using System;
using System.Linq;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Reads an outbound connector's SmtpDaneMode and MtaStsMode as Exchange Online spells them (Set-OutboundConnector).
    /// Null or empty is Opportunistic, the default of both ("Opportunistic: This value is the default", Set-OutboundConnector,
    /// https://learn.microsoft.com/powershell/module/exchangepowershell/set-outboundconnector).
    /// </summary>
    public static class ConnectorModes
    {
        /// <summary>The SmtpDaneMode's canonical spelling (Opportunistic, Mandatory, None).</summary>
        /// <exception cref="FormatException">Any other value.</exception>
        public static string NormalizeDane(string value) => Parse<DaneMode>(value, "SmtpDaneMode").ToString();

        /// <summary>The MtaStsMode's canonical spelling (Opportunistic, None).</summary>
        /// <exception cref="FormatException">Any other value.</exception>
        public static string NormalizeMtaSts(string value) => Parse<MtaStsMode>(value, "MtaStsMode").ToString();

        internal static T Parse<T>(string value, string setting) where T : struct, Enum
        {
            if (string.IsNullOrWhiteSpace(value)) return default;   // Opportunistic, first in both enums
            string[] names = Enum.GetNames(typeof(T));
            string name = names.FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
            if (name != null) return (T)Enum.Parse(typeof(T), name);
            string others = string.Join(", ", names.Skip(1).Take(names.Length - 2));
            string choices = names[0] + " (the default)" + (others.Length > 0 ? ", " + others : "") + " or " + names[names.Length - 1];
            throw new FormatException($"'{value}' is not an {setting} value. Use {choices}.");
        }
    }
}
