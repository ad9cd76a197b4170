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
    /// clash with ours; on Windows PowerShell 5.1 an AssemblyResolve handler serves them from Dependencies/.
    /// </summary>
    public sealed class ModuleInit : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal static readonly string DependencyDirectory =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInit).Assembly.Location), "Dependencies");

        // Only these are ours to serve; everything else (System.*, netstandard) is the runtime's.
        internal static readonly HashSet<string> Owned = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "MailFlowIntel.Core", "DnsClient", "MailKit", "MimeKit", "BouncyCastle.Cryptography", "Microsoft.Bcl.Cryptography",
        };

        static bool isFramework;
        static bool installed;

        public void OnImport() => Install();
        public void OnRemove(PSModuleInfo psModuleInfo) => Uninstall();

        internal static void Install()
        {
            if (installed) return;
            installed = true;
            isFramework = RuntimeInformationIsFramework();
            if (isFramework) AppDomain.CurrentDomain.AssemblyResolve += ResolveOnFramework;
            else CoreResolver.Install(DependencyDirectory);
        }

        static void Uninstall()
        {
            if (!installed) return;
            if (isFramework) AppDomain.CurrentDomain.AssemblyResolve -= ResolveOnFramework;
            else CoreResolver.Uninstall();
            installed = false;
        }

        static bool RuntimeInformationIsFramework() =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        static Assembly ResolveOnFramework(object sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            string path = Path.Combine(DependencyDirectory, name.Name + ".dll");
            // On 5.1 the System.* facades a netstandard2.0 library needs also live in Dependencies/.
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }

    /// <summary>The PowerShell 7 side, kept in its own class so Windows PowerShell never loads AssemblyLoadContext.</summary>
    internal static class CoreResolver
    {
        static DependencyLoadContext context;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Install(string directory)
        {
            context = new DependencyLoadContext(directory);
            System.Runtime.Loader.AssemblyLoadContext.Default.Resolving += Resolve;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Uninstall() => System.Runtime.Loader.AssemblyLoadContext.Default.Resolving -= Resolve;

        // The default context asks only for what it cannot find itself; our engine is the one entry point we hand over.
        static Assembly Resolve(System.Runtime.Loader.AssemblyLoadContext defaultContext, AssemblyName name) =>
            name.Name == "MailFlowIntel.Core" ? context.LoadFromAssemblyName(name) : null;

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
