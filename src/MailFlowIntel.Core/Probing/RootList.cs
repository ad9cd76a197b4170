using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using BcParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// A list of roots, found by subject name: the public root programs' list the module carries (PublicRoots), the file
    /// given with -TrustedRootList, or this computer's trusted roots. A file is either PEM certificates or the format
    /// tools/Update-PublicRootList.ps1 writes: tab-separated lines, "program", name, date, source for each list, and
    /// "root", program, name, subject (DER, base64), SubjectPublicKeyInfo (DER, base64) for each root; "#" starts a comment.
    /// </summary>
    public sealed class RootList
    {
        public static readonly RootList Empty = new RootList(Array.Empty<RootProgram>(), Array.Empty<TrustAnchor>());

        readonly Dictionary<string, List<TrustAnchor>> byName;

        internal RootList(IReadOnlyList<RootProgram> programs, IReadOnlyList<TrustAnchor> anchors)
        {
            Programs = programs;
            Anchors = anchors;
            byName = new Dictionary<string, List<TrustAnchor>>(StringComparer.Ordinal);
            foreach (TrustAnchor a in anchors)
            {
                string key = NameKey(a.Subject);
                if (!byName.TryGetValue(key, out List<TrustAnchor> same)) byName[key] = same = new List<TrustAnchor>();
                same.Add(a);
            }
        }

        /// <summary>The programs whose lists this holds, with their dates (none for PEM certificates).</summary>
        public IReadOnlyList<RootProgram> Programs { get; }
        /// <summary>How many roots.</summary>
        public int Count => Anchors.Count;
        internal IReadOnlyList<TrustAnchor> Anchors { get; }

        /// <summary>The roots named <paramref name="subject"/> (RFC 5280 name matching, as BouncyCastle's Equivalent does it).</summary>
        internal IEnumerable<TrustAnchor> Named(X509Name subject) =>
            byName.TryGetValue(NameKey(subject), out List<TrustAnchor> same) ? same.Where(a => a.Subject.Equivalent(subject)) : Enumerable.Empty<TrustAnchor>();

        /// <summary>The root with this subject and key; null when none.</summary>
        internal TrustAnchor Find(X509Name subject, byte[] keyDer) => Named(subject).FirstOrDefault(a => a.KeyDer.SequenceEqual(keyDer));

        /// <summary>Reads a file of PEM certificates or of the list format (-TrustedRootList). FormatException names what is wrong.</summary>
        public static RootList Load(string path)
        {
            string text = File.ReadAllText(path);
            if (text.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) >= 0)
                return FromCertificates(ProbeInputs.LoadPemCertificates(path));
            using (var reader = new StringReader(text)) return Parse(reader, path);
        }

        /// <summary>Roots given as certificates (-CertificateAuthority): no program lists them.</summary>
        public static RootList FromCertificates(X509Certificate2Collection certificates)
        {
            var anchors = new List<TrustAnchor>();
            foreach (X509Certificate2 c in certificates ?? new X509Certificate2Collection())
                anchors.Add(TrustAnchor.Of(c, new BcParser().ReadCertificate(c.RawData)));
            return new RootList(Array.Empty<RootProgram>(), anchors);
        }

        /// <summary>Reads the list format; <paramref name="where"/> names the source in errors.</summary>
        public static RootList Parse(TextReader reader, string where)
        {
            var programs = new List<RootProgram>();
            var anchors = new List<TrustAnchor>();
            string line;
            int number = 0;
            while ((line = reader.ReadLine()) != null)
            {
                number++;
                if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal)) continue;
                string[] f = line.Split('\t');
                if (f[0] == "program" && f.Length >= 4) { programs.Add(new RootProgram(f[1], f[2], f[3])); continue; }
                if (f[0] != "root" || f.Length < 5) throw Bad(where, number, "a line is neither \"program\" (4 fields) nor \"root\" (5 fields), tab-separated");
                try { anchors.Add(new TrustAnchor(f[2], f[1], Convert.FromBase64String(f[3]), Convert.FromBase64String(f[4]))); }
                catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is InvalidCastException || ex is IOException || ex is InvalidOperationException)
                {
                    throw Bad(where, number, "the subject or the SubjectPublicKeyInfo is not base64 DER");
                }
            }
            if (anchors.Count == 0) throw new FormatException($"'{where}' holds no root (neither PEM certificates nor \"root\" lines).");
            return new RootList(programs, anchors);
        }

        static FormatException Bad(string where, int line, string what) => new FormatException($"'{where}' line {line}: {what}.");

        /// <summary>A cheap key for the name: each attribute's type and value, lower case, spaces folded (Equivalent decides).</summary>
        static string NameKey(X509Name name)
        {
            var oids = name.GetOidList();
            var values = name.GetValueList();
            var parts = new string[oids.Count];
            for (int i = 0; i < oids.Count; i++)
                parts[i] = oids[i].Id + "=" + string.Join(" ", (values[i] ?? "").ToLowerInvariant().Split((char[])null, StringSplitOptions.RemoveEmptyEntries));
            Array.Sort(parts, StringComparer.Ordinal);   // Equivalent also accepts the attributes in reverse order
            return string.Join(",", parts);
        }
    }
}
