using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>How a TLS handshake ended, as facts.</summary>
    internal enum TlsFailure
    {
        None,
        /// <summary>Our certificate check refused the certificate (the connector's TlsSettings reject it).</summary>
        CertificateRejected,
        /// <summary>The server offers only versions older than TLS 1.2: its ServerHello to a second, TLS 1.0-1.2 client said so (TlsVersionProbe).</summary>
        VersionUnsupported,
        /// <summary>Any other handshake failure: no common cipher, an alert from the server, a malformed message.</summary>
        HandshakeFailed,
        /// <summary>The server closed or reset the connection during the handshake.</summary>
        Closed,
        /// <summary>This platform may have refused the protocols asked for (TLS 1.3 where it has none): retried with TLS 1.2 alone.</summary>
        LocalProtocolRefused,
    }

    /// <summary>
    /// The TLS client handshake after STARTTLS, done by the probe itself rather than by MailKit, for two reasons. It learns
    /// exactly the certificates the server sent (the chain SslStream hands over in its ExtraStore), which is all Microsoft 365
    /// has ("Exchange Online doesn't fetch intermediate certificates on-demand", Microsoft Learn, NDR 450 4.4.317
    /// [Message=UntrustedRoot]). And on .NET 7 and later (PowerShell 7.4+) it switches off the platform's AIA downloads, so
    /// no intermediate is fetched while the platform builds its own chain; MailKit's netstandard2.0 build cannot.
    /// TLS 1.2 and 1.3 only, as Exchange Online sends (1.3 where the platform has it: TlsProtocols).
    /// </summary>
    internal sealed class TlsHandshake
    {
        const SslProtocols Tls13 = TlsProtocols.Tls13;

        readonly string serverName;
        readonly SslProtocols protocols;
        readonly Func<IReadOnlyList<X509Certificate2>, bool> acceptCertificate;
        bool certificateRefused;

        /// <param name="serverName">The name sent as SNI.</param>
        /// <param name="acceptCertificate">Called with the server's certificates, leaf first; false aborts the handshake.</param>
        /// <param name="protocols">The versions to ask for; <see cref="TlsProtocols.Offered"/> when not given.</param>
        public TlsHandshake(string serverName, Func<IReadOnlyList<X509Certificate2>, bool> acceptCertificate, SslProtocols? protocols = null)
        {
            this.serverName = serverName;
            this.acceptCertificate = acceptCertificate;
            this.protocols = protocols ?? TlsProtocols.Offered;
        }

        /// <summary>The versions this handshake asked for.</summary>
        public SslProtocols Protocols => protocols;

        public TlsFailure Failure { get; private set; }
        /// <summary>The platform's own message for a handshake failure (HandshakeFailed only), untrusted.</summary>
        public string PlatformMessage { get; private set; }
        /// <summary>The connection was reset (RST) during the handshake, rather than closed.</summary>
        public bool Reset { get; private set; }
        /// <summary>"Tls12" or "Tls13" once negotiated.</summary>
        public string Protocol { get; private set; }

        /// <summary>Runs the handshake over the socket's stream; returns the encrypted stream, or null on failure.</summary>
        public async Task<Stream> RunAsync(Stream network, CancellationToken ct)
        {
            // Where the options type exists the callback goes in it (SslStream refuses one given twice).
            SslStream ssl = PlatformTls.Available ? new SslStream(network, leaveInnerStreamOpen: true) : new SslStream(network, true, Validate);
            try
            {
                Task handshake = PlatformTls.Available
                    ? PlatformTls.Authenticate(ssl, serverName, protocols, Validate, ct)
                    : ssl.AuthenticateAsClientAsync(serverName, null, protocols, checkCertificateRevocation: false);
                await handshake.ConfigureAwait(false);
                Protocol = ssl.SslProtocol == Tls13 ? "Tls13" : ssl.SslProtocol.ToString();
                return ssl;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && (ex is AuthenticationException || ex is IOException || ex is SocketException
                || ex is ObjectDisposedException || ex is ArgumentException || ex is NotSupportedException || ex is System.ComponentModel.Win32Exception
                || ex is TargetInvocationException))
            {
                ssl.Dispose();
                if (certificateRefused) Failure = TlsFailure.CertificateRejected;
                else if (TlsProtocols.MayBeLocalRefusal(ex, protocols, System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)))
                    Failure = TlsFailure.LocalProtocolRefused;
                else if (ex is AuthenticationException && Find<SocketException>(ex) == null && Find<IOException>(ex.InnerException) == null)
                {
                    Failure = TlsFailure.HandshakeFailed;
                    PlatformMessage = Innermost(ex).Message.TrimEnd('.');
                }
                else
                {
                    Failure = TlsFailure.Closed;
                    Reset = Find<SocketException>(ex)?.SocketErrorCode == SocketError.ConnectionReset;
                }
                return null;
            }
        }

        bool Validate(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
        {
            if (certificate == null) { certificateRefused = true; return false; }
            var leaf = new X509Certificate2(certificate);
            // SslStream puts exactly what the server sent into the chain's ExtraStore: that is the chain Microsoft 365 has.
            var sent = new List<X509Certificate2> { leaf };
            if (chain != null)
                sent.AddRange(chain.ChainPolicy.ExtraStore.Cast<X509Certificate2>().Where(c => c.Thumbprint != leaf.Thumbprint).Take(16));
            bool accept = acceptCertificate(sent);
            certificateRefused = !accept;
            return accept;
        }

        static Exception Innermost(Exception ex) { while (ex.InnerException != null) ex = ex.InnerException; return ex; }

        static T Find<T>(Exception ex) where T : Exception
        {
            for (Exception e = ex; e != null; e = e.InnerException) if (e is T t) return t;
            return null;
        }

        /// <summary>
        /// SslClientAuthenticationOptions with a CertificateChainPolicy (.NET 7 and later), reached by reflection because
        /// netstandard2.0 cannot name them: the platform's own chain build then downloads nothing.
        /// </summary>
        static class PlatformTls
        {
            static readonly Type OptionsType = Type.GetType("System.Net.Security.SslClientAuthenticationOptions, System.Net.Security", false);
            static readonly PropertyInfo ChainPolicy = OptionsType?.GetProperty("CertificateChainPolicy");
            static readonly MethodInfo AuthenticateAsync = OptionsType == null ? null
                : typeof(SslStream).GetMethod("AuthenticateAsClientAsync", new[] { OptionsType, typeof(CancellationToken) });

            public static bool Available => ChainPolicy != null && AuthenticateAsync != null;

            public static Task Authenticate(SslStream ssl, string host, SslProtocols protocols, RemoteCertificateValidationCallback validate, CancellationToken ct)
            {
                object options = Activator.CreateInstance(OptionsType);
                OptionsType.GetProperty("TargetHost").SetValue(options, host);
                OptionsType.GetProperty("EnabledSslProtocols").SetValue(options, protocols);
                OptionsType.GetProperty("RemoteCertificateValidationCallback").SetValue(options, validate);
                OptionsType.GetProperty("CertificateRevocationCheckMode")?.SetValue(options, X509RevocationMode.NoCheck);
                var policy = new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck };
                typeof(X509ChainPolicy).GetProperty("DisableCertificateDownloads")?.SetValue(policy, true);
                ChainPolicy.SetValue(options, policy);
                return (Task)AuthenticateAsync.Invoke(ssl, new[] { options, (object)ct });
            }
        }
    }
}
