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
    /// <summary>How a lab HTTPS answer frames its body (HTTP/1.1, RFC 9112 section 6).</summary>
    public enum HttpFraming { ContentLength, Chunked, UntilClose }

    /// <summary>
    /// An HTTPS server on one loopback address for MTA-STS policy hosts (mta-sts.&lt;domain&gt;): the certificate is chosen
    /// by the name the client sends as SNI, the answer by the Host header. It serves policies, redirects, and 404 for the rest,
    /// and counts the requests per host, so a test can prove that a redirect was not followed.
    /// </summary>
    public sealed class LabHttpsServer : IDisposable
    {
        readonly TcpListener listener;
        readonly CancellationTokenSource stop = new CancellationTokenSource();
        readonly X509Certificate2 defaultCertificate;
        readonly ConcurrentDictionary<string, X509Certificate2> certificates = new ConcurrentDictionary<string, X509Certificate2>(StringComparer.OrdinalIgnoreCase);
        readonly ConcurrentDictionary<string, (int Status, string Location, byte[] Body, HttpFraming Framing)> answers =
            new ConcurrentDictionary<string, (int, string, byte[], HttpFraming)>(StringComparer.OrdinalIgnoreCase);
        readonly ConcurrentDictionary<string, int> requests = new ConcurrentDictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        public LabHttpsServer(IPAddress address, X509Certificate2 defaultCertificate)
        {
            this.defaultCertificate = defaultCertificate;
            listener = new TcpListener(address, 0);
            listener.Start(64);
            Address = address;
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = LabSockets.AcceptAllAsync(listener, stop.Token, AnswerAsync);
        }

        public IPAddress Address { get; }
        public int Port { get; }

        /// <summary>The certificate served to clients that ask for this name (SNI); others get the default one.</summary>
        public void Certificate(string host, X509Certificate2 certificate) => certificates[host] = certificate;

        /// <summary>200 with this body as text/plain, at any path of this host.</summary>
        public void Serve(string host, string body, HttpFraming framing = HttpFraming.ContentLength) =>
            answers[host] = (200, null, Encoding.UTF8.GetBytes(body), framing);

        /// <summary>301 to another URL.</summary>
        public void Redirect(string host, string location) => answers[host] = (301, location, Array.Empty<byte>(), HttpFraming.ContentLength);

        /// <summary>How many requests named this host.</summary>
        public int Requests(string host) => requests.TryGetValue(host, out int n) ? n : 0;

        async Task AnswerAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    using var ssl = new SslStream(client.GetStream(), false);
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificateSelectionCallback = (_, name) =>
                            name != null && certificates.TryGetValue(name, out X509Certificate2 c) ? c : defaultCertificate,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    }, stop.Token);
                    string head = await LabSockets.ReadHttpHeadAsync(ssl, stop.Token);
                    if (head == null) return;
                    string host = "";
                    foreach (string line in head.Split("\r\n"))
                        if (line.StartsWith("Host:", StringComparison.OrdinalIgnoreCase)) host = line.Substring(5).Trim().Split(':')[0];
                    requests.AddOrUpdate(host, 1, (_, n) => n + 1);
                    if (!answers.TryGetValue(host, out var a)) a = (404, null, Array.Empty<byte>(), HttpFraming.ContentLength);
                    await WriteAsync(ssl, a.Status, a.Location, a.Body, a.Framing);
                }
                catch (Exception) { /* a client that went away */ }
            }
        }

        async Task WriteAsync(Stream s, int status, string location, byte[] body, HttpFraming framing)
        {
            string reason = status == 200 ? "OK" : status == 301 ? "Moved Permanently" : "Not Found";
            var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nConnection: close\r\n");
            if (location != null) head.Append($"Location: {location}\r\n");
            if (framing == HttpFraming.ContentLength) head.Append($"Content-Length: {body.Length}\r\n");
            if (framing == HttpFraming.Chunked) head.Append("Transfer-Encoding: chunked\r\n");
            head.Append("\r\n");
            byte[] bytes = Encoding.ASCII.GetBytes(head.ToString());
            await s.WriteAsync(bytes, 0, bytes.Length, stop.Token);
            if (framing != HttpFraming.Chunked) await s.WriteAsync(body, 0, body.Length, stop.Token);
            else
            {
                // Chunks of at most 100 bytes, so a client must join several.
                for (int i = 0; i < body.Length; i += 100)
                {
                    int n = Math.Min(100, body.Length - i);
                    byte[] size = Encoding.ASCII.GetBytes(n.ToString("x") + "\r\n");
                    await s.WriteAsync(size, 0, size.Length, stop.Token);
                    await s.WriteAsync(body, i, n, stop.Token);
                    await s.WriteAsync(Encoding.ASCII.GetBytes("\r\n"), 0, 2, stop.Token);
                }
                byte[] end = Encoding.ASCII.GetBytes("0\r\n\r\n");
                await s.WriteAsync(end, 0, end.Length, stop.Token);
            }
            await s.FlushAsync(stop.Token);
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
