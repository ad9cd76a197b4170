using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace MailFlowIntel.Module.Tests
{
    /// <summary>
    /// The built module (out/MailFlowIntel, as build.ps1 -Task Build lays it out) as Windows PowerShell 5.1 would load it:
    /// every assembly reference of MailFlowIntel.dll and of each file in Dependencies/ must be answered by our resolver
    /// from Dependencies/ (at a version no lower than asked) or be one that .NET Framework 4.7.2 and Windows PowerShell 5.1
    /// provide. A dependency that needs a version we do not ship, or an assembly nobody ships, fails here.
    /// </summary>
    public sealed class ShippedReferenceTests
    {
        // What .NET Framework 4.7.2 (the manifest's DotNetFrameworkVersion) and Windows PowerShell 5.1 hold themselves,
        // each at the highest version they hold. Only what our files reference: a new reference must be looked at and added.
        static readonly AssemblyName[] Framework =
        {
            // The .NET Framework 4 core library.
            new AssemblyName("mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089"),
            // The .NET Standard 2.0 facade: in the box (not a package) since .NET Framework 4.7.1.
            new AssemblyName("netstandard, Version=2.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"),
            // Windows PowerShell 3.0 to 5.1 keep this assembly version; PowerShellStandard.Library 5.1 compiles against it.
            new AssemblyName("System.Management.Automation, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35"),
            // In the .NET Framework 4 GAC; MimeKit references it.
            new AssemblyName("System.Data.DataSetExtensions, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089"),
        };

        // Referenced but never loaded on 5.1, with the one assembly allowed to reference it: only CoreResolver, PowerShell
        // 7's side of ModuleInit, uses AssemblyLoadContext, and 5.1 never runs that class.
        static readonly Dictionary<string, string> PowerShell7Only = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["System.Runtime.Loader"] = "MailFlowIntel",
        };

        [Fact]
        public void EveryReferenceAmongTheShippedFilesIsAnsweredOnWindowsPowerShell51()
        {
            string module = BuiltModule();
            string dependencies = Path.Combine(module, "Dependencies");
            string main = Path.Combine(module, "MailFlowIntel.dll");
            var resolver = FrameworkResolver.FromDirectory(AssemblyName.GetAssemblyName(main), dependencies);

            var answered = new List<string>();
            var unanswered = new List<string>();
            foreach (string file in new[] { main }.Concat(Directory.GetFiles(dependencies, "*.dll").OrderBy(f => f, StringComparer.Ordinal)))
            {
                AssemblyName requester = AssemblyName.GetAssemblyName(file);
                foreach (AssemblyName reference in ReferencesOf(file))
                {
                    string path = resolver.PathFor(reference, requester);
                    if (path != null)
                    {
                        Assert.Equal(Path.GetFullPath(dependencies), Path.GetDirectoryName(Path.GetFullPath(path)));
                        Assert.True(AssemblyName.GetAssemblyName(path).Version >= reference.Version, $"{path} is older than {reference}");
                        answered.Add($"{requester.Name} -> {reference.Name}");
                    }
                    else if (!ProvidedByFramework(reference)
                             && !(PowerShell7Only.TryGetValue(reference.Name, out string only) && only == requester.Name))
                    {
                        unanswered.Add($"{requester.FullName} -> {reference.FullName}");
                    }
                }
            }

            Assert.True(unanswered.Count == 0,
                "Neither Dependencies/ nor .NET Framework 4.7.2 / Windows PowerShell 5.1 answers:\n" + string.Join("\n", unanswered));
            // Not vacuous: the chains the module needs first are among the answers.
            Assert.Contains("MailFlowIntel -> MailFlowIntel.Core", answered);
            Assert.Contains("MailFlowIntel.Core -> MailKit", answered);
            Assert.Contains("MailKit -> System.Memory", answered);
            Assert.Contains("DnsClient -> Microsoft.Win32.Registry", answered);
        }

        [Fact]
        public void TheShippedRegistryFileIsTheFrameworkBuildThatForwardsToMscorlib()
        {
            // DnsClient reads the name resolution policy through it on Windows. The package's netstandard2.0 file (the
            // one bin/ gets) only throws PlatformNotSupportedException and references System.Security.AccessControl.
            string file = Path.Combine(BuiltModule(), "Dependencies", "Microsoft.Win32.Registry.dll");
            Assert.Equal(new[] { "mscorlib" }, ReferencesOf(file).Select(r => r.Name));
            using (var pe = new PEReader(File.OpenRead(file)))
            {
                MetadataReader md = pe.GetMetadataReader();
                var forwarded = md.ExportedTypes.Select(h => md.GetExportedType(h))
                    .Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name)).ToList();
                Assert.Contains("Microsoft.Win32.RegistryKey", forwarded);
            }
        }

        [Fact]
        public void ReadingTheFolderLoadsNothingFromIt()
        {
            string dependencies = Path.Combine(BuiltModule(), "Dependencies");
            var resolver = FrameworkResolver.FromDirectory(new AssemblyName("MailFlowIntel, Version=0.1.0.0"), dependencies);
            Assert.NotNull(resolver.PathFor(new AssemblyName("MailFlowIntel.Core"), null));
            string root = Path.GetFullPath(dependencies);
            Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(),
                a => !a.IsDynamic && a.Location.StartsWith(root, StringComparison.Ordinal));
        }

        static bool ProvidedByFramework(AssemblyName reference) =>
            Framework.Any(f => string.Equals(f.Name, reference.Name, StringComparison.OrdinalIgnoreCase)
                               && f.GetPublicKeyToken().SequenceEqual(reference.GetPublicKeyToken() ?? Array.Empty<byte>())
                               && reference.Version <= f.Version);

        static List<AssemblyName> ReferencesOf(string file)
        {
            using (var pe = new PEReader(File.OpenRead(file)))
            {
                MetadataReader md = pe.GetMetadataReader();
                return md.AssemblyReferences.Select(h => md.GetAssemblyReference(h).GetAssemblyName()).ToList();
            }
        }

        /// <summary>out/MailFlowIntel beside MailFlowIntel.PS.sln, found by walking up from the test binaries.</summary>
        static string BuiltModule()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "MailFlowIntel.PS.sln"))) continue;
                string module = Path.Combine(dir.FullName, "out", "MailFlowIntel");
                if (!File.Exists(Path.Combine(module, "MailFlowIntel.dll")))
                    throw new InvalidOperationException(
                        $"The built module is missing ({module}). Build it first: cd {dir.FullName} && dotnet pwsh -NoProfile -File build.ps1 -Task Build");
                return module;
            }
            throw new InvalidOperationException($"MailFlowIntel.PS.sln was not found above {AppContext.BaseDirectory} (run build.ps1 -Task Build in the repository root).");
        }
    }
}
