using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace MailFlowIntel.Lab
{
    /// <summary>
    /// A real DNS server on loopback (ARSoft.Tools.Net) serving a scripted zone: A, AAAA, MX and Null MX records,
    /// NXDOMAIN for unknown names, SERVFAIL on demand.
    /// </summary>
    public sealed class LabDns : IDisposable
    {
        readonly DnsServer server;
        readonly ConcurrentDictionary<string, List<DnsRecordBase>> records = new ConcurrentDictionary<string, List<DnsRecordBase>>(StringComparer.OrdinalIgnoreCase);
        readonly ConcurrentDictionary<string, bool> servFail = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        public LabDns()
        {
            Port = FreeUdpPort();
            var ep = new IPEndPoint(IPAddress.Loopback, Port);
            server = new DnsServer(new UdpServerTransport(ep), new TcpServerTransport(ep));
            server.QueryReceived += OnQueryAsync;
            server.Start();
        }

        public int Port { get; }
        public string Endpoint => "127.0.0.1:" + Port;
        public int QueryCount;

        public LabDns A(string name, string address)
        {
            IPAddress ip = IPAddress.Parse(address);
            DnsRecordBase r = ip.AddressFamily == AddressFamily.InterNetworkV6
                ? new AaaaRecord(DomainName.Parse(name), 60, ip)
                : new ARecord(DomainName.Parse(name), 60, ip);
            records.GetOrAdd(name, _ => new List<DnsRecordBase>()).Add(r);
            return this;
        }

        public LabDns Mx(string domain, ushort preference, string host)
        {
            records.GetOrAdd(domain, _ => new List<DnsRecordBase>()).Add(new MxRecord(DomainName.Parse(domain), 60, preference, DomainName.Parse(host)));
            return this;
        }

        /// <summary>RFC 7505: MX 0 "." says the domain accepts no mail.</summary>
        public LabDns NullMx(string domain)
        {
            records.GetOrAdd(domain, _ => new List<DnsRecordBase>()).Add(new MxRecord(DomainName.Parse(domain), 60, 0, DomainName.Root));
            return this;
        }

        /// <summary>A name that exists but holds only the given record types (so other types answer NOERROR, empty).</summary>
        public LabDns Exists(string name)
        {
            records.GetOrAdd(name, _ => new List<DnsRecordBase>());
            return this;
        }

        public LabDns ServFail(string name) { servFail[name] = true; return this; }

        Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
        {
            System.Threading.Interlocked.Increment(ref QueryCount);
            if (!(e.Query is DnsMessage query) || query.Questions.Count != 1) return Task.CompletedTask;
            DnsMessage response = query.CreateResponseInstance();
            DnsQuestion q = query.Questions[0];
            string name = q.Name.ToString().TrimEnd('.');
            response.IsAuthoritiveAnswer = true;
            if (servFail.ContainsKey(name)) response.ReturnCode = ReturnCode.ServerFailure;
            else if (records.TryGetValue(name, out List<DnsRecordBase> list))
            {
                response.ReturnCode = ReturnCode.NoError;
                lock (list) response.AnswerRecords.AddRange(list.Where(r => r.RecordType == q.RecordType));
            }
            else response.ReturnCode = ReturnCode.NxDomain;
            e.Response = response;
            return Task.CompletedTask;
        }

        static int FreeUdpPort()
        {
            // A port free for both UDP and TCP (the server listens on both).
            for (int i = 0; i < 20; i++)
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                int port = ((IPEndPoint)udp.LocalEndPoint).Port;
                try
                {
                    using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                    return port;
                }
                catch (SocketException) { }
            }
            throw new InvalidOperationException("No free port for the lab DNS server.");
        }

        public void Dispose() => server.Stop();
    }

    /// <summary>A DNS "server" that never answers: a bound UDP socket nobody reads.</summary>
    public sealed class SilentDns : IDisposable
    {
        readonly Socket socket;
        public SilentDns()
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)socket.LocalEndPoint).Port;
        }
        public int Port { get; }
        public string Endpoint => "127.0.0.1:" + Port;
        public void Dispose() => socket.Dispose();
    }
}
