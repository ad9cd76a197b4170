using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Before a connect-stage failure is blamed on a server, whether this computer can open the probe's port to the internet
    /// at all: a TCP connect to a host known to listen there (the probe's -EgressCheckHost, else the MX of the tenant's
    /// initial domain), then QUIT, no EHLO. Run only after such a failure (a healthy run pays nothing), once per check host,
    /// address family and source address, and remembered for ten minutes by the process.
    /// </summary>
    internal sealed class EgressChecker
    {
        public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);
        static readonly ConcurrentDictionary<string, Entry> Cache = new ConcurrentDictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);

        sealed class Entry
        {
            public DateTime At;
            public Lazy<Task<EgressCheck>> Check;
        }

        readonly ProbeOptions options;
        readonly DnsResolver resolver;

        public EgressChecker(ProbeOptions options, DnsResolver resolver)
        {
            this.options = options;
            this.resolver = resolver;
        }

        /// <summary>The host the check connects to, as given ("mx.contoso.com", "203.0.113.9"), or the tenant domain whose MX it is; null when none is known.</summary>
        public string CheckHost => options.EgressCheckHost ?? options.EgressCheckDomain;

        /// <summary>NotRun when no check host is known or it has no address of this family.</summary>
        public Task<EgressCheck> CheckAsync(AddressFamily family, CancellationToken ct)
        {
            string host = CheckHost;
            if (host == null) return Task.FromResult(EgressCheck.NotRun);
            string key = string.Join("|", host, family, options.SourceAddress?.ToString() ?? "", options.Port);
            DateTime now = DateTime.UtcNow;
            Entry entry = Cache.AddOrUpdate(key,
                _ => NewEntry(family, now),
                (_, old) => now - old.At > CacheFor || (old.Check.IsValueCreated && old.Check.Value.IsCompleted && old.Check.Value.Result == EgressCheck.NotRun)
                    ? NewEntry(family, now) : old);
            return entry.Check.Value;
        }

        Entry NewEntry(AddressFamily family, DateTime now) =>
            // Not tied to one probe's cancellation: several probes share the check, and one Ctrl+C must not poison it.
            new Entry { At = now, Check = new Lazy<Task<EgressCheck>>(() => RunAsync(family)) };

        /// <summary>Forgets every remembered check (tests).</summary>
        internal static void Forget() => Cache.Clear();

        async Task<EgressCheck> RunAsync(AddressFamily family)
        {
            List<IPAddress> addresses;
            try { addresses = await AddressesAsync().ConfigureAwait(false); }
            catch (DnsServerUnreachableException) { return EgressCheck.NotRun; }
            addresses = addresses.Where(a => a.AddressFamily == family).ToList();
            if (addresses.Count == 0) return EgressCheck.NotRun;
            foreach (IPAddress address in addresses.Take(2))
                if (await ConnectsAsync(address).ConfigureAwait(false)) return EgressCheck.Passed;
            return EgressCheck.Failed;
        }

        async Task<List<IPAddress>> AddressesAsync()
        {
            if (options.EgressCheckHost != null)
            {
                if (IPAddress.TryParse(options.EgressCheckHost.Trim(), out IPAddress literal)) return new List<IPAddress> { literal };
                return (await resolver.AddressesAsync(options.EgressCheckHost.Trim(), CancellationToken.None).ConfigureAwait(false)).ToList();
            }
            // The tenant's initial domain (contoso.onmicrosoft.com): its MX is Exchange Online's own front door, which listens on 25.
            DnsOutcome mx = await resolver.ResolveDomainAsync(options.EgressCheckDomain, CancellationToken.None).ConfigureAwait(false);
            return mx.Hosts.SelectMany(h => h.Addresses).ToList();
        }

        async Task<bool> ConnectsAsync(IPAddress address)
        {
            using (var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
            using (var deadline = new StepDeadline(options.Timeout, () => socket.Dispose()))
            {
                try
                {
                    if (options.SourceAddress != null) socket.Bind(new IPEndPoint(options.SourceAddress, 0));
                    deadline.Restart();
                    await socket.ConnectAsync(new IPEndPoint(address, options.Port)).ConfigureAwait(false);
                    deadline.Stop();
                    // A polite end, no EHLO: the check only asks whether the port opens.
                    try { socket.Send(Encoding.ASCII.GetBytes("QUIT\r\n")); } catch (SocketException) { }
                    return true;
                }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
                {
                    return false;
                }
            }
        }
    }
}
