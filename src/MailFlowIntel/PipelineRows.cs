using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace MailFlowIntel
{
    /// <summary>A pipeline object's properties as the engine reads them: a row of names and plain values.</summary>
    internal static class PipelineRows
    {
        /// <summary>A hashtable's entries, or an object's properties (live, or deserialized by Import-Clixml, a job, remoting).</summary>
        public static IReadOnlyDictionary<string, object> Of(PSObject input) =>
            input.BaseObject is IDictionary d ? FromDictionary(d) : FromProperties(input);

        public static IReadOnlyDictionary<string, object> FromProperties(PSObject input)
        {
            var row = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (PSPropertyInfo p in input.Properties)
            {
                if (row.ContainsKey(p.Name)) continue;
                object v;
                try { v = p.Value; }
                catch (GetValueException) { continue; }   // a script property that throws is no evidence
                row[p.Name] = Unwrap(v);
            }
            return row;
        }

        public static IReadOnlyDictionary<string, object> FromDictionary(IDictionary input)
        {
            var row = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry e in input)
            {
                string key = e.Key?.ToString();
                if (key != null && !row.ContainsKey(key)) row[key] = Unwrap(e.Value);
            }
            return row;
        }

        static object Unwrap(object v)
        {
            if (v is PSObject pso)
            {
                // A deserialized enum (Import-Clixml, Receive-Job, remoting) wraps its number; its name travels as its ToString.
                if (pso.BaseObject is ValueType && pso.TypeNames.Any(t => t == "Deserialized.System.Enum")) return pso.ToString();
                v = pso.BaseObject;
            }
            if (v is IEnumerable list && !(v is string)) return list.Cast<object>().Select(x => x is PSObject p ? p.BaseObject : x).ToList();
            return v;
        }

        public static string Describe(object target)
        {
            string s = target is PSObject p ? p.BaseObject?.GetType().Name ?? "null" : target?.ToString() ?? "null";
            return s.Length > 60 ? s.Substring(0, 60) + "..." : s;
        }
    }
}
