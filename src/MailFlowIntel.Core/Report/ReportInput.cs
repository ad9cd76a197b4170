using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using MailFlowIntel.Core.Evidence;

namespace MailFlowIntel.Core.Report
{
    /// <summary>
    /// Results, alerts and repair actions as the report takes them from the pipeline: live, or deserialized (Import-Clixml,
    /// a job, remoting, Import-Csv), told apart by their property names as <see cref="RowInterpreter"/> tells them, and read
    /// back into the engine's own classes property by property (enums as names or numbers, dates as dates or text).
    /// </summary>
    public static class ReportInput
    {
        public static bool IsAlert(IReadOnlyDictionary<string, object> row) => RowInterpreter.IsAlert(row);
        public static bool IsResult(IReadOnlyDictionary<string, object> row) => RowInterpreter.IsProbe(row);
        public static bool IsAction(IReadOnlyDictionary<string, object> row) => RowInterpreter.IsAction(row);

        /// <exception cref="EvidenceFormatException">A property that cannot be read as its type (an unknown Severity, a date that is not one).</exception>
        public static MailFlowAlert Alert(IReadOnlyDictionary<string, object> row, EvidenceDates dates) => Fill(new MailFlowAlert(), row, dates, "a Get-MailFlowAlert alert");

        /// <exception cref="EvidenceFormatException">A property that cannot be read as its type.</exception>
        public static ConnectorDeliveryResult Result(IReadOnlyDictionary<string, object> row, EvidenceDates dates) => Fill(new ConnectorDeliveryResult(), row, dates, "a Test-ConnectorDelivery result");

        /// <exception cref="EvidenceFormatException">A property that cannot be read as its type.</exception>
        public static RepairAction Action(IReadOnlyDictionary<string, object> row, EvidenceDates dates)
        {
            // Files written before Rationale existed called it Reason, a text where Reason is now the scenario.
            if (row.TryGetValue("Reason", out object old) && old is string text && text.Trim().Length > 0 && !Enum.TryParse(text.Trim(), true, out Reason _))
            {
                var copy = row.Where(c => !string.Equals(c.Key, "Reason", StringComparison.OrdinalIgnoreCase)).ToDictionary(c => c.Key, c => c.Value, StringComparer.OrdinalIgnoreCase);
                RepairAction a = Fill(new RepairAction(), copy, dates, "a Repair-ConnectorConfig action");
                a.Rationale = a.Rationale ?? text;
                return a;
            }
            return Fill(new RepairAction(), row, dates, "a Repair-ConnectorConfig action");
        }

        static T Fill<T>(T target, IReadOnlyDictionary<string, object> row, EvidenceDates dates, string what)
        {
            foreach (PropertyInfo p in Properties<T>.Settable)
            {
                if (!row.TryGetValue(p.Name, out object value) || value == null) continue;
                object converted;
                try { converted = Convert(value, p.PropertyType, dates); }
                catch (Exception ex) when (ex is FormatException || ex is InvalidCastException || ex is OverflowException || ex is ArgumentException)
                {
                    string text = System.Convert.ToString(value, CultureInfo.InvariantCulture);
                    if (text.Length > 80) text = text.Substring(0, 80) + "...";
                    throw new EvidenceFormatException($"This looks like {what}, but its {p.Name} ('{text}') cannot be read.");
                }
                if (converted != null) p.SetValue(target, converted);
            }
            return target;
        }

        static object Convert(object value, Type type, EvidenceDates dates)
        {
            Type inner = Nullable.GetUnderlyingType(type) ?? type;
            string text = value as string;
            if (text != null && text.Trim().Length == 0) return null;   // an empty CSV cell: not given
            if (inner == typeof(string))
            {
                if (value is DateTime d) return d.ToString("o", CultureInfo.InvariantCulture);
                if (value is IEnumerable list && !(value is string))
                    return string.Join("; ", list.Cast<object>().Where(x => x != null).Take(1000).Select(x => System.Convert.ToString(x, CultureInfo.InvariantCulture)));
                return System.Convert.ToString(value, CultureInfo.InvariantCulture);
            }
            if (inner.IsEnum)
            {
                if (value.GetType() == inner) return value;
                string name = System.Convert.ToString(value, CultureInfo.InvariantCulture).Trim();
                object parsed = Enum.Parse(inner, name, true);
                if (!MailFlowIntel.Core.Text.EnumValues.IsDefined(inner, parsed)) throw new FormatException(name);
                return parsed;
            }
            if (inner == typeof(DateTime))
            {
                if (value is DateTime d) return d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc);
                if (value is DateTimeOffset o) return o.UtcDateTime;
                return dates.Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)) ?? throw new FormatException("not a date");
            }
            if (inner == typeof(bool))
            {
                if (value is bool b) return b;
                return bool.Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture).Trim());
            }
            return System.Convert.ChangeType(text != null ? (object)text.Trim() : value, inner, CultureInfo.InvariantCulture);
        }

        static class Properties<T>
        {
            public static readonly PropertyInfo[] Settable =
                typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetSetMethod() != null).ToArray();
        }
    }
}
