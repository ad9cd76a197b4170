using System;
using System.Collections.Generic;
using System.Globalization;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>
    /// What one run looked at (the connectors and servers its evidence names, failed or not) and where its probing side
    /// failed, so that a baseline alert is called Resolved only where this run could have seen it again.
    /// </summary>
    public sealed class RunCoverage
    {
        readonly HashSet<string> connectors = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        readonly HashSet<string> servers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Where this host could not probe, and why (the first reason seen).
        readonly Dictionary<string, string> failedConnectors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        readonly Dictionary<string, string> failedServers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string wholeRunFailure;

        /// <summary>A failure this run found: its connector and server were looked at.</summary>
        public void Saw(EvidenceRecord failure) => Look(failure.Connector, failure.DestinationServer);

        /// <summary>A row this run read that carries no failure: a delivered message, a probe that succeeded, a probe not tried.</summary>
        public void PassedOver(IReadOnlyDictionary<string, object> row)
        {
            string errorId = Text(row, "FullyQualifiedErrorId");
            if (errorId != null)
            {
                // Test-ConnectorDelivery's error, merged into the pipeline (2>&1) or received from a job: every lookup of the
                // run asked that DNS server, so the run as a whole cannot vouch for anything.
                if (errorId.StartsWith("DnsServerUnreachable", StringComparison.OrdinalIgnoreCase))
                    wholeRunFailure = wholeRunFailure ?? $"a DNS server did not answer while probing {Untrusted.Clean(Text(row, "TargetObject")) ?? "a target"} (DnsServerUnreachable)";
                return;
            }
            // What a previous run or a plan said is not what this run saw.
            if (RowInterpreter.IsAlert(row) || RowInterpreter.IsAction(row)) return;
            RowInterpreter.Place(row, out string connector, out string server);
            if (RowInterpreter.IsProbe(row) && Is(row, "Status", ProbeStatus.NotTested))
            {
                // Only a probing-side fault says something; a disabled connector or an address range was neither looked at nor failed.
                if (Is(row, "Reason", Reason.ProbeSideFault))
                    Fail(connector, server, $"{Untrusted.Clean(server) ?? "a server"} could not be probed from this host (ProbeSideFault: no route, port 25 blocked on the way out, a local limit)");
                return;
            }
            Look(connector, server);
        }

        /// <summary>Whether this run looked at an alert's connector, or, for an alert that names no connector, at its server.</summary>
        public bool Looked(string connector, string server) =>
            !string.IsNullOrEmpty(connector) ? connectors.Contains(Untrusted.Clean(connector))
            : !string.IsNullOrEmpty(server) && servers.Contains(Untrusted.Clean(server));

        /// <summary>Why this run cannot vouch for an alert's connector or server (its probing side failed there); null when it can.</summary>
        public string ProbeSideFailure(string connector, string server)
        {
            if (wholeRunFailure != null) return wholeRunFailure;
            if (!string.IsNullOrEmpty(connector) && failedConnectors.TryGetValue(Untrusted.Clean(connector), out string why)) return why;
            if (!string.IsNullOrEmpty(server) && failedServers.TryGetValue(Untrusted.Clean(server), out why)) return why;
            return null;
        }

        void Look(string connector, string server)
        {
            if (!string.IsNullOrEmpty(connector)) connectors.Add(Untrusted.Clean(connector));
            if (!string.IsNullOrEmpty(server)) servers.Add(Untrusted.Clean(server));
        }

        void Fail(string connector, string server, string why)
        {
            if (!string.IsNullOrEmpty(connector) && !failedConnectors.ContainsKey(Untrusted.Clean(connector))) failedConnectors[Untrusted.Clean(connector)] = why;
            if (!string.IsNullOrEmpty(server) && !failedServers.ContainsKey(Untrusted.Clean(server))) failedServers[Untrusted.Clean(server)] = why;
        }

        /// <summary>An enum as a name or as its number (a deserialized enum, a JSON number, a CSV cell).</summary>
        static bool Is<T>(IReadOnlyDictionary<string, object> row, string name, T value) where T : struct =>
            Enum.TryParse(Text(row, name)?.Trim() ?? "", true, out T parsed) && parsed.Equals(value);

        static string Text(IReadOnlyDictionary<string, object> row, string name) =>
            row.TryGetValue(name, out object v) && v != null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
    }
}
