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
    public sealed class DnsResolver
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
            var outcome = new DnsOutcome();
            IDnsQueryResponse mx = await QueryAsync(domain, QueryType.MX, ct).ConfigureAwait(false);
            string error = ResponseError(domain, "MX", mx);
            if (error != null) { outcome.Failure = error; return outcome; }

            var records = mx.Answers.MxRecords().ToList();
            if (records.Any(r => r.Exchange.Value == "." || r.Exchange.Value.Length == 0))
            {
                outcome.NullMx = true;
                outcome.Detail = $"{domain} publishes a Null MX (MX 0 .): it accepts no mail.";
                return outcome;
            }
            if (records.Count == 0)
            {
                var implicitHost = new ResolvedHost { Host = domain };
                (string failure, bool negative) = await ResolveAddressesAsync(implicitHost, ct).ConfigureAwait(false);
                if (failure != null) outcome.Failure = negative ? failure : $"{domain} has no MX record and no A or AAAA record";
                else { outcome.Hosts.Add(implicitHost); outcome.Detail = $"{domain} has no MX record; delivered to its own address."; }
                return outcome;
            }

            // RFC 5321: lowest preference first; equal preferences in any order (kept in answer order here).
            foreach (MxRecord r in records.OrderBy(r => r.Preference))
            {
                var host = new ResolvedHost { Host = r.Exchange.Value.TrimEnd('.').ToLowerInvariant(), MxPreference = r.Preference };
                host.Failure = (await ResolveAddressesAsync(host, ct).ConfigureAwait(false)).Failure;
                outcome.Hosts.Add(host);
            }
            return outcome;
        }

        /// <summary>
        /// Fills the host's A and AAAA addresses; returns why there are none (null when there are some), and whether
        /// that was a negative answer (NXDOMAIN, SERVFAIL, REFUSED) rather than a name without address records.
        /// </summary>
        async Task<(string Failure, bool NegativeAnswer)> ResolveAddressesAsync(ResolvedHost host, CancellationToken ct)
        {
            Task<IDnsQueryResponse> a = QueryAsync(host.Host, QueryType.A, ct);
            Task<IDnsQueryResponse> aaaa = QueryAsync(host.Host, QueryType.AAAA, ct);
            IDnsQueryResponse ra = await a.ConfigureAwait(false);
            IDnsQueryResponse raaaa = await aaaa.ConfigureAwait(false);
            host.Addresses.AddRange(ra.Answers.ARecords().Select(r => r.Address));
            host.Addresses.AddRange(raaaa.Answers.AaaaRecords().Select(r => r.Address));
            if (host.Addresses.Count > 0) return (null, false);
            string error = ResponseError(host.Host, "A", ra) ?? ResponseError(host.Host, "AAAA", raaaa);
            return error != null ? (error, true) : ($"{host.Host} has no A or AAAA record", false);
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

        static string ResponseError(string name, string type, IDnsQueryResponse r)
        {
            if (!r.HasError) return null;
            switch (r.Header.ResponseCode)
            {
                case DnsHeaderResponseCode.NotExistentDomain: return $"NXDOMAIN: {name} does not exist";
                case DnsHeaderResponseCode.ServerFailure: return $"SERVFAIL: the DNS server failed to answer for {name} ({type})";
                case DnsHeaderResponseCode.Refused: return $"REFUSED: the DNS server refused the {type} query for {name}";
                default: return $"DNS error {r.Header.ResponseCode} for {name} ({type})";
            }
        }
    }
}
