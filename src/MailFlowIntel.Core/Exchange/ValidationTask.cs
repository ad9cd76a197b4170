using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Exchange
{
    /// <summary>
    /// One object Validate-OutboundConnector wrote, read generically (Microsoft documents no output type). Understood
    /// only as a task: a boolean property whose name holds "Success" (IsTaskSuccessful) and a name property (TaskName,
    /// Task, TestName, StepName, Step or Name); its other text properties are kept, in order, to be read for a code.
    /// </summary>
    internal sealed class ValidationTask
    {
        // The names a task's own name may have, most telling first; a choice of ours, written in the help.
        static readonly string[] NameKeys = { "TaskName", "Task", "TestName", "StepName", "Step", "Name" };
        // A property naming the host a task reached: SmartHost, HostName, Server, Fqdn, Target...
        static readonly string[] HostKeyParts = { "SmartHost", "Host", "Server", "Fqdn", "Target", "Destination" };

        public string Name { get; private set; }
        public bool Succeeded { get; private set; }
        /// <summary>The other text properties, "Key=Value", in the order they came.</summary>
        public List<KeyValuePair<string, string>> Texts { get; } = new List<KeyValuePair<string, string>>();
        /// <summary>The host a property names (not one of Exchange Online's own servers); null when none does.</summary>
        public string Host { get; private set; }

        /// <summary>The object as a task; null when it is not one (no Success flag, flags that disagree, or no name).</summary>
        /// <param name="ignore">Values that are the connector itself (its name, identity): never read for a code.</param>
        public static ValidationTask Understand(IReadOnlyDictionary<string, object> o, IEnumerable<string> ignore)
        {
            if (o == null || o.Count == 0) return null;
            var flags = o.Where(p => p.Key.IndexOf("Success", StringComparison.OrdinalIgnoreCase) >= 0)
                .Select(p => (p.Key, Value: Flag(p.Value))).Where(f => f.Value != null).ToList();
            if (flags.Count == 0 || flags.Select(f => f.Value).Distinct().Count() > 1) return null;
            string nameKey = NameKeys.FirstOrDefault(k => o.Keys.Any(key => string.Equals(key, k, StringComparison.OrdinalIgnoreCase) && Text(o[key]) != null));
            if (nameKey == null) return null;
            string actualNameKey = o.Keys.First(key => string.Equals(key, nameKey, StringComparison.OrdinalIgnoreCase));
            var task = new ValidationTask { Name = Text(o[actualNameKey]), Succeeded = flags[0].Value.Value };
            var skip = new HashSet<string>((ignore ?? Enumerable.Empty<string>()).Where(s => s != null), StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, object> p in o)
            {
                if (p.Key == actualNameKey || flags.Any(f => f.Key == p.Key)) continue;
                // Text properties only: a number or a flag is no reply ("550" alone would read as a code).
                string text = IsText(p.Value) ? Text(p.Value) : null;
                if (text == null || skip.Contains(text)) continue;
                task.Texts.Add(new KeyValuePair<string, string>(p.Key, text));
                if (task.Host == null && HostKeyParts.Any(h => p.Key.IndexOf(h, StringComparison.OrdinalIgnoreCase) >= 0)) task.Host = HostName(p.Value);
            }
            return task;
        }

        /// <summary>The object as it was written: "Key=Value; Key=Value" (a bare value alone), for the raw output of a shape not understood.</summary>
        public static string Raw(IReadOnlyDictionary<string, object> o)
        {
            if (o == null || o.Count == 0) return "";
            return string.Join("; ", o.Select(p => p.Key.Length == 0 ? Text(p.Value) ?? "" : p.Key + "=" + (Text(p.Value) ?? "")));
        }

        /// <summary>A host name or address as written, when the value is one; Exchange Online's own servers are not the destination.</summary>
        public static string HostName(object value)
        {
            string s = value is string one ? one : value is IEnumerable list ? list.Cast<object>().Select(Text).FirstOrDefault(x => x != null) : Text(value);
            s = s?.Trim().TrimEnd('.');
            if (string.IsNullOrEmpty(s)) return null;
            string bare = s.Trim('[', ']');
            if (IPAddress.TryParse(bare, out IPAddress ip)) return ip.ToString();
            if (s.IndexOf('.') < 0 || Uri.CheckHostName(s) != UriHostNameType.Dns) return null;
            return Microsoft365Network.IsExchangeOnlineOwnHost(s) ? null : s.ToLowerInvariant();
        }

        static bool IsText(object v) => v is string || (v is IEnumerable list && list.Cast<object>().All(x => x == null || x is string));

        static bool? Flag(object v)
        {
            switch (v)
            {
                case bool b: return b;
                case string s: return bool.TryParse(s.Trim(), out bool parsed) ? parsed : (bool?)null;
                default: return null;
            }
        }

        /// <summary>A value as text: lists joined with "; ", dates in ISO form; null for nothing or blank.</summary>
        static string Text(object v)
        {
            string s;
            switch (v)
            {
                case null: return null;
                case string str: s = str; break;
                case DateTime d: s = d.ToString("o", CultureInfo.InvariantCulture); break;
                case IFormattable f: s = f.ToString(null, CultureInfo.InvariantCulture); break;
                case IEnumerable list: s = string.Join("; ", list.Cast<object>().Select(Text).Where(x => x != null)); break;
                default: s = v.ToString(); break;
            }
            return string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        }
    }
}
