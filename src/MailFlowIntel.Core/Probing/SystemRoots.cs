using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BcParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// This computer's trusted roots (the LocalMachine and CurrentUser Root stores), read once per process: a root added
    /// later is seen by the next process.
    /// </summary>
    internal static class SystemRoots
    {
        static readonly Lazy<RootList> list = new Lazy<RootList>(Load);

        public static RootList List => list.Value;

        static RootList Load()
        {
            var anchors = new List<TrustAnchor>();
            foreach (StoreLocation location in new[] { StoreLocation.LocalMachine, StoreLocation.CurrentUser })
            {
                try
                {
                    using (var store = new X509Store(StoreName.Root, location))
                    {
                        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                        foreach (X509Certificate2 c in store.Certificates)
                        {
                            try { anchors.Add(TrustAnchor.Of(c, new BcParser().ReadCertificate(c.RawData))); }
                            catch (Exception) { /* a root BouncyCastle cannot read is no anchor */ }
                        }
                    }
                }
                catch (Exception ex) when (ex is CryptographicException || ex is PlatformNotSupportedException)
                {
                    // A store this platform does not have holds no roots.
                }
            }
            return new RootList(Array.Empty<RootProgram>(), anchors);
        }
    }
}
