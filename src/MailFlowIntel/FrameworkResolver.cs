using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace MailFlowIntel
{
    /// <summary>
    /// Decides, on Windows PowerShell 5.1, which assembly requests our AssemblyResolve handler answers from
    /// Dependencies/. It only decides (a path or null); ModuleInit does the loading. Kept apart so tests can ask it.
    /// </summary>
    /// <remarks>
    /// One AppDomain holds every module of a 5.1 session, and ExchangeOnlineManagement, Microsoft.Graph or Az bring their
    /// own System.Memory, BouncyCastle and the like. The handler sees their failed loads too, so it answers only:
    /// for a file we ship, asked for by our own assemblies (or by nobody named, when the identity asked for is ours),
    /// at a version no higher than the file's. A lower version is answered, as a binding redirect would.
    /// </remarks>
    internal sealed class FrameworkResolver
    {
        // By simple name (the loader compares names without case): what each file holds, and where it is.
        readonly Dictionary<string, AssemblyName> held = new Dictionary<string, AssemblyName>(StringComparer.OrdinalIgnoreCase);
        readonly Dictionary<string, string> paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        readonly List<AssemblyName> ours = new List<AssemblyName>();

        /// <param name="self">MailFlowIntel.dll's own name: its requests are ours.</param>
        /// <param name="files">Each file of Dependencies/ with the identity it holds.</param>
        internal FrameworkResolver(AssemblyName self, IDictionary<string, AssemblyName> files)
        {
            ours.Add(self);
            foreach (var file in files)
            {
                held[file.Value.Name] = file.Value;
                paths[file.Value.Name] = file.Key;
                ours.Add(file.Value);
            }
        }

        /// <summary>Reads each dll's identity from its metadata (GetAssemblyName does not load it).</summary>
        internal static FrameworkResolver FromDirectory(AssemblyName self, string directory)
        {
            var files = new Dictionary<string, AssemblyName>(StringComparer.OrdinalIgnoreCase);
            if (Directory.Exists(directory))
            {
                foreach (string path in Directory.GetFiles(directory, "*.dll"))
                {
                    try { files[path] = AssemblyName.GetAssemblyName(path); }
                    catch (BadImageFormatException) { }   // not an assembly: nothing we could serve
                }
            }
            return new FrameworkResolver(self, files);
        }

        /// <summary>The file to load for this request, or null to leave it to others.</summary>
        /// <param name="requested">The identity asked for.</param>
        /// <param name="requester">The requesting assembly's name; null when the runtime names none.</param>
        internal string PathFor(AssemblyName requested, AssemblyName requester)
        {
            if (requested?.Name == null || !held.TryGetValue(requested.Name, out AssemblyName file)) return null;
            if (!SameToken(requested, file)) return null;                          // another publisher's assembly of that name
            if (!string.IsNullOrEmpty(requested.CultureName)) return null;         // we ship no satellites in Dependencies/
            if (requested.Version != null && requested.Version > file.Version) return null;   // never claim a version we lack
            if (requester != null && !IsOurs(requester)) return null;              // another module's load: its own resolver's
            return paths[requested.Name];
        }

        // The requester is ours when it is exactly one of our identities. Name alone is not enough: another module's
        // System.Memory 4.0.1.1 must not get our copies, while one of the very identity we ship is the same assembly
        // (the LoadFrom context holds one assembly per identity).
        bool IsOurs(AssemblyName requester)
        {
            foreach (AssemblyName name in ours)
            {
                if (string.Equals(name.Name, requester.Name, StringComparison.OrdinalIgnoreCase)
                    && Equals(name.Version, requester.Version) && SameToken(name, requester))
                    return true;
            }
            return false;
        }

        // "PublicKeyToken=null" reads as an empty token, a name without one as null: both match only an unsigned file,
        // so a bare "MailKit" is never taken for the signed MailKit we ship.
        static bool SameToken(AssemblyName a, AssemblyName b)
        {
            byte[] x = a.GetPublicKeyToken() ?? new byte[0], y = b.GetPublicKeyToken() ?? new byte[0];
            if (x.Length != y.Length) return false;
            for (int i = 0; i < x.Length; i++) if (x[i] != y[i]) return false;
            return true;
        }
    }
}
