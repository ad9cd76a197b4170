using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Repair;
using MailFlowIntel.Core.Routing;

namespace MailFlowIntel.Core.Exchange
{
    /// <summary>
    /// An outbound connector to validate: who it is, the domains it sends to (the validation recipients must be in them)
    /// and what its results carry. Read from a Get-OutboundConnector object, from any piped object that names a
    /// connector (a result or an alert: Connector), or from the tenant by name.
    /// </summary>
    public sealed class ValidationTarget
    {
        public string Identity { get; set; }
        public string Name { get; set; }
        public string ConnectorType { get; set; }
        public string TlsSettings { get; set; }
        public string TlsDomain { get; set; }
        public List<string> SmartHosts { get; } = new List<string>();
        public List<string> RecipientDomains { get; } = new List<string>();
        /// <summary>The connector serves every accepted domain of the tenant (AllAcceptedDomains): those count as its domains.</summary>
        public bool AllAcceptedDomains { get; set; }
        /// <summary>Its domains are known (the object had RecipientDomains); false when they must be read from the tenant.</summary>
        public bool DomainsKnown { get; set; }

        /// <summary>The name results and messages show.</summary>
        public string Label => Name ?? Identity;

        /// <summary>What Validate-OutboundConnector -Identity is given.</summary>
        public string IdentityForCall => Identity ?? Name;

        /// <summary>
        /// A connector from an object's properties: Identity, else Name, else Connector (a result or an alert); null when
        /// none names one. Its domains count as known only when the object has a RecipientDomains property.
        /// </summary>
        public static ValidationTarget FromProperties(IReadOnlyDictionary<string, object> o)
        {
            if (o == null) return null;
            string connector = Text(o, "Connector");
            ConnectorState state = ExchangeTenant.ToConnector(o, connector);
            string identity = state.Identity ?? connector;
            if (identity == null) return null;
            var target = new ValidationTarget
            {
                Identity = identity,
                Name = state.Name ?? identity,
                ConnectorType = state.ConnectorType,
                TlsSettings = state.TlsSettings,
                TlsDomain = state.TlsDomain,
                AllAcceptedDomains = state.AllAcceptedDomains,
                DomainsKnown = o.ContainsKey("RecipientDomains"),
            };
            target.SmartHosts.AddRange(state.SmartHosts.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()));
            target.RecipientDomains.AddRange(state.RecipientDomains.Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d.Trim()));
            return target;
        }

        /// <summary>A connector known only by name (a string piped, or -Connector): everything else is read from the tenant.</summary>
        public static ValidationTarget Named(string name) =>
            string.IsNullOrWhiteSpace(name) ? null : new ValidationTarget { Identity = name.Trim(), Name = name.Trim() };

        /// <summary>
        /// Whether a recipient domain is one of the connector's: an entry equal to it, "*.suffix" for the suffix itself and
        /// its subdomains (New-OutboundConnector, example 1), "*" for every domain; with AllAcceptedDomains, also any of
        /// <paramref name="acceptedDomains"/>.
        /// </summary>
        public bool Covers(string domain, IEnumerable<string> acceptedDomains)
        {
            if (DomainPattern.Normal(domain).Length == 0) return false;
            IEnumerable<string> patterns = RecipientDomains;
            if (AllAcceptedDomains) patterns = patterns.Concat(acceptedDomains ?? Enumerable.Empty<string>());
            return patterns.Any(p => DomainPattern.Rank(p, domain) != DomainPattern.NoMatch);   // the rule Resolve-OutboundConnector routes by
        }

        static string Text(IReadOnlyDictionary<string, object> o, string name)
        {
            if (!o.TryGetValue(name, out object v) || v == null) return null;
            string s = v is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : v.ToString();
            return string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        }
    }
}
