using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Repair;
using MailFlowIntel.Core.Routing;

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
        public const string Recipient = "Recipient";
        public const string TransportRule = "TransportRule";

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

        /// <summary>
        /// Every outbound connector. Get-OutboundConnector lists only the connectors not scoped to transport rules unless
        /// asked for the others ("-IsTransportRuleScoped $false ... This value is the default", its Learn page), so it is
        /// asked twice: without the parameter, then with -IsTransportRuleScoped $true.
        /// </summary>
        public List<ConnectorState> ReadConnectors()
        {
            var all = new List<ConnectorState>();
            foreach (var parameters in new[] { Array.Empty<KeyValuePair<string, object>>(), new[] { P("IsTransportRuleScoped", true) } })
                foreach (IReadOnlyDictionary<string, object> o in Session.Invoke("Get", OutboundConnector, parameters))
                {
                    ConnectorState c = ToConnector(o, null);
                    if (c.Name != null && !all.Any(a => string.Equals(a.Identity ?? a.Name, c.Identity ?? c.Name, StringComparison.OrdinalIgnoreCase))) all.Add(c);
                }
            return all;
        }

        /// <summary>
        /// The recipient whose address this is (Get-Recipient -Identity, which takes an email address); null when Exchange
        /// says it is not found. Get-Recipient of this connection's own module, under its prefix, is used rather than
        /// Get-EXORecipient: that one belongs to ExchangeOnlineManagement, not to the connection, and with several
        /// connections open nothing says which tenant it asks.
        /// </summary>
        public RecipientState ReadRecipient(string address)
        {
            IReadOnlyDictionary<string, object> o;
            try { o = Session.Invoke("Get", Recipient, new[] { P("Identity", address) }).FirstOrDefault(); }
            catch (ExchangeSessionException ex) when (ex.IsNotFound) { return null; }
            if (o == null) return null;
            return new RecipientState
            {
                RecipientTypeDetails = Text(o, "RecipientTypeDetails") ?? Text(o, "RecipientType"),
                PrimarySmtpAddress = Text(o, "PrimarySmtpAddress"),
                ExternalEmailAddress = Text(o, "ExternalEmailAddress"),
            };
        }

        /// <summary>
        /// One mail user with an address in this domain, or null when there is none: an existence check (-ResultSize 1),
        /// never a listing of the tenant. The OPATH filter quotes the domain as an OPATH string (a quote doubled).
        /// </summary>
        public string FindMailUser(string domain)
        {
            string filter = "EmailAddresses -like '*@" + (domain ?? "").Replace("'", "''") + "'";
            IReadOnlyDictionary<string, object> o = Session.Invoke("Get", Recipient, new[]
            {
                P("RecipientTypeDetails", "MailUser"), P("Filter", filter), P("ResultSize", 1),
            }).FirstOrDefault();
            return o == null ? null : Text(o, "PrimarySmtpAddress") ?? Text(o, "Identity") ?? Text(o, "Name") ?? "";
        }

        /// <summary>The transport rules (mail flow rules) as Get-TransportRule shows them.</summary>
        public List<TransportRuleState> ReadTransportRules() =>
            Session.Invoke("Get", TransportRule, Array.Empty<KeyValuePair<string, object>>()).Select(TransportRuleState.From).ToList();

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
                ConnectorSource = Text(o, "ConnectorSource"),
                IsTransportRuleScoped = Flag(o, "IsTransportRuleScoped") ?? false,
                AllAcceptedDomains = Flag(o, "AllAcceptedDomains") ?? false,
                RouteAllMessagesViaOnPremises = Flag(o, "RouteAllMessagesViaOnPremises") ?? false,
                SmtpDaneMode = Text(o, "SmtpDaneMode"),
                MtaStsMode = Text(o, "MtaStsMode"),
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

        internal static object Value(IReadOnlyDictionary<string, object> o, string name) => o.TryGetValue(name, out object v) ? v : null;

        internal static string Text(IReadOnlyDictionary<string, object> o, string name)
        {
            string s = AsText(Value(o, name));
            return string.IsNullOrWhiteSpace(s) ? null : s;
        }

        internal static string AsText(object v) => v is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : v?.ToString();

        internal static bool? Flag(IReadOnlyDictionary<string, object> o, string name)
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

        internal static IEnumerable<string> List(IReadOnlyDictionary<string, object> o, string name)
        {
            object v = Value(o, name);
            if (v == null) return Enumerable.Empty<string>();
            if (v is string s) return new[] { s };
            if (v is IEnumerable e) return e.Cast<object>().Where(x => x != null).Select(AsText);
            return new[] { AsText(v) };
        }
    }
}
