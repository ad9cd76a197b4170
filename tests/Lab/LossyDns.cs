using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailFlowIntel.Lab
{
    /// <summary>
    /// A UDP relay in front of a lab DNS server that loses the first query for each question (name, type and class), as a
    /// busy network loses a packet now and then; every later query for it is relayed and answered. A byte-level fixture:
    /// the question is read from the datagram, never interpreted.
    /// </summary>
    public sealed class LossyDns : IDisposable
    {
        readonly UdpClient socket;
        readonly IPEndPoint upstream;
        readonly ConcurrentDictionary<string, bool> seen = new ConcurrentDictionary<string, bool>();
        readonly CancellationTokenSource stop = new CancellationTokenSource();

        public LossyDns(int upstreamPort)
        {
            upstream = new IPEndPoint(IPAddress.Loopback, upstreamPort);
            socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)socket.Client.LocalEndPoint).Port;
            _ = Task.Run(LoopAsync);
        }

        public int Port { get; }
        public string Endpoint => "127.0.0.1:" + Port;
        /// <summary>Queries lost so far.</summary>
        public int Dropped;

        async Task LoopAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                UdpReceiveResult query;
                try { query = await socket.ReceiveAsync(stop.Token); }
                catch (Exception) when (stop.IsCancellationRequested) { return; }
                catch (SocketException) { continue; }
                // Everything after the 12-byte header is the question (and any EDNS record, the same on every retry).
                if (query.Buffer.Length <= 12) continue;
                string question = Convert.ToBase64String(query.Buffer, 12, query.Buffer.Length - 12);
                if (seen.TryAdd(question, true)) { Interlocked.Increment(ref Dropped); continue; }
                _ = RelayAsync(query);
            }
        }

        async Task RelayAsync(UdpReceiveResult query)
        {
            using var relay = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            try
            {
                await relay.SendAsync(query.Buffer, query.Buffer.Length, upstream);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                UdpReceiveResult answer = await relay.ReceiveAsync(timeout.Token);
                await socket.SendAsync(answer.Buffer, answer.Buffer.Length, query.RemoteEndPoint);
            }
            catch (Exception) { /* a relay that fails is one more lost packet */ }
        }

        public void Dispose()
        {
            stop.Cancel();
            socket.Dispose();
        }
    }
}
