using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace MailFlowIntel.Lab
{
    /// <summary>
    /// A real DNS server on loopback (ARSoft.Tools.Net) serving a scripted zone: A, AAAA, MX, Null MX, TXT and TLSA records,
    /// NXDOMAIN for unknown names, SERVFAIL on demand. It plays a validating resolver for the names marked signed: their
    /// answers carry AD when the query has DO (RFC 6840 section 5.8), and so does the root's; a bogus name answers SERVFAIL.
    /// <see cref="NonValidating"/> gives a second server over the same records that never sets AD.
    /// </summary>
    public sealed class LabDns : IDisposable
    {
        readonly DnsServer server;
        readonly ConcurrentDictionary<string, List<DnsRecordBase>> records;
        readonly ConcurrentDictionary<string, bool> servFail;
        readonly ConcurrentDictionary<string, bool> signed;
        readonly ConcurrentDictionary<string, bool> bogus;
        readonly bool validating;
        // Names this server answers differently from the others over the same records (a split-DNS view).
        readonly ConcurrentDictionary<string, List<DnsRecordBase>> overrides = new ConcurrentDictionary<string, List<DnsRecordBase>>(StringComparer.OrdinalIgnoreCase);

        public LabDns() : this(null, true) { }

        LabDns(LabDns shared, bool validating)
        {
            this.validating = validating;
            records = shared?.records ?? new ConcurrentDictionary<string, List<DnsRecordBase>>(StringComparer.OrdinalIgnoreCase);
            servFail = shared?.servFail ?? new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
            signed = shared?.signed ?? new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
            bogus = shared?.bogus ?? new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
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

        /// <summary>A TXT record of one string (such as an _mta-sts record, RFC 8461 section 3.1).</summary>
        public LabDns Txt(string name, string text)
        {
            records.GetOrAdd(name, _ => new List<DnsRecordBase>()).Add(new TxtRecord(DomainName.Parse(name), 60, text));
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

        /// <summary>A TLSA record (RFC 6698) with the given association data.</summary>
        public LabDns Tlsa(string name, int usage, int selector, int matchingType, byte[] data)
        {
            records.GetOrAdd(name, _ => new List<DnsRecordBase>()).Add(new TlsaRecord(DomainName.Parse(name), 60,
                (TlsaRecord.TlsaCertificateUsage)usage, (TlsaRecord.TlsaSelector)selector, (TlsaRecord.TlsaMatchingType)matchingType, data));
            return this;
        }

        /// <summary>A TLSA record computed from a certificate (with .NET's own SPKI export, independently of the probe's code).</summary>
        public LabDns Tlsa(string name, int usage, int selector, int matchingType, X509Certificate2 certificate) =>
            Tlsa(name, usage, selector, matchingType, TlsaData(certificate, selector, matchingType));

        public static byte[] TlsaData(X509Certificate2 certificate, int selector, int matchingType)
        {
            byte[] selected = selector == 0 ? certificate.RawData : certificate.PublicKey.ExportSubjectPublicKeyInfo();
            return matchingType == 0 ? selected : matchingType == 1 ? SHA256.HashData(selected) : SHA512.HashData(selected);
        }

        /// <summary>The name and every name below it are signed: answers carry AD when the query asks with DO.</summary>
        public LabDns Signed(string zone) { signed[zone.TrimEnd('.')] = true; return this; }

        /// <summary>Answers for this name fail validation: SERVFAIL from the validating server, unauthenticated data from the other.</summary>
        public LabDns Bogus(string name) { bogus[name.TrimEnd('.')] = true; return this; }

        /// <summary>A second server over the same records that never validates: it never sets AD, not even on the root.</summary>
        public LabDns NonValidating() => new LabDns(this, false);

        /// <summary>A second server over the same records that answers some names differently (<see cref="Override"/>): an inside view.</summary>
        public LabDns View() => new LabDns(this, validating);

        /// <summary>This server alone answers the name with this address (A or AAAA), whatever the shared records say.</summary>
        public LabDns Override(string name, string address)
        {
            IPAddress ip = IPAddress.Parse(address);
            DnsRecordBase r = ip.AddressFamily == AddressFamily.InterNetworkV6
                ? new AaaaRecord(DomainName.Parse(name), 60, ip)
                : new ARecord(DomainName.Parse(name), 60, ip);
            overrides.GetOrAdd(name, _ => new List<DnsRecordBase>()).Add(r);
            return this;
        }

        bool IsSigned(string name) =>
            name.Length == 0 || signed.Keys.Any(z => name.Equals(z, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + z, StringComparison.OrdinalIgnoreCase));

        Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
        {
            System.Threading.Interlocked.Increment(ref QueryCount);
            if (!(e.Query is DnsMessage query) || query.Questions.Count != 1) return Task.CompletedTask;
            DnsMessage response = query.CreateResponseInstance();
            DnsQuestion q = query.Questions[0];
            string name = q.Name.ToString().TrimEnd('.');
            response.IsAuthoritiveAnswer = true;
            // A validating resolver sets AD only for a query that asked with DO (or AD), and only on data it validated.
            response.IsAuthenticData = validating && query.IsDnsSecOk && IsSigned(name) && !bogus.ContainsKey(name);
            if (servFail.ContainsKey(name) || (validating && bogus.ContainsKey(name))) response.ReturnCode = ReturnCode.ServerFailure;
            else if (name.Length == 0)
            {
                // The root zone, signed: what a resolver's validation is checked against.
                response.ReturnCode = ReturnCode.NoError;
                if (q.RecordType == RecordType.Ns) response.AnswerRecords.Add(new NsRecord(DomainName.Root, 3600, DomainName.Parse("a.root-servers.net")));
            }
            else if (overrides.TryGetValue(name, out List<DnsRecordBase> list) || records.TryGetValue(name, out list))
            {
                response.ReturnCode = ReturnCode.NoError;
                lock (list) response.AnswerRecords.AddRange(list.Where(r => r.RecordType == q.RecordType));
            }
            else response.ReturnCode = ReturnCode.NxDomain;
            if (response.ReturnCode == ReturnCode.ServerFailure) response.IsAuthenticData = false;
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
