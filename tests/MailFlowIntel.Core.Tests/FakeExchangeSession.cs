using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Exchange;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// An Exchange Online session over an in-memory tenant, for the engine's tests: the cmdlets it holds (a read-only role
    /// leaves the Set- ones out), each call recorded as "Verb-Noun Identity", and errors shaped as a session reports them.
    /// </summary>
    internal sealed class FakeExchangeSession : IExchangeSession
    {
        public FakeExchangeSession(ExchangeConnection connection, bool readOnly = false)
        {
            Connection = connection;
            Cmdlets = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Get-OutboundConnector", "Get-AcceptedDomain" };
            if (!readOnly) Cmdlets.UnionWith(new[] { "Set-OutboundConnector", "Set-AcceptedDomain", "Validate-OutboundConnector" });
        }

        public ExchangeConnection Connection { get; }
        public HashSet<string> Cmdlets { get; }
        public List<string> Calls { get; } = new List<string>();
        public List<Dictionary<string, object>> Connectors { get; } = new List<Dictionary<string, object>>();
        public List<Dictionary<string, object>> Domains { get; } = new List<Dictionary<string, object>>();
        /// <summary>An error a cmdlet ("Set-OutboundConnector") throws instead of running.</summary>
        public Dictionary<string, ExchangeSessionException> Failures { get; } = new Dictionary<string, ExchangeSessionException>(StringComparer.OrdinalIgnoreCase);

        public bool Has(string verb, string noun) => Cmdlets.Contains(verb + "-" + noun);

        public IReadOnlyList<IReadOnlyDictionary<string, object>> Invoke(string verb, string noun, IEnumerable<KeyValuePair<string, object>> parameters)
        {
            string name = verb + "-" + noun;
            if (!Has(verb, noun)) throw new InvalidOperationException(name + " is not in the session.");
            var p = parameters.ToDictionary(x => x.Key, x => x.Value, StringComparer.OrdinalIgnoreCase);
            string identity = p.TryGetValue("Identity", out object id) ? id as string : null;
            Calls.Add((name + " " + identity).Trim());
            if (Failures.TryGetValue(name, out ExchangeSessionException failure)) throw failure;
            List<Dictionary<string, object>> table = noun == "OutboundConnector" ? Connectors : Domains;
            List<Dictionary<string, object>> found = table.Where(o => identity == null || Same(o, "Identity", identity) || Same(o, "Name", identity)).ToList();
            switch (verb)
            {
                case "Get":
                    if (identity != null && found.Count == 0) throw NotFound(name, identity);
                    return found.Select(o => (IReadOnlyDictionary<string, object>)new Dictionary<string, object>(o)).ToList();
                case "Set":
                    foreach (var change in p.Where(x => x.Key != "Identity")) found.Single()[change.Key] = change.Value;
                    return new IReadOnlyDictionary<string, object>[0];
                default:
                    return new[] { (IReadOnlyDictionary<string, object>)new Dictionary<string, object> { ["Identity"] = identity, ["IsTaskSuccessful"] = true } };
            }
        }

        /// <summary>"Not found" the way ExchangeOnlineManagement v3 says it: category NotSpecified, the type only in the reason.</summary>
        public static ExchangeSessionException NotFound(string command, string identity) =>
            new ExchangeSessionException(command, "NotSpecified", "ManagementObjectNotFoundException", "[Server=X,RequestId=Y,TimeStamp=Z],Write-ErrorMessage",
                $"The operation couldn't be performed because object '{identity}' couldn't be found.", new Exception("not found"), null);

        public FakeExchangeSession WithConnector(string name, string type, bool enabled, string[] recipientDomains, string[] smartHosts)
        {
            Connectors.Add(new Dictionary<string, object>
            {
                ["Identity"] = name, ["Name"] = name, ["ConnectorType"] = type, ["Enabled"] = enabled, ["UseMXRecord"] = false,
                ["SmartHosts"] = smartHosts.Cast<object>().ToList(), ["RecipientDomains"] = recipientDomains.Cast<object>().ToList(),
                ["TlsSettings"] = null, ["TlsDomain"] = null,
            });
            return this;
        }

        public FakeExchangeSession WithDomain(string name, string type, bool initial = false)
        {
            Domains.Add(new Dictionary<string, object> { ["Identity"] = name, ["Name"] = name, ["DomainName"] = name, ["DomainType"] = type, ["InitialDomain"] = initial });
            return this;
        }

        public object Value(string noun, string identity, string property) =>
            (noun == "OutboundConnector" ? Connectors : Domains).Single(o => Same(o, "Identity", identity))[property];

        static bool Same(Dictionary<string, object> o, string key, string value) =>
            o.TryGetValue(key, out object v) && string.Equals(v as string, value, StringComparison.OrdinalIgnoreCase);
    }
}
