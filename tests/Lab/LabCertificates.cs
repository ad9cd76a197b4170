using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailFlowIntel.Lab
{
    /// <summary>Certificates the lab makes for itself: a CA, leaves that are valid, expired, not yet valid, wrongly named, and a self-signed one.</summary>
    public sealed class LabCertificates
    {
        public X509Certificate2 Ca { get; }
        public X509Certificate2 Valid { get; }
        public X509Certificate2 ExpiresSoon { get; }
        public X509Certificate2 Expired { get; }
        public X509Certificate2 NotYetValid { get; }
        public X509Certificate2 WrongName { get; }
        public X509Certificate2 Wildcard { get; }
        public X509Certificate2 SelfSigned { get; }
        /// <summary>A leaf whose CRL (served by the lab) lists it as revoked; null without a CRL URL.</summary>
        public X509Certificate2 Revoked { get; }
        /// <summary>A leaf whose CRL distribution point cannot be reached; null without a CRL URL.</summary>
        public X509Certificate2 RevocationUnreachable { get; }
        /// <summary>A leaf whose CRL server takes the request and never answers; null without such a URL.</summary>
        public X509Certificate2 RevocationHangs { get; }
        /// <summary>An intermediate CA under <see cref="Ca"/>; null without an AIA URL.</summary>
        public X509Certificate2 Intermediate { get; }
        /// <summary>A leaf issued by <see cref="Intermediate"/> whose AIA caIssuers URL serves that intermediate; null without one.</summary>
        public X509Certificate2 IntermediateLeaf { get; }
        /// <summary>The DANE-EE hosts' certificate (dane-ok.lab.test and the hosts sharing its server), under <see cref="Ca"/>.</summary>
        public X509Certificate2 DaneEe { get; }
        /// <summary>The key that server had before a renewal: a DANE-EE record of it no longer matches <see cref="DaneEe"/>.</summary>
        public X509Certificate2 Previous { get; }
        /// <summary>DANE-TA leaves under <see cref="Intermediate"/>: named dane-ta.lab.test; expired (dane-expired.lab.test); for another name.</summary>
        public X509Certificate2 DaneTa { get; }
        public X509Certificate2 DaneExpired { get; }
        public X509Certificate2 DaneWrongName { get; }
        /// <summary>PEM file holding <see cref="DaneEe"/> (no key), to compute its TLSA record independently.</summary>
        public string DaneEePemPath { get; }
        /// <summary>The CA's CRL (DER), listing <see cref="Revoked"/>.</summary>
        public byte[] Crl { get; }
        /// <summary>PEM file holding the lab CA, for -CertificateAuthority.</summary>
        public string CaPemPath { get; }

        /// <param name="crlUrl">Where the lab serves the CA's CRL; revocation certificates are made only when given.</param>
        /// <param name="unreachableCrlUrl">A CRL address where nothing answers.</param>
        /// <param name="intermediateUrl">Where the lab serves the intermediate CA (the leaf's AIA caIssuers URL).</param>
        public LabCertificates(string directory, string host = "mx.lab.test", string crlUrl = null, string unreachableCrlUrl = null,
            string intermediateUrl = null, string hangingCrlUrl = null)
        {
            Directory.CreateDirectory(directory);
            var now = DateTimeOffset.UtcNow;
            Ca = MakeCa("MailFlowIntel Lab CA", now.AddDays(-30), now.AddYears(5));
            Valid = Issue(Ca, host, new[] { host, "mail.lab.test", "ok.lab.test" }, now.AddDays(-1), now.AddDays(365));
            ExpiresSoon = Issue(Ca, host, new[] { host }, now.AddDays(-300), now.AddDays(10));
            Expired = Issue(Ca, host, new[] { host }, now.AddDays(-400), now.AddDays(-2));
            NotYetValid = Issue(Ca, host, new[] { host }, now.AddDays(10), now.AddDays(400));
            WrongName = Issue(Ca, "other.example.test", new[] { "other.example.test" }, now.AddDays(-1), now.AddDays(365));
            Wildcard = Issue(Ca, "*.lab.test", new[] { "*.lab.test" }, now.AddDays(-1), now.AddDays(365));
            SelfSigned = MakeSelfSigned(host, now.AddDays(-1), now.AddDays(365));
            string[] daneNames = { "dane-ok.lab.test", "dane-renewed.lab.test", "dane-unsigned.lab.test", "dane-bogus.lab.test", "dane-usage01.lab.test" };
            DaneEe = Issue(Ca, daneNames[0], daneNames, now.AddDays(-1), now.AddDays(365));
            Previous = Issue(Ca, daneNames[0], daneNames, now.AddDays(-200), now.AddDays(165));
            if (crlUrl != null)
            {
                Revoked = Issue(Ca, host, new[] { host, "revoked.lab.test" }, now.AddDays(-1), now.AddDays(365), crlUrl);
                RevocationUnreachable = Issue(Ca, host, new[] { host, "norevinfo.lab.test" }, now.AddDays(-1), now.AddDays(365), unreachableCrlUrl ?? crlUrl);
                if (hangingCrlUrl != null)
                    RevocationHangs = Issue(Ca, host, new[] { host, "crlhang.lab.test" }, now.AddDays(-1), now.AddDays(365), hangingCrlUrl);
                var crl = new CertificateRevocationListBuilder();
                crl.AddEntry(Revoked, now.AddHours(-1), X509RevocationReason.KeyCompromise);
                Crl = crl.Build(Ca, 1, now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now.AddMinutes(-5));
            }
            if (intermediateUrl != null)
            {
                Intermediate = IssueCa(Ca, "MailFlowIntel Lab Intermediate CA", now.AddDays(-20), now.AddYears(4));
                IntermediateLeaf = Issue(Intermediate, host, new[] { host, "leafonly.lab.test", "fullchain.lab.test" }, now.AddDays(-1), now.AddDays(365),
                    aiaUrl: intermediateUrl);
                DaneTa = Issue(Intermediate, "dane-ta.lab.test", new[] { "dane-ta.lab.test" }, now.AddDays(-1), now.AddDays(365));
                DaneExpired = Issue(Intermediate, "dane-expired.lab.test", new[] { "dane-expired.lab.test" }, now.AddDays(-400), now.AddDays(-2));
                DaneWrongName = Issue(Intermediate, "other.example.test", new[] { "other.example.test" }, now.AddDays(-1), now.AddDays(365));
            }
            CaPemPath = Path.Combine(directory, "lab-ca.pem");
            File.WriteAllText(CaPemPath, Ca.ExportCertificatePem());
            DaneEePemPath = Path.Combine(directory, "lab-dane-ee.pem");
            File.WriteAllText(DaneEePemPath, DaneEe.ExportCertificatePem());
        }

        /// <summary>A leaf under <see cref="Ca"/>, valid for a year from yesterday, carrying these DNS names (the first as its CN).</summary>
        public X509Certificate2 IssueLeaf(params string[] names)
        {
            var now = DateTimeOffset.UtcNow;
            return Issue(Ca, names[0], names, now.AddDays(-1), now.AddDays(365));
        }

        /// <summary>Writes a certificate and its key as PEM files (for Postfix); returns (certPath, keyPath).</summary>
        public static (string Cert, string Key) WritePem(X509Certificate2 cert, string directory, string name)
        {
            string certPath = Path.Combine(directory, name + ".crt");
            string keyPath = Path.Combine(directory, name + ".key");
            File.WriteAllText(certPath, cert.ExportCertificatePem());
            using (RSA rsa = cert.GetRSAPrivateKey()) File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
            return (certPath, keyPath);
        }

        static X509Certificate2 MakeCa(string name, DateTimeOffset from, DateTimeOffset to)
        {
            using RSA key = RSA.Create(2048);
            var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
            return Reload(req.CreateSelfSigned(from, to));
        }

        static X509Certificate2 IssueCa(X509Certificate2 ca, string name, DateTimeOffset from, DateTimeOffset to)
        {
            using RSA key = RSA.Create(2048);
            var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
            req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
            byte[] serial = new byte[12];
            RandomNumberGenerator.Fill(serial);
            using X509Certificate2 pub = req.Create(ca, from, to, serial);
            return Reload(pub.CopyWithPrivateKey(key));
        }

        static X509Certificate2 Issue(X509Certificate2 ca, string cn, string[] names, DateTimeOffset from, DateTimeOffset to, string crlUrl = null,
            string aiaUrl = null)
        {
            using RSA key = RSA.Create(2048);
            var req = new CertificateRequest("CN=" + cn, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            AddLeafExtensions(req, names);
            if (crlUrl != null)
                req.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(new[] { crlUrl }));
            if (aiaUrl != null)
                req.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, new[] { aiaUrl }));
            // The issuer's validity must cover the leaf's, except for the deliberately bad dates.
            DateTimeOffset notBefore = from < ca.NotBefore ? ca.NotBefore.ToUniversalTime() : from;
            byte[] serial = new byte[12];
            RandomNumberGenerator.Fill(serial);
            using X509Certificate2 pub = req.Create(ca, notBefore, to, serial);
            return Reload(pub.CopyWithPrivateKey(key));
        }

        static X509Certificate2 MakeSelfSigned(string host, DateTimeOffset from, DateTimeOffset to)
        {
            using RSA key = RSA.Create(2048);
            var req = new CertificateRequest("CN=" + host, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            AddLeafExtensions(req, new[] { host });
            return Reload(req.CreateSelfSigned(from, to));
        }

        static void AddLeafExtensions(CertificateRequest req, string[] names)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (string n in names) san.AddDnsName(n);
            req.CertificateExtensions.Add(san.Build());
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        }

        // A PFX round trip gives a key that SslStream can use as a server on every platform.
        static X509Certificate2 Reload(X509Certificate2 c) =>
            X509CertificateLoader.LoadPkcs12(c.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
