using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Probing;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>Where the probe must give the answer Exchange Online gives (issue: agree with Exchange Online).</summary>
    [Collection("Lab")]
    public sealed class ProbeFidelityTests
    {
        readonly LabFixture lab;
        public ProbeFidelityTests(LabFixture lab) { this.lab = lab; }

        [Fact]
        public async Task EHLO_answered_421_then_closed_is_4_4_317_with_the_421_and_nothing_sent_after_EHLO()
        {
            var server = lab.World.Servers["ehlo421.lab.test"];
            var options = lab.Options();
            options.IncludeTranscript = true;
            var r = Assert.Single(await lab.ProbeAsync("ehlo421.lab.test", options: options));
            Assert.Equal("450 4.4.317", r.Code);
            Assert.Equal(ProbeStage.Ehlo, r.Stage);
            Assert.StartsWith("421 4.7.0 too many connections", r.ServerResponse);
            // The transcript ends with the server's 421: no HELO, no QUIT after it.
            string[] lines = r.Transcript.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("S: 421", lines[^1]);
            Assert.Single(lines, l => l.StartsWith("C: ", StringComparison.Ordinal));
            // And the server, which listened for a second after its 421, received EHLO alone from this session.
            await Task.Delay(1200);
            string[] received = server.Commands.ToArray();
            Assert.Contains(received, c => c.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(received, c => c.StartsWith("HELO", StringComparison.OrdinalIgnoreCase) || c.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase));
        }

        [Fact]
        public async Task A_connection_accepted_then_reset_is_4_4_318_in_every_one_of_200_runs()
        {
            var tester = new DeliveryTester(lab.Options());
            ProbeTarget target = TargetParser.Parse("acceptreset.lab.test", TargetKind.SmartHost, "Lab", TlsRequirement.Opportunistic, null);
            var results = new List<ConnectorDeliveryResult>();
            using var gate = new SemaphoreSlim(8);
            var runs = Enumerable.Range(0, 200).Select(async _ =>
            {
                await gate.WaitAsync();
                try { return await tester.TestAsync(target, default); }
                finally { gate.Release(); }
            });
            foreach (var each in await Task.WhenAll(runs)) results.AddRange(each);
            Assert.Equal(200, results.Count);
            var codes = results.GroupBy(r => $"{r.Code} {r.Stage}").ToDictionary(g => g.Key, g => g.Count());
            Assert.True(codes.Count == 1 && results.All(r => r.Code == "450 4.4.318"), string.Join(", ", codes.Select(c => $"{c.Key}: {c.Value}")));
            Assert.All(results, r => Assert.Contains("reset", r.Detail, StringComparison.OrdinalIgnoreCase));
        }

        public static IEnumerable<object[]> EverySocketError() =>
            Enum.GetValues(typeof(SocketError)).Cast<SocketError>().Distinct().Select(e => new object[] { e });

        [Theory]
        [MemberData(nameof(EverySocketError))]
        public void Every_SocketError_at_connect_has_a_meaning_whose_code_and_detail_agree(SocketError error)
        {
            Assert.True(SocketFaults.Table.ContainsKey(error), $"{error} is not in the table");
            var facts = new ProbeFacts { Stage = ProbeStage.Connect, Port = 25, TimeoutSeconds = 15 };
            var options = new ProbeOptions();
            SmtpProbe.ObserveConnect(new SocketException((int)error), facts, deadlineFired: false, options);
            var result = new ConnectorDeliveryResult { Port = 25 };
            ResultBuilder.Complete(result, facts, null, MailFlowIntel.Core.Catalog.Language.English);

            switch (SocketFaults.Table[error])
            {
                case SocketFault.Refused:
                    Assert.Equal("450 4.4.316", result.Code);
                    Assert.Contains("refused", result.Detail);
                    break;
                case SocketFault.NoAnswer:
                    Assert.Equal("450 4.4.315", result.Code);
                    Assert.Contains("no answer", result.Detail);
                    break;
                case SocketFault.ClosedByPeer:
                    Assert.Equal("450 4.4.318", result.Code);
                    Assert.Contains("reset", result.Detail);
                    break;
                default:
                    // This machine's fault: not tested, and no code Microsoft 365 would give.
                    Assert.Equal(ProbeStatus.NotTested, result.Status);
                    Assert.Null(result.Code);
                    Assert.Contains("This machine", result.Detail);
                    break;
            }
            // No detail contradicts its code.
            if (result.Code == "450 4.4.315") Assert.DoesNotContain("reset", result.Detail, StringComparison.OrdinalIgnoreCase);
            if (result.Code == "450 4.4.318") Assert.DoesNotContain("not answered", result.Detail, StringComparison.OrdinalIgnoreCase);
            if (result.Code == "450 4.4.316") Assert.DoesNotContain("reset", result.Detail, StringComparison.OrdinalIgnoreCase);
            if (SocketFaults.Table[error] != SocketFault.Refused) Assert.Contains(error.ToString(), result.Detail);
        }

        [Fact]
        public async Task Two_megabytes_without_a_line_end_is_4_4_317_at_once_not_a_timeout()
        {
            var clock = Stopwatch.StartNew();
            var r = Assert.Single(await lab.ProbeAsync("hugeline.lab.test", options: lab.Options(timeoutSec: 30)));
            clock.Stop();
            Assert.Equal("450 4.4.317", r.Code);
            Assert.Equal(ProbeStage.Greeting, r.Stage);
            Assert.Contains("without a line end", r.Detail);
            Assert.True(r.ServerResponse.Length <= MailFlowIntel.Core.Text.Untrusted.DefaultMaxLength + 3);
            // A loose guard: the timeout is 30 s; the decision comes at the 64 KB mark, long before.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        }

        [Fact]
        public async Task A_server_that_sends_only_its_leaf_fails_validation_as_an_incomplete_chain_and_nothing_is_fetched()
        {
            int fetchesBefore = lab.World.IntermediateRequests;
            var leafOnly = Assert.Single(await lab.ProbeAsync("leafonly.lab.test", tls: TlsRequirement.CertificateValidation));
            Assert.Equal("450 4.7.320", leafOnly.Code);
            Assert.Equal(ProbeStage.Certificate, leafOnly.Stage);
            Assert.Contains("IncompleteChain", leafOnly.CertificateErrors);
            Assert.Contains("MailFlowIntel Lab Intermediate CA", leafOnly.Detail);

            var domain = Assert.Single(await lab.ProbeAsync("leafonly.lab.test", tls: TlsRequirement.DomainValidation, tlsDomain: "leafonly.lab.test"));
            Assert.Equal("450 4.7.320", domain.Code);
            Assert.Contains("IncompleteChain", domain.CertificateErrors);

            // The control: the same leaf sent with its intermediate passes.
            var full = Assert.Single(await lab.ProbeAsync("fullchain.lab.test", tls: TlsRequirement.DomainValidation, tlsDomain: "fullchain.lab.test"));
            Assert.Equal(ProbeStatus.Succeeded, full.Status);
            Assert.DoesNotContain("IncompleteChain", full.CertificateErrors ?? "");

            Assert.Equal(fetchesBefore, lab.World.IntermediateRequests);   // the leaf's AIA URL was never asked
        }

        [Fact]
        public async Task An_intermediate_in_this_machines_CA_store_does_not_complete_what_the_server_did_not_send()
        {
            X509Certificate2 intermediate = lab.World.Certificates.Intermediate;
            using var store = new X509Store(StoreName.CertificateAuthority, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadWrite);
            store.Add(intermediate);
            try
            {
                int fetchesBefore = lab.World.IntermediateRequests;
                var r = Assert.Single(await lab.ProbeAsync("leafonly.lab.test", tls: TlsRequirement.CertificateValidation));
                Assert.Equal("450 4.7.320", r.Code);
                Assert.Contains("IncompleteChain", r.CertificateErrors);
                Assert.Equal(fetchesBefore, lab.World.IntermediateRequests);
            }
            finally { store.Remove(intermediate); }
        }

        [Fact]
        public async Task A_failed_first_MX_of_a_target_that_delivered_becomes_a_Low_alert_naming_the_host_that_took_the_session()
        {
            var results = await lab.ProbeAsync("twomx.lab.test", tls: TlsRequirement.EncryptionOnly);
            var aggregator = new AlertAggregator(new AlertOptions());
            foreach (ConnectorDeliveryResult r in results)
            {
                var row = typeof(ConnectorDeliveryResult).GetProperties().ToDictionary(p => p.Name, p => p.GetValue(r), StringComparer.OrdinalIgnoreCase);
                EvidenceRecord record = RowInterpreter.Interpret(row, null, out _);
                if (record != null) aggregator.Add(record);
            }
            var alert = Assert.Single(aggregator.Alerts());
            Assert.Equal("450 4.4.316", alert.Code);
            Assert.Equal(AlertSeverity.Low, alert.Severity);
            Assert.Equal("ok.lab.test (127.0.0.10)", alert.FailoverServer);
            Assert.Contains("fail over to ok.lab.test", alert.Cause);
        }
    }
}
