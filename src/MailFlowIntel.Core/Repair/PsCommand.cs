using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// A PowerShell command line built from parts: every value goes through <see cref="Quote"/>, the one quoting function,
    /// so no name from a server, a file or evidence can break out of its literal in any Command we print.
    /// </summary>
    public sealed class PsCommand
    {
        readonly string name;
        readonly List<string> parts = new List<string>();
        PsCommand next;

        public PsCommand(string name) { this.name = name; }

        /// <summary>-Name 'value'; a null or empty value leaves the parameter out.</summary>
        public PsCommand Param(string parameter, string value)
        {
            if (!string.IsNullOrEmpty(value)) parts.Add("-" + parameter + " " + Quote(value));
            return this;
        }

        /// <summary>-Name $true / $false.</summary>
        public PsCommand Param(string parameter, bool value)
        {
            parts.Add("-" + parameter + " " + (value ? "$true" : "$false"));
            return this;
        }

        /// <summary>-Name 'a', 'b'.</summary>
        public PsCommand Param(string parameter, IEnumerable<string> values)
        {
            var list = (values ?? Enumerable.Empty<string>()).Where(v => v != null).ToList();
            if (list.Count > 0) parts.Add("-" + parameter + " " + string.Join(", ", list.Select(Quote)));
            return this;
        }

        /// <summary>An explicit $null, where setting a value back to empty is the point (a rollback to no TlsDomain).</summary>
        public PsCommand ParamNull(string parameter)
        {
            parts.Add("-" + parameter + " $null");
            return this;
        }

        public PsCommand Switch(string parameter, bool present = true)
        {
            if (present) parts.Add("-" + parameter);
            return this;
        }

        /// <summary>A value written by us, never from outside (a property name for Format-List, -Confirm:$false).</summary>
        public PsCommand Literal(string text)
        {
            parts.Add(text);
            return this;
        }

        /// <summary>"this | next".</summary>
        public PsCommand Pipe(PsCommand command)
        {
            PsCommand last = this;
            while (last.next != null) last = last.next;
            last.next = command;
            return this;
        }

        public string Render()
        {
            var sb = new StringBuilder(name);
            foreach (string p in parts) sb.Append(' ').Append(p);
            if (next != null) sb.Append(" | ").Append(next.Render());
            return sb.ToString();
        }

        public override string ToString() => Render();

        // PowerShell ends a single-quoted string at any of these, and doubles them to mean one.
        static readonly char[] Quotes = { '\'', '\u2018', '\u2019', '\u201A', '\u201B' };

        /// <summary>
        /// A value as a PowerShell literal that evaluates to exactly that value and runs nothing: single-quoted, with every
        /// kind of single quote doubled. Control characters (a newline in a crafted name) cannot be written inside such a
        /// literal without breaking the line, so they are joined in as [char] codes: ('a' + [char]10 + 'b').
        /// </summary>
        public static string Quote(string value)
        {
            value = value ?? "";
            if (!value.Any(char.IsControl)) return QuotePlain(value);
            var pieces = new List<string>();
            var run = new StringBuilder();
            foreach (char c in value)
            {
                if (!char.IsControl(c)) { run.Append(c); continue; }
                if (run.Length > 0) { pieces.Add(QuotePlain(run.ToString())); run.Clear(); }
                pieces.Add("[char]" + ((int)c).ToString(CultureInfo.InvariantCulture));
            }
            if (run.Length > 0) pieces.Add(QuotePlain(run.ToString()));
            return "(" + string.Join(" + ", pieces.Count > 0 && pieces[0].StartsWith("[char]", StringComparison.Ordinal) ? new[] { "''" }.Concat(pieces) : pieces) + ")";
        }

        static string QuotePlain(string value)
        {
            var sb = new StringBuilder(value.Length + 2).Append('\'');
            foreach (char c in value)
            {
                sb.Append(c);
                if (Array.IndexOf(Quotes, c) >= 0) sb.Append(c);
            }
            return sb.Append('\'').ToString();
        }
    }
}
