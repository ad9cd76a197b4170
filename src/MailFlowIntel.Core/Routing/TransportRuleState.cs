using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Routing
{
    /// <summary>
    /// A transport rule (mail flow rule) as Get-TransportRule shows it, as far as routing needs it: whether it acts, its
    /// priority, the connector it routes to (RouteMessageOutboundConnector), its recipient-domain condition and exception
    /// (evaluated), and its other conditions and exceptions (only reported).
    /// </summary>
    public sealed class TransportRuleState
    {
        public string Name { get; set; }
        /// <summary>Lower first: "A lower integer value indicates a higher priority" (New-TransportRule -Priority).</summary>
        public int Priority { get; set; }
        /// <summary>State Enabled.</summary>
        public bool Enabled { get; set; }
        /// <summary>Enforce, Audit or AuditAndNotify (a rule in a test mode takes no action); null when not read.</summary>
        public string Mode { get; set; }
        /// <summary>The outbound connector the rule routes messages through; null when it does not.</summary>
        public string Connector { get; set; }
        public List<string> RecipientDomainIs { get; } = new List<string>();
        public List<string> ExceptIfRecipientDomainIs { get; } = new List<string>();
        /// <summary>Its other conditions and exceptions, "Name: value", cleaned (a rule's words are the tenant's, not ours).</summary>
        public List<string> OtherConditions { get; } = new List<string>();

        /// <summary>The rule acts on messages: enabled, and enforced rather than tested.</summary>
        public bool Acts => Enabled && (Mode == null || string.Equals(Mode, "Enforce", StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// RecipientDomainIs matches the domain of a recipient's address (exactly: Microsoft's predicate list sends those
        /// who want subdomains to RecipientAddressMatchesPatterns), and ExceptIfRecipientDomainIs excludes it.
        /// </summary>
        public bool CoversDomain(string domain) =>
            (RecipientDomainIs.Count == 0 || RecipientDomainIs.Any(d => Same(d, domain))) && !ExceptIfRecipientDomainIs.Any(d => Same(d, domain));

        static bool Same(string a, string b) => string.Equals((a ?? "").Trim().TrimEnd('.'), (b ?? "").Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

        internal static TransportRuleState From(IReadOnlyDictionary<string, object> o)
        {
            string state = ExchangeTenant.Text(o, "State");
            var rule = new TransportRuleState
            {
                Name = ExchangeTenant.Text(o, "Name") ?? ExchangeTenant.Text(o, "Identity"),
                Priority = int.TryParse(ExchangeTenant.Text(o, "Priority"), out int p) ? p : int.MaxValue,
                // State is Enabled or Disabled; an object without State says nothing, so it is not taken to act.
                Enabled = string.Equals(state, "Enabled", StringComparison.OrdinalIgnoreCase),
                Mode = ExchangeTenant.Text(o, "Mode"),
                Connector = ExchangeTenant.Text(o, "RouteMessageOutboundConnector"),
            };
            rule.RecipientDomainIs.AddRange(ExchangeTenant.List(o, "RecipientDomainIs").Where(s => !string.IsNullOrWhiteSpace(s)));
            rule.ExceptIfRecipientDomainIs.AddRange(ExchangeTenant.List(o, "ExceptIfRecipientDomainIs").Where(s => !string.IsNullOrWhiteSpace(s)));
            // Every condition of a transport rule has an exception of the same name after "ExceptIf" (New-TransportRule),
            // so the object itself says which of its properties are conditions, with no list of our own to keep current.
            foreach (string name in o.Keys.Where(k => o.ContainsKey("ExceptIf" + k)).OrderBy(k => k, StringComparer.Ordinal))
            {
                if (name == "RecipientDomainIs") continue;
                AddIfSet(rule, o, name);
                AddIfSet(rule, o, "ExceptIf" + name);
            }
            return rule;
        }

        static void AddIfSet(TransportRuleState rule, IReadOnlyDictionary<string, object> o, string name)
        {
            object v = ExchangeTenant.Value(o, name);
            string text;
            switch (v)
            {
                case null: return;
                case bool b: if (!b) return; text = "True"; break;
                case string s: if (string.IsNullOrWhiteSpace(s)) return; text = s; break;
                case IEnumerable e:
                    var items = e.Cast<object>().Where(x => x != null).Select(ExchangeTenant.AsText).Where(x => !string.IsNullOrWhiteSpace(x)).ToList();
                    if (items.Count == 0) return;
                    text = string.Join(", ", items);
                    break;
                default: text = ExchangeTenant.AsText(v); if (string.IsNullOrWhiteSpace(text)) return; break;
            }
            rule.OtherConditions.Add(name + ": " + Untrusted.Clean(text, 200));
        }
    }
}
