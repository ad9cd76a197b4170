using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>Settings of the grouping: the clock it judges age and expiry by, and the queue alert's threshold.</summary>
    public sealed class AlertOptions
    {
        /// <summary>The moment against which age and expiry are judged (UTC); now, unless reading old evidence.</summary>
        public DateTime AsOf { get; set; } = DateTime.UtcNow;
        /// <summary>
        /// Messages queued for over an hour that make an alert High. 200 is the default of Microsoft 365's own queue alert
        /// ("Messages have been delayed"), per Microsoft Learn: "Queued messages report in the new Exchange admin center in
        /// Exchange Online" (learn.microsoft.com/exchange/monitoring/mail-flow-reports/mfr-queued-messages-report), whose
        /// alert-policy step shows 2000 in places: admins pass their own policy's value.
        /// </summary>
        public int Threshold { get; set; } = 200;
        public int RecipientSample { get; set; } = 10;
    }

    /// <summary>
    /// Groups evidence into one alert per (code family, connector, destination server). Holds per group only counters,
    /// a 64-bit hash per distinct message and recipient, and a bounded sample: memory grows with distinct messages,
    /// never with the number of rows.
    /// </summary>
    public sealed class AlertAggregator
    {
        public static readonly TimeSpan ExchangeOnlineLifetime = TimeSpan.FromHours(24);
        public static readonly TimeSpan ExchangeServerLifetime = TimeSpan.FromDays(2);
        static readonly TimeSpan QueuedLongEnough = TimeSpan.FromHours(1);

        readonly AlertOptions options;
        readonly Dictionary<string, Group> groups = new Dictionary<string, Group>(StringComparer.OrdinalIgnoreCase);
        readonly List<Group> order = new List<Group>();

        public AlertAggregator(AlertOptions options) { this.options = options; }

        public void Add(EvidenceRecord r)
        {
            string code = r.Mapped?.Code ?? r.RawCode ?? "";
            string key = code + "\u0001" + (r.Connector ?? "") + "\u0001" + (r.DestinationServer ?? "");
            if (!groups.TryGetValue(key, out Group g))
            {
                g = new Group(r);
                groups.Add(key, g);
                order.Add(g);
            }
            g.Add(r, options);
        }

        /// <summary>The alerts, in the order their first evidence arrived.</summary>
        public IEnumerable<MailFlowAlert> Alerts() => order.Select(g => g.ToAlert(options));

        /// <summary>One alert for one piece of evidence (-NoGroup).</summary>
        public static MailFlowAlert Single(EvidenceRecord r, AlertOptions options)
        {
            var g = new Group(r);
            g.Add(r, options);
            return g.ToAlert(options);
        }

        sealed class Group
        {
            readonly FailureCode code;
            readonly string rawCode, enhancedCode, connector, server;
            string address, detail, evidence;
            readonly HashSet<ulong> messages = new HashSet<ulong>();
            readonly Dictionary<ulong, DateTime> queuedSince = new Dictionary<ulong, DateTime>();
            readonly Dictionary<ulong, long> queueCounts = new Dictionary<ulong, long>();
            readonly HashSet<ulong> recipients = new HashSet<ulong>();
            readonly List<string> recipientSample = new List<string>();
            readonly SortedSet<string> sources = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            readonly SortedSet<string> files = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            long unkeyedMessages, unkeyedQueuedOverAnHour, evidenceCount, failoverCount;
            string failoverServer;
            DateTime? first, last, oldestArrival, statedExpiry;
            bool expired, serverPlatform;

            public Group(EvidenceRecord r)
            {
                code = r.Mapped;
                rawCode = r.RawCode;
                enhancedCode = r.EnhancedCode;
                connector = r.Connector;
                server = r.DestinationServer;
            }

            public void Add(EvidenceRecord r, AlertOptions o)
            {
                evidenceCount++;
                if (r.FailoverServer != null) { failoverCount++; failoverServer = failoverServer ?? r.FailoverServer; }
                address = address ?? r.LastAttemptedIP;
                detail = detail ?? r.Detail;
                evidence = evidence ?? r.Text;
                if (sources.Count < 8 && r.Source != null) sources.Add(r.Source);
                if (files.Count < 8 && r.File != null) files.Add(r.File);
                expired |= r.Expired;
                serverPlatform |= r.Platform == EvidencePlatform.ExchangeServer;

                DateTime? seen = r.ObservedAt ?? r.ArrivedAt;
                if (seen != null) { first = Min(first, seen); last = Max(last, seen); }
                // A message arrived no later than its first deferral: the best bound when the arrival is not given.
                DateTime? arrived = r.ArrivedAt ?? r.ObservedAt;
                if (r.ExpiresAt != null) statedExpiry = Min(statedExpiry, r.ExpiresAt);

                if (r.MessageCount > 0)
                {
                    if (r.MessageKey != null && r.MessageKey.StartsWith("queue:", StringComparison.Ordinal))
                    {
                        ulong q = Hash(r.MessageKey);   // the same queue seen twice counts once, at its largest
                        queueCounts[q] = queueCounts.TryGetValue(q, out long n) ? Math.Max(n, r.MessageCount) : r.MessageCount;
                        if (arrived != null) queuedSince[q] = queuedSince.TryGetValue(q, out DateTime d) && d < arrived.Value ? d : arrived.Value;
                    }
                    else if (r.MessageKey != null)
                    {
                        ulong m = Hash(r.MessageKey);
                        messages.Add(m);
                        if (arrived != null) queuedSince[m] = queuedSince.TryGetValue(m, out DateTime d) && d < arrived.Value ? d : arrived.Value;
                    }
                    else
                    {
                        unkeyedMessages += r.MessageCount;
                        if (arrived != null && arrived.Value <= o.AsOf - QueuedLongEnough) unkeyedQueuedOverAnHour += r.MessageCount;
                    }
                    if (arrived != null) oldestArrival = Min(oldestArrival, arrived);
                }
                foreach (string rcpt in r.Recipients)
                {
                    if (recipients.Add(Hash(rcpt)) && recipientSample.Count < o.RecipientSample) recipientSample.Add(rcpt);
                }
            }

            public MailFlowAlert ToAlert(AlertOptions o)
            {
                long messageCount = messages.Count + queueCounts.Values.Sum() + unkeyedMessages;
                DateTime? expires = statedExpiry;
                if (expires == null && oldestArrival != null)
                    expires = oldestArrival.Value + (serverPlatform ? ExchangeServerLifetime : ExchangeOnlineLifetime);
                bool isExpired = expired || (expires != null && expires.Value <= o.AsOf);
                DateTime cutoff = o.AsOf - QueuedLongEnough;
                long queuedOverAnHour = unkeyedQueuedOverAnHour
                    + queuedSince.Where(q => q.Value <= cutoff).Sum(q => queueCounts.TryGetValue(q.Key, out long n) ? n : 1);

                var alert = new MailFlowAlert
                {
                    Code = code?.Code ?? rawCode,
                    EnhancedStatusCode = code?.EnhancedStatusCode ?? enhancedCode,
                    Title = code?.Title ?? (rawCode == "Pending" ? "Messages pending, reason not in this evidence" : "Delivery failure outside the mail flow intelligence codes"),
                    Cause = code?.Cause ?? (rawCode == "Pending"
                        ? "Message trace shows these messages as pending; the summary rows do not say why."
                        : "The evidence carries a code that is not one of the connector failure codes; the server's own text says what it means."),
                    Fix = code?.Fix ?? (rawCode == "Pending"
                        ? "Pipe the messages to Get-MessageTraceDetailV2 to see the deferral reason, then run Get-MailFlowAlert on that."
                        : "Read the evidence text and the destination server's documentation for this code."),
                    Connector = Untrusted.Clean(connector),
                    DestinationServer = Untrusted.Clean(server),
                    LastAttemptedIP = address,
                    MessageCount = messageCount,
                    RecipientCount = recipients.Count,
                    Recipients = Untrusted.Clean(string.Join("; ", recipientSample), 2048),
                    FirstSeen = first,
                    LastSeen = last,
                    ExpiresAt = expires,
                    Expired = isExpired,
                    Severity = isExpired || queuedOverAnHour >= o.Threshold ? AlertSeverity.High
                             : rawCode == "Pending" ? AlertSeverity.Low : AlertSeverity.Medium,
                    RawCode = code != null && rawCode != null && rawCode != code.Code ? rawCode : null,
                    Detail = Untrusted.Clean(detail),
                    Source = string.Join("; ", sources),
                    EvidenceFiles = Untrusted.Clean(string.Join("; ", files), 2048),
                    EvidenceCount = evidenceCount,
                    Evidence = Untrusted.Clean(evidence),
                };
                if (failoverCount == evidenceCount && failoverServer != null)
                {
                    // Only probe results of targets that still delivered: Microsoft 365 would move on, nothing queues.
                    alert.Severity = AlertSeverity.Low;
                    alert.FailoverServer = Untrusted.Clean(failoverServer);
                    alert.Cause = $"{alert.DestinationServer ?? "This server"} failed, but Microsoft 365 would fail over to {alert.FailoverServer}, which took the session: mail still goes through, with one server fewer to fall back on. "
                                  + alert.Cause;
                }
                return alert;
            }

            static DateTime? Min(DateTime? a, DateTime? b) => a == null ? b : b == null ? a : (a < b ? a : b);
            static DateTime? Max(DateTime? a, DateTime? b) => a == null ? b : b == null ? a : (a > b ? a : b);
        }

        /// <summary>64-bit FNV-1a of the lower-cased text: enough to tell a million messages apart.</summary>
        static ulong Hash(string s)
        {
            ulong h = 14695981039346656037UL;
            foreach (char c in s)
            {
                h ^= char.ToLowerInvariant(c);
                h *= 1099511628211UL;
            }
            return h;
        }
    }
}
