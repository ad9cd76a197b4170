using System.Runtime.CompilerServices;
using System.Text;

namespace MailFlowIntel.Core.Text
{
    /// <summary>
    /// Makes text that a remote server or a piece of evidence supplied safe to show and to export:
    /// control characters escaped, length bounded, and no leading character a spreadsheet would run as a formula.
    /// </summary>
    public static class Untrusted
    {
        public const int DefaultMaxLength = 512;

        [MethodImpl(HotPath.Optimized)]
        public static string Clean(string value, int maxLength = DefaultMaxLength)
        {
            if (string.IsNullOrEmpty(value) || IsClean(value, maxLength)) return value;
            var sb = new StringBuilder(System.Math.Min(value.Length, maxLength) + 8);
            foreach (char c in value)
            {
                if (sb.Length >= maxLength) { sb.Append("..."); break; }
                if (c == '\t') sb.Append(' ');
                else if (char.IsControl(c)) sb.Append("\\x").Append(((int)c).ToString("X2"));
                else sb.Append(c);
            }
            return NeutraliseFormula(sb.ToString());
        }

        // Most text needs nothing done (alert keys clean every row's connector and server): no copy then.
        [MethodImpl(HotPath.Optimized)]
        static bool IsClean(string value, int maxLength)
        {
            if (value.Length > maxLength || IsFormulaStart(value[0])) return false;
            foreach (char c in value) if (char.IsControl(c)) return false;   // tab included
            return true;
        }

        /// <summary>Cleans a multi-line text such as a transcript: keeps line breaks, escapes other controls.</summary>
        public static string CleanLines(string value, int maxLength)
        {
            if (string.IsNullOrEmpty(value)) return value;
            var sb = new StringBuilder();
            foreach (string line in value.Replace("\r\n", "\n").Split('\n'))
            {
                if (sb.Length >= maxLength) { sb.Append("..."); break; }
                if (sb.Length > 0) sb.Append('\n');
                sb.Append(Clean(line, System.Math.Max(16, maxLength - sb.Length)));
            }
            return NeutraliseFormula(sb.ToString());
        }

        // OWASP CSV-injection advice: a cell starting with = + - @ is taken for a formula; prefix a quote.
        static string NeutraliseFormula(string s)
        {
            if (s.Length == 0) return s;
            return IsFormulaStart(s[0]) ? "'" + s : s;
        }

        static bool IsFormulaStart(char first) => first == '=' || first == '+' || first == '-' || first == '@';
    }
}
