using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// A CSV header's columns, shared by every row of the file: the names kept (trimmed, the first of duplicates, none
    /// empty) in header order, the field each comes from, and a name-to-column map that ignores case.
    /// </summary>
    internal sealed class CsvColumns
    {
        readonly Dictionary<string, int> index;
        // The same names as the header spells them, tried first: readers ask in the header's own spelling nearly always,
        // and an exact comparison costs less than one without case. Neither map changes after the header.
        readonly Dictionary<string, int> spelled = new Dictionary<string, int>(StringComparer.Ordinal);
        // Bit n set: some column's name has n characters (n < 64). Readers ask every row for dozens of names a report
        // lacks; names equal without case have equal lengths, so most of those misses are told without hashing the name.
        readonly ulong lengths;

        /// <param name="header">The header's fields as read.</param>
        public CsvColumns(IReadOnlyList<string> header)
        {
            var names = new List<string>();
            var fields = new List<int>();
            index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < header.Count; i++)
            {
                string name = header[i];
                if (i == 0) name = name.TrimStart('\uFEFF');
                name = name.Trim();
                if (name.Length == 0 || index.ContainsKey(name)) continue;
                index.Add(name, names.Count);
                spelled.Add(name, names.Count);
                lengths |= name.Length < 64 ? 1UL << name.Length : 0;
                names.Add(name);
                fields.Add(i);
            }
            Names = names.ToArray();
            Fields = fields.ToArray();
        }

        /// <summary>The column names kept, in header order.</summary>
        public string[] Names { get; }

        /// <summary>For each kept column, the field of the record it is read from.</summary>
        public int[] Fields { get; }

        /// <summary>The kept column of that name (any case), or -1.</summary>
        [MethodImpl(HotPath.Optimized)]
        public int IndexOf(string name)
        {
            if (name == null || (name.Length < 64 && (lengths & (1UL << name.Length)) == 0)) return -1;
            return spelled.TryGetValue(name, out int i) || index.TryGetValue(name, out i) ? i : -1;
        }
    }
}
