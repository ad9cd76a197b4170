using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailFlowIntel.Lab
{
    /// <summary>
    /// A stand-in for the Microsoft 365 IP address and URL web service on loopback: /version/&lt;instance&gt; and
    /// /endpoints/&lt;instance&gt; in the service's JSON shapes, a version the tests can change, a switch that makes it fail,
    /// and a log of every request (so a test can prove a probe asked nothing).
    /// </summary>
    public sealed class LabEndpointService : IDisposable
    {
        readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
        readonly CancellationTokenSource stop = new CancellationTokenSource();

        public LabEndpointService()
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = LabSockets.AcceptAllAsync(listener, stop.Token, AnswerAsync);
        }

        public int Port { get; }
        public string Uri => $"http://127.0.0.1:{Port}/";
        /// <summary>The version the service announces; changing it changes the list (one more range, named after it).</summary>
        public volatile string Version = "2026120100";
        /// <summary>When set, every request is answered 503.</summary>
        public volatile bool Down;
        public readonly ConcurrentQueue<string> Requests = new ConcurrentQueue<string>();

        async Task AnswerAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    string head = await LabSockets.ReadHttpHeadAsync(stream, stop.Token);
                    if (head == null) return;
                    string[] first = head.Split("\r\n")[0].Split(' ');
                    string target = first.Length > 1 ? first[1] : "/";
                    Requests.Enqueue(target);
                    string path = target.Split('?')[0];
                    string body;
                    int status = 200;
                    if (Down) { status = 503; body = "{\"error\":\"down\"}"; }
                    else if (path.StartsWith("/version/", StringComparison.OrdinalIgnoreCase))
                        body = "{\"instance\":\"" + path.Substring(9) + "\",\"latest\":\"" + Version + "\"}";
                    else if (path.StartsWith("/endpoints/", StringComparison.OrdinalIgnoreCase)) body = Endpoints();
                    else { status = 404; body = "{}"; }
                    byte[] bytes = Encoding.UTF8.GetBytes(body);
                    string reason = status == 200 ? "OK" : status == 503 ? "Service Unavailable" : "Not Found";
                    byte[] headBytes = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(headBytes, 0, headBytes.Length, stop.Token);
                    await stream.WriteAsync(bytes, 0, bytes.Length, stop.Token);
                }
                catch (Exception) { }
            }
        }

        /// <summary>The service's shape: endpoint sets with serviceArea, urls, ips, tcpPorts, category. Only set 9 is mail on TCP 25.</summary>
        string Endpoints()
        {
            // A range that exists only in this version, so a test sees the new list.
            string versioned = "198.18." + (Math.Abs(Version.GetHashCode()) % 250).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".0/24";
            return "[" +
                "{\"id\":1,\"serviceArea\":\"Exchange\",\"serviceAreaDisplayName\":\"Exchange Online\",\"urls\":[\"outlook.office.com\"],\"ips\":[\"13.107.6.152/31\"],\"tcpPorts\":\"80,443\",\"expressRoute\":true,\"category\":\"Optimize\",\"required\":true}," +
                "{\"id\":9,\"serviceArea\":\"Exchange\",\"serviceAreaDisplayName\":\"Exchange Online\",\"urls\":[\"*.mail.protection.outlook.com\",\"*.mx.microsoft\"],\"ips\":[\"40.92.0.0/15\",\"40.107.0.0/16\",\"52.100.0.0/15\",\"104.47.0.0/17\",\"2a01:111:f400::/48\",\"" + versioned + "\"],\"tcpPorts\":\"25\",\"expressRoute\":false,\"category\":\"Allow\",\"required\":true}," +
                "{\"id\":46,\"serviceArea\":\"SharePoint\",\"urls\":[\"*.sharepoint.com\"],\"tcpPorts\":\"443\",\"category\":\"Optimize\",\"required\":true}" +
                "]";
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
