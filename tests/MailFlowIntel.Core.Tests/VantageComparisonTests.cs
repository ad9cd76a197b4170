using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>One verdict per connector and server across vantages: Microsoft 365's evidence beside a probe from this computer.</summary>
    public sealed class VantageComparisonTests
    {
        static readonly DateTime T = new DateTime(2026, 12, 8, 10, 0, 0, DateTimeKind.Utc);

        static IReadOnlyDictionary<string, object> Row(params (string Name, object Value)[] cells) =>
            cells.ToDictionary(c => c.Name, c => c.Value, StringComparer.OrdinalIgnoreCase);

        static IReadOnlyDictionary<string, object> Trace(string id, string reason = "450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]", string @event = "Defer") =>
            Row(("Date", T), ("Event", @event), ("Detail", reason == null ? "" : $"Reason: [{{LED={reason}}}]"),
                ("Data", "<root><MEP Name=\"CustomData\" String=\"S:TenantOutboundConnectorCustomData=Name=To on-premises;\" /></root>"),
                ("MessageId", id), ("RecipientAddress", "a@contoso.com"));

        static IReadOnlyDictionary<string, object> Probe(string status, string code = null, string server = "mx1.contoso.com", string target = "mail.contoso.com",
            string address = "203.0.113.5", string thumbprint = "AAAA000000000000000000000000000000000001") =>
            Row(("Connector", "To on-premises"), ("Target", target), ("DestinationServer", server), ("IPAddress", address), ("ProbedFrom", "192.0.2.10"),
                ("Status", status), ("Reason", code == null ? "Delivered" : "ConnectTimedOut"), ("Code", code), ("Stage", code == null ? "Quit" : "Connect"),
                ("Timestamp", T), ("ComputerName", "ADMIN01"), ("CertificateThumbprint", thumbprint), ("CertificateSubject", "CN=mail.contoso.com"));

        static List<MailFlowAlert> Run(params IReadOnlyDictionary<string, object>[] rows)
        {
            var aggregator = new AlertAggregator(new AlertOptions { AsOf = T.AddHours(1) });
            foreach (var row in rows)
            {
                EvidenceRecord r = RowInterpreter.Interpret(row, null, out _, new EvidenceDates(null, CultureInfo.InvariantCulture));
                if (r == null) aggregator.Sightings.Saw(row, new EvidenceDates(null, CultureInfo.InvariantCulture));
                else aggregator.Add(r);
            }
            return aggregator.Alerts().ToList();
        }

        [Fact]
        public void Microsoft_365_failing_where_this_computer_gets_through_is_BlockedForMicrosoft365_found_by_the_smart_host_name()
        {
            // The trace names the smart host; the probe names its MX host and the smart host as its Target.
            MailFlowAlert a = Assert.Single(Run(Trace("<m1@x>"), Trace("<m2@x>"), Probe("Succeeded", address: "198.51.100.9")));
            Assert.StartsWith("BlockedForMicrosoft365", a.Reason);
            Assert.Equal("450 4.4.316", a.Code);
            Assert.Equal(ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer, a.ObservedFrom);
            Assert.Equal(ProbeStatus.Succeeded, a.ProbeStatus);
            Assert.Contains("ADMIN01", a.Cause);
            Assert.Contains(Microsoft365Network.KnownRanges().First(), a.Fix);
        }

        [Fact]
        public void Both_failing_is_one_alert_with_the_code_confirmed_from_here()
        {
            List<MailFlowAlert> alerts = Run(Trace("<m1@x>"), Probe("Failed", code: "450 4.4.315"));
            MailFlowAlert a = Assert.Single(alerts);
            Assert.Equal("450 4.4.316", a.Code);
            Assert.Equal(ProbeStatus.Failed, a.ProbeStatus);
            Assert.Equal("450 4.4.315", a.ProbeCode);
            Assert.Equal(ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer, a.ObservedFrom);
            Assert.DoesNotContain("Blocked", a.Reason);
        }

        [Fact]
        public void This_computer_failing_where_Microsoft_365_delivers_is_BlockedForThisComputer_Low_with_no_code_and_no_repair()
        {
            MailFlowAlert a = Assert.Single(Run(Probe("Failed", code: "450 4.4.315"), Trace("<d1@x>", reason: null, @event: "SEND")));
            Assert.StartsWith("BlockedForThisComputer", a.Reason);
            Assert.Null(a.Code);
            Assert.Equal("450 4.4.315", a.ProbeCode);
            Assert.Equal(AlertSeverity.Low, a.Severity);
            Assert.Equal(ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer, a.ObservedFrom);
            Assert.Same(NothingToRepairInstance(), ScenarioCatalog.BlockedForThisComputer.Repair);
        }

        [Fact]
        public void A_certificate_Microsoft_365_names_that_differs_from_the_probes_is_named()
        {
            MailFlowAlert a = Assert.Single(Run(
                Trace("<m1@x>", reason: "450 4.7.320 Certificate validation failed [Message=CN=old.contoso.com] [LastAttemptedServerName=mail.contoso.com]"),
                Probe("Succeeded")));
            Assert.StartsWith("DifferentCertificateForMicrosoft365", a.Reason);
            Assert.Contains("old.contoso.com", a.Cause);
        }

        [Fact]
        public void Another_connector_or_server_is_not_joined()
        {
            List<MailFlowAlert> alerts = Run(Trace("<m1@x>"), Probe("Succeeded", server: "other.contoso.com", target: "other.contoso.com", address: "198.51.100.1"));
            MailFlowAlert a = Assert.Single(alerts);
            Assert.DoesNotContain("Blocked", a.Reason);
            Assert.Null(a.ProbeStatus);
        }

        static object NothingToRepairInstance() => MailFlowIntel.Core.Repair.NothingToRepair.Instance;
    }
}
