using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailFlowIntel.Lab
{
    /// <summary>A minimal HTTP server on loopback that answers every GET with one CRL, so revocation checks have a real answer.</summary>
    public sealed class CrlServer : IDisposable
    {
        readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
        readonly CancellationTokenSource stop = new CancellationTokenSource();

        public CrlServer()
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = ServeAsync();
        }

        public int Port { get; }
        public string Url => $"http://127.0.0.1:{Port}/lab-ca.crl";
        /// <summary>Set once the certificates (and so the CRL) exist.</summary>
        public byte[] Crl { get; set; } = Array.Empty<byte>();
        public int Requests;

        async Task ServeAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            var stream = client.GetStream();
                            var buffer = new byte[4096];
                            var request = new StringBuilder();
                            while (!request.ToString().Contains("\r\n\r\n"))
                            {
                                int n = await stream.ReadAsync(buffer, 0, buffer.Length, stop.Token);
                                if (n == 0) return;
                                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                            }
                            Interlocked.Increment(ref Requests);
                            byte[] body = Crl;
                            byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                            await stream.WriteAsync(head, 0, head.Length, stop.Token);
                            await stream.WriteAsync(body, 0, body.Length, stop.Token);
                        }
                        catch (Exception) { }
                    }
                });
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
