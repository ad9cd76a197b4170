using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// One CSV row as a read-only dictionary (column name, any case, to the field string), in header order. The names
    /// and their map are the file's (<see cref="CsvColumns"/>); a row holds only its fields, so a large report does not
    /// build a dictionary per row.
    /// </summary>
    internal sealed class CsvRow : IReadOnlyDictionary<string, object>
    {
        readonly CsvColumns columns;
        readonly string[] values;

        /// <param name="values">One field per kept column, in the order of <see cref="CsvColumns.Names"/>.</param>
        public CsvRow(CsvColumns columns, string[] values)
        {
            this.columns = columns;
            this.values = values;
        }

        public int Count => values.Length;

        public object this[string key]
        {
            get
            {
                int i = columns.IndexOf(key);
                if (i < 0) throw new KeyNotFoundException($"The row has no column '{key}'.");
                return values[i];
            }
        }

        public IEnumerable<string> Keys => columns.Names;

        public IEnumerable<object> Values => values;

        public bool ContainsKey(string key) => columns.IndexOf(key) >= 0;

        [MethodImpl(HotPath.Optimized)]
        public bool TryGetValue(string key, out object value)
        {
            int i = columns.IndexOf(key);
            value = i < 0 ? null : values[i];
            return i >= 0;
        }

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            for (int i = 0; i < values.Length; i++) yield return new KeyValuePair<string, object>(columns.Names[i], values[i]);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
