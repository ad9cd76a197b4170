using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailFlowIntel.Lab
{
    /// <summary>What the fault server does with each connection.</summary>
    public enum FaultBehaviour
    {
        /// <summary>A well-behaved server: greeting, EHLO (with STARTTLS when it has a certificate), MAIL, RCPT, RSET, QUIT.</summary>
        Normal,
        Greet421,
        /// <summary>A 421 greeting whose text is markup and quotes: what a hostile server could put in front of a report.</summary>
        Greet421Hostile,
        Greet554,
        /// <summary>Accepts the connection and never says anything.</summary>
        Silent,
        /// <summary>Sends its greeting one byte a second.</summary>
        Trickle,
        /// <summary>Greets, then closes the connection when EHLO arrives.</summary>
        CloseAfterEhlo,
        /// <summary>Answers STARTTLS with 220, then resets the connection mid-handshake.</summary>
        ResetMidTls,
        /// <summary>Answers STARTTLS with 454.</summary>
        StartTls454,
        /// <summary>Sends a greeting that is not SMTP.</summary>
        Garbage,
        /// <summary>Sends a one-megabyte line as its greeting.</summary>
        MegaLine,
        /// <summary>Sends two megabytes without a line end as its greeting, then holds the connection open.</summary>
        HugeLineNoEnd,
        /// <summary>Greets, answers EHLO with 421 (too many connections), records anything more it gets for a second, then closes.</summary>
        Ehlo421ThenClose,
        /// <summary>Accepts the connection and resets it (RST) before any greeting.</summary>
        AcceptThenReset,
        /// <summary>Refuses EHLO and HELO with 550.</summary>
        EhloRejected,
        /// <summary>Shows STARTTLS masked as XXXXXXXA in its EHLO reply, as an SMTP-inspecting firewall does.</summary>
        MaskedStartTls,
        /// <summary>Offers no STARTTLS but answers MAIL FROM with 530 5.7.0 Must issue a STARTTLS command first.</summary>
        RequiresStartTls,
        /// <summary>Offers STARTTLS and speaks only TLS 1.0 and 1.1 (an old server).</summary>
        OldTlsOnly,
    }

    /// <summary>
    /// A byte-level SMTP server for the faults no real server produces on purpose. Loopback only.
    /// It records every command it receives, so tests can prove a probe never sends DATA or BDAT.
    /// </summary>
    public sealed class FaultSmtpServer : IDisposable
    {
        readonly TcpListener listener;
        readonly CancellationTokenSource stop = new CancellationTokenSource();
        readonly X509Certificate2 certificate;
        readonly SslStreamCertificateContext certificateContext;

        /// <param name="intermediates">Certificates sent after the leaf; none means the server sends its leaf alone.</param>
        public FaultSmtpServer(FaultBehaviour behaviour, X509Certificate2 certificate = null, string hostName = "mx.lab.test",
            IPAddress address = null, int port = 0, X509Certificate2 intermediates = null)
        {
            Behaviour = behaviour;
            this.certificate = certificate;
            // Fixed now, offline: what the server sends never depends on this machine's stores or on AIA downloads later.
            if (certificate != null)
                certificateContext = SslStreamCertificateContext.Create(certificate,
                    intermediates == null ? new X509Certificate2Collection() : new X509Certificate2Collection(intermediates), offline: true);
            HostName = hostName;
            Address = address ?? IPAddress.Loopback;
            listener = new TcpListener(Address, port);
            listener.Start(64);
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = LabSockets.AcceptAllAsync(listener, stop.Token, ServeAsync);
        }

        /// <summary>What Greet421Hostile says after its code: an element with a handler, both quotes and an ampersand.</summary>
        public const string HostileText = "<img src=x onerror=alert(1)> \"busy\" & 'closing'";

        public FaultBehaviour Behaviour { get; }
        public IPAddress Address { get; }
        public string HostName { get; }
        public int Port { get; }
        public ConcurrentQueue<string> Commands { get; } = new ConcurrentQueue<string>();

        async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                client.NoDelay = true;
                Stream stream = client.GetStream();
                try
                {
                    switch (Behaviour)
                    {
                        case FaultBehaviour.Greet421: await WriteAsync(stream, "421 4.3.2 Service not available, closing transmission channel\r\n"); return;
                        case FaultBehaviour.Greet421Hostile: await WriteAsync(stream, "421 4.3.2 " + HostileText + "\r\n"); return;
                        case FaultBehaviour.Greet554: await WriteAsync(stream, "554 5.7.1 No SMTP service here\r\n"); return;
                        case FaultBehaviour.Silent: await Task.Delay(Timeout.Infinite, stop.Token); return;
                        case FaultBehaviour.Trickle:
                            foreach (char c in $"220 {HostName} ESMTP slowly\r\n")
                            {
                                await WriteAsync(stream, c.ToString());
                                await Task.Delay(1000, stop.Token);
                            }
                            await Task.Delay(Timeout.Infinite, stop.Token);
                            return;
                        case FaultBehaviour.Garbage: await WriteAsync(stream, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"); await Task.Delay(2000, stop.Token); return;
                        case FaultBehaviour.MegaLine: await WriteAsync(stream, new string('A', 1024 * 1024) + "\r\n"); await Task.Delay(2000, stop.Token); return;
                        case FaultBehaviour.HugeLineNoEnd:
                            await WriteAsync(stream, new string('A', 2 * 1024 * 1024));
                            await Task.Delay(Timeout.Infinite, stop.Token);
                            return;
                        case FaultBehaviour.AcceptThenReset:
                            client.Client.LingerState = new LingerOption(true, 0);
                            client.Client.Close();
                            return;
                    }

                    await WriteAsync(stream, $"220 {HostName} ESMTP lab\r\n");
                    var reader = new LineReader(stream);
                    bool secure = false;
                    while (true)
                    {
                        string line = await reader.ReadLineAsync(stop.Token);
                        if (line == null) return;
                        Commands.Enqueue(line);
                        string verb = line.Split(' ')[0].ToUpperInvariant();
                        switch (verb)
                        {
                            case "EHLO":
                                if (Behaviour == FaultBehaviour.CloseAfterEhlo) return;
                                if (Behaviour == FaultBehaviour.Ehlo421ThenClose)
                                {
                                    await WriteAsync(stream, "421 4.7.0 too many connections, closing\r\n");
                                    // A client that ignored the 421 would send more now: record it, then close.
                                    using var grace = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                                    grace.CancelAfter(1000);
                                    try { for (string more; (more = await reader.ReadLineAsync(grace.Token)) != null;) Commands.Enqueue(more); }
                                    catch (OperationCanceledException) { }
                                    return;
                                }
                                if (Behaviour == FaultBehaviour.EhloRejected) { await WriteAsync(stream, "550 5.7.1 EHLO rejected by policy\r\n"); break; }
                                bool offerTls = certificate != null && !secure && Behaviour != FaultBehaviour.RequiresStartTls;
                                string tlsLine = Behaviour == FaultBehaviour.MaskedStartTls ? "250-XXXXXXXA\r\n" : offerTls ? "250-STARTTLS\r\n" : "";
                                await WriteAsync(stream, $"250-{HostName} hello\r\n250-PIPELINING\r\n" + tlsLine + "250 8BITMIME\r\n");
                                break;
                            case "HELO":
                                await WriteAsync(stream, Behaviour == FaultBehaviour.EhloRejected ? "550 5.7.1 HELO rejected by policy\r\n" : $"250 {HostName}\r\n");
                                break;
                            case "STARTTLS":
                                if (Behaviour == FaultBehaviour.StartTls454) { await WriteAsync(stream, "454 4.7.0 TLS not available due to temporary reason\r\n"); break; }
                                await WriteAsync(stream, "220 2.0.0 Ready to start TLS\r\n");
                                if (Behaviour == FaultBehaviour.ResetMidTls)
                                {
                                    // Read the ClientHello, then reset (RST rather than FIN).
                                    _ = await stream.ReadAsync(new byte[512], 0, 512, stop.Token);
                                    client.Client.LingerState = new LingerOption(true, 0);
                                    client.Client.Close();
                                    return;
                                }
                                if (Behaviour == FaultBehaviour.OldTlsOnly)
                                {
                                    // BouncyCastle's handshake blocks: on a thread of its own, closed with the lab.
                                    Stream old = stream;
                                    stream = await Task.Run(() => LegacyTlsServer.Accept(old, certificate), stop.Token);
                                    reader = new LineReader(stream);
                                    secure = true;
                                    break;
                                }
                                var ssl = new SslStream(stream, false);
                                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                                {
                                    ServerCertificateContext = certificateContext,
                                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                                }, stop.Token);
                                stream = ssl;
                                reader = new LineReader(stream);
                                secure = true;
                                break;
                            case "MAIL":
                                await WriteAsync(stream, Behaviour == FaultBehaviour.RequiresStartTls && !secure
                                    ? "530 5.7.0 Must issue a STARTTLS command first\r\n" : "250 2.1.0 Ok\r\n");
                                break;
                            case "RCPT":
                                await WriteAsync(stream, line.IndexOf("nobody@", StringComparison.OrdinalIgnoreCase) >= 0
                                    ? "550 5.1.1 <nobody@lab.test>: Recipient address rejected: User unknown\r\n" : "250 2.1.5 Ok\r\n");
                                break;
                            case "RSET": await WriteAsync(stream, "250 2.0.0 Ok\r\n"); break;
                            case "NOOP": await WriteAsync(stream, "250 2.0.0 Ok\r\n"); break;
                            case "QUIT": await WriteAsync(stream, "221 2.0.0 Bye\r\n"); return;
                            case "DATA": case "BDAT": await WriteAsync(stream, "554 5.5.1 The lab never takes a message\r\n"); break;
                            default: await WriteAsync(stream, "502 5.5.2 Command not recognized\r\n"); break;
                        }
                    }
                }
                catch (Exception) { /* the client went away, or we are stopping */ }
            }
        }

        static Task WriteAsync(Stream s, string text)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            return s.WriteAsync(bytes, 0, bytes.Length);
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }

        /// <summary>Reads CRLF lines without buffering past them (so STARTTLS can hand the stream over).</summary>
        sealed class LineReader
        {
            readonly Stream stream;
            readonly byte[] one = new byte[1];
            public LineReader(Stream s) { stream = s; }

            public async Task<string> ReadLineAsync(CancellationToken ct)
            {
                var sb = new StringBuilder();
                while (sb.Length < 4096)
                {
                    int n = await stream.ReadAsync(one, 0, 1, ct);
                    if (n == 0) return null;
                    if (one[0] == '\n') return sb.ToString().TrimEnd('\r');
                    sb.Append((char)one[0]);
                }
                return sb.ToString();
            }
        }
    }

    /// <summary>An address whose TCP connects are never answered: a full accept queue on loopback, no root needed.</summary>
    public sealed class BlackHole : IDisposable
    {
        readonly Socket listener;
        readonly System.Collections.Generic.List<Socket> parked = new System.Collections.Generic.List<Socket>();

        public BlackHole(IPAddress address = null, int port = 0)
        {
            address = address ?? IPAddress.Loopback;
            listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(0);
            Port = ((IPEndPoint)listener.LocalEndPoint).Port;
            // Fill the accept queue; later SYNs are dropped, so connects hang until their timeout.
            for (int i = 0; i < 4; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    var task = s.ConnectAsync(new IPEndPoint(address, Port));
                    if (!task.Wait(200)) { s.Dispose(); break; }
                    parked.Add(s);
                }
                catch (Exception) { s.Dispose(); break; }
            }
        }

        public int Port { get; }

        public void Dispose()
        {
            foreach (Socket s in parked) s.Dispose();
            listener.Dispose();
        }
    }

    /// <summary>A loopback port that nothing listens on: connects are refused at once.</summary>
    public static class ClosedPort
    {
        public static int Get()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }
    }
}
