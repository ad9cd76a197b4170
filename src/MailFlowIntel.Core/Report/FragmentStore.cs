using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace MailFlowIntel.Core.Report
{
    /// <summary>
    /// Where the report's rows wait until the page can be written: each item's HTML is written to a temporary file as it
    /// comes, and only a 24-byte entry (section, group, offset, length) stays in memory. At the end the rows are copied out
    /// section by section, group by group, in the order they came. So 100,000 alerts hold 100,000 small structs, not
    /// 100,000 strings, and the summary and charts (known only at the end) can still come first in the page.
    /// </summary>
    internal sealed class FragmentStore : IDisposable
    {
        struct Entry
        {
            public long Offset;
            public int Length;
            public int Group;
            public int Section;
        }

        static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        readonly Stream spill;
        readonly List<Entry> entries = new List<Entry>();
        byte[] buffer = new byte[16 * 1024];
        char[] chars = new char[16 * 1024];

        /// <param name="spill">A readable, writable, seekable stream; null for a temporary file deleted when closed.</param>
        public FragmentStore(Stream spill = null)
        {
            this.spill = spill ?? new FileStream(Path.Combine(Path.GetTempPath(), "mfi-report-" + Guid.NewGuid().ToString("N") + ".tmp"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        }

        public int Count => entries.Count;

        public void Add(int section, int group, StringBuilder html)
        {
            if (html.Length > chars.Length) chars = new char[html.Length];
            html.CopyTo(0, chars, 0, html.Length);
            int max = Utf8.GetMaxByteCount(html.Length);
            if (max > buffer.Length) buffer = new byte[max];
            int n = Utf8.GetBytes(chars, 0, html.Length, buffer, 0);
            spill.Seek(0, SeekOrigin.End);
            entries.Add(new Entry { Offset = spill.Position, Length = n, Group = group, Section = section });
            spill.Write(buffer, 0, n);
        }

        /// <summary>
        /// Copies one section's rows to the output, grouped in <paramref name="groupOrder"/>, calling
        /// <paramref name="open"/> before a group's first row and <paramref name="close"/> after its last.
        /// </summary>
        public void CopySection(int section, IReadOnlyList<int> groupOrder, TextWriter output, Action<int> open, Action<int> close)
        {
            // Rank of each group, then the section's entries sorted by (rank, arrival): one index array, no copy of the rows.
            var rank = new Dictionary<int, int>();
            for (int i = 0; i < groupOrder.Count; i++) rank[groupOrder[i]] = i;
            var picked = new List<int>();
            for (int i = 0; i < entries.Count; i++) if (entries[i].Section == section) picked.Add(i);
            picked.Sort((a, b) =>
            {
                int ra = rank.TryGetValue(entries[a].Group, out int x) ? x : int.MaxValue, rb = rank.TryGetValue(entries[b].Group, out int y) ? y : int.MaxValue;
                return ra != rb ? ra.CompareTo(rb) : a.CompareTo(b);
            });
            int current = -1;
            bool any = false;
            foreach (int i in picked)
            {
                Entry e = entries[i];
                if (!any || e.Group != current)
                {
                    if (any) close(current);
                    open(e.Group);
                    current = e.Group;
                    any = true;
                }
                Copy(e, output);
            }
            if (any) close(current);
            output.Flush();
        }

        void Copy(Entry e, TextWriter output)
        {
            if (e.Length > buffer.Length) buffer = new byte[e.Length];
            spill.Seek(e.Offset, SeekOrigin.Begin);
            int read = 0;
            while (read < e.Length)
            {
                int n = spill.Read(buffer, read, e.Length - read);
                if (n == 0) throw new EndOfStreamException("The report's temporary file ended early.");
                read += n;
            }
            int count = Utf8.GetCharCount(buffer, 0, e.Length);
            if (count > chars.Length) chars = new char[count];
            Utf8.GetChars(buffer, 0, e.Length, chars, 0);
            output.Write(chars, 0, count);
        }

        public void Dispose() => spill.Dispose();
    }
}
