using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Matches the certificates a server sent against its TLSA records (RFC 6698 section 2.1, RFC 7671 section 5, RFC 7672
    /// section 3.1). Pure: no DNS, no socket. Usages 2 (DANE-TA) and 3 (DANE-EE); selectors 0 (full certificate) and 1
    /// (SubjectPublicKeyInfo); matching types 0 (exact), 1 (SHA-256) and 2 (SHA-512).
    /// </summary>
    internal static class DaneCheck
    {
        const int MaxDepth = 8;

        public sealed class Outcome
        {
            public DaneStatus Status { get; set; }
            /// <summary>A DANE-TA record matched the chain, but the leaf is past its NotAfter.</summary>
            public bool CertificateExpired { get; set; }
            /// <summary>A DANE-TA record matched the chain, but the leaf carries none of the reference names.</summary>
            public bool HostMismatch { get; set; }
            /// <summary>The record that matched: the one that authenticated the server (Valid), or the DANE-TA record whose
            /// trust anchor the chain reached while the leaf then failed its dates or names (Mismatch); null when none.</summary>
            public Tlsa Matched { get; set; }
        }

        /// <param name="records">The host's authentic TLSA records.</param>
        /// <param name="presented">The certificates the server sent, leaf first.</param>
        /// <param name="referenceNames">The names a DANE-TA leaf must carry: the MX host (or smart host) and the next-hop domain.</param>
        public static Outcome Match(IReadOnlyList<Tlsa> records, IReadOnlyList<X509Certificate2> presented, IEnumerable<string> referenceNames,
            DateTime nowUtc)
        {
            var usable = (records ?? Array.Empty<Tlsa>()).Where(r => r.Usable).ToList();
            // Only usages 0 and 1: unusable for SMTP, nothing to match, TLS still required (RFC 7672 section 3.1.3).
            if (usable.Count == 0) return new Outcome { Status = DaneStatus.Unusable };
            if (presented == null || presented.Count == 0) return new Outcome { Status = DaneStatus.Mismatch };
            X509Certificate2 leaf = presented[0];

            // DANE-EE(3): the leaf alone; "The server MUST be considered authenticated even if none of the names in the
            // certificate match", and its expiry date is ignored (RFC 7671 section 5.1, RFC 7672 section 3.1.1).
            foreach (Tlsa r in usable.Where(r => r.Usage == 3))
                if (Matches(r, leaf)) return new Outcome { Status = DaneStatus.Valid, Matched = r };

            // DANE-TA(2): a trust anchor among the certificates the server sent (not the leaf), to which the leaf chains by
            // signature; then the leaf's dates and names are checked as in PKIX (RFC 7672 sections 3.1.2 and 3.2).
            var names = (referenceNames ?? Enumerable.Empty<string>()).Where(n => !string.IsNullOrEmpty(n)).ToList();
            Outcome partial = null;
            foreach (Tlsa r in usable.Where(r => r.Usage == 2))
            {
                foreach (X509Certificate2 anchor in presented.Skip(1))
                {
                    if (!Matches(r, anchor) || !ChainsTo(leaf, anchor, presented)) continue;
                    bool expired = nowUtc > leaf.NotAfter.ToUniversalTime();
                    // A leaf not yet valid is a plain mismatch: Microsoft lists "The certificate start date is in the future"
                    // under 5.7.323 (NDR reference, Microsoft Learn).
                    bool notYetValid = nowUtc < leaf.NotBefore.ToUniversalTime();
                    IReadOnlyList<string> leafNames = CertificateNames.Of(leaf);
                    bool named = names.Any(n => leafNames.Any(c => CertificateNames.Matches(c, n)));
                    if (!expired && !notYetValid && named) return new Outcome { Status = DaneStatus.Valid, Matched = r };
                    partial = partial ?? new Outcome { Status = DaneStatus.Mismatch, CertificateExpired = expired, HostMismatch = !named, Matched = r };
                }
            }
            return partial ?? new Outcome { Status = DaneStatus.Mismatch };
        }

        /// <summary>Whether a record's data is what its selector and matching type give for this certificate.</summary>
        public static bool Matches(Tlsa record, X509Certificate2 certificate)
        {
            byte[] expected = Compute(record.Selector, record.MatchingType, certificate);
            return expected != null && expected.Length == record.Data.Length && expected.SequenceEqual(record.Data);
        }

        /// <summary>The record this certificate would match ("3 1 1" is what Microsoft recommends).</summary>
        public static Tlsa RecordFor(X509Certificate2 certificate, int usage = 3, int selector = 1, int matchingType = 1) =>
            new Tlsa(usage, selector, matchingType, Compute(selector, matchingType, certificate));

        /// <summary>The association data for a selector and matching type; null for values this probe does not know.</summary>
        static byte[] Compute(int selector, int matchingType, X509Certificate2 certificate)
        {
            byte[] selected = selector == 0 ? certificate.RawData : selector == 1 ? SubjectPublicKeyInfo(certificate) : null;
            if (selected == null) return null;
            switch (matchingType)
            {
                case 0: return selected;
                case 1: using (var sha = SHA256.Create()) return sha.ComputeHash(selected);
                case 2: using (var sha = SHA512.Create()) return sha.ComputeHash(selected);
                default: return null;
            }
        }

        /// <summary>
        /// The certificate's SubjectPublicKeyInfo, DER, as it stands in the certificate (netstandard2.0 has no
        /// PublicKey.ExportSubjectPublicKeyInfo, so BouncyCastle reads it from the certificate's own bytes).
        /// </summary>
        internal static byte[] SubjectPublicKeyInfo(X509Certificate2 certificate) =>
            PresentedChain.Parse(certificate).CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();

        /// <summary>Whether the leaf reaches the anchor through what the server sent, each step proven by signature.</summary>
        static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 anchor, IReadOnlyList<X509Certificate2> presented)
        {
            var anchorBc = PresentedChain.Parse(anchor);
            var sent = presented.Skip(1).Where(c => c.Thumbprint != anchor.Thumbprint).Select(c => (Net: c, Bc: PresentedChain.Parse(c))).ToList();
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { leaf.Thumbprint };
            var current = PresentedChain.Parse(leaf);
            for (int depth = 0; depth < MaxDepth; depth++)
            {
                if (PresentedChain.Issued(anchorBc, current)) return true;
                var next = sent.FirstOrDefault(c => !used.Contains(c.Net.Thumbprint) && PresentedChain.Issued(c.Bc, current));
                if (next.Net == null) return false;
                used.Add(next.Net.Thumbprint);
                current = next.Bc;
            }
            return false;
        }
    }
}
