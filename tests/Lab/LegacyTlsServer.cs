using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MailFlowIntel.Lab
{
    /// <summary>
    /// The server side of a TLS handshake that speaks only TLS 1.0 and 1.1, as an old mail server does. BouncyCastle, since
    /// Debian's OpenSSL (and so .NET's SslStream here) refuses those versions at its default security level.
    /// </summary>
    public static class LegacyTlsServer
    {
        /// <summary>Runs the handshake over the stream; returns the encrypted stream, or throws when the client gives up.</summary>
        public static Stream Accept(Stream network, X509Certificate2 certificate)
        {
            var crypto = new BcTlsCrypto(new SecureRandom());
            var protocol = new TlsServerProtocol(network);
            protocol.Accept(new OldVersionsServer(crypto, certificate));
            return protocol.Stream;
        }

        sealed class OldVersionsServer : DefaultTlsServer
        {
            readonly Certificate chain;
            readonly AsymmetricKeyParameter key;

            public OldVersionsServer(BcTlsCrypto crypto, X509Certificate2 certificate) : base(crypto)
            {
                chain = new Certificate(new TlsCertificate[] { crypto.CreateCertificate(certificate.RawData) });
                using RSA rsa = certificate.GetRSAPrivateKey();
                key = PrivateKeyFactory.CreateKey(rsa.ExportPkcs8PrivateKey());
            }

            protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv11.DownTo(ProtocolVersion.TLSv10);

            // Before TLS 1.2 an RSA signature carries no hash algorithm of its own (MD5 and SHA-1 together): null here.
            protected override TlsCredentialedSigner GetRsaSignerCredentials() =>
                new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), (BcTlsCrypto)Crypto, key, chain, null);

            protected override TlsCredentialedDecryptor GetRsaEncryptionCredentials() =>
                new BcDefaultTlsCredentialedDecryptor((BcTlsCrypto)Crypto, chain, key);
        }
    }
}
