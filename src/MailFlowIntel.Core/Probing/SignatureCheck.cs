using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Whether a certificate was signed by an issuer's key. RSA and ECDSA go to the platform's own crypto: BouncyCastle
    /// vets every RSA modulus it loads with Miller-Rabin rounds (about 15 ms each), too slow for a probe that runs
    /// hundreds at once. Anything else (Ed25519...) falls back to BouncyCastle.
    /// </summary>
    internal static class SignatureCheck
    {
        public static bool Verifies(BcCertificate child, BcCertificate issuer)
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
                case "1.2.840.10045.4.1": return Ecdsa(issuer, tbs, signature, HashAlgorithmName.SHA1);
                case "1.2.840.10045.4.3.2": return Ecdsa(issuer, tbs, signature, HashAlgorithmName.SHA256);
                case "1.2.840.10045.4.3.3": return Ecdsa(issuer, tbs, signature, HashAlgorithmName.SHA384);
                case "1.2.840.10045.4.3.4": return Ecdsa(issuer, tbs, signature, HashAlgorithmName.SHA512);
                default: return child.IsSignatureValid(issuer.GetPublicKey());
            }
        }

        static bool Rsa(BcCertificate issuer, byte[] data, byte[] signature, HashAlgorithmName hash, RSASignaturePadding padding)
        {
            var info = issuer.CertificateStructure.SubjectPublicKeyInfo;
            if (!info.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption) && !info.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
                return false;
            RsaPublicKeyStructure key = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
            using (RSA rsa = RSA.Create())
            {
                rsa.ImportParameters(new RSAParameters { Modulus = Unsigned(key.Modulus), Exponent = Unsigned(key.PublicExponent) });
                return rsa.VerifyData(data, signature, hash, padding);
            }
        }

        static bool Ecdsa(BcCertificate issuer, byte[] data, byte[] derSignature, HashAlgorithmName hash)
        {
            using (var x509 = new System.Security.Cryptography.X509Certificates.X509Certificate2(issuer.GetEncoded()))
            using (ECDsa ec = System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.GetECDsaPublicKey(x509))
            {
                if (ec == null) return false;
                // X.509 carries ECDSA signatures as DER SEQUENCE { r, s }; the platform wants r and s side by side, fixed width.
                var seq = Asn1Sequence.GetInstance(derSignature);
                int width = (ec.KeySize + 7) / 8;
                byte[] p1363 = new byte[2 * width];
                if (!Fill(DerInteger.GetInstance(seq[0]).PositiveValue.ToByteArrayUnsigned(), p1363, 0, width)
                    || !Fill(DerInteger.GetInstance(seq[1]).PositiveValue.ToByteArrayUnsigned(), p1363, width, width))
                    return false;
                return ec.VerifyData(data, p1363, hash);
            }
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
