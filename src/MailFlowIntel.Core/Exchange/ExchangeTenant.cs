using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Exchange
{
    /// <summary>
    /// The tenant through one Exchange Online session: its connectors and accepted domains read into the engine's types,
    /// and the changes of a plan made. Every call goes through <see cref="IExchangeSession"/>; errors come back as
    /// <see cref="ExchangeSessionException"/>.
    /// </summary>
    public sealed class ExchangeTenant
    {
        public const string OutboundConnector = "OutboundConnector";
        public const string AcceptedDomain = "AcceptedDomain";

        public ExchangeTenant(IExchangeSession session) => Session = session ?? throw new ArgumentNullException(nameof(session));

        public IExchangeSession Session { get; }
        public ExchangeConnection Connection => Session.Connection;
        public string Prefix => Session.Connection.Prefix ?? "";

        /// <summary>The session can make this change: its role gave it the Set- cmdlet (a read-only session reads only).</summary>
        public bool CanMake(ExchangeChange change) => Session.Has(change.Verb, change.Noun);

        /// <summary>The session can change connectors at all (Set-OutboundConnector).</summary>
        public bool CanChangeConnectors => Session.Has("Set", OutboundConnector);

        public bool CanValidate => Session.Has("Validate", OutboundConnector);

        /// <summary>The connector as Exchange Online has it now; null when it wrote nothing for this identity.</summary>
        public ConnectorState ReadConnector(string identity)
        {
            IReadOnlyDictionary<string, object> o = Session.Invoke("Get", OutboundConnector, new[] { P("Identity", identity) }).FirstOrDefault();
            return o == null ? null : ToConnector(o, identity);
        }

        /// <summary>Every accepted domain; none when the session cannot read them (no Get-AcceptedDomain).</summary>
        public List<AcceptedDomainState> ReadAcceptedDomains() =>
            !Session.Has("Get", AcceptedDomain) ? new List<AcceptedDomainState>()
            : Session.Invoke("Get", AcceptedDomain, Array.Empty<KeyValuePair<string, object>>()).Select(ToAcceptedDomain).Where(d => d.DomainName != null).ToList();

        /// <summary>Makes a planned change with exactly the parameters its Command shows.</summary>
        public void Make(ExchangeChange change) => Session.Invoke(change.Verb, change.Noun, change.Parameters);

        /// <summary>Validate-OutboundConnector: Exchange Online sends test messages through the connector. False when it says the task failed.</summary>
        public bool Validate(string identity, IReadOnlyList<string> recipients, out string detail)
        {
            IReadOnlyDictionary<string, object> first = Session.Invoke("Validate", OutboundConnector,
                new[] { P("Identity", identity), P("Recipients", recipients.ToArray()) }).FirstOrDefault();
            detail = first == null ? "Validation ran." : string.Join("; ", first.Take(6).Select(p => $"{p.Key}={AsText(p.Value)}"));
            return !(first != null && first.TryGetValue("IsTaskSuccessful", out object ok) && ok is bool b && !b);
        }

        internal static ConnectorState ToConnector(IReadOnlyDictionary<string, object> o, string identity)
        {
            var state = new ConnectorState
            {
                Identity = Text(o, "Identity") ?? Text(o, "Name"),
                Name = Text(o, "Name") ?? identity,
                ConnectorType = Text(o, "ConnectorType"),
                Enabled = Flag(o, "Enabled") ?? true,
                UseMXRecord = Flag(o, "UseMXRecord") ?? false,
                TlsSettings = Text(o, "TlsSettings"),
                TlsDomain = Text(o, "TlsDomain"),
                FromExchange = true,
            };
            state.SmartHosts.AddRange(List(o, "SmartHosts"));
            state.RecipientDomains.AddRange(List(o, "RecipientDomains"));
            return state;
        }

        internal static AcceptedDomainState ToAcceptedDomain(IReadOnlyDictionary<string, object> o) => new AcceptedDomainState
        {
            Identity = Text(o, "Identity") ?? Text(o, "Name") ?? Text(o, "DomainName"),
            DomainName = Text(o, "DomainName"),
            DomainType = Text(o, "DomainType"),
            InitialDomain = Flag(o, "InitialDomain") ?? false,
        };

        static KeyValuePair<string, object> P(string name, object value) => new KeyValuePair<string, object>(name, value);

        static object Value(IReadOnlyDictionary<string, object> o, string name) => o.TryGetValue(name, out object v) ? v : null;

        static string Text(IReadOnlyDictionary<string, object> o, string name)
        {
            string s = AsText(Value(o, name));
            return string.IsNullOrWhiteSpace(s) ? null : s;
        }

        static string AsText(object v) => v is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : v?.ToString();

        static bool? Flag(IReadOnlyDictionary<string, object> o, string name)
        {
            switch (Value(o, name))
            {
                case null: return null;
                case bool b: return b;
                case string s: return bool.TryParse(s.Trim(), out bool parsed) ? parsed : (bool?)null;   // "False" re-imported from CSV
                case IConvertible n when !(n is DateTime): try { return Convert.ToDouble(n, CultureInfo.InvariantCulture) != 0; } catch (Exception ex) when (ex is FormatException || ex is InvalidCastException) { return null; }
                default: return null;
            }
        }

        static IEnumerable<string> List(IReadOnlyDictionary<string, object> o, string name)
        {
            object v = Value(o, name);
            if (v == null) return Enumerable.Empty<string>();
            if (v is string s) return new[] { s };
            if (v is IEnumerable e) return e.Cast<object>().Where(x => x != null).Select(AsText);
            return new[] { AsText(v) };
        }
    }
}
