using System;
using System.IO;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// The roots of the public root programs Microsoft 365 is held to (Catalog/PublicRoots.tsv, written by
    /// tools/Update-PublicRootList.ps1, embedded in this assembly): read once per process, on the first certificate a
    /// probe checks, so importing the module parses nothing.
    /// </summary>
    internal static class PublicRoots
    {
        const string Resource = "MailFlowIntel.Core.PublicRoots.tsv";

        static readonly Lazy<RootList> list = new Lazy<RootList>(Load);

        public static RootList List => list.Value;

        static RootList Load()
        {
            using (Stream stream = typeof(PublicRoots).Assembly.GetManifestResourceStream(Resource))
            {
                if (stream == null) throw new InvalidOperationException($"The resource {Resource} is missing from MailFlowIntel.Core.");
                using (var reader = new StreamReader(stream)) return RootList.Parse(reader, "PublicRoots.tsv");
            }
        }
    }
}
