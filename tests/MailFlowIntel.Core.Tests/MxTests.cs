using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Lab;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    [Collection("Lab")]
    public sealed class MxTests
    {
        readonly LabFixture lab;
        public MxTests(LabFixture lab) { this.lab = lab; }

        [Fact]
        public async Task Falls_back_to_the_second_MX_when_the_first_refuses()
        {
            var results = await lab.ProbeAsync("contoso.lab.test", TargetKind.Domain);
            Assert.Equal(2, results.Count);
            Assert.Equal("refused.lab.test", results[0].DestinationServer);
            Assert.Equal(10, results[0].MxPreference);
            Assert.Equal("450 4.4.316", results[0].Code);
            Assert.Equal("ok.lab.test", results[1].DestinationServer);
            Assert.Equal(20, results[1].MxPreference);
            Assert.Equal(ProbeStatus.Succeeded, results[1].Status);
        }

        [Fact]
        public async Task Stops_at_the_first_MX_that_takes_the_session()
        {
            var r = Assert.Single(await lab.ProbeAsync("partner.lab.test", TargetKind.Domain));
            Assert.Equal("ok.lab.test", r.DestinationServer);
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
        }

        [Fact]
        public async Task MX_hosts_are_tried_by_preference_not_by_answer_order()
        {
            using var dns = new LabDns();
            dns.Mx("order.lab.test", 30, "third.lab.test").Mx("order.lab.test", 5, "first.lab.test").Mx("order.lab.test", 10, "second.lab.test");
            dns.A("first.lab.test", "127.0.0.11").A("second.lab.test", "127.0.0.11").A("third.lab.test", "127.0.0.11");
            var options = lab.Options();
            options.DnsServers = new[] { new IPEndPoint(IPAddress.Loopback, dns.Port) };
            var results = await lab.ProbeAsync("order.lab.test", TargetKind.Domain, options: options);
            Assert.Equal(new[] { "first.lab.test", "second.lab.test", "third.lab.test" }, Array.ConvertAll(results.ToArray(), r => r.DestinationServer));
        }

        [Fact]
        public async Task A_domain_with_only_an_A_record_is_its_own_MX()
        {
            var r = Assert.Single(await lab.ProbeAsync("implicit.lab.test", TargetKind.Domain));
            Assert.Equal("implicit.lab.test", r.DestinationServer);
            Assert.Null(r.MxPreference);
            Assert.Equal("127.0.0.10", r.IPAddress);
            Assert.Equal(ProbeStatus.Warning, r.Status);   // the certificate does not carry implicit.lab.test
        }

        [Fact]
        public async Task A_Null_MX_domain_gives_556_5_1_10()
        {
            var r = Assert.Single(await lab.ProbeAsync("nomail.lab.test", TargetKind.Domain));
            Assert.Equal("556 5.1.10", r.Code);
            Assert.Equal(ProbeStage.Dns, r.Stage);
            Assert.Equal(ProbeStatus.Failed, r.Status);
        }

        [Fact]
        public async Task A_smart_host_name_with_only_MX_records_follows_them()
        {
            var r = Assert.Single(await lab.ProbeAsync("relay.lab.test", tls: TlsRequirement.DomainValidation, tlsDomain: "mx.lab.test"));
            Assert.Equal("ok.lab.test", r.DestinationServer);
            Assert.Equal(5, r.MxPreference);
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
        }

        [Fact]
        public async Task A_smart_host_name_with_an_A_record_and_an_MX_is_delivered_by_its_MX()
        {
            // webandmx.lab.test: A -> 127.0.0.11 (refuses), MX 10 -> ok.lab.test. Exchange Online looks up the MX first.
            var r = Assert.Single(await lab.ProbeAsync("webandmx.lab.test", tls: TlsRequirement.DomainValidation, tlsDomain: "mx.lab.test"));
            Assert.Equal("ok.lab.test", r.DestinationServer);
            Assert.Equal("127.0.0.10", r.IPAddress);
            Assert.Equal(10, r.MxPreference);
            Assert.Equal(ProbeStatus.Succeeded, r.Status);
            Assert.Equal(ProbeStatus.Succeeded, r.TargetStatus);
        }

        [Fact]
        public async Task Without_a_TlsDomain_DomainValidation_checks_the_smart_host_name_as_configured_not_its_MX_host()
        {
            // The certificate carries ok.lab.test (the MX host) but not webandmx.lab.test (the smart host as configured).
            var r = Assert.Single(await lab.ProbeAsync("webandmx.lab.test", tls: TlsRequirement.DomainValidation));
            Assert.Equal("ok.lab.test", r.DestinationServer);
            Assert.Equal("450 4.7.320", r.Code);
            Assert.Contains("SubjectMismatch", r.CertificateErrors);
            // The control: the MX host's own name, given as TlsDomain, passes.
            var control = Assert.Single(await lab.ProbeAsync("webandmx.lab.test", tls: TlsRequirement.DomainValidation, tlsDomain: "ok.lab.test"));
            Assert.Equal(ProbeStatus.Succeeded, control.Status);
        }

        [Fact]
        public async Task A_smart_host_with_two_MX_records_is_tried_by_preference_and_the_failed_first_reads_TargetStatus_Succeeded()
        {
            var results = await lab.ProbeAsync("twomx.lab.test", tls: TlsRequirement.EncryptionOnly, tlsDomain: "mx.lab.test");
            Assert.Equal(2, results.Count);
            Assert.Equal("refused.lab.test", results[0].DestinationServer);
            Assert.Equal(10, results[0].MxPreference);
            Assert.Equal("450 4.4.316", results[0].Code);
            Assert.Equal(ProbeStatus.Failed, results[0].Status);
            Assert.Equal(ProbeStatus.Succeeded, results[0].TargetStatus);
            Assert.Equal("ok.lab.test (127.0.0.10)", results[0].FailoverServer);
            Assert.Equal("ok.lab.test", results[1].DestinationServer);
            Assert.Equal(20, results[1].MxPreference);
            Assert.Equal(ProbeStatus.Succeeded, results[1].Status);
            Assert.Equal(ProbeStatus.Succeeded, results[1].TargetStatus);
            Assert.Null(results[1].FailoverServer);
        }

        [Fact]
        public async Task A_target_where_no_host_takes_the_session_reads_TargetStatus_Failed()
        {
            var r = Assert.Single(await lab.ProbeAsync("refused.lab.test"));
            Assert.Equal(ProbeStatus.Failed, r.TargetStatus);
            Assert.Null(r.FailoverServer);
        }

        [Theory]
        [InlineData("OnPremises", true)]
        [InlineData("Partner", false)]
        [InlineData(null, false)]
        public async Task An_OnPremises_connector_whose_smart_host_leads_to_Microsoft_365_is_a_mail_loop(string connectorType, bool loop)
        {
            var tester = new DeliveryTester(lab.Options());
            ProbeTarget target = TargetParser.Parse("loop.lab.test", TargetKind.SmartHost, "Loop connector", TlsRequirement.Opportunistic, null);
            target.ConnectorType = connectorType;
            var r = Assert.Single(await tester.TestAsync(target, default));
            Assert.Equal("lab-test.mail.protection.outlook.com", r.DestinationServer);
            if (loop)
            {
                Assert.Equal("554 5.4.14", r.Code);
                Assert.Equal(ProbeStatus.Failed, r.Status);
                Assert.Equal(ProbeStage.Dns, r.Stage);
                Assert.Null(r.ProbedFrom);   // nothing was connected to
            }
            else
            {
                Assert.NotEqual("554 5.4.14", r.Code);
                Assert.NotNull(r.ProbedFrom);
            }
        }

        [Fact]
        public async Task A_silent_DNS_server_is_a_probing_side_error_not_4_4_312()
        {
            using var silent = new SilentDns();
            var options = lab.Options(1);
            options.DnsServers = new[] { new IPEndPoint(IPAddress.Loopback, silent.Port) };
            await Assert.ThrowsAsync<DnsServerUnreachableException>(() => lab.ProbeAsync("ok.lab.test", options: options));
        }

        [Fact]
        public async Task A_lost_DNS_packet_is_asked_again_within_the_step_and_the_target_gets_its_result()
        {
            // Through the relay every question's first query is lost: MX, A, AAAA and TLSA alike.
            var options = lab.Options(3);
            options.DnsServers = new[] { new IPEndPoint(IPAddress.Loopback, lab.World.DnsLossy.Port) };
            int droppedBefore = lab.World.DnsLossy.Dropped;
            ConnectorDeliveryResult r = Assert.Single(await lab.ProbeAsync("relay.lab.test", options: options));
            // The session was had (a Warning only for the certificate's name, which is ok.lab.test's).
            Assert.True(r.Stage == ProbeStage.Quit && r.Status != ProbeStatus.Failed, $"{r.Status} {r.Reason} {r.Detail}");
            Assert.Equal("ok.lab.test", r.DestinationServer);
            Assert.True(lab.World.DnsLossy.Dropped - droppedBefore >= 2, "the relay lost the MX query and the address queries");
        }

        [Fact]
        public async Task A_silent_server_is_unreachable_only_after_every_try_and_within_the_step()
        {
            using var silent = new SilentDns();
            var options = lab.Options(2);
            options.DnsServers = new[] { new IPEndPoint(IPAddress.Loopback, silent.Port) };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Assert.ThrowsAsync<DnsServerUnreachableException>(() => lab.ProbeAsync("ok.lab.test", options: options));
            // Loose guard: the tries share the 2-second step (a busy machine may take longer, never several steps' worth).
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        }

        [Theory]
        [InlineData(15, 5000)]
        [InlineData(3, 1000)]
        [InlineData(0.1, 100)]
        public void Each_try_has_a_third_of_the_step(double stepSeconds, double tryMs) =>
            Assert.Equal(tryMs, DnsResolver.TryTimeout(TimeSpan.FromSeconds(stepSeconds)).TotalMilliseconds);
    }
}
