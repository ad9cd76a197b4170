using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace MailFlowIntel
{
    /// <summary>
    /// Keeps our dependencies (MailKit, MimeKit, BouncyCastle, DnsClient, and our engine) out of PowerShell's shared
    /// load context: on PowerShell 7 they load into a private AssemblyLoadContext, so another module's versions cannot
    /// clash with ours; on Windows PowerShell 5.1 an AssemblyResolve handler serves them from Dependencies/ to our own
    /// assemblies only (FrameworkResolver decides which requests those are).
    /// </summary>
    /// <remarks>
    /// One per process, not one per import. Runspaces in one process (ForEach-Object -Parallel, Start-ThreadJob, a
    /// host's runspace pool) share this assembly and its statics, and each calls OnImport. The resolver is put in place
    /// once, under a lock, and stays: a Remove-Module in one runspace must not take it from the others that still run
    /// our cmdlets, and a re-import must not make a second context that would load MailKit and the engine again.
    /// Nothing is lost by keeping it: neither MailFlowIntel.dll in the default context nor the assemblies of a
    /// non-collectible context can be unloaded, so unhooking would free nothing and only break later loads.
    /// That is also why there is no IModuleAssemblyCleanup here.
    /// </remarks>
    public sealed class ModuleInit : IModuleAssemblyInitializer
    {
        internal static readonly string DependencyDirectory =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInit).Assembly.Location), "Dependencies");

        // Only these are ours to serve on PowerShell 7; everything else (System.*, netstandard) is the runtime's.
        // Windows PowerShell 5.1 serves every file of Dependencies/, facades included, through FrameworkResolver.
        internal static readonly HashSet<string> Owned = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "MailFlowIntel.Core", "DnsClient", "MailKit", "MimeKit", "BouncyCastle.Cryptography", "Microsoft.Bcl.Cryptography",
        };

        static readonly object gate = new object();
        static volatile bool installed;
        static FrameworkResolver framework;

        public void OnImport() => Install();

        internal static void Install()
        {
            if (installed) return;
            lock (gate)
            {
                if (installed) return;
                // Once per process (per AppDomain on 5.1): two runspaces importing at the same moment get one handler.
                if (RuntimeInformationIsFramework())
                {
                    // The files' identities are read once, without loading them; the handler then only looks them up.
                    framework = FrameworkResolver.FromDirectory(typeof(ModuleInit).Assembly.GetName(), DependencyDirectory);
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveOnFramework;
                }
                else CoreResolver.Install(DependencyDirectory);
                installed = true;
            }
        }

        static bool RuntimeInformationIsFramework() =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        // Every failed load in the AppDomain comes here, other modules' too: FrameworkResolver says which are ours.
        static Assembly ResolveOnFramework(object sender, ResolveEventArgs args)
        {
            AssemblyName requested;
            try { requested = new AssemblyName(args.Name); }
            catch (Exception e) when (e is ArgumentException || e is FileLoadException) { return null; }   // not a name we could hold
            string path = framework.PathFor(requested, args.RequestingAssembly?.GetName());
            // LoadFrom (never LoadFile) gives back the assembly already loaded from that path: each loads once per AppDomain.
            return path == null ? null : Assembly.LoadFrom(path);
        }
    }

    /// <summary>The PowerShell 7 side, kept in its own class so Windows PowerShell never loads AssemblyLoadContext.</summary>
    internal static class CoreResolver
    {
        static DependencyLoadContext context;

        /// <summary>Called once per process, under ModuleInit's lock.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Install(string directory)
        {
            if (context != null) return;
            context = new DependencyLoadContext(directory);
            System.Runtime.Loader.AssemblyLoadContext.Default.Resolving += Resolve;
        }

        // The default context asks only for what it cannot find itself; our engine is the one entry point we hand over.
        static Assembly Resolve(System.Runtime.Loader.AssemblyLoadContext defaultContext, AssemblyName name) =>
            name.Name == "MailFlowIntel.Core" ? context.LoadFromAssemblyName(name) : null;

        // Unnamed: System.Runtime.Loader 4.3 (netstandard2.0) has no named constructor. Tests find it by its type name.
        sealed class DependencyLoadContext : System.Runtime.Loader.AssemblyLoadContext
        {
            readonly string directory;
            public DependencyLoadContext(string directory) { this.directory = directory; }

            protected override Assembly Load(AssemblyName name)
            {
                if (!ModuleInit.Owned.Contains(name.Name)) return null;   // the runtime's own assemblies come from the default context
                string path = Path.Combine(directory, name.Name + ".dll");
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }
    }
}
