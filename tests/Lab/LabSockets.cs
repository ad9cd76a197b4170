using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailFlowIntel.Lab
{
    /// <summary>What every lab server does alike: accept until stopped, and read an HTTP request's head.</summary>
    internal static class LabSockets
    {
        /// <summary>Accepts until stopped; each connection is served on its own task, so a slow one never holds the others.</summary>
        public static async Task AcceptAllAsync(TcpListener listener, CancellationToken stop, Func<TcpClient, Task> serve)
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(stop); }
                catch (Exception) { return; }
                _ = Task.Run(() => serve(client));
            }
        }

        /// <summary>The request line and headers, up to the blank line (16 KB at most); null when the client closed first.</summary>
        public static async Task<string> ReadHttpHeadAsync(Stream s, CancellationToken stop)
        {
            var buffer = new byte[4096];
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n") && head.Length < 16384)
            {
                int n = await s.ReadAsync(buffer, 0, buffer.Length, stop);
                if (n == 0) return null;
                head.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            return head.ToString();
        }
    }
}
