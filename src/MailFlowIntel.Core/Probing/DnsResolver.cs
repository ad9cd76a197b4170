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
        readonly int tlsaPort;
        readonly object gate = new object();
        Task<bool> rootCheck;

        /// <param name="servers">DNS servers to ask; null or empty for the system's resolvers.</param>
        /// <param name="tlsaPort">The port whose TLSA records are looked up (_25._tcp.host): the probe's port.</param>
        public DnsResolver(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, int tlsaPort = 25)
        {
            this.tlsaPort = tlsaPort;
            var options = servers != null && servers.Count > 0
                ? new LookupClientOptions(servers.ToArray())
                : new LookupClientOptions();
            // No cache (honest timings, fresh answers). Each query gets its tries within the step's time: a lost UDP packet is
            // asked again after a third of it, so only a server that answers none of the tries is unreachable.
            options.UseCache = false;
            options.Timeout = TryTimeout(timeout);
            options.Retries = Tries - 1;
            options.ThrowDnsErrors = false;
            options.ContinueOnDnsError = false;
            options.ContinueOnEmptyResponse = false;
            options.UseTcpFallback = true;
            // The DO bit on every query: a validating resolver sets AD in its answer only when asked so (RFC 6840 section 5.8),
            // and DANE needs to know whether the MX, address and TLSA answers are authentic (RFC 7672 section 2.2).
            options.RequestDnsSecRecords = true;
            client = new LookupClient(options);
            serverText = string.Join(", ", client.NameServers.Select(n => n.ToString()));
        }

        /// <summary>How many times one query is sent to one server before it counts as unanswered.</summary>
        internal const int Tries = 3;

        /// <summary>Each try's share of the step's time (at least 100 ms, so a very short step still tries).</summary>
        internal static TimeSpan TryTimeout(TimeSpan step) =>
            TimeSpan.FromMilliseconds(Math.Max(100, step.TotalMilliseconds / Tries));

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
            bool mxAuthentic = mx.Header.IsAuthenticData;
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
                await ResolveAddressesAsync(implicitHost, true, ct).ConfigureAwait(false);
                if (implicitHost.Fault != DnsFault.None) outcome.Fault = implicitHost.Fault;
                else outcome.Hosts.Add(implicitHost);
                return outcome;
            }

            // RFC 5321: lowest preference first; equal preferences in any order (kept in answer order here).
            foreach (MxRecord r in records.OrderBy(r => r.Preference))
            {
                var host = new ResolvedHost { Host = r.Exchange.Value.TrimEnd('.').ToLowerInvariant(), MxPreference = r.Preference };
                // DANE for an MX host needs the MX answer authentic too (RFC 7672 section 2.2.1).
                await ResolveAddressesAsync(host, mxAuthentic, ct).ConfigureAwait(false);
                outcome.Hosts.Add(host);
            }
            return outcome;
        }

        /// <summary>
        /// Fills the host's A and AAAA addresses, or says why there are none (Fault), and what DNS says about DANE for it:
        /// its TLSA records are asked at the same time, so a host without them costs no extra wait.
        /// </summary>
        /// <param name="pathAuthentic">The answer that led to this host (its MX) was authentic, or there was none.</param>
        async Task ResolveAddressesAsync(ResolvedHost host, bool pathAuthentic, CancellationToken ct)
        {
            string tlsaName = DaneLookup.TlsaName(host.Host, tlsaPort);
            Task<IDnsQueryResponse> a = QueryAsync(host.Host, QueryType.A, ct);
            Task<IDnsQueryResponse> aaaa = QueryAsync(host.Host, QueryType.AAAA, ct);
            Task<IDnsQueryResponse> tlsa = QueryTlsaAsync(tlsaName, ct);
            IDnsQueryResponse ra = await a.ConfigureAwait(false);
            IDnsQueryResponse raaaa = await aaaa.ConfigureAwait(false);
            IDnsQueryResponse rtlsa = await tlsa.ConfigureAwait(false);
            var v4 = ra.Answers.ARecords().Select(r => r.Address).ToList();
            var v6 = raaaa.Answers.AaaaRecords().Select(r => r.Address).ToList();
            host.Addresses.AddRange(v4);
            host.Addresses.AddRange(v6);
            if (host.Addresses.Count > 0)
            {
                // Every answer that gave addresses must be authentic.
                bool hostAuthentic = pathAuthentic && (v4.Count == 0 || ra.Header.IsAuthenticData) && (v6.Count == 0 || raaaa.Header.IsAuthenticData);
                host.Dane = await DaneOfAsync(tlsaName, hostAuthentic, rtlsa).ConfigureAwait(false);
                return;
            }
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

        /// <summary>The host's TLSA answer, read as DaneLookup says (SERVFAIL or silence is a failure; NXDOMAIN is no record).</summary>
        async Task<DaneLookup> DaneOfAsync(string tlsaName, bool hostAuthentic, IDnsQueryResponse tlsa)
        {
            bool failed = tlsa == null || tlsa.Header.ResponseCode == DnsHeaderResponseCode.ServerFailure;
            var records = failed || tlsa.HasError ? new List<Tlsa>()
                : tlsa.Answers.TlsaRecords().Select(r => new Tlsa((int)r.CertificateUsage, (int)r.Selector, (int)r.MatchingType,
                    r.CertificateAssociationData.ToArray())).ToList();
            bool tlsaAuthentic = !failed && tlsa.Header.IsAuthenticData;
            bool? validates = null;
            // Records without AD from a server that set AD on none of this host's answers: does it validate at all?
            if (!failed && records.Count > 0 && !tlsaAuthentic && !hostAuthentic) validates = await ResolverValidatesAsync().ConfigureAwait(false);
            return DaneLookup.Classify(tlsaName, hostAuthentic, failed, records, tlsaAuthentic, validates);
        }

        /// <summary>
        /// The TXT records at a name, each record's strings joined (RFC 7208 section 3.3 reads them so too); empty for NXDOMAIN
        /// or no record; null when the query failed (SERVFAIL, or no answer: an MTA-STS lookup never stops the probe).
        /// </summary>
        public async Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken ct)
        {
            IDnsQueryResponse r;
            try { r = await QueryAsync(name, QueryType.TXT, ct).ConfigureAwait(false); }
            catch (DnsServerUnreachableException) { return null; }
            if (r.HasError) return r.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain ? Array.Empty<string>() : null;
            return r.Answers.TxtRecords().Select(t => string.Concat(t.Text)).ToList();
        }

        /// <summary>A name's A and AAAA addresses, IPv4 first; empty when it has none or the queries fail.</summary>
        public async Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, CancellationToken ct)
        {
            var result = new List<IPAddress>();
            foreach (QueryType type in new[] { QueryType.A, QueryType.AAAA })
            {
                try
                {
                    IDnsQueryResponse r = await QueryAsync(name, type, ct).ConfigureAwait(false);
                    result.AddRange(r.Answers.ARecords().Select(a => a.Address));
                    result.AddRange(r.Answers.AaaaRecords().Select(a => a.Address));
                }
                catch (DnsServerUnreachableException) { }
            }
            return result;
        }

        /// <summary>The TLSA query; null when the server did not answer it (a DANE lookup never stops the probe).</summary>
        async Task<IDnsQueryResponse> QueryTlsaAsync(string name, CancellationToken ct)
        {
            try { return await QueryAsync(name, QueryType.TLSA, ct).ConfigureAwait(false); }
            catch (DnsServerUnreachableException) { return null; }
        }

        /// <summary>
        /// Whether the DNS server validates DNSSEC: the root zone is signed, so a validating resolver sets AD on its NS
        /// answer to a query with DO (RFC 4035 section 3.2.3; RFC 6840 section 5.8). Asked once per resolver.
        /// </summary>
        Task<bool> ResolverValidatesAsync()
        {
            lock (gate) return rootCheck ?? (rootCheck = AskRootAsync());
        }

        async Task<bool> AskRootAsync()
        {
            try
            {
                IDnsQueryResponse root = await client.QueryAsync(".", QueryType.NS, QueryClass.IN, CancellationToken.None).ConfigureAwait(false);
                return !root.HasError && root.Header.IsAuthenticData;
            }
            catch (DnsResponseException) { return false; }
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
