using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Lab;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>One in-process lab for the whole test collection.</summary>
    public sealed class LabFixture : IDisposable
    {
        public LabWorld World { get; } = new LabWorld();
        public void Dispose() => World.Dispose();

        public ProbeOptions Options(int timeoutSec = 3) => new ProbeOptions
        {
            Port = World.Port,
            MtaStsPort = World.MtaStsPort,
            Timeout = TimeSpan.FromSeconds(timeoutSec),
            DnsServers = new[] { new IPEndPoint(IPAddress.Loopback, World.Dns.Port) },
            TrustedRoots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(World.Certificates.Ca),
        };

        public async Task<IReadOnlyList<ConnectorDeliveryResult>> ProbeAsync(string text, TargetKind kind = TargetKind.SmartHost,
            TlsRequirement tls = TlsRequirement.Opportunistic, string tlsDomain = null, ProbeOptions options = null)
        {
            var tester = new DeliveryTester(options ?? Options());
            ProbeTarget target = TargetParser.Parse(text, kind, "Lab connector", tls, tlsDomain);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await tester.TestAsync(target, cts.Token);
        }
    }

    [CollectionDefinition("Lab")]
    public sealed class LabCollection : ICollectionFixture<LabFixture> { }
}
