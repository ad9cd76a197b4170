using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// Reads the dates evidence carries, in the culture that wrote them. Export-Csv (with or without -UseCulture) and
    /// Import-Csv write and keep dates as the writer's culture prints them ("3/13/2026 10:00:00 AM" in en-US,
    /// "13/03/2026 10:00:00" in fr-FR, "13.03.2026 10:00:00" in de-DE), so "03/04/2026" alone does not say its month.
    /// Rules, first that applies (Microsoft is silent; this is our choice, written in Get-MailFlowAlert's help):
    /// <list type="number">
    /// <item>ISO 8601 and RFC 1123 dates are read as they are.</item>
    /// <item>With -Culture, numeric dates are read in that culture only; one it cannot read is an error.</item>
    /// <item>A part above 12 decides its own order, and settles the order of the other dates of the same file (or pipeline).</item>
    /// <item>The settled order, unless the file's dates disagree with each other.</item>
    /// <item>The current culture's order, when it writes that shape (same separator, same 12/24-hour clock): -UseCulture files.</item>
    /// <item>Dots ("13.03.2026") are day-first: every culture that writes them does.</item>
    /// <item>A 12-hour clock with AM/PM is month-first, as en-US and Exchange Online's downloaded reports write it.</item>
    /// <item>Otherwise the day and month cannot be told apart: a <see cref="FormatException"/> asking for -Culture.</item>
    /// </list>
    /// A date without a zone is taken as UTC, as Exchange Online's exports are. One instance per file or per pipeline.
    /// </summary>
    public sealed class EvidenceDates
    {
        const DateTimeStyles Styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;

        // day-or-month, separator, day-or-month, the same separator, a four-digit year, then an optional time.
        internal static readonly Regex Numeric = new Regex(@"^\s*(?<a>\d{1,2})(?<sep>[/.\-])(?<b>\d{1,2})\k<sep>(?<y>\d{4})\.?(?<rest>(\s.*)?)$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));
        static readonly Regex Meridiem = new Regex(@"\b[AaPp]\.?[Mm]\.?(?!\w)", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

        enum Order { Unknown, DayFirst, MonthFirst, Mixed }

        readonly CultureInfo stated, current;
        Order settled;

        /// <param name="stated">The culture the admin named (-Culture), or null.</param>
        /// <param name="current">The culture of the session reading the evidence (-UseCulture files follow it).</param>
        public EvidenceDates(CultureInfo stated, CultureInfo current)
        {
            this.stated = stated;
            this.current = current ?? CultureInfo.InvariantCulture;
        }

        /// <summary>The culture named with -Culture, or null.</summary>
        public CultureInfo Stated => stated;

        /// <summary>A fresh reader with the same cultures, for another file (each file settles its own order).</summary>
        public EvidenceDates ForFile() => new EvidenceDates(stated, current);

        /// <summary>Notes a date's order when it shows it (a part above 12), to settle the others.</summary>
        public void Learn(string text)
        {
            Match m = Match(text);
            if (m != null) Note(OwnOrder(int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture)));
        }

        void Note(Order own)
        {
            if (own == Order.Unknown || own == settled) return;
            settled = settled == Order.Unknown ? own : Order.Mixed;
        }

        /// <summary>
        /// The date in UTC; null when the text is not a date at all. Throws <see cref="FormatException"/> for a date whose
        /// day and month cannot be told apart, or one the stated culture does not write.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public DateTime? Parse(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            Match m = Match(text);
            if (m == null) return ParseWhole(text);

            int a = int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture);
            int b = int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
            int year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
            char sep = m.Groups["sep"].Value[0];
            string rest = m.Groups["rest"].Value.Trim();
            bool twelveHour = rest.Length > 0 && Meridiem.IsMatch(rest);

            if (stated != null)
            {
                if (DateTime.TryParse(text, stated, Styles, out DateTime d)) return d;
                throw new FormatException($"'{Shorten(text)}' is not a date as {Name(stated)} writes it.");
            }

            Order order = OwnOrder(a, b);
            Note(order);
            if (order == Order.Unknown && (settled == Order.DayFirst || settled == Order.MonthFirst)) order = settled;
            if (order == Order.Unknown && settled != Order.Mixed)
            {
                order = CultureOrder(current, sep, rest.Length == 0 ? (bool?)null : twelveHour);
                if (order == Order.Unknown && sep == '.') order = Order.DayFirst;
                if (order == Order.Unknown && twelveHour) order = Order.MonthFirst;
            }
            if (order == Order.Unknown)
                throw new FormatException($"In '{Shorten(text)}' the day and the month cannot be told apart; say which culture wrote the file with -Culture (for example -Culture fr-FR).");

            int day = order == Order.DayFirst ? a : b, month = order == Order.DayFirst ? b : a;
            if (month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, Math.Min(9999, year)), month))
                throw new FormatException($"'{Shorten(text)}' is not a valid date.");
            string iso = year.ToString("D4", CultureInfo.InvariantCulture) + "-" + month.ToString("D2", CultureInfo.InvariantCulture)
                         + "-" + day.ToString("D2", CultureInfo.InvariantCulture) + (rest.Length > 0 ? " " + rest : "");
            if (DateTime.TryParse(iso, CultureInfo.InvariantCulture, Styles, out DateTime parsed)) return parsed;
            if (DateTime.TryParse(iso, current, Styles, out parsed)) return parsed;   // a time written with the culture's own AM/PM words
            throw new FormatException($"The time in '{Shorten(text)}' cannot be read.");
        }

        /// <summary>Dates that say their own order: ISO 8601, RFC 1123, month names.</summary>
        [MethodImpl(HotPath.Optimized)]
        DateTime? ParseWhole(string text)
        {
            if (TryUtcIso(text, out DateTime d)) return d;
            if (DateTime.TryParse(text, CultureInfo.InvariantCulture, Styles, out d)) return d;
            if (stated != null && DateTime.TryParse(text, stated, Styles, out d)) return d;
            if (DateTime.TryParse(text, current, Styles, out d)) return d;
            return null;
        }

        /// <summary>
        /// ISO 8601 in UTC, "2026-11-27T03:04:00Z" or "2026-11-27T03:04:00.1234567Z" (up to seven fraction digits), read
        /// without DateTime.TryParse, which costs more on every row of a large report; the value is the one TryParse gives.
        /// Anything else (another zone, a leap second, spaces) is left to TryParse.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        internal static bool TryUtcIso(string text, out DateTime value)
        {
            value = default(DateTime);
            int n = text.Length;
            if (n < 20 || n > 28 || n == 21 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
                || text[n - 1] != 'Z' || (n > 20 && text[19] != '.'))
                return false;
            int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
            int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
            int fraction = n > 20 ? Digits(text, 20, n - 21) : 0;
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0)
                return false;
            for (int i = n - 21; i < 7; i++) fraction *= 10;   // in ticks (100 ns)
            value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fraction);
            return true;
        }

        /// <summary>The number written by <paramref name="count"/> ASCII digits at <paramref name="start"/>; -1 when one is not a digit.</summary>
        static int Digits(string text, int start, int count)
        {
            int v = 0;
            for (int i = start; i < start + count; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return -1;
                v = v * 10 + (c - '0');
            }
            return v;
        }

        [MethodImpl(HotPath.Optimized)]
        static Match Match(string text)
        {
            if (string.IsNullOrEmpty(text) || text.Length > 64 || !MayBeNumeric(text)) return null;
            try
            {
                Match m = Numeric.Match(text);
                return m.Success ? m : null;
            }
            catch (RegexMatchTimeoutException) { return null; }
        }

        /// <summary>
        /// What <see cref="Numeric"/> needs at the start (white space, one or two digits, a separator), checked without the
        /// regex: most dates in reports are ISO 8601 and fail here, on every row. The regex's \s and \d are
        /// char.IsWhiteSpace and char.IsDigit.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        internal static bool MayBeNumeric(string text)
        {
            int i = 0;
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            int digits = 0;
            while (i < text.Length && digits < 3 && char.IsDigit(text[i])) { i++; digits++; }
            return (digits == 1 || digits == 2) && i < text.Length && (text[i] == '/' || text[i] == '.' || text[i] == '-');
        }

        static Order OwnOrder(int a, int b) =>
            a > 12 && b <= 12 ? Order.DayFirst : b > 12 && a <= 12 ? Order.MonthFirst : Order.Unknown;

        /// <summary>The culture's order when it prints dates in this shape; Unknown when it does not.</summary>
        static Order CultureOrder(CultureInfo culture, char sep, bool? twelveHour)
        {
            DateTimeFormatInfo f = culture.DateTimeFormat;
            string pattern = f.ShortDatePattern;
            // The separator the culture prints: "/" in a pattern stands for DateSeparator.
            string printed = pattern.Replace("/", f.DateSeparator);
            if (printed.IndexOf(sep) < 0 || printed.TrimStart().StartsWith("y", StringComparison.Ordinal)) return Order.Unknown;
            if (twelveHour != null && f.LongTimePattern.Contains("t") != twelveHour.Value) return Order.Unknown;
            int d = pattern.IndexOf('d'), m = pattern.IndexOf('M');
            if (d < 0 || m < 0) return Order.Unknown;
            return d < m ? Order.DayFirst : Order.MonthFirst;
        }

        static string Name(CultureInfo c) => c.Name.Length == 0 ? "the invariant culture" : c.Name;

        static string Shorten(string text) => text.Length > 40 ? text.Substring(0, 40) + "..." : text;
    }
}
