using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>Resolves smart hosts and recipient domains the way a sending MTA does (RFC 5321 section 5).</summary>
    internal sealed class DnsResolver
    {
        readonly LookupClient client;
        readonly string serverText;

        /// <param name="servers">DNS servers to ask; null or empty for the system's resolvers.</param>
        public DnsResolver(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout)
        {
            var options = servers != null && servers.Count > 0
                ? new LookupClientOptions(servers.ToArray())
                : new LookupClientOptions();
            // No cache (honest timings, fresh answers); one try per server bounded by the step timeout.
            options.UseCache = false;
            options.Timeout = timeout;
            options.Retries = 0;
            options.ThrowDnsErrors = false;
            options.ContinueOnDnsError = false;
            options.ContinueOnEmptyResponse = false;
            options.UseTcpFallback = true;
            client = new LookupClient(options);
            serverText = string.Join(", ", client.NameServers.Select(n => n.ToString()));
        }

        /// <summary>
        /// A smart host name, resolved as Exchange Online's outbound connector resolves it: its MX records first, by preference,
        /// and its own A/AAAA only when it has no MX ("The EOP Outbound connector first does an MX lookup on the smart host
        /// FQDN, MX priorities are also respected": EOP field notes, "Outbound Connector Smart Host Behavior"; RFC 5321 5.1).
        /// </summary>
        public Task<DnsOutcome> ResolveSmartHostAsync(string name, CancellationToken ct) => ResolveDomainAsync(name, ct);

        /// <summary>A recipient domain: MX hosts by preference, else the domain's own A/AAAA (implicit MX).</summary>
        public async Task<DnsOutcome> ResolveDomainAsync(string domain, CancellationToken ct)
        {
            var outcome = new DnsOutcome { FaultName = domain };
            IDnsQueryResponse mx = await QueryAsync(domain, QueryType.MX, ct).ConfigureAwait(false);
            DnsFault fault = FaultOf(mx);
            if (fault != DnsFault.None)
            {
                outcome.Fault = fault == DnsFault.NameNotFound ? await NotFoundKindAsync(domain, ct).ConfigureAwait(false) : fault;
                return outcome;
            }

            var records = mx.Answers.MxRecords().ToList();
            if (records.Any(r => r.Exchange.Value == "." || r.Exchange.Value.Length == 0))
            {
                outcome.Fault = DnsFault.NullMx;
                return outcome;
            }
            if (records.Count == 0)
            {
                var implicitHost = new ResolvedHost { Host = domain };
                await ResolveAddressesAsync(implicitHost, ct).ConfigureAwait(false);
                if (implicitHost.Fault != DnsFault.None) outcome.Fault = implicitHost.Fault;
                else outcome.Hosts.Add(implicitHost);
                return outcome;
            }

            // RFC 5321: lowest preference first; equal preferences in any order (kept in answer order here).
            foreach (MxRecord r in records.OrderBy(r => r.Preference))
            {
                var host = new ResolvedHost { Host = r.Exchange.Value.TrimEnd('.').ToLowerInvariant(), MxPreference = r.Preference };
                await ResolveAddressesAsync(host, ct).ConfigureAwait(false);
                outcome.Hosts.Add(host);
            }
            return outcome;
        }

        /// <summary>Fills the host's A and AAAA addresses, or says why there are none (Fault).</summary>
        async Task ResolveAddressesAsync(ResolvedHost host, CancellationToken ct)
        {
            Task<IDnsQueryResponse> a = QueryAsync(host.Host, QueryType.A, ct);
            Task<IDnsQueryResponse> aaaa = QueryAsync(host.Host, QueryType.AAAA, ct);
            IDnsQueryResponse ra = await a.ConfigureAwait(false);
            IDnsQueryResponse raaaa = await aaaa.ConfigureAwait(false);
            host.Addresses.AddRange(ra.Answers.ARecords().Select(r => r.Address));
            host.Addresses.AddRange(raaaa.Answers.AaaaRecords().Select(r => r.Address));
            if (host.Addresses.Count > 0) return;
            DnsFault fault = FaultOf(ra);
            if (fault == DnsFault.None) fault = FaultOf(raaaa);
            host.Fault = fault == DnsFault.None ? DnsFault.NoAddress
                       : fault == DnsFault.NameNotFound ? await NotFoundKindAsync(host.Host, ct).ConfigureAwait(false)
                       : fault;
        }

        // Second-level suffixes under which names are registered (co.uk...), so "contoso.co.uk" is a registered domain and
        // "co.uk" is not. A short list by choice: the public suffix list is large and changes; others read as NameNotFound.
        static readonly HashSet<string> RegistrySuffixes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "ne.jp", "or.jp", "com.br",
            "com.cn", "com.mx", "co.za", "co.in", "co.kr", "com.tr", "com.sg", "com.hk", "com.ar", "co.il",
        };

        /// <summary>
        /// An NXDOMAIN is "the name is missing" when some ancestor below the registry exists, and "the domain is not
        /// registered" when the answer is NXDOMAIN all the way up to a top-level domain or a registry suffix.
        /// </summary>
        async Task<DnsFault> NotFoundKindAsync(string name, CancellationToken ct)
        {
            string[] labels = name.TrimEnd('.').Split('.');
            for (int i = 1; i < labels.Length - 1; i++)
            {
                string ancestor = string.Join(".", labels.Skip(i));
                if (RegistrySuffixes.Contains(ancestor)) break;
                IDnsQueryResponse soa = await QueryAsync(ancestor, QueryType.SOA, ct).ConfigureAwait(false);
                DnsFault fault = FaultOf(soa);
                if (fault == DnsFault.None) return DnsFault.NameNotFound;   // the registered domain exists
                if (fault != DnsFault.NameNotFound) return DnsFault.NameNotFound;   // cannot tell: say the least
            }
            return labels.Length <= 1 ? DnsFault.NameNotFound : DnsFault.DomainNotRegistered;
        }

        async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken ct)
        {
            try
            {
                return await client.QueryAsync(name, type, QueryClass.IN, ct).ConfigureAwait(false);
            }
            catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout || ex.InnerException is System.Net.Sockets.SocketException)
            {
                ct.ThrowIfCancellationRequested();
                throw new DnsServerUnreachableException(
                    $"The DNS server ({serverText}) did not answer the {type} query for {name}. The fault is on the probing side: check -DnsServer or this machine's resolvers.", ex);
            }
        }

        static DnsFault FaultOf(IDnsQueryResponse r)
        {
            if (!r.HasError) return DnsFault.None;
            return r.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain ? DnsFault.NameNotFound : DnsFault.ServerFailure;
        }
    }
}
