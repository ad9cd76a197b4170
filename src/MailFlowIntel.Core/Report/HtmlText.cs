using System.Globalization;
using System.Text;

namespace MailFlowIntel.Core.Report
{
    /// <summary>
    /// The one way text enters the report's HTML. The five characters that mean something to HTML (&lt; &gt; &amp; " ') are
    /// always written as references, as WebUtility.HtmlEncode writes them, and attribute values are always written inside
    /// double quotes, so a banner or a reply with markup or quotes stays text in its own element or attribute. Other
    /// characters are written as they are (the page is UTF-8), so French words stay readable in the file. Control and bidirectional-override characters are shown as \xNN / \uNNNN (a
    /// reordering character would make text after it read as if it came from elsewhere), and length is bounded.
    /// </summary>
    internal static class HtmlText
    {
        public const int MaxLength = 4096;

        /// <summary>Text as element content (or, for <see cref="Attribute"/>, an attribute value).</summary>
        public static StringBuilder Text(this StringBuilder sb, string value, bool keepLineBreaks = false, int maxLength = MaxLength)
        {
            if (string.IsNullOrEmpty(value)) return sb;
            foreach (char c in Clean(value, keepLineBreaks, maxLength))
            {
                switch (c)
                {
                    case '<': sb.Append("&lt;"); break;
                    case '>': sb.Append("&gt;"); break;
                    case '&': sb.Append("&amp;"); break;
                    case '"': sb.Append("&quot;"); break;
                    case '\'': sb.Append("&#39;"); break;
                    default: sb.Append(c); break;
                }
            }
            return sb;
        }

        /// <summary> name="value", the value encoded; nothing for an empty value.</summary>
        public static StringBuilder Attribute(this StringBuilder sb, string name, string value)
        {
            if (string.IsNullOrEmpty(value)) return sb;
            return sb.Append(' ').Append(name).Append("=\"").Text(value, false, 256).Append('"');
        }

        /// <summary>A number, written the same in every culture (SVG coordinates need a dot).</summary>
        public static StringBuilder Number(this StringBuilder sb, double value) =>
            sb.Append(value.ToString("0.##", CultureInfo.InvariantCulture));

        static string Clean(string value, bool keepLineBreaks, int maxLength)
        {
            StringBuilder sb = null;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (i >= maxLength)
                {
                    (sb ?? (sb = new StringBuilder(value, 0, i, i + 4))).Append('…');
                    break;
                }
                bool keep = !(char.IsControl(c) || IsBidiControl(c)) || (keepLineBreaks && c == '\n') || c == '\t';
                if (keep)
                {
                    sb?.Append(c);
                    continue;
                }
                if (sb == null) sb = new StringBuilder(value, 0, i, value.Length + 16);
                if (c == '\r' && keepLineBreaks) continue;   // \r\n is one break
                sb.Append(c < 0x100 ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture) : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            return sb?.ToString() ?? value;
        }

        static bool IsBidiControl(char c) =>
            (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }
}
