using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>The DNS names a certificate carries, and host-name matching with wildcards on either side.</summary>
    public static class CertificateNames
    {
        const string SubjectAltNameOid = "2.5.29.17";

        /// <summary>The subjectAltName DNS names, or the subject CN when there are none.</summary>
        public static IReadOnlyList<string> Of(X509Certificate2 cert)
        {
            var names = new List<string>();
            foreach (X509Extension ext in cert.Extensions)
                if (ext.Oid?.Value == SubjectAltNameOid) names.AddRange(ReadDnsNames(ext.RawData));
            if (names.Count == 0)
            {
                string cn = cert.GetNameInfo(X509NameType.SimpleName, false);
                if (!string.IsNullOrEmpty(cn)) names.Add(cn);
            }
            return names;
        }

        /// <summary>
        /// True when a certificate name and an expected name denote the same host. Either may be a wildcard
        /// ("*.contoso.com" stands for exactly one label), since a connector's TlsDomain may be one too.
        /// </summary>
        public static bool Matches(string certificateName, string expected)
        {
            if (string.IsNullOrEmpty(certificateName) || string.IsNullOrEmpty(expected)) return false;
            string a = certificateName.Trim().TrimEnd('.').ToLowerInvariant();
            string b = expected.Trim().TrimEnd('.').ToLowerInvariant();
            if (a == b) return true;
            return WildcardCovers(a, b) || WildcardCovers(b, a);
        }

        static bool WildcardCovers(string wildcard, string name)
        {
            if (!wildcard.StartsWith("*.", StringComparison.Ordinal) || name.StartsWith("*.", StringComparison.Ordinal)) return false;
            int dot = name.IndexOf('.');
            return dot > 0 && name.Substring(dot + 1) == wildcard.Substring(2);
        }

        // SubjectAltName ::= SEQUENCE OF GeneralName; dNSName is [2] IA5String (tag 0x82).
        static IEnumerable<string> ReadDnsNames(byte[] der)
        {
            var result = new List<string>();
            int pos = 0;
            if (der.Length < 2 || der[pos++] != 0x30) return result;
            int seqLen = ReadLength(der, ref pos);
            int end = Math.Min(der.Length, pos + seqLen);
            while (pos < end)
            {
                byte tag = der[pos++];
                int len = ReadLength(der, ref pos);
                if (len < 0 || pos + len > end) break;
                if (tag == 0x82) result.Add(Encoding.ASCII.GetString(der, pos, len));
                pos += len;
            }
            return result;
        }

        static int ReadLength(byte[] der, ref int pos)
        {
            if (pos >= der.Length) return -1;
            int b = der[pos++];
            if (b < 0x80) return b;
            int count = b & 0x7F;
            if (count > 3) return -1;
            int len = 0;
            for (int i = 0; i < count && pos < der.Length; i++) len = (len << 8) | der[pos++];
            return len;
        }
    }
}
