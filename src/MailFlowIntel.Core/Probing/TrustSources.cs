using System.Linq;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Where a path may end, and what each source means for the verdict (DESIGN.md 2c): roots the admin gave
    /// (-CertificateAuthority, -TrustedRootList: public for the verdict, a lab's or a private CA's), the public root
    /// programs' list (what Microsoft 365 trusts, whether or not this computer has the root), and this computer's own
    /// trusted roots (a root only there is private).
    /// </summary>
    internal sealed class TrustSources
    {
        public TrustSources(RootList given, RootList publicRoots, RootList computer)
        {
            Given = given ?? RootList.Empty;
            Public = publicRoots ?? RootList.Empty;
            Computer = computer ?? RootList.Empty;
        }

        public RootList Given { get; }
        public RootList Public { get; }
        public RootList Computer { get; }

        /// <summary>The sources of a probe: its given roots, the module's public list and this computer's roots (or a test's stand-ins).</summary>
        public static TrustSources For(ProbeOptions options)
        {
            RootList certificates = RootList.FromCertificates(options.TrustedRoots);
            RootList list = options.TrustedRootList;
            RootList given = list == null || list.Count == 0 ? certificates
                : certificates.Count == 0 ? list
                : new RootList(list.Programs, certificates.Anchors.Concat(list.Anchors).ToList());
            return new TrustSources(given, options.PublicRootsOverride ?? PublicRoots.List, options.ComputerRootsOverride ?? SystemRoots.List);
        }
    }
}
