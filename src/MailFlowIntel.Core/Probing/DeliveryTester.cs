using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Walks the path Microsoft 365 walks for one target: DNS, then each MX host and address in order,
    /// stopping at the first that takes the session. One result per address attempted, each carrying the outcome
    /// of the whole target (TargetStatus).
    /// </summary>
    public sealed class DeliveryTester
    {
        readonly ProbeOptions options;
        readonly DnsResolver resolver;
        /// <summary>-PublicDnsServer's resolver: asked only when the admin gave one (nothing leaves for public DNS otherwise).</summary>
        readonly DnsResolver publicResolver;
        readonly EgressChecker egress;
        // One MTA-STS discovery per policy domain per run: the MX hosts of a domain, and the targets that share one, fetch once.
        readonly ConcurrentDictionary<string, Lazy<Task<MtaStsLookup>>> mtaSts =
            new ConcurrentDictionary<string, Lazy<Task<MtaStsLookup>>>(StringComparer.OrdinalIgnoreCase);

        public DeliveryTester(ProbeOptions options)
        {
            this.options = options;
            resolver = new DnsResolver(options.DnsServers, options.Timeout, options.Port);
            if (options.PublicDnsServers != null && options.PublicDnsServers.Count > 0)
                publicResolver = new DnsResolver(options.PublicDnsServers, options.Timeout, options.Port);
            egress = new EgressChecker(options, resolver);
        }

        public ProbeOptions Options => options;

        /// <summary>-PublicDnsServer was given and did not answer some query of this run.</summary>
        public bool PublicDnsUnreachable => publicUnreachableSeen;
        volatile bool publicUnreachableSeen;

        /// <exception cref="DnsServerUnreachableException">The DNS server asked did not answer.</exception>
        public async Task<IReadOnlyList<ConnectorDeliveryResult>> TestAsync(ProbeTarget target, CancellationToken ct)
        {
            var results = new List<ConnectorDeliveryResult>();
            var reached = new List<ConnectorDeliveryResult>();
            // A connector's smart hosts are one target. Exchange Online picks one at random, then goes round-robin, and "if
            // the initial smart host does not respond, the connector will try the next one" (EOP field notes, "On-Premises
            // Delivery Failover", Microsoft): every host gets mail, so each is probed, and the connector delivers when any does.
            foreach (ProbeTarget member in target.SmartHosts ?? new[] { target })
            {
                ConnectorDeliveryResult took = await TestOneAsync(member, results, ct).ConfigureAwait(false);
                if (took != null) reached.Add(took);
            }
            SetTargetStatus(results, reached);
            return results;
        }

        /// <summary>One smart host, address or domain: its results added, and the one that took the session (null for none).</summary>
        async Task<ConnectorDeliveryResult> TestOneAsync(ProbeTarget target, List<ConnectorDeliveryResult> results, CancellationToken ct)
        {
            ConnectorDeliveryResult reached = null;
            if (target.NotTested != NotTestedKind.None)
            {
                ConnectorDeliveryResult nt = NewResult(target, null, null);
                ProbeFacts f = SmtpProbe.NewFacts(target, options);
                f.Stage = ProbeStage.None;
                f.NotTested = target.NotTested;
                ResultBuilder.Complete(nt, f, null, options.Language);
                results.Add(nt);
            }
            else if (target.Address != null)
            {
                string host = target.Text.Trim();
                if (IsLoop(target, null, target.Address)) results.Add(Loop(target, host, null, target.Address));
                else
                {
                    SmtpProbe.Attempt a = await SmtpProbe.RunAsync(NewResult(target, host, null), target.Address, host,
                        target.TlsDomain ?? host, target, options, ct, egress: egress).ConfigureAwait(false);
                    results.AddRange(a.Results);
                    if (a.Reached) reached = a.Results[0];
                }
            }
            else reached = await TestByNameAsync(target, results, ct).ConfigureAwait(false);
            return reached;
        }

        async Task<ConnectorDeliveryResult> TestByNameAsync(ProbeTarget target, List<ConnectorDeliveryResult> results, CancellationToken ct)
        {
            var started = DateTime.UtcNow;
            DnsOutcome local = await ResolveAsync(resolver, target, ct).ConfigureAwait(false);
            DnsOutcome published = null;
            bool publicUnreachable = false;
            if (publicResolver != null)
            {
                try { published = await ResolveAsync(publicResolver, target, ct).ConfigureAwait(false); }
                catch (DnsServerUnreachableException) { publicUnreachable = publicUnreachableSeen = true; }   // said in each result and once for the run, never an error
            }
            // Exchange Online resolves public DNS: where the two answers differ, the probe goes where public DNS leads.
            bool split = published != null && !SameAnswer(local, published);
            DnsOutcome dns = split ? published : local;
            string publicAddresses = published == null ? null : Join(published);
            string localAddresses = Join(local);
            HostView ViewOf(IPAddress address) => new HostView
            {
                View = split ? DnsView.Split : AddressScope.IsNonPublic(address) ? DnsView.Private : DnsView.Public,
                PublicAddress = publicAddresses,
                PrivateAddress = localAddresses,
                PublicDnsUnreachable = publicUnreachable,
            };
            HostView failedView = new HostView { View = split ? DnsView.Split : (DnsView?)null, PublicAddress = publicAddresses, PrivateAddress = localAddresses, PublicDnsUnreachable = publicUnreachable };

            if (dns.Fault != DnsFault.None || dns.Hosts.Count == 0)
            {
                ConnectorDeliveryResult r = NewResult(target, target.Name, null);
                r.Timestamp = started;
                r.DurationMs = (long)(DateTime.UtcNow - started).TotalMilliseconds;
                results.Add(DnsResult(r, target, dns.Fault == DnsFault.None ? DnsFault.NoAddress : dns.Fault, dns.FaultName ?? target.Name, view: failedView));
                return null;
            }

            MtaStsLookup sts = await MtaStsOfAsync(MtaStsLookup.PolicyDomainOf(target.Kind, target.Name), ct).ConfigureAwait(false);
            bool stsAnyMatches = sts.Policy != null && dns.Hosts.Any(h => sts.Policy.Matches(h.Host));

            // DomainValidation without a TlsDomain: a smart host's certificate must carry the smart host name as configured,
            // even when its MX leads elsewhere; a recipient domain's MX host must carry its own name.
            foreach (ResolvedHost host in dns.Hosts)
            {
                if (host.Fault != DnsFault.None)
                {
                    ConnectorDeliveryResult r = NewResult(target, host.Host, host.MxPreference);
                    r.Timestamp = started;
                    results.Add(DnsResult(r, target, host.Fault, host.Host, view: failedView));
                    continue;
                }
                if (host.Dane.Status == DaneStatus.Bogus && target.DaneMode != DaneMode.None)
                {
                    // Signed host answers, and a TLSA answer that fails validation: Exchange Online reports a DNS failure
                    // (4.4.312 today, "How SMTP DANE works", Microsoft Learn) and connects to nothing.
                    ConnectorDeliveryResult r = NewResult(target, host.Host, host.MxPreference);
                    r.Timestamp = started;
                    results.Add(DnsResult(r, target, DnsFault.ServerFailure, host.Dane.Name, host.Dane));
                    continue;
                }
                if (SkippedByMtaSts(target, host, sts))
                {
                    // An enforce policy that does not list this host: Exchange Online does not connect to it, and tries the
                    // next MX ("senders MUST NOT deliver" to a host that fails, RFC 8461 section 5.1). Nothing is connected to.
                    ConnectorDeliveryResult r = NewResult(target, host.Host, host.MxPreference);
                    r.Timestamp = started;
                    ProbeFacts f = SmtpProbe.NewFacts(target, options);
                    SmtpProbe.SetDane(f, host.Dane);
                    SmtpProbe.SetMtaSts(f, sts, host.Host, stsAnyMatches);
                    f.Stage = ProbeStage.Dns;
                    ResultBuilder.Complete(r, f, null, options.Language);
                    results.Add(r);
                    continue;
                }
                string expected = target.TlsDomain ?? (target.Kind == TargetKind.SmartHost ? target.Name : host.Host);
                foreach (IPAddress address in host.Addresses)
                {
                    if (IsLoop(target, host.Host, address))
                    {
                        // Microsoft 365 would hand the mail to itself: report the loop, connect to nothing.
                        results.Add(Loop(target, host.Host, host.MxPreference, address));
                        return null;
                    }
                    SmtpProbe.Attempt a = await SmtpProbe.RunAsync(NewResult(target, host.Host, host.MxPreference), address,
                        host.Host, expected, target, options, ct, host.Dane, sts, stsAnyMatches, view: ViewOf(address), egress: egress).ConfigureAwait(false);
                    if (split && !a.Reached) await CheckHairpinAsync(a, target, host, local, expected, ct).ConfigureAwait(false);
                    results.AddRange(a.Results);
                    if (a.Reached) return a.Results[0];   // Microsoft 365 stops at the first server that takes the session
                }
            }
            return null;
        }

        static Task<DnsOutcome> ResolveAsync(DnsResolver r, ProbeTarget target, CancellationToken ct) =>
            target.Kind == TargetKind.Domain ? r.ResolveDomainAsync(target.Name, ct) : r.ResolveSmartHostAsync(target.Name, ct);

        /// <summary>The same hosts with the same addresses (order aside), or the same fault.</summary>
        static bool SameAnswer(DnsOutcome a, DnsOutcome b) =>
            a.Fault == b.Fault && string.Equals(Join(a), Join(b), StringComparison.OrdinalIgnoreCase);

        static string Join(DnsOutcome o) =>
            string.Join("; ", o.Hosts.SelectMany(h => h.Addresses).Select(x => x.ToString()).Distinct().OrderBy(x => x, StringComparer.Ordinal));

        /// <summary>
        /// Under split DNS, a public address that did not answer the connect from here: does the address this computer's DNS
        /// gives for the same host answer? Then a firewall does not loop inside traffic back (hairpin NAT), and nothing is
        /// known of what Microsoft 365 meets from outside: NotTested, never a code.
        /// </summary>
        async Task CheckHairpinAsync(SmtpProbe.Attempt a, ProbeTarget target, ResolvedHost host, DnsOutcome local, string expected, CancellationToken ct)
        {
            ConnectorDeliveryResult failed = a.Results.FirstOrDefault();
            ProbeFacts f = failed?.Facts;
            if (f == null || f.Stage != ProbeStage.Connect || f.EgressBlocked
                || (f.ConnectFault != SocketFault.NoAnswer && f.ConnectFault != SocketFault.Refused)) return;
            ResolvedHost inside = local.Hosts.FirstOrDefault(h => string.Equals(h.Host, host.Host, StringComparison.OrdinalIgnoreCase) && h.Addresses.Count > 0)
                                  ?? local.Hosts.FirstOrDefault(h => h.Addresses.Count > 0);
            if (inside == null) return;
            SmtpProbe.Attempt check = await SmtpProbe.RunAsync(NewResult(target, inside.Host, inside.MxPreference), inside.Addresses[0], inside.Host,
                expected, target, options, ct).ConfigureAwait(false);
            ProbeFacts seen = check.Results.FirstOrDefault()?.Facts;
            if (seen == null || seen.Stage == ProbeStage.Connect) return;   // the inside address did not answer either
            foreach (ConnectorDeliveryResult r in a.Results)
            {
                r.Facts.Hairpin = true;
                ResultBuilder.Complete(r, r.Facts, expected, options.Language);
            }
        }

        /// <summary>The policy domain's MTA-STS discovery, made once per run (a failed one is not retried within the run).</summary>
        Task<MtaStsLookup> MtaStsOfAsync(string domain, CancellationToken ct) =>
            mtaSts.GetOrAdd(domain, d => new Lazy<Task<MtaStsLookup>>(() => MtaStsLookup.DiscoverAsync(d, resolver, options, ct))).Value;

        /// <summary>An enforce policy, checked by this connector and not overruled by DANE, that lists no pattern for this host.</summary>
        static bool SkippedByMtaSts(ProbeTarget target, ResolvedHost host, MtaStsLookup sts) =>
            sts.Enforces && target.MtaStsModeValue != MtaStsMode.None
            && !(host.Dane.Applies && target.DaneMode != DaneMode.None)
            && !sts.Policy.Matches(host.Host);

        ConnectorDeliveryResult DnsResult(ConnectorDeliveryResult r, ProbeTarget target, DnsFault fault, string name, DaneLookup dane = null, HostView view = null)
        {
            ProbeFacts f = SmtpProbe.NewFacts(target, options);
            view?.ApplyTo(f);
            SmtpProbe.SetDane(f, dane ?? DaneLookup.None);
            f.Stage = ProbeStage.Dns;
            f.Dns = fault;
            f.DnsName = name;
            ResultBuilder.Complete(r, f, null, options.Language);
            return r;
        }

        /// <summary>An OnPremises connector must lead out of Microsoft 365; one that leads back to it makes mail loop.</summary>
        static bool IsLoop(ProbeTarget target, string host, IPAddress address) =>
            string.Equals(target.ConnectorType, "OnPremises", StringComparison.OrdinalIgnoreCase)
            && (Microsoft365Network.IsMicrosoft365MxHost(host) || Microsoft365Network.IsExchangeOnlineAddress(address));

        ConnectorDeliveryResult Loop(ProbeTarget target, string host, int? preference, IPAddress address)
        {
            ConnectorDeliveryResult r = NewResult(target, host, preference);
            r.IPAddress = address?.ToString();
            ProbeFacts f = SmtpProbe.NewFacts(target, options);
            f.Stage = ProbeStage.Dns;
            f.LoopToMicrosoft365 = true;
            ResultBuilder.Complete(r, f, null, options.Language);
            return r;
        }

        /// <summary>
        /// Every result of a target learns the target's outcome: the session that was taken (its worst recipient outcome),
        /// or Failed when none was, or NotTested when nothing could be tried from here.
        /// </summary>
        static void SetTargetStatus(List<ConnectorDeliveryResult> results, List<ConnectorDeliveryResult> reached)
        {
            // Mail goes to every server that takes the session (round-robin over smart hosts): the worst of them is the target's.
            ProbeStatus status;
            if (reached.Count > 0) status = FromRank(results.Where(r => reached.Any(t => SameAttempt(r, t))).Max(r => Rank(r.Status)));
            else status = results.Any(r => r.Status == ProbeStatus.Failed) ? ProbeStatus.Failed : ProbeStatus.NotTested;

            ConnectorDeliveryResult first = reached.FirstOrDefault();
            foreach (ConnectorDeliveryResult r in results)
            {
                r.TargetStatus = status;
                if (first != null && r.Status == ProbeStatus.Failed && !reached.Any(t => SameAttempt(r, t)))
                    r.FailoverServer = first.DestinationServer == first.IPAddress ? first.IPAddress : $"{first.DestinationServer} ({first.IPAddress})";
            }
        }

        static bool SameAttempt(ConnectorDeliveryResult a, ConnectorDeliveryResult b) =>
            a.IPAddress == b.IPAddress && a.DestinationServer == b.DestinationServer;

        static int Rank(ProbeStatus s) => s == ProbeStatus.Failed ? 2 : s == ProbeStatus.Warning ? 1 : 0;
        static ProbeStatus FromRank(int rank) => rank == 2 ? ProbeStatus.Failed : rank == 1 ? ProbeStatus.Warning : ProbeStatus.Succeeded;

        ConnectorDeliveryResult NewResult(ProbeTarget t, string server, int? preference) => new ConnectorDeliveryResult
        {
            Connector = t.Connector,
            ConnectorType = t.ConnectorType,
            Target = t.Text,
            DestinationServer = server,
            MxPreference = preference,
            Port = options.Port,
            TlsSettings = t.Tls.ToSetting(),
            TlsDomain = t.TlsDomain,
            Timestamp = DateTime.UtcNow,
            ComputerName = Environment.MachineName,
        };
    }
}
