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
        /// <summary>No TLS version in common: the server offers only versions older than TLS 1.2 (where the platform says so).</summary>
        VersionUnsupported,
        /// <summary>Any other handshake failure: no common cipher, an alert from the server, a malformed message.</summary>
        HandshakeFailed,
        /// <summary>The server closed or reset the connection during the handshake.</summary>
        Closed,
    }

    /// <summary>
    /// The TLS client handshake after STARTTLS, done by the probe itself rather than by MailKit, for two reasons. It learns
    /// exactly the certificates the server sent (the chain SslStream hands over in its ExtraStore), which is all Microsoft 365
    /// has ("Exchange Online doesn't fetch intermediate certificates on-demand", Microsoft Learn, NDR 450 4.4.317
    /// [Message=UntrustedRoot]). And on .NET 7 and later (PowerShell 7.4+) it switches off the platform's AIA downloads, so
    /// no intermediate is fetched while the platform builds its own chain; MailKit's netstandard2.0 build cannot.
    /// TLS 1.2 and 1.3 only, as Exchange Online sends.
    /// </summary>
    internal sealed class TlsHandshake
    {
        // SslProtocols.Tls13 is not in netstandard2.0; its value is fixed by the OS APIs.
        const SslProtocols Tls13 = (SslProtocols)12288;

        readonly string serverName;
        readonly Func<IReadOnlyList<X509Certificate2>, bool> acceptCertificate;
        bool certificateRefused;

        /// <param name="serverName">The name sent as SNI.</param>
        /// <param name="acceptCertificate">Called with the server's certificates, leaf first; false aborts the handshake.</param>
        public TlsHandshake(string serverName, Func<IReadOnlyList<X509Certificate2>, bool> acceptCertificate)
        {
            this.serverName = serverName;
            this.acceptCertificate = acceptCertificate;
        }

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
                    ? PlatformTls.Authenticate(ssl, serverName, Validate, ct)
                    : ssl.AuthenticateAsClientAsync(serverName, null, SslProtocols.Tls12 | Tls13, checkCertificateRevocation: false);
                await handshake.ConfigureAwait(false);
                Protocol = ssl.SslProtocol == Tls13 ? "Tls13" : ssl.SslProtocol.ToString();
                return ssl;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && (ex is AuthenticationException || ex is IOException || ex is SocketException || ex is ObjectDisposedException))
            {
                ssl.Dispose();
                if (certificateRefused) Failure = TlsFailure.CertificateRejected;
                else if (ex is AuthenticationException && MentionsProtocolVersion(ex)) Failure = TlsFailure.VersionUnsupported;
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

        // OpenSSL ("unsupported protocol", "wrong version number", "protocol version") and SChannel ("The client and server
        // cannot communicate, because they do not possess a common algorithm") name a version mismatch so.
        static bool MentionsProtocolVersion(Exception ex)
        {
            for (Exception e = ex; e != null; e = e.InnerException)
            {
                string m = e.Message ?? "";
                if (m.IndexOf("unsupported protocol", StringComparison.OrdinalIgnoreCase) >= 0
                    || m.IndexOf("protocol version", StringComparison.OrdinalIgnoreCase) >= 0
                    || m.IndexOf("wrong version number", StringComparison.OrdinalIgnoreCase) >= 0
                    || m.IndexOf("do not possess a common algorithm", StringComparison.OrdinalIgnoreCase) >= 0)
                    return true;
            }
            return false;
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

            public static Task Authenticate(SslStream ssl, string host, RemoteCertificateValidationCallback validate, CancellationToken ct)
            {
                object options = Activator.CreateInstance(OptionsType);
                OptionsType.GetProperty("TargetHost").SetValue(options, host);
                OptionsType.GetProperty("EnabledSslProtocols").SetValue(options, SslProtocols.Tls12 | Tls13);
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
