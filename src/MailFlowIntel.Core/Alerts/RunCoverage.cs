using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>
    /// What one run looked at (the connectors and servers its evidence names, failed or not), what each vantage showed
    /// there (Microsoft 365's deliveries and deferrals, Exchange Server's queues, another MTA's log, probes by computer),
    /// and where its probing side failed, so that a baseline alert is called Resolved only where this run could have seen
    /// it again, and only by the view that raised it (DESIGN.md 2c).
    /// </summary>
    public sealed class RunCoverage
    {
        readonly HashSet<string> connectors = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        readonly HashSet<string> servers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Where this host could not probe, and why (the first reason seen).
        readonly Dictionary<string, string> failedConnectors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        readonly Dictionary<string, string> failedServers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string wholeRunFailure;

        // Each mail system's own view of delivery, and the probes by connector, server and computer.
        readonly DeliveryView microsoft365 = new DeliveryView();
        readonly DeliveryView exchangeServer = new DeliveryView();
        readonly DeliveryView otherMta = new DeliveryView();
        readonly Dictionary<string, ProbeSight> probes = new Dictionary<string, ProbeSight>(StringComparer.OrdinalIgnoreCase);
        // SMTP TLS reports of this run, successes too: a later report without failure for a host resolves its alert.
        readonly List<ReportObservation> reports = new List<ReportObservation>();

        /// <summary>A policy of an SMTP TLS report this run read (Microsoft's is Microsoft 365's view; another sender's, another MTA's).</summary>
        public void Reported(ReportObservation report)
        {
            if (report == null || reports.Count >= 10000) return;
            reports.Add(report);
            foreach (string host in report.FailedHosts ?? Array.Empty<string>()) Look(null, host);
        }

        /// <summary>
        /// Whether a TLS report of this view, dated after the alert's LastSeen, speaks of the server (the policy domain itself, a
        /// name under it, or one its mx patterns match), counts successful sessions and names no failure there.
        /// </summary>
        bool ReportClear(ObservedFrom view, string server, DateTime? after)
        {
            if (string.IsNullOrEmpty(server) || (view != ObservedFrom.Microsoft365 && view != ObservedFrom.OtherMta)) return false;
            string host = Untrusted.Clean(server).Trim().TrimEnd('.');
            return reports.Any(r => r.Microsoft365 == (view == ObservedFrom.Microsoft365) && r.SuccessfulSessions > 0
                && (after == null || (r.Until ?? r.From) > after)
                && !string.IsNullOrEmpty(r.PolicyDomain)
                && (string.Equals(host, r.PolicyDomain, StringComparison.OrdinalIgnoreCase)
                    || host.EndsWith("." + r.PolicyDomain, StringComparison.OrdinalIgnoreCase)
                    || (r.Mx ?? Array.Empty<string>()).Any(p => Probing.MtaStsPolicy.PatternMatches(p, host)))
                && !(r.FailedHosts ?? Array.Empty<string>()).Contains(host, StringComparer.OrdinalIgnoreCase));
        }

        /// <summary>A failure this run found: its connector and server were looked at, from the view that found it.</summary>
        public void Saw(EvidenceRecord failure)
        {
            Look(failure.Connector, failure.DestinationServer);
            // An alert of this run (Export-MailFlowReport) names a place, not messages or a probe.
            if (failure.Prior != null) return;
            if (failure.EgressCheck == EgressCheck.Failed) EgressFailed();
            if (failure.ObservedFrom == ObservedFrom.ThisComputer)
            {
                Probed(failure.Connector, failure.DestinationServer, failure.ComputerName, failure.ObservedAt, succeeded: false);
                return;
            }
            DeliveryView view = ViewOf(failure.ObservedFrom);
            // A line about one connection, not a message (a Postfix "connect to" line): it says nothing of delivery.
            if (view == null || failure.MessageCount <= 0) return;
            string message = failure.MessageKey != null && failure.MessageKey.StartsWith("queue:", StringComparison.Ordinal)
                ? failure.MessageKey
                : DeliveryView.MessageOf(failure.TraceId, failure.MessageKey, failure.Recipients.FirstOrDefault());
            if (IsFinal(failure)) view.Ended(failure.Connector, failure.DestinationServer, message, failure.ObservedAt);
            else view.Deferred(failure.Connector, failure.DestinationServer, message, failure.ObservedAt);
        }

        /// <summary>
        /// A row this run read that carries no failure: a delivered message, a probe that succeeded, a probe not tried, a
        /// queue without an error.
        /// </summary>
        /// <param name="dates">How the row's dates are read (a trace event's Date, a probe's Timestamp); null: the current culture.</param>
        public void PassedOver(IReadOnlyDictionary<string, object> row, EvidenceDates dates = null)
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
            if (RowInterpreter.IsValidation(row))
            {
                if (RowInterpreter.ValidationDelivered(row))
                    microsoft365.Delivered(connector, server, "validation:" + connector + "/" + server + "/" + Text(row, "Timestamp"), RowInterpreter.ObservedAt(row, dates));
            }
            else if (RowInterpreter.IsProbe(row))
            {
                if (Is(row, "EgressCheck", EgressCheck.Failed)) EgressFailed();
                if (Is(row, "Status", ProbeStatus.NotTested))
                {
                    // Only a probing-side fault says something; a disabled connector or an address range was neither looked at nor failed.
                    if (Is(row, "Reason", Reason.ProbeSideFault))
                        Fail(connector, server, $"{Untrusted.Clean(server) ?? "a server"} could not be probed from this host (ProbeSideFault: no route, port 25 blocked on the way out, a local limit)");
                    return;
                }
                Probed(connector, server, Text(row, "ComputerName"), RowInterpreter.ObservedAt(row, dates), succeeded: true);
            }
            else if (RowInterpreter.IsQueue(row))
            {
                // Exchange Server's own view of its next hop: a queue in Retry (or Suspended) still holds mail there.
                string queue = "queue:" + Text(row, "Identity");
                if (Is(row, "Status", "Retry") || Is(row, "Status", "Suspended")) exchangeServer.Deferred(connector, server, queue, null);
                else exchangeServer.Delivered(connector, server, queue, null);
            }
            else
            {
                TraceEvent e = RowInterpreter.EventOf(row);
                if (e != TraceEvent.None)
                {
                    RowInterpreter.MessageOf(row, out string traceId, out string key, out string recipient);
                    string message = DeliveryView.MessageOf(traceId, key, recipient);
                    DateTime? at = RowInterpreter.ObservedAt(row, dates);
                    if (e == TraceEvent.Delivered) microsoft365.Delivered(connector, server, message, at);
                    else if (e == TraceEvent.Deferred) microsoft365.Deferred(connector, server, message, at);
                    else microsoft365.Ended(connector, server, message, at);
                }
            }
            Look(connector, server);
        }

        /// <summary>A line of text that carries no failure: a Postfix "status=sent" line is that MTA's delivery to its relay.</summary>
        public void PassedOverLine(string line)
        {
            if (!PostfixLog.Sent(line, out string server, out string key, out string recipient, out DateTime? at)) return;
            otherMta.Delivered(null, server, DeliveryView.MessageOf(null, key, recipient), at);
            Look(null, server);
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

        /// <summary>
        /// Whether this run resolves a baseline alert it did not find (its probing side did not fail there: see
        /// <see cref="ProbeSideFailure"/>). The view nearest the mail that raised it decides: Microsoft 365 (a delivery
        /// through its connector, and its server where the row names one, after <paramref name="lastSeen"/>, and no message
        /// whose last event there is a deferral), then Exchange Server (its queues toward the next hop, none in retry), then
        /// another MTA (a later status=sent toward the server, nothing still deferred), then a probe (one from the same
        /// computer, <paramref name="computers"/>, or any when the alert names none). An alert raised from no known view
        /// (<paramref name="raisedBy"/> None, or a baseline written before ObservedFrom) keeps the older rule: resolved
        /// wherever this run looked.
        /// </summary>
        public ChangeVerdict Judge(ObservedFrom raisedBy, string connector, string server, DateTime? lastSeen, ICollection<string> computers, Language language)
        {
            // A report names no connector: it speaks for alerts that name none (those it raised), never for a connector's.
            bool reportClear = string.IsNullOrEmpty(connector) && ReportClear(Decides(raisedBy), server, lastSeen);
            if (!Looked(connector, server) && !reportClear)
                return new ChangeVerdict
                {
                    Why = string.IsNullOrEmpty(connector)
                        ? (string.IsNullOrEmpty(server) ? "it names no connector nor server to look at" : "this run read nothing about its server")
                        : "this run read nothing about its connector",
                };
            ObservedFrom decides = Decides(raisedBy);
            if (decides == ObservedFrom.None) return new ChangeVerdict { Resolved = true };
            DeliveryView own = ViewOf(decides);
            if (own != null)
            {
                DeliveryView.Sight s = own.Look(connector, server, lastSeen);
                if ((s.DeliveredSince || reportClear) && s.StillDeferred == 0) return new ChangeVerdict { Resolved = true };
            }
            else if (ProbedFrom(connector, server, computers)) return new ChangeVerdict { Resolved = true };

            string names = computers == null || computers.Count == 0 ? null : Untrusted.Clean(string.Join(", ", computers));
            return new ChangeVerdict
            {
                Why = Say(Language.English, decides, connector, server, lastSeen, computers, names, out _),
                Note = Say(language, decides, connector, server, lastSeen, computers, names, out bool saw) is string note && saw ? note : null,
            };
        }

        /// <summary>What this run saw of the place from every view, then the rule; <paramref name="saw"/> is false when it saw nothing to tell.</summary>
        string Say(Language language, ObservedFrom decides, string connector, string server, DateTime? lastSeen, ICollection<string> computers, string names, out bool saw)
        {
            var sightings = new List<string>();
            // A probe that took the session, from anywhere (for a probe's alert, from another computer: one from its own would have resolved it).
            ProbeSight reachable = probes.Values.Where(p => p.Succeeded != null && Matches(p, connector, server)
                                                           && (decides != ObservedFrom.ThisComputer || !SameComputer(p.Computer, computers)))
                                                .OrderByDescending(p => p.Succeeded).FirstOrDefault();
            if (reachable != null)
                sightings.Add(ChangeNote.ReachableFrom(language, Untrusted.Clean(reachable.Computer), reachable.Succeeded == DateTime.MinValue ? null : reachable.Succeeded));
            foreach (ObservedFrom view in new[] { ObservedFrom.Microsoft365, ObservedFrom.ExchangeServer, ObservedFrom.OtherMta })
            {
                DeliveryView.Sight s = ViewOf(view).Look(connector, server, lastSeen);
                if (s.Delivered) sightings.Add(ChangeNote.Delivered(language, view, s.LatestDelivery, s.DeliveredSince, lastSeen));
                if (s.StillDeferred > 0) sightings.Add(ChangeNote.Deferred(language, view, s.StillDeferred));
            }
            saw = sightings.Count > 0;
            string rule = ChangeNote.Rule(language, decides, names);
            return saw ? ChangeNote.Compose(language, sightings, rule) : rule;
        }

        /// <summary>The view whose word settles an alert seen from several: the one nearest the mail.</summary>
        static ObservedFrom Decides(ObservedFrom raisedBy) =>
            (raisedBy & ObservedFrom.Microsoft365) != 0 ? ObservedFrom.Microsoft365
            : (raisedBy & ObservedFrom.ExchangeServer) != 0 ? ObservedFrom.ExchangeServer
            : (raisedBy & ObservedFrom.OtherMta) != 0 ? ObservedFrom.OtherMta
            : (raisedBy & ObservedFrom.ThisComputer) != 0 ? ObservedFrom.ThisComputer
            : ObservedFrom.None;

        DeliveryView ViewOf(ObservedFrom view) =>
            view == ObservedFrom.Microsoft365 ? microsoft365
            : view == ObservedFrom.ExchangeServer ? exchangeServer
            : view == ObservedFrom.OtherMta ? otherMta : null;

        /// <summary>An NDR, an expired message, a 5xx: the message no longer waits there.</summary>
        static bool IsFinal(EvidenceRecord r)
        {
            if (r.Expired) return true;
            string code = (r.EnhancedCode ?? r.Family?.EnhancedStatusCode ?? r.RawCode ?? "").TrimStart();
            return code.StartsWith("5", StringComparison.Ordinal);
        }

        /// <summary>
        /// Whether a probe of this run (any status but NotTested) looked at the alert's connector (any of its servers: a probe
        /// covers every smart host) or, for an alert that names none, its server, from one of the alert's computers.
        /// </summary>
        bool ProbedFrom(string connector, string server, ICollection<string> computers) =>
            probes.Values.Any(p => Matches(p, connector, server) && SameComputer(p.Computer, computers));

        static bool Matches(ProbeSight p, string connector, string server) =>
            !string.IsNullOrEmpty(connector) ? string.Equals(p.Connector, Untrusted.Clean(connector), StringComparison.OrdinalIgnoreCase)
            : !string.IsNullOrEmpty(server) && string.Equals(p.Server, Untrusted.Clean(server), StringComparison.OrdinalIgnoreCase);

        /// <summary>An alert that names no computer (written before ComputerName) takes a probe from any.</summary>
        static bool SameComputer(string computer, ICollection<string> computers) =>
            computers == null || computers.Count == 0 || (computer != null && computers.Contains(computer, StringComparer.OrdinalIgnoreCase));

        void Probed(string connector, string server, string computer, DateTime? at, bool succeeded)
        {
            connector = string.IsNullOrEmpty(connector) ? null : Untrusted.Clean(connector);
            server = string.IsNullOrEmpty(server) ? null : Untrusted.Clean(server);
            computer = string.IsNullOrWhiteSpace(computer) ? null : computer.Trim();
            if (connector == null && server == null) return;
            string key = connector + "\u0001" + server + "\u0001" + computer;
            if (!probes.TryGetValue(key, out ProbeSight p)) probes.Add(key, p = new ProbeSight { Connector = connector, Server = server, Computer = computer });
            // The latest success, for the Detail of an alert it cannot resolve; a success without a time is still one.
            if (succeeded && (p.Succeeded == null || (at ?? DateTime.MinValue) > p.Succeeded)) p.Succeeded = at ?? p.Succeeded ?? DateTime.MinValue;
        }

        void EgressFailed() =>
            wholeRunFailure = wholeRunFailure ?? "this computer's egress check failed (a host known to listen on the probe's port did not answer either), so this run cannot vouch for anything (EgressCheck Failed)";

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

        static bool Is(IReadOnlyDictionary<string, object> row, string name, string value) =>
            string.Equals(Text(row, name)?.Trim(), value, StringComparison.OrdinalIgnoreCase);

        static string Text(IReadOnlyDictionary<string, object> row, string name) =>
            row.TryGetValue(name, out object v) && v != null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

        /// <summary>The probes of one connector, server and computer in this run.</summary>
        sealed class ProbeSight
        {
            public string Connector, Server, Computer;
            /// <summary>When the latest one took the session (MinValue: one did, at no stated time); null: none did.</summary>
            public DateTime? Succeeded;
        }
    }
}
