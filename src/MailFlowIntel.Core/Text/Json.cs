using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MailFlowIntel.Core.Text
{
    /// <summary>
    /// A small, strict JSON reader and writer for the few documents the module exchanges (the Microsoft 365 endpoints service,
    /// its cache, TLS reports): objects become dictionaries (keys compared without case), arrays lists, numbers doubles.
    /// Bounded in depth and size, so hostile input fails fast with a FormatException. The design card allows no JSON package
    /// (netstandard2.0 has none built in).
    /// </summary>
    public static class Json
    {
        const int MaxDepth = 64;

        /// <exception cref="FormatException">Not JSON, or deeper than the bound.</exception>
        public static object Parse(string text)
        {
            var p = new Parser(text ?? "");
            p.SkipSpace();
            object value = p.Value(0);
            p.SkipSpace();
            if (!p.End) throw p.Error("text after the JSON value");
            return value;
        }

        /// <summary>A property of a parsed object as text (strings as they are, numbers invariant); null when absent or null.</summary>
        public static string Text(object obj, string name)
        {
            if (!(obj is IDictionary<string, object> d) || !d.TryGetValue(name, out object v) || v == null) return null;
            return v is string s ? s : v is double n ? n.ToString("R", CultureInfo.InvariantCulture) : v is bool b ? (b ? "true" : "false") : null;
        }

        public static IList<object> List(object obj, string name) =>
            obj is IDictionary<string, object> d && d.TryGetValue(name, out object v) && v is IList<object> l ? l : Array.Empty<object>();

        public static string Quote(string s)
        {
            if (s == null) return "null";
            var sb = new StringBuilder(s.Length + 2).Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append('"').ToString();
        }

        sealed class Parser
        {
            readonly string s;
            int i;
            public Parser(string s) { this.s = s; }
            public bool End => i >= s.Length;

            public FormatException Error(string what) =>
                new FormatException($"Not valid JSON at character {i.ToString(CultureInfo.InvariantCulture)}: {what}.");

            public void SkipSpace() { while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++; }

            public object Value(int depth)
            {
                if (depth > MaxDepth) throw Error("nested too deep");
                if (End) throw Error("unexpected end");
                char c = s[i];
                if (c == '{') return Object(depth);
                if (c == '[') return Array(depth);
                if (c == '"') return String();
                if (c == '-' || (c >= '0' && c <= '9')) return Number();
                if (Word("true")) return true;
                if (Word("false")) return false;
                if (Word("null")) return null;
                throw Error("unexpected character");
            }

            bool Word(string w)
            {
                if (string.CompareOrdinal(s, i, w, 0, w.Length) != 0) return false;
                i += w.Length;
                return true;
            }

            IDictionary<string, object> Object(int depth)
            {
                var d = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
                i++;
                SkipSpace();
                if (!End && s[i] == '}') { i++; return d; }
                while (true)
                {
                    SkipSpace();
                    if (End || s[i] != '"') throw Error("a property name was expected");
                    string key = String();
                    SkipSpace();
                    if (End || s[i] != ':') throw Error("':' was expected");
                    i++;
                    SkipSpace();
                    d[key] = Value(depth + 1);
                    SkipSpace();
                    if (End) throw Error("unexpected end in an object");
                    if (s[i] == ',') { i++; continue; }
                    if (s[i] == '}') { i++; return d; }
                    throw Error("',' or '}' was expected");
                }
            }

            IList<object> Array(int depth)
            {
                var l = new List<object>();
                i++;
                SkipSpace();
                if (!End && s[i] == ']') { i++; return l; }
                while (true)
                {
                    SkipSpace();
                    l.Add(Value(depth + 1));
                    SkipSpace();
                    if (End) throw Error("unexpected end in an array");
                    if (s[i] == ',') { i++; continue; }
                    if (s[i] == ']') { i++; return l; }
                    throw Error("',' or ']' was expected");
                }
            }

            string String()
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (End) throw Error("unterminated string");
                    char c = s[i++];
                    if (c == '"') return sb.ToString();
                    if (c != '\\') { sb.Append(c); continue; }
                    if (End) throw Error("unterminated escape");
                    char e = s[i++];
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            if (i + 4 > s.Length || !int.TryParse(s.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int u))
                                throw Error("a bad \\u escape");
                            sb.Append((char)u);
                            i += 4;
                            break;
                        default: throw Error("a bad escape");
                    }
                }
            }

            double Number()
            {
                int start = i;
                if (s[i] == '-') i++;
                while (i < s.Length && "0123456789.eE+-".IndexOf(s[i]) >= 0) i++;
                if (!double.TryParse(s.Substring(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double n))
                    throw Error("a bad number");
                return n;
            }
        }
    }
}
