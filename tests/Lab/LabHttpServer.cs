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
    /// A minimal HTTP server on loopback for what certificates point at: the CA's CRL (so revocation checks have a real
    /// answer) and the intermediate CA behind an AIA URL. It counts the requests per path, so a test can prove that a
    /// probe never fetched an intermediate.
    /// </summary>
    public sealed class LabHttpServer : IDisposable
    {
        readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
        readonly CancellationTokenSource stop = new CancellationTokenSource();
        readonly ConcurrentDictionary<string, (string Type, byte[] Body)> files = new ConcurrentDictionary<string, (string, byte[])>(StringComparer.Ordinal);
        readonly ConcurrentDictionary<string, bool> hanging = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        readonly ConcurrentDictionary<string, int> requests = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        public LabHttpServer()
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = LabSockets.AcceptAllAsync(listener, stop.Token, AnswerAsync);
        }

        public int Port { get; }

        public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

        public void Serve(string path, string contentType, byte[] body) => files[path] = (contentType, body);

        /// <summary>A path whose requests are read and never answered (the connection stays open until the lab stops).</summary>
        public void Hang(string path) => hanging[path] = true;

        /// <summary>How many GET requests asked for this path.</summary>
        public int Requests(string path) => requests.TryGetValue(path, out int n) ? n : 0;

        async Task AnswerAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    string request = await LabSockets.ReadHttpHeadAsync(stream, stop.Token);
                    if (request == null) return;
                    string[] first = request.Split("\r\n")[0].Split(' ');
                    string path = first.Length > 1 ? first[1] : "/";
                    requests.AddOrUpdate(path, 1, (_, n) => n + 1);
                    if (hanging.ContainsKey(path)) { await Task.Delay(Timeout.Infinite, stop.Token); return; }
                    byte[] head;
                    byte[] body = Array.Empty<byte>();
                    if (files.TryGetValue(path, out var file))
                    {
                        body = file.Body;
                        head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {file.Type}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    }
                    else head = Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(head, 0, head.Length, stop.Token);
                    await stream.WriteAsync(body, 0, body.Length, stop.Token);
                }
                catch (Exception) { }
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
