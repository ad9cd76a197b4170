using System;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// A root a path may end at, as RFC 5280 section 6.1.1 defines a trust anchor: a name and a public key. The certificate
    /// itself is there when this computer or the admin has it, and missing for a root known only from a public list.
    /// </summary>
    internal sealed class TrustAnchor
    {
        public TrustAnchor(string name, string program, byte[] subjectDer, byte[] keyDer, X509Certificate2 certificate = null)
        {
            Name = name;
            Program = program;
            SubjectDer = subjectDer;
            KeyDer = keyDer;
            Subject = X509Name.GetInstance(subjectDer);
            Key = SubjectPublicKeyInfo.GetInstance(keyDer);
            Certificate = certificate;
        }

        public static TrustAnchor Of(X509Certificate2 certificate, BcCertificate parsed, string program = null) =>
            new TrustAnchor(certificate.GetNameInfo(X509NameType.SimpleName, false), program,
                parsed.SubjectDN.GetEncoded(), parsed.CertificateStructure.SubjectPublicKeyInfo.GetEncoded(), certificate);

        /// <summary>The root's name (its CN, or the name its list gives).</summary>
        public string Name { get; }
        /// <summary>The root program that lists it (Mozilla, Microsoft); null for a root that is not from a program's list.</summary>
        public string Program { get; }
        public byte[] SubjectDer { get; }
        public byte[] KeyDer { get; }
        public X509Name Subject { get; }
        public SubjectPublicKeyInfo Key { get; }
        /// <summary>The root certificate; null when only its name and key are known.</summary>
        public X509Certificate2 Certificate { get; }

    }
}
