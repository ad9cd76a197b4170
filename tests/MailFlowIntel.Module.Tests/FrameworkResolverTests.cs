using System.Collections.Generic;
using System.Reflection;
using Xunit;

namespace MailFlowIntel.Module.Tests
{
    /// <summary>
    /// What the Windows PowerShell 5.1 AssemblyResolve handler answers. The handler sees every failed load of the
    /// AppDomain, other modules' too (ExchangeOnlineManagement, Microsoft.Graph and Az bring their own System.Memory
    /// and BouncyCastle), so it must answer only our own assemblies' requests, and never with a lower version than asked.
    /// The identities below are those the module ships (read from out/ by ShippedReferenceTests).
    /// </summary>
    public sealed class FrameworkResolverTests
    {
        const string Self = "MailFlowIntel, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null";
        const string Core = "MailFlowIntel.Core, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null";
        const string MailKit = "MailKit, Version=4.18.0.0, Culture=neutral, PublicKeyToken=4e064fe7c44a8f1b";
        const string Memory = "System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51";
        const string Unsafe = "System.Runtime.CompilerServices.Unsafe, Version=6.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a";
        const string Bouncy = "BouncyCastle.Cryptography, Version=2.0.0.0, Culture=neutral, PublicKeyToken=072edcf4a5328938";
        const string Deps = "/module/Dependencies/";

        static readonly FrameworkResolver Resolver = new FrameworkResolver(new AssemblyName(Self), new Dictionary<string, AssemblyName>
        {
            [Deps + "MailFlowIntel.Core.dll"] = new AssemblyName(Core),
            [Deps + "MailKit.dll"] = new AssemblyName(MailKit),
            [Deps + "System.Memory.dll"] = new AssemblyName(Memory),
            [Deps + "System.Runtime.CompilerServices.Unsafe.dll"] = new AssemblyName(Unsafe),
            [Deps + "BouncyCastle.Cryptography.dll"] = new AssemblyName(Bouncy),
        });

        static string Ask(string requested, string requester) =>
            Resolver.PathFor(new AssemblyName(requested), requester == null ? null : new AssemblyName(requester));

        [Theory]
        [InlineData(Core, Self, "MailFlowIntel.Core.dll")]       // the cmdlet assembly asks for the engine
        [InlineData(MailKit, Core, "MailKit.dll")]               // the engine asks for a dependency
        [InlineData(Memory, MailKit, "System.Memory.dll")]       // a dependency asks for another: ours too
        [InlineData(Unsafe, Memory, "System.Runtime.CompilerServices.Unsafe.dll")]
        [InlineData("system.memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", MailKit, "System.Memory.dll")]   // names without case, as the loader compares them
        public void OurOwnAssembliesGetTheFileWeShip(string requested, string requester, string file) =>
            Assert.Equal(Deps + file, Ask(requested, requester));

        [Theory]
        [InlineData("Microsoft.Exchange.Management.RestApiClient, Version=3.7.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35")]
        [InlineData("Microsoft.Graph.Authentication, Version=2.25.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35")]
        [InlineData("System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]   // another module's copy of a name we ship
        [InlineData("MailKit, Version=4.3.0.0, Culture=neutral, PublicKeyToken=4e064fe7c44a8f1b")]
        [InlineData("MailFlowIntel, Version=0.2.0.0, Culture=neutral, PublicKeyToken=null")]               // another version of this module, with its own handler
        public void AnotherModulesRequestGetsNothingEvenForAFileWeHold(string foreign)
        {
            Assert.Null(Ask(Memory, foreign));
            Assert.Null(Ask(Unsafe, foreign));
            Assert.Null(Ask(Bouncy, foreign));
            Assert.Null(Ask(MailKit, foreign));
        }

        [Theory]
        [InlineData(MailKit, "MailKit.dll")]
        [InlineData(Memory, "System.Memory.dll")]
        [InlineData(Core, "MailFlowIntel.Core.dll")]             // unsigned: "PublicKeyToken=null"
        [InlineData("MailFlowIntel.Core", "MailFlowIntel.Core.dll")]   // unsigned and no token named: the same identity
        public void WithNoRequesterOurIdentityIsAnswered(string requested, string file) =>
            Assert.Equal(Deps + file, Ask(requested, null));

        [Theory]
        [InlineData("MailKit, Version=4.18.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef")]
        [InlineData("System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
        [InlineData("BouncyCastle.Cryptography, Version=2.0.0.0, Culture=neutral, PublicKeyToken=null")]   // an unsigned rebuild
        [InlineData("MailKit")]                                                                          // no token: not provably ours
        public void AnotherPublishersAssemblyOfTheSameNameIsRefused(string requested)
        {
            Assert.Null(Ask(requested, null));
            Assert.Null(Ask(requested, Core));
        }

        [Theory]
        [InlineData("System.Memory, Version=4.0.3.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
        [InlineData("MailKit, Version=4.19.0.0, Culture=neutral, PublicKeyToken=4e064fe7c44a8f1b")]
        [InlineData("System.Runtime.CompilerServices.Unsafe, Version=6.0.0.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
        [InlineData("MailFlowIntel.Core, Version=0.1.1.0, Culture=neutral, PublicKeyToken=null")]
        public void AHigherVersionThanWeHoldIsRefused(string requested)
        {
            Assert.Null(Ask(requested, Core));
            Assert.Null(Ask(requested, Self));
            Assert.Null(Ask(requested, null));
        }

        [Theory]
        [InlineData("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", "System.Runtime.CompilerServices.Unsafe.dll")]
        [InlineData("System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", "System.Memory.dll")]
        [InlineData("MailKit, Version=4.0.0.0, Culture=neutral, PublicKeyToken=4e064fe7c44a8f1b", "MailKit.dll")]
        public void ALowerVersionIsAnsweredAsABindingRedirectWould(string requested, string file)
        {
            Assert.Equal(Deps + file, Ask(requested, MailKit));
            Assert.Equal(Deps + file, Ask(requested, null));
        }

        [Theory]
        [InlineData("netstandard, Version=2.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
        [InlineData("mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089")]
        [InlineData("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
        [InlineData("System.Runtime.Loader, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
        [InlineData(Self)]                                                                                // not in Dependencies/
        [InlineData("MailFlowIntel.Core.resources, Version=0.1.0.0, Culture=fr-FR, PublicKeyToken=null")]
        [InlineData("MailKit, Version=4.18.0.0, Culture=fr-FR, PublicKeyToken=4e064fe7c44a8f1b")]          // a satellite of a name we hold
        public void WhatDependenciesDoesNotHoldIsRefused(string requested)
        {
            Assert.Null(Ask(requested, Core));
            Assert.Null(Ask(requested, null));
        }

        [Fact]
        public void AnEmptyOrMissingFolderAnswersNothing()
        {
            var none = FrameworkResolver.FromDirectory(new AssemblyName(Self), "/nonexistent/Dependencies");
            Assert.Null(none.PathFor(new AssemblyName(Core), new AssemblyName(Self)));
        }
    }
}
