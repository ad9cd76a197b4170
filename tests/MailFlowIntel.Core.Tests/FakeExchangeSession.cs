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
            Cmdlets = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Get-OutboundConnector", "Get-AcceptedDomain", "Get-Recipient" };
            if (!readOnly) Cmdlets.UnionWith(new[] { "Set-OutboundConnector", "Set-AcceptedDomain", "Validate-OutboundConnector" });
        }

        public ExchangeConnection Connection { get; }
        public HashSet<string> Cmdlets { get; }
        public List<string> Calls { get; } = new List<string>();
        public List<Dictionary<string, object>> Connectors { get; } = new List<Dictionary<string, object>>();
        public List<Dictionary<string, object>> Domains { get; } = new List<Dictionary<string, object>>();
        /// <summary>Recipients: PrimarySmtpAddress, RecipientTypeDetails, ExternalEmailAddress.</summary>
        public List<Dictionary<string, object>> Recipients { get; } = new List<Dictionary<string, object>>();
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
            if (noun == "Recipient") return Recipient(identity, p.TryGetValue("Filter", out object filter) ? filter as string : null);
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

        /// <summary>Get-Recipient -Identity (an address), or the existence check -Filter "EmailAddresses -like '*@domain'".</summary>
        IReadOnlyList<IReadOnlyDictionary<string, object>> Recipient(string identity, string filter)
        {
            if (identity != null)
            {
                var one = Recipients.Where(r => Same(r, "PrimarySmtpAddress", identity)).ToList();
                if (one.Count == 0) throw NotFound("Get-Recipient", identity);
                return one.Select(o => (IReadOnlyDictionary<string, object>)new Dictionary<string, object>(o)).ToList();
            }
            string domain = filter.Substring(filter.IndexOf('@') + 1).TrimEnd('\'');
            return Recipients.Where(r => Same(r, "RecipientTypeDetails", "MailUser") && ((string)r["PrimarySmtpAddress"]).EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase))
                .Take(1).Select(o => (IReadOnlyDictionary<string, object>)new Dictionary<string, object>(o)).ToList();
        }

        public FakeExchangeSession WithRecipient(string address, string type, string external = null)
        {
            Recipients.Add(new Dictionary<string, object> { ["PrimarySmtpAddress"] = address, ["RecipientTypeDetails"] = type, ["ExternalEmailAddress"] = external });
            return this;
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
                ["TlsSettings"] = null, ["TlsDomain"] = null, ["ConnectorSource"] = "Default",
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
