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
        /// <summary>It reaches a trusted root (the system's, or one given with -CertificateAuthority).</summary>
        Anchored,
        /// <summary>It stops at a certificate whose issuer the server did not send and no trusted root is.</summary>
        Incomplete,
        /// <summary>It ends at a self-signed certificate that is not a trusted root.</summary>
        UntrustedRoot,
    }

    /// <summary>
    /// Builds the certificate path as Microsoft 365 can: from the certificates the server sent plus the trusted roots, never
    /// fetching an intermediate from its AIA URL nor taking one from this machine's stores ("The certificate chain is what
    /// the server sent", DESIGN.md section 2 row 1). Issuers are matched by name and proven by signature (BouncyCastle, so
    /// the same code runs on Windows PowerShell 5.1 and PowerShell 7).
    /// </summary>
    internal static class PresentedChain
    {
        const int MaxDepth = 8;

        public sealed class Result
        {
            public PathEnd End { get; set; }
            /// <summary>The root it reached (Anchored only).</summary>
            public X509Certificate2 Anchor { get; set; }
            /// <summary>The anchor came from -CertificateAuthority, not from this machine's trusted roots.</summary>
            public bool AnchorIsCustom { get; set; }
            /// <summary>The issuer name the path could not find (Incomplete only).</summary>
            public string MissingIssuer { get; set; }
            /// <summary>The intermediates used, in order from the leaf's issuer up.</summary>
            public List<X509Certificate2> Intermediates { get; } = new List<X509Certificate2>();
        }

        public static Result Build(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented, X509Certificate2Collection customRoots)
        {
            var result = new Result();
            var sent = presented.Where(c => c.Thumbprint != leaf.Thumbprint).Select(c => (Net: c, Bc: Parse(c))).ToList();
            var custom = (customRoots?.Cast<X509Certificate2>() ?? Enumerable.Empty<X509Certificate2>()).Select(c => (Net: c, Bc: Parse(c))).ToList();

            X509Certificate2 current = leaf;
            BcCertificate currentBc = Parse(leaf);
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { leaf.Thumbprint };
            for (int depth = 0; depth < MaxDepth; depth++)
            {
                // A certificate that is itself a trusted root ends the path (a server may send its root too).
                if (IsAnchor(current, custom, out bool isCustom))
                {
                    result.End = PathEnd.Anchored; result.Anchor = current; result.AnchorIsCustom = isCustom;
                    return result;
                }
                foreach (var anchor in custom.Concat(SystemRoots.Candidates(currentBc.IssuerDN)))
                {
                    if (!Issued(anchor.Bc, currentBc)) continue;
                    result.End = PathEnd.Anchored; result.Anchor = anchor.Net;
                    result.AnchorIsCustom = custom.Any(c => c.Net.Thumbprint == anchor.Net.Thumbprint);
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

        static bool IsAnchor(X509Certificate2 c, List<(X509Certificate2 Net, BcCertificate Bc)> custom, out bool isCustom)
        {
            isCustom = custom.Any(r => r.Net.Thumbprint == c.Thumbprint);
            return isCustom || SystemRoots.Contains(c.Thumbprint);
        }

        static bool SelfIssued(BcCertificate c) => c.IssuerDN.Equivalent(c.SubjectDN) && Verifies(c, c);

        internal static bool Issued(BcCertificate issuer, BcCertificate child) => issuer.SubjectDN.Equivalent(child.IssuerDN) && Verifies(child, issuer);

        static bool Verifies(BcCertificate child, BcCertificate issuer)
        {
            try { return SignatureCheck.Verifies(child, issuer); }
            catch (Exception) { return false; }   // an unknown algorithm or a malformed key is no proof
        }

        internal static BcCertificate Parse(X509Certificate2 c) => new BcParser().ReadCertificate(c.RawData);

        /// <summary>This machine's trusted roots (LocalMachine and CurrentUser Root stores), read once per process.</summary>
        static class SystemRoots
        {
            static readonly Lazy<List<(X509Certificate2 Net, BcCertificate Bc)>> Roots = new Lazy<List<(X509Certificate2, BcCertificate)>>(Load);
            static readonly Lazy<HashSet<string>> Thumbprints = new Lazy<HashSet<string>>(
                () => new HashSet<string>(Roots.Value.Select(r => r.Net.Thumbprint), StringComparer.OrdinalIgnoreCase));

            public static bool Contains(string thumbprint) => Thumbprints.Value.Contains(thumbprint);

            public static IEnumerable<(X509Certificate2 Net, BcCertificate Bc)> Candidates(Org.BouncyCastle.Asn1.X509.X509Name issuer) =>
                Roots.Value.Where(r => r.Bc.SubjectDN.Equivalent(issuer));

            static List<(X509Certificate2, BcCertificate)> Load()
            {
                var list = new List<(X509Certificate2, BcCertificate)>();
                foreach (StoreLocation location in new[] { StoreLocation.LocalMachine, StoreLocation.CurrentUser })
                {
                    try
                    {
                        using (var store = new X509Store(StoreName.Root, location))
                        {
                            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                            foreach (X509Certificate2 c in store.Certificates)
                            {
                                try { list.Add((c, Parse(c))); } catch (Exception) { /* a root BouncyCastle cannot read is no anchor */ }
                            }
                        }
                    }
                    catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException || ex is PlatformNotSupportedException)
                    {
                        // A store this platform does not have holds no roots.
                    }
                }
                return list;
            }
        }
    }
}
