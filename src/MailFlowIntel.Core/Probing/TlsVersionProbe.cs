using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// After a failed handshake, what TLS version the server itself would speak. SslStream tells neither the server's
    /// version nor its alert, and a platform's error text is localized (and on Windows reads its own "no common algorithm"
    /// as the server's fault), so a second session is made: greeting, EHLO, STARTTLS, then BouncyCastle's TLS client
    /// offering TLS 1.0 to 1.2, which reads the version in the server's ServerHello and goes no further. No message is sent.
    /// </summary>
    internal static class TlsVersionProbe
    {
        /// <summary>The version the server chose ("Tls10", "Tls11", "Tls12"), or null when none could be learned.</summary>
        public static async Task<string> ServerVersionAsync(IPAddress address, string tlsHost, ProbeOptions options, CancellationToken ct)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using (var deadline = new StepDeadline(options.Timeout, () => socket.Dispose()))
            using (ct.Register(() => socket.Dispose()))
            {
                try
                {
                    if (options.SourceAddress != null) socket.Bind(new IPEndPoint(options.SourceAddress, 0));
                    deadline.Restart();
                    await socket.ConnectAsync(new IPEndPoint(address, options.Port)).ConfigureAwait(false);
                    var network = new NetworkStream(socket, ownsSocket: false);
                    using (var client = new SmtpCommandClient(new SessionRecorder(deadline.Restart, () => true)))
                    {
                        client.LocalDomain = options.HeloName;
                        client.Timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds + 5000);
                        deadline.Restart();
                        await client.ConnectAsync(new SessionStream(network), tlsHost, options.Port, SecureSocketOptions.None, ct).ConfigureAwait(false);
                        if ((client.Capabilities & SmtpCapabilities.StartTLS) == 0) return null;
                        SmtpResponse starttls = await client.CommandAsync("STARTTLS", ct).ConfigureAwait(false);
                        if ((int)starttls.StatusCode != 220) return null;
                        deadline.Restart();
                        var hello = new ServerHelloClient(tlsHost);
                        // BouncyCastle's handshake blocks; the deadline closes the socket under it.
                        await Task.Run(() =>
                        {
                            var protocol = new TlsClientProtocol(network);
                            try { protocol.Connect(hello); }
                            catch (Exception ex) when (ex is IOException || ex is TlsException || ex is ObjectDisposedException || ex is SocketException) { }
                            finally { try { protocol.Close(); } catch (Exception) { } }
                        }).ConfigureAwait(false);
                        return hello.ServerVersion;
                    }
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    return null;   // this second look is only for a better name; it never changes the failure itself
                }
                finally
                {
                    deadline.Stop();
                    socket.Dispose();
                }
            }
        }

        /// <summary>The name of a BouncyCastle protocol version as results write it ("Tls11").</summary>
        internal static string NameOf(ProtocolVersion v)
        {
            if (v == null) return null;
            if (v.Equals(ProtocolVersion.SSLv3)) return "Ssl3";
            if (v.Equals(ProtocolVersion.TLSv10)) return "Tls10";
            if (v.Equals(ProtocolVersion.TLSv11)) return "Tls11";
            if (v.Equals(ProtocolVersion.TLSv12)) return "Tls12";
            if (v.Equals(ProtocolVersion.TLSv13)) return "Tls13";
            return v.ToString();
        }

        /// <summary>Whether a version Exchange Online would refuse to send with (anything before TLS 1.2).</summary>
        internal static bool OlderThanTls12(string version) => version == "Ssl3" || version == "Tls10" || version == "Tls11";

        /// <summary>A TLS client that offers 1.0 to 1.2, notes the server's choice, and stops there.</summary>
        sealed class ServerHelloClient : DefaultTlsClient
        {
            readonly string host;
            public ServerHelloClient(string host) : base(new BcTlsCrypto(new SecureRandom())) { this.host = host; }

            public string ServerVersion { get; private set; }

            protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv12.DownTo(ProtocolVersion.TLSv10);

            protected override IList<ServerName> GetSniServerNames() =>
                IPAddress.TryParse(host, out _) ? null : new List<ServerName> { new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(host)) };

            public override void NotifyServerVersion(ProtocolVersion serverVersion)
            {
                ServerVersion = NameOf(serverVersion);
                // The version is all this session is for: end it here (an alert, then the close).
                throw new TlsFatalAlert(AlertDescription.user_canceled);
            }

            public override TlsAuthentication GetAuthentication() => new NoAuthentication();

            sealed class NoAuthentication : TlsAuthentication
            {
                public void NotifyServerCertificate(TlsServerCertificate serverCertificate) { }
                public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) => null;
            }
        }
    }
}
