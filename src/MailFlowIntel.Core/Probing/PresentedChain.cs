using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BcParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>Where a path from the server's certificate ends, using only what the server sent and the trusted roots.</summary>
    internal enum PathEnd
    {
        /// <summary>It reaches a trusted root: one given, one of a public program's list, or one of this computer's.</summary>
        Anchored,
        /// <summary>It stops at a certificate whose issuer the server did not send and no trusted root is.</summary>
        Incomplete,
        /// <summary>It ends at a self-signed certificate that is not a trusted root.</summary>
        UntrustedRoot,
    }

    /// <summary>
    /// Builds the certificate path as Microsoft 365 can: from the certificates the server sent plus the trusted roots, never
    /// fetching an intermediate from its AIA URL nor taking one from this machine's stores ("The certificate chain is what
    /// the server sent", DESIGN.md section 2 row 1). Issuers are matched by name and proven by signature with the issuer's
    /// public key (BouncyCastle, so the same code runs on Windows PowerShell 5.1 and PowerShell 7), which lets a root known
    /// only by name and key, from the public programs' list, anchor a path this computer could not.
    /// </summary>
    internal static class PresentedChain
    {
        const int MaxDepth = 8;

        public sealed class Result
        {
            public PathEnd End { get; set; }
            /// <summary>The root it reached (Anchored only); its Certificate is null for a root known only from a list.</summary>
            public TrustAnchor Anchor { get; set; }
            /// <summary>The anchor is a root the admin gave (-CertificateAuthority, -TrustedRootList).</summary>
            public bool AnchorGiven { get; set; }
            /// <summary>This computer's trusted roots hold the anchor.</summary>
            public bool AnchorInstalled { get; set; }
            /// <summary>The public program whose list holds the anchor (Mozilla, Microsoft); null when none does.</summary>
            public string AnchorProgram { get; set; }
            /// <summary>The issuer name the path could not find (Incomplete only).</summary>
            public string MissingIssuer { get; set; }
            /// <summary>The intermediates used, in order from the leaf's issuer up.</summary>
            public List<X509Certificate2> Intermediates { get; } = new List<X509Certificate2>();
            /// <summary>The last certificate of the path below the anchor (the top intermediate, or the leaf).</summary>
            public X509Certificate2 Top { get; set; }
        }

        public static Result Build(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented, TrustSources trust)
        {
            var result = new Result();
            var sent = presented.Where(c => c.Thumbprint != leaf.Thumbprint).Select(c => (Net: c, Bc: Parse(c))).ToList();
            var sources = new[] { trust.Given, trust.Computer, trust.Public };

            X509Certificate2 current = leaf;
            BcCertificate currentBc = Parse(leaf);
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { leaf.Thumbprint };
            for (int depth = 0; depth < MaxDepth; depth++)
            {
                // A certificate that is itself a trusted root ends the path (a server may send its root too): the same name
                // and key as a root of any source, however it was issued.
                byte[] key = currentBc.CertificateStructure.SubjectPublicKeyInfo.GetEncoded();
                TrustAnchor self = sources.Select(s => s.Find(currentBc.SubjectDN, key)).FirstOrDefault(a => a != null);
                if (self != null)
                {
                    if (current != leaf) result.Intermediates.RemoveAt(result.Intermediates.Count - 1);   // it is the root, not an intermediate
                    // The path holds this certificate, so the chain check has it even when the list knew only its key.
                    Anchor(result, trust, self.Certificate != null ? self : TrustAnchor.Of(current, currentBc, self.Program),
                        result.Intermediates.LastOrDefault() ?? leaf);
                    return result;
                }
                TrustAnchor issuer = sources.SelectMany(s => s.Named(currentBc.IssuerDN)).FirstOrDefault(a => Verifies(currentBc, a));
                if (issuer != null)
                {
                    Anchor(result, trust, issuer, current);
                    return result;
                }
                if (SelfIssued(currentBc))
                {
                    result.End = PathEnd.UntrustedRoot;
                    return result;
                }
                var next = sent.FirstOrDefault(c => !used.Contains(c.Net.Thumbprint) && Issued(c.Bc, currentBc));
                if (next.Net == null)
                {
                    result.End = PathEnd.Incomplete;
                    result.MissingIssuer = current.Issuer;
                    return result;
                }
                used.Add(next.Net.Thumbprint);
                result.Intermediates.Add(next.Net);
                current = next.Net;
                currentBc = next.Bc;
            }
            result.End = PathEnd.Incomplete;
            result.MissingIssuer = current.Issuer;
            return result;
        }

        /// <summary>Ends the path at <paramref name="anchor"/>, saying where the root is known: given, listed, installed.</summary>
        static void Anchor(Result result, TrustSources trust, TrustAnchor anchor, X509Certificate2 top)
        {
            result.End = PathEnd.Anchored;
            result.Anchor = anchor;
            result.Top = top;
            result.AnchorGiven = trust.Given.Find(anchor.Subject, anchor.KeyDer) != null;
            result.AnchorInstalled = trust.Computer.Find(anchor.Subject, anchor.KeyDer) != null;
            result.AnchorProgram = trust.Public.Find(anchor.Subject, anchor.KeyDer)?.Program;
        }

        static bool SelfIssued(BcCertificate c) => c.IssuerDN.Equivalent(c.SubjectDN) && Verifies(c, c);

        internal static bool Issued(BcCertificate issuer, BcCertificate child) => issuer.SubjectDN.Equivalent(child.IssuerDN) && Verifies(child, issuer);

        static bool Verifies(BcCertificate child, BcCertificate issuer)
        {
            try { return SignatureCheck.Verifies(child, issuer); }
            catch (Exception) { return false; }   // an unknown algorithm or a malformed key is no proof
        }

        static bool Verifies(BcCertificate child, TrustAnchor anchor)
        {
            try { return SignatureCheck.Verifies(child, anchor.Key); }
            catch (Exception) { return false; }
        }

        internal static BcCertificate Parse(X509Certificate2 c) => new BcParser().ReadCertificate(c.RawData);
    }
}
