using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Lab;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// The probe keeps to what this computer can show (DESIGN.md 2c): its own way out (the egress check), the DNS answer it
    /// connected to (DnsView, -PublicDnsServer), and a firewall that does not loop back (hairpin).
    /// </summary>
    [Collection("Lab")]
    public sealed class VantageProbeTests
    {
        readonly LabFixture lab;
        public VantageProbeTests(LabFixture lab) { this.lab = lab; }

        ProbeOptions Options(string egressHost = null, bool inside = false, bool withPublic = false)
        {
            ProbeOptions o = lab.Options(2);
            o.EgressCheckHost = egressHost;
            if (inside) o.DnsServers = new[] { new IPEndPoint(IPAddress.Loopback, lab.World.DnsInside.Port) };
            if (withPublic) o.PublicDnsServers = new[] { new IPEndPoint(IPAddress.Loopback, lab.World.Dns.Port) };
            return o;
        }

        [Fact]
        public async Task A_timeout_while_the_check_host_does_not_answer_either_is_NotTested_never_4_4_315()
        {
            // The check host is a second address that never answers: this computer's way out looks closed.
            ConnectorDeliveryResult r = Assert.Single(await lab.ProbeAsync("blackhole.lab.test", options: Options(egressHost: lab.World.Hosts["blackhole.lab.test"])));
            Assert.Equal(ProbeStatus.NotTested, r.Status);
            Assert.Equal(Reason.ProbeSideFault, r.Reason);
            Assert.Null(r.Code);
            Assert.Equal(EgressCheck.Failed, r.EgressCheck);
            Assert.Contains($"TCP port {lab.World.Port}", r.Detail);
        }

        [Fact]
        public async Task A_timeout_while_the_check_host_answers_is_4_4_315_as_before()
        {
            ConnectorDeliveryResult r = Assert.Single(await lab.ProbeAsync("blackhole.lab.test", options: Options(egressHost: "ok.lab.test")));
            Assert.Equal("450 4.4.315", r.Code);
            Assert.Equal(EgressCheck.Passed, r.EgressCheck);
        }

        [Fact]
        public async Task A_healthy_run_pays_for_no_check()
        {
            ConnectorDeliveryResult r = Assert.Single(await lab.ProbeAsync("ok.lab.test", options: Options(egressHost: "refused.lab.test")));
            Assert.Equal(EgressCheck.NotRun, r.EgressCheck);
            Assert.Equal(DnsView.Public, r.DnsView);
        }

        [Fact]
        public async Task A_refusal_checks_the_way_out_too_and_without_a_check_host_nothing_is_run()
        {
            ConnectorDeliveryResult blocked = Assert.Single(await lab.ProbeAsync("refused.lab.test", options: Options(egressHost: "refused.lab.test")));
            Assert.Equal(Reason.ProbeSideFault, blocked.Reason);
            ConnectorDeliveryResult plain = Assert.Single(await lab.ProbeAsync("refused.lab.test", options: Options()));
            Assert.Equal("450 4.4.316", plain.Code);
            Assert.Equal(EgressCheck.NotRun, plain.EgressCheck);
        }

        [Fact]
        public async Task With_public_DNS_the_probe_goes_where_public_DNS_leads_and_says_Split()
        {
            int insideQueries = lab.World.DnsInside.QueryCount;
            ConnectorDeliveryResult r = Assert.Single(await lab.ProbeAsync("split.lab.test", options: Options(inside: true, withPublic: true)));
            Assert.Equal(DnsView.Split, r.DnsView);
            Assert.Equal(lab.World.Hosts["ok.lab.test"], r.IPAddress);
            Assert.Equal(lab.World.Hosts["ok.lab.test"], r.PublicAddress);
            Assert.Equal(Reason.SplitDns, r.Reason);
            Assert.Equal(ProbeStatus.Warning, r.Status);
            Assert.Contains(LabWorld.InsideAddress, r.Cause);
            Assert.True(lab.World.DnsInside.QueryCount > insideQueries, "this computer's DNS was asked too");
        }

        [Fact]
        public async Task Without_public_DNS_no_query_leaves_for_it()
        {
            // ok.lab.test through the inside view only: the server playing public DNS gets nothing.
            int publicQueries = lab.World.Dns.QueryCount;
            ConnectorDeliveryResult r = Assert.Single(await lab.ProbeAsync("ok.lab.test", options: Options(inside: true)));
            Assert.Equal(DnsView.Public, r.DnsView);
            Assert.Equal(publicQueries, lab.World.Dns.QueryCount);
        }

        [Fact]
        public async Task A_public_address_that_does_not_answer_from_inside_while_the_private_one_does_is_hairpin_NotTested()
        {
            ConnectorDeliveryResult r = Assert.Single(await lab.ProbeAsync("hairpin.lab.test", options: Options(inside: true, withPublic: true)));
            Assert.Equal(ProbeStatus.NotTested, r.Status);
            Assert.Equal(Reason.HairpinUnreachable, r.Reason);
            Assert.Null(r.Code);
            Assert.Equal(DnsView.Split, r.DnsView);
            Assert.Equal(ProbeStatus.NotTested, r.TargetStatus);
        }

        [Fact]
        public async Task A_public_DNS_server_that_does_not_answer_is_said_and_the_result_follows_this_computers_DNS()
        {
            using var silent = new SilentDns();
            ProbeOptions o = Options();
            o.PublicDnsServers = new[] { new IPEndPoint(IPAddress.Loopback, silent.Port) };
            var tester = new DeliveryTester(o);
            var results = await tester.TestAsync(TargetParser.Parse("ok.lab.test", TargetKind.SmartHost, "Lab connector", TlsRequirement.Opportunistic, null),
                new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            ConnectorDeliveryResult r = Assert.Single(results);
            Assert.NotEqual(ProbeStatus.Failed, r.Status);
            Assert.Equal(DnsView.Public, r.DnsView);
            Assert.Contains("-PublicDnsServer", r.Detail);
            Assert.True(tester.PublicDnsUnreachable);
        }

        [Theory]
        [InlineData("10.1.2.3", true)]
        [InlineData("172.16.0.1", true)]
        [InlineData("172.31.255.255", true)]
        [InlineData("172.32.0.1", false)]
        [InlineData("192.168.1.1", true)]
        [InlineData("100.64.0.1", true)]
        [InlineData("100.128.0.1", false)]
        [InlineData("169.254.1.1", true)]
        [InlineData("127.0.0.1", false)]
        [InlineData("203.0.113.5", false)]
        [InlineData("fd12::1", true)]
        [InlineData("fe80::1", true)]
        [InlineData("::1", false)]
        [InlineData("2001:db8::1", false)]
        [InlineData("::ffff:10.0.0.1", true)]
        public void Private_ranges_are_told_apart_and_loopback_counts_as_public(string address, bool nonPublic) =>
            Assert.Equal(nonPublic, AddressScope.IsNonPublic(IPAddress.Parse(address)));
    }
}
