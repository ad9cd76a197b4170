using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Whether a certificate was signed by an issuer's key, given as its SubjectPublicKeyInfo (so a root known only from a
    /// public list, by name and key, can prove a signature too). RSA and ECDSA go to the platform's own crypto:
    /// BouncyCastle vets every RSA modulus it loads with Miller-Rabin rounds (about 15 ms each), too slow for a probe that
    /// runs hundreds at once. Anything else (Ed25519...) falls back to BouncyCastle.
    /// </summary>
    internal static class SignatureCheck
    {
        public static bool Verifies(BcCertificate child, BcCertificate issuer) => Verifies(child, issuer.CertificateStructure.SubjectPublicKeyInfo);

        public static bool Verifies(BcCertificate child, SubjectPublicKeyInfo issuer)
        {
            byte[] tbs = child.GetTbsCertificate();
            byte[] signature = child.GetSignature();
            string oid = child.SigAlgOid;
            switch (oid)
            {
                case "1.2.840.113549.1.1.5": return Rsa(issuer, tbs, signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
                case "1.2.840.113549.1.1.11": return Rsa(issuer, tbs, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                case "1.2.840.113549.1.1.12": return Rsa(issuer, tbs, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
                case "1.2.840.113549.1.1.13": return Rsa(issuer, tbs, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1);
                case "1.2.840.113549.1.1.10":
                    HashAlgorithmName? pssHash = PssHash(child.GetSigAlgParams());
                    return pssHash != null && Rsa(issuer, tbs, signature, pssHash.Value, RSASignaturePadding.Pss);
                case "1.2.840.10045.4.1": return Ecdsa(issuer, tbs, signature, HashAlgorithmName.SHA1) ?? Bouncy(child, issuer);
                case "1.2.840.10045.4.3.2": return Ecdsa(issuer, tbs, signature, HashAlgorithmName.SHA256) ?? Bouncy(child, issuer);
                case "1.2.840.10045.4.3.3": return Ecdsa(issuer, tbs, signature, HashAlgorithmName.SHA384) ?? Bouncy(child, issuer);
                case "1.2.840.10045.4.3.4": return Ecdsa(issuer, tbs, signature, HashAlgorithmName.SHA512) ?? Bouncy(child, issuer);
                default: return Bouncy(child, issuer);
            }
        }

        static bool Rsa(SubjectPublicKeyInfo info, byte[] data, byte[] signature, HashAlgorithmName hash, RSASignaturePadding padding)
        {
            if (!info.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption) && !info.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
                return false;
            RsaPublicKeyStructure key = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
            using (RSA rsa = RSA.Create())
            {
                rsa.ImportParameters(new RSAParameters { Modulus = Unsigned(key.Modulus), Exponent = Unsigned(key.PublicExponent) });
                return rsa.VerifyData(data, signature, hash, padding);
            }
        }

        static bool Bouncy(BcCertificate child, SubjectPublicKeyInfo issuer) => child.IsSignatureValid(PublicKeyFactory.CreateKey(issuer));

        /// <summary>The platform's answer; null when the platform cannot take this key (BouncyCastle then decides).</summary>
        static bool? Ecdsa(SubjectPublicKeyInfo info, byte[] data, byte[] derSignature, HashAlgorithmName hash)
        {
            if (!info.Algorithm.Algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey)) return false;
            // A named curve in uncompressed form is what the platform takes; anything else goes to BouncyCastle.
            if (!(info.Algorithm.Parameters is DerObjectIdentifier curve)) return null;
            byte[] point = info.PublicKey.GetOctets();
            if (point.Length < 3 || point[0] != 4 || (point.Length - 1) % 2 != 0) return null;
            int width = (point.Length - 1) / 2;
            using (ECDsa ec = ECDsa.Create())
            {
                try
                {
                    ec.ImportParameters(new ECParameters
                    {
                        Curve = ECCurve.CreateFromOid(new Oid(curve.Id)),
                        Q = new ECPoint { X = Slice(point, 1, width), Y = Slice(point, 1 + width, width) },
                    });
                }
                catch (Exception ex) when (ex is CryptographicException || ex is PlatformNotSupportedException || ex is ArgumentException)
                {
                    return null;   // a curve this platform does not know
                }
                // X.509 carries ECDSA signatures as DER SEQUENCE { r, s }; the platform wants r and s side by side, fixed width.
                var seq = Asn1Sequence.GetInstance(derSignature);
                byte[] p1363 = new byte[2 * width];
                if (!Fill(DerInteger.GetInstance(seq[0]).PositiveValue.ToByteArrayUnsigned(), p1363, 0, width)
                    || !Fill(DerInteger.GetInstance(seq[1]).PositiveValue.ToByteArrayUnsigned(), p1363, width, width))
                    return false;
                return ec.VerifyData(data, p1363, hash);
            }
        }

        static byte[] Slice(byte[] source, int offset, int length)
        {
            var part = new byte[length];
            Buffer.BlockCopy(source, offset, part, 0, length);
            return part;
        }

        static bool Fill(byte[] value, byte[] target, int offset, int width)
        {
            if (value.Length > width) return false;
            Buffer.BlockCopy(value, 0, target, offset + width - value.Length, value.Length);
            return true;
        }

        static HashAlgorithmName? PssHash(byte[] parameters)
        {
            if (parameters == null) return null;
            var pss = RsassaPssParameters.GetInstance(Asn1Object.FromByteArray(parameters));
            switch (pss.HashAlgorithm.Algorithm.Id)
            {
                case "2.16.840.1.101.3.4.2.1": return HashAlgorithmName.SHA256;
                case "2.16.840.1.101.3.4.2.2": return HashAlgorithmName.SHA384;
                case "2.16.840.1.101.3.4.2.3": return HashAlgorithmName.SHA512;
                default: return null;
            }
        }

        static byte[] Unsigned(Org.BouncyCastle.Math.BigInteger value) => value.ToByteArrayUnsigned();
    }
}
