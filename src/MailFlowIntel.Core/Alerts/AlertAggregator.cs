using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
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
        /// <summary>The language of Titles, Causes and Fixes (read once per call from the UI culture).</summary>
        public Language Language { get; set; }
    }

    /// <summary>
    /// Groups evidence into one alert per (code family, connector, destination server). Holds per group only counters,
    /// a 64-bit hash per distinct message and recipient, and a bounded sample; for the whole run an arrival and a mark per
    /// distinct MessageTraceId, and each distinct Pending trace row's recipients until the end: memory grows with distinct
    /// messages, never with the number of rows.
    /// </summary>
    public sealed class AlertAggregator
    {
        public static readonly TimeSpan ExchangeOnlineLifetime = TimeSpan.FromHours(24);
        public static readonly TimeSpan ExchangeServerLifetime = TimeSpan.FromDays(2);
        /// <summary>Postfix's maximal_queue_lifetime by default (postconf(5): 5d): its own deferred mail bounces after that.</summary>
        public static readonly TimeSpan PostfixLifetime = TimeSpan.FromDays(5);
        static readonly TimeSpan QueuedLongEnough = TimeSpan.FromHours(1);

        readonly AlertOptions options;
        readonly Dictionary<string, Group> groups = new Dictionary<string, Group>(StringComparer.OrdinalIgnoreCase);
        // The same groups by the keys' exact spellings, tried first: every row looks its group up, and comparing
        // without case costs more, above all in a fresh session (see HotPath).
        readonly Dictionary<string, Group> spelled = new Dictionary<string, Group>(StringComparer.Ordinal);
        readonly List<Group> order = new List<Group>();
        // The arrival (Received) of each message by its MessageTraceId hash: Get-MessageTraceDetailV2 rows carry no arrival,
        // their Get-MessageTraceV2 row does, and either may come first. Read when the alerts are made, so order is free.
        readonly Dictionary<ulong, DateTime> arrivals = new Dictionary<ulong, DateTime>();
        // MessageTraceIds whose evidence gives a reason: their Pending message trace rows make no Pending alert of their own.
        readonly HashSet<ulong> explained = new HashSet<ulong>();

        public AlertAggregator(AlertOptions options) { this.options = options; }

        /// <summary>
        /// A message's arrival, from its message trace row (Get-MessageTraceV2's Received), whatever that row says of
        /// delivery: detail rows with the same MessageTraceId count their expiry from it. Not filtered: it is no evidence.
        /// </summary>
        public void Arrived(string traceId, DateTime received)
        {
            if (string.IsNullOrEmpty(traceId)) return;
            ulong t = Hash(traceId);
            if (!arrivals.TryGetValue(t, out DateTime known) || received < known) arrivals[t] = received;
        }

        /// <summary>
        /// What a piece of evidence tells of its message (by MessageTraceId), whatever the filters keep: its arrival, and
        /// that its reason is known. <see cref="Add"/> learns it too; a caller that filters learns it before the filter.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public void Learn(EvidenceRecord r)
        {
            if (r.Prior != null || r.TraceId == null) return;
            if (r.ArrivedAt != null) Arrived(r.TraceId, r.ArrivedAt.Value);
            if (!IsPending(r)) explained.Add(Hash(r.TraceId));
        }

        [MethodImpl(HotPath.Optimized)]
        public void Add(EvidenceRecord r)
        {
            Learn(r);
            string key = KeyOf(r);
            if (!spelled.TryGetValue(key, out Group g))
            {
                if (!groups.TryGetValue(key, out g))
                {
                    g = new Group(r) { Key = key };
                    groups.Add(key, g);
                    order.Add(g);
                }
                spelled.Add(key, g);
            }
            // A Pending trace row waits for the end: if a detail row of its message gives the reason, it is that alert's.
            g.Add(r, options, hold: r.Prior == null && r.TraceId != null && IsPending(r));
        }

        static bool IsPending(EvidenceRecord r) => r.Scenario == ScenarioCatalog.Pending || (r.Scenario == null && r.RawCode == "Pending");

        /// <summary>
        /// The alert's own key: code family, connector and destination server, compared without case. One alert per fault,
        /// whatever spelled it: certificate scenarios are one family as 4.7.320 or 4.4.317 [Message=...]. Names are taken as
        /// an alert shows them (cleaned), so an alert read back falls under the key it was written from.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static string KeyOf(EvidenceRecord r) =>
            (r.Family?.EnhancedStatusCode ?? r.RawCode ?? r.Scenario?.Reason.ToString() ?? "") + "\u0001" + Untrusted.Clean(r.Connector ?? "") + "\u0001" + Untrusted.Clean(r.DestinationServer ?? "");

        /// <summary>What this run read that carries no failure but speaks of a place from one vantage (a probe's success, a delivery).</summary>
        public VantageSightings Sightings { get; } = new VantageSightings();

        /// <summary>The alerts, in the order their first evidence arrived.</summary>
        public IEnumerable<MailFlowAlert> Alerts() => KeyedAlerts().Select(a => a.Value);

        /// <summary>
        /// The alerts with their keys (<see cref="KeyOf"/>), for a comparison with a baseline; where both vantages speak of one
        /// connector and server, as one alert (<see cref="VantageComparison"/>).
        /// </summary>
        public IEnumerable<KeyValuePair<string, MailFlowAlert>> KeyedAlerts() =>
            VantageComparison.Apply(order.Select(g => new KeyValuePair<string, MailFlowAlert>(g.Key, g.ToAlert(options, this))).Where(a => a.Value != null).ToList(),
                Sightings, options.Language);

        /// <summary>One alert for one piece of evidence (-NoGroup).</summary>
        public static MailFlowAlert Single(EvidenceRecord r, AlertOptions options)
        {
            var g = new Group(r);
            g.Add(r, options);
            return g.ToAlert(options, null);
        }

        /// <summary>
        /// Since when one message (or queue) has waited, whether that is its arrival, its MessageTraceId hash (0: none),
        /// and whether it is a message (counted among the alert's messages) rather than a queue.
        /// </summary>
        struct Waiting
        {
            public DateTime Since;   // default: not known
            public bool IsArrival;
            public ulong Trace;
            public bool IsMessage;
        }

        /// <summary>A Pending message trace row held until the alerts are made (see <see cref="Group.Add"/>), one per message and recipients.</summary>
        sealed class HeldRow
        {
            public ulong Trace, Message;
            public DateTime? Received;
            public List<string> Recipients;
            public long Count;
        }

        sealed class Group
        {
            public string Key;
            readonly CodeFamily family;
            readonly string enhancedCode, connector, server;
            readonly List<Scenario> scenarios = new List<Scenario>();
            readonly List<string> rawCodes = new List<string>();
            string address, detail, evidence, failoverServer;
            EvidenceRecord facts;   // the first record that carried a probe's facts (certificate, TLS settings, reply)
            long messages;   // distinct message keys: the entries of waiting that are messages
            Dictionary<ulong, HeldRow> held;   // Pending message trace rows by MessageTraceId and recipients: counted in ToAlert
            readonly HashMap<Waiting> waiting = new HashMap<Waiting>();
            readonly Dictionary<ulong, long> queueCounts = new Dictionary<ulong, long>();
            readonly HashMap<bool> recipients = new HashMap<bool>();   // a set: the values are not used
            readonly List<string> recipientSample = new List<string>();
            readonly SortedSet<string> sources = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            readonly SortedSet<string> files = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            readonly SortedSet<string> computers = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            ObservedFrom observedFrom;
            string microsoft365Token;
            long unkeyedMessages, unkeyedQueuedOverAnHour, evidenceCount, failoverCount, unnamedRecipients;
            AlertSeverity severityFloor;   // the highest severity of an alert read back: a re-read never lowers it
            DateTime? first, last, unkeyedArrival, unkeyedDeferral, statedExpiry;
            ExpiryBasis? statedBasis;   // Stated, or what an alert read back said of its ExpiresAt
            bool expired, serverPlatform, postfixPlatform;
            string connectorType, connectorName;
            Responsible responsible;

            public Group(EvidenceRecord r)
            {
                family = r.Family;
                enhancedCode = r.EnhancedCode;
                connector = r.Connector;
                server = r.DestinationServer;
            }

            /// <param name="hold">
            /// A Pending message trace row with a MessageTraceId: its texts join the group now, its counts when the alert is
            /// made, and only if no evidence gave its message a reason by then.
            /// </param>
            [MethodImpl(HotPath.Optimized)]
            public void Add(EvidenceRecord r, AlertOptions o, bool hold = false)
            {
                PriorAlert prior = r.Prior;
                long weight = Math.Max(1, prior?.EvidenceCount ?? 1);   // an alert read back stands for all the evidence it grouped
                if (!hold) evidenceCount += weight;
                Scenario scenario = r.Scenario ?? (r.RawCode == "Pending" ? ScenarioCatalog.Pending : ScenarioCatalog.Unrecognized);
                AddScenario(scenario);
                AddRawCode(r.RawCode);
                if (r.FailoverServer != null) { failoverCount += weight; failoverServer = failoverServer ?? r.FailoverServer; }
                if (prior != null) AddPrior(r, prior, o);
                if (facts == null && (r.CertificateSubject != null || r.ServerResponse != null || r.TlsSettings != null || r.ObservedTlsaRecord != null || r.MtaStsPolicyDomain != null)) facts = r;
                connectorType = connectorType ?? r.ConnectorType;
                connectorName = connectorName ?? r.ConnectorName;
                if (responsible == Responsible.Unknown) responsible = r.Responsible;
                address = address ?? r.LastAttemptedIP;
                detail = detail ?? r.Detail;
                evidence = evidence ?? r.Text;
                if (sources.Count < 8 && r.Source != null) sources.Add(r.Source);
                if (files.Count < 8 && r.File != null) files.Add(r.File);
                observedFrom |= r.ObservedFrom;
                if (microsoft365Token == null && (r.ObservedFrom & ObservedFrom.Microsoft365) != 0) microsoft365Token = r.MessageToken;
                if (r.ComputerName != null)
                    foreach (string c in r.ComputerName.Split(';'))
                        if (computers.Count < 8 && c.Trim().Length > 0) computers.Add(c.Trim());
                expired |= r.Expired;
                serverPlatform |= r.Platform == EvidencePlatform.ExchangeServer;
                postfixPlatform |= r.Platform == EvidencePlatform.Postfix;

                if (prior != null) return;   // counted above, as a whole
                if (hold) { Hold(r); return; }
                DateTime? seen = r.ObservedAt ?? r.ArrivedAt ?? r.FirstDeferredAt;
                if (seen != null) { first = Min(first, seen); last = Max(last, seen); }
                if (r.SeenFrom != null) first = Min(first, r.SeenFrom);
                if (r.SeenUntil != null) last = Max(last, r.SeenUntil);
                // A message arrived no later than its first deferral: the best bound when the arrival is not given.
                DateTime? since = r.ArrivedAt ?? r.FirstDeferredAt ?? r.ObservedAt;
                bool isArrival = r.ArrivedAt != null;
                if (r.ExpiresAt != null && (statedExpiry == null || r.ExpiresAt < statedExpiry)) { statedExpiry = r.ExpiresAt; statedBasis = ExpiryBasis.Stated; }

                if (r.MessageCount > 0)
                {
                    if (r.MessageKey != null && r.MessageKey.StartsWith("queue:", StringComparison.Ordinal))
                    {
                        ulong q = Hash(r.MessageKey);   // the same queue seen twice counts once, at its largest
                        queueCounts[q] = queueCounts.TryGetValue(q, out long n) ? Math.Max(n, r.MessageCount) : r.MessageCount;
                        Wait(q, since, isArrival, null, message: false);
                    }
                    else if (r.MessageKey != null)
                    {
                        Wait(Hash(r.MessageKey), since, isArrival, r.TraceId, message: true);
                    }
                    else
                    {
                        unkeyedMessages += r.MessageCount;
                        if (since != null && since.Value <= o.AsOf - QueuedLongEnough) unkeyedQueuedOverAnHour += r.MessageCount;
                        if (isArrival) unkeyedArrival = Min(unkeyedArrival, since);
                        else unkeyedDeferral = Min(unkeyedDeferral, since);
                    }
                }
                foreach (string rcpt in r.Recipients)
                {
                    if (AddRecipient(Hash(rcpt)) && recipientSample.Count < o.RecipientSample) recipientSample.Add(rcpt);
                }
            }

            /// <summary>True when the recipient is new to the alert.</summary>
            bool AddRecipient(ulong key)
            {
                recipients.GetOrAdd(key, out bool added);
                return added;
            }

            void Hold(EvidenceRecord r)
            {
                held = held ?? new Dictionary<ulong, HeldRow>();
                ulong key = Hash(r.TraceId + "\u0001" + string.Join("\u0001", r.Recipients));
                if (!held.TryGetValue(key, out HeldRow h))
                    held.Add(key, h = new HeldRow { Trace = Hash(r.TraceId), Message = Hash(r.MessageKey ?? r.TraceId), Recipients = r.Recipients });
                h.Received = Min(h.Received, r.ArrivedAt ?? r.ObservedAt);
                h.Count++;
            }

            /// <summary>One message or queue waits since <paramref name="since"/>: an arrival beats any deferral, else the earliest.</summary>
            /// <param name="message">A message, not a queue: counted once among the alert's messages.</param>
            [MethodImpl(HotPath.Optimized)]
            void Wait(ulong key, DateTime? since, bool isArrival, string traceId, bool message)
            {
                ref Waiting w = ref waiting.GetOrAdd(key, out _);
                if (message && !w.IsMessage) { w.IsMessage = true; messages++; }
                if (since != null && (w.Since == default || (isArrival && !w.IsArrival) || (isArrival == w.IsArrival && since.Value < w.Since)))
                {
                    w.Since = since.Value;
                    w.IsArrival = isArrival;
                }
                if (w.Trace == 0 && traceId != null) w.Trace = Hash(traceId);
            }

            bool IsMessage(ulong key) => waiting.TryGetValue(key, out Waiting w) && w.IsMessage;

            [MethodImpl(HotPath.Optimized)]
            void AddScenario(Scenario scenario)
            {
                if (!scenarios.Contains(scenario) && scenarios.Count < 8) scenarios.Add(scenario);
            }

            [MethodImpl(HotPath.Optimized)]
            void AddRawCode(string rawCode)
            {
                if (rawCode == null || rawCodes.Count >= 8) return;
                foreach (string known in rawCodes) if (string.Equals(known, rawCode, StringComparison.OrdinalIgnoreCase)) return;
                rawCodes.Add(rawCode);
            }

            /// <summary>An alert read back: its counts, times, severity and spellings join the group's as they are.</summary>
            void AddPrior(EvidenceRecord r, PriorAlert prior, AlertOptions o)
            {
                foreach (Scenario s in prior.Scenarios) AddScenario(s);
                foreach (string c in prior.RawCodes) AddRawCode(c);
                foreach (string s in prior.Sources) if (sources.Count < 8) sources.Add(s);
                first = Min(first, prior.FirstSeen ?? prior.LastSeen);
                last = Max(last, prior.LastSeen ?? prior.FirstSeen);
                if (prior.ExpiresAt != null && (statedExpiry == null || prior.ExpiresAt < statedExpiry)) { statedExpiry = prior.ExpiresAt; statedBasis = prior.ExpiresFrom; }
                expired |= prior.Expired;
                if (prior.Severity > severityFloor) severityFloor = prior.Severity;
                unkeyedMessages += Math.Max(0, prior.MessageCount);
                long sampled = 0;
                foreach (string rcpt in r.Recipients)
                {
                    sampled++;
                    if (AddRecipient(Hash(rcpt)) && recipientSample.Count < o.RecipientSample) recipientSample.Add(rcpt);
                }
                // The alert kept only a sample of its recipients: the rest are counted, not named.
                unnamedRecipients += Math.Max(0, prior.RecipientCount - sampled);
            }

            /// <summary>The scenario that speaks for the alert: the first specific one seen, else the code's own meaning.</summary>
            Scenario Primary => scenarios.FirstOrDefault(s => !s.FamilyDefault) ?? scenarios.First();

            /// <param name="run">The aggregator: arrivals and explained messages by MessageTraceId. Null for one piece alone.</param>
            /// <returns>Null when nothing is left: every row held was a message whose reason other evidence gave.</returns>
            [MethodImpl(HotPath.Optimized)]   // once per alert, but it walks every message of the alert
            public MailFlowAlert ToAlert(AlertOptions o, AlertAggregator run)
            {
                Dictionary<ulong, DateTime> arrivals = run?.arrivals;
                DateTime cutoff = o.AsOf - QueuedLongEnough;
                long queuedOverAnHour = unkeyedQueuedOverAnHour;
                DateTime? oldest = null, firstSeen = first, lastSeen = last;
                bool oldestIsArrival = false;
                void Consider(DateTime? since, bool isArrival)
                {
                    if (since != null && (oldest == null || since < oldest || (since == oldest && isArrival))) { oldest = since; oldestIsArrival = isArrival; }
                }
                Consider(unkeyedArrival, true);
                Consider(unkeyedDeferral, false);

                // Pending rows held back: counted now, except those of messages that other evidence gave a reason for.
                long heldEvidence = 0;
                var heldMessages = new HashSet<ulong>();
                var heldRecipients = new HashSet<ulong>();
                var sample = recipientSample;
                foreach (HeldRow h in held?.Values ?? Enumerable.Empty<HeldRow>())
                {
                    if (run != null && run.explained.Contains(h.Trace)) continue;
                    heldEvidence += h.Count;
                    if (h.Received != null) { firstSeen = Min(firstSeen, h.Received); lastSeen = Max(lastSeen, h.Received); }
                    if (!IsMessage(h.Message) && heldMessages.Add(h.Message) && h.Received != null)
                    {
                        if (h.Received.Value <= cutoff) queuedOverAnHour++;
                        Consider(h.Received, true);
                    }
                    foreach (string rcpt in h.Recipients)
                    {
                        ulong r = Hash(rcpt);
                        if (recipients.TryGetValue(r, out _) || !heldRecipients.Add(r) || sample.Count >= o.RecipientSample) continue;
                        if (sample == recipientSample) sample = new List<string>(recipientSample);
                        sample.Add(rcpt);
                    }
                }
                if (evidenceCount + heldEvidence == 0) return null;
                long messageCount = messages + heldMessages.Count + queueCounts.Values.Sum() + unkeyedMessages;
                foreach (KeyValuePair<ulong, Waiting> m in waiting.Pairs())
                {
                    DateTime? since = m.Value.Since == default ? (DateTime?)null : m.Value.Since;
                    bool isArrival = m.Value.IsArrival;
                    // Its message trace row's Received, joined on MessageTraceId: the arrival the detail rows lack.
                    if (m.Value.Trace != 0 && arrivals != null && arrivals.TryGetValue(m.Value.Trace, out DateTime received)
                        && (since == null || !isArrival || received < since.Value))
                    {
                        since = received;
                        isArrival = true;
                    }
                    if (since == null) continue;
                    if (since.Value <= cutoff) queuedOverAnHour += queueCounts.TryGetValue(m.Key, out long n) ? n : 1;
                    Consider(since, isArrival);
                }
                DateTime? expires = statedExpiry;
                ExpiryBasis? expiresFrom = statedBasis;
                if (expires == null && oldest != null)
                {
                    // How long the system holding the mail keeps it: Exchange Server 2 days, Postfix 5 days (its default), Exchange Online 24 hours.
                    expires = oldest.Value + (!serverPlatform && !postfixPlatform ? ExchangeOnlineLifetime : serverPlatform ? ExchangeServerLifetime : PostfixLifetime);
                    expiresFrom = oldestIsArrival ? ExpiryBasis.Arrival : ExpiryBasis.FirstDeferral;
                }
                bool isExpired = expired || (expires != null && expires.Value <= o.AsOf);
                Scenario primary = Primary;
                string code = family?.Code ?? rawCodes.FirstOrDefault();
                string enhanced = family?.EnhancedStatusCode ?? enhancedCode;
                // Exchange Server's evidence keeps the code that server wrote (451 4.4.0, 441 4.4.1): Microsoft 365 gave none.
                // The key stays the family's (KeyOf), so a baseline written when the alert showed 450 4.4.316 still matches.
                // A catalog spelling (an alert read back from before, a probe beside it) is not the server's own.
                if (family != null && Scenario.Speaker(observedFrom) == ObservedFrom.ExchangeServer
                    && (rawCodes.FirstOrDefault(c => CodeFamily.Find(c) != family) ?? rawCodes.FirstOrDefault()) is string own)
                {
                    code = own;
                    enhanced = EnhancedOf(own);
                }
                bool pending = primary.Reason == Reason.Pending;
                bool failover = failoverCount == evidenceCount + heldEvidence && failoverServer != null;

                var caseFacts = new CaseFacts
                {
                    Host = Untrusted.Clean(server),
                    Address = address,
                    Reply = Untrusted.Clean(facts?.ServerResponse ?? (primary.Reason == Reason.Unrecognized ? code + (detail != null ? " " + detail : "") : detail)),
                    Subject = Untrusted.Clean(facts?.CertificateSubject),
                    Issuer = Untrusted.Clean(facts?.CertificateIssuer),
                    Names = Untrusted.Clean(facts?.CertificateNames),
                    NotAfter = facts?.CertificateNotAfter,
                    Thumbprint = facts?.CertificateThumbprint,
                    TlsaRecord = Untrusted.Clean(facts?.ObservedTlsaRecord),
                    ProbedFrom = Untrusted.Clean(facts?.ProbedFrom),
                    MtaStsDomain = Untrusted.Clean(facts?.MtaStsPolicyDomain),
                    MtaStsPolicyId = Untrusted.Clean(facts?.MtaStsPolicyId),
                    Problems = Untrusted.Clean(facts?.CertificateErrors ?? detail),
                    TlsSettings = facts?.TlsSettings,
                    TlsDomain = facts?.TlsDomain,
                    Connector = Untrusted.Clean(connector),
                    Domain = Untrusted.Clean(server),
                    FailoverServer = Untrusted.Clean(failoverServer),
                    Responsible = responsible,
                    ObservedFrom = observedFrom,
                };
                var alert = new MailFlowAlert
                {
                    Code = code,
                    EnhancedStatusCode = enhanced,
                    Reason = string.Join("; ", scenarios.Select(s => s.Reason.ToString())),
                    Title = primary.Title(o.Language),
                    Cause = primary.CauseFor(o.Language, caseFacts),
                    Fix = primary.FixFor(o.Language, caseFacts),
                    // An Exchange Server send connector shows its name; its GUID stays the key and is kept beside it.
                    Connector = Untrusted.Clean(connectorName ?? connector),
                    SendConnectorId = connectorName == null ? null : Untrusted.Clean(connector),
                    ConnectorType = connectorType,
                    Responsible = responsible,
                    DestinationServer = Untrusted.Clean(server),
                    LastAttemptedIP = address,
                    MessageCount = messageCount,
                    RecipientCount = recipients.Count + heldRecipients.Count + unnamedRecipients,
                    Recipients = Untrusted.Clean(string.Join("; ", sample), 2048),
                    FirstSeen = firstSeen,
                    LastSeen = lastSeen,
                    ExpiresAt = expires,
                    ExpiresFrom = expires == null ? null : expiresFrom,
                    Expired = isExpired,
                    Severity = Max(severityFloor, SeverityTable.Of(messageCount, expires - o.AsOf, isExpired, queuedOverAnHour, o.Threshold, pending, failover)),
                    RawCode = rawCodes.Any(c => !string.Equals(c, code, StringComparison.OrdinalIgnoreCase)) ? string.Join("; ", rawCodes) : null,
                    Detail = Untrusted.Clean(detail),
                    ServerResponse = Untrusted.Clean(facts?.ServerResponse),
                    TlsSettings = facts?.TlsSettings,
                    TlsDomain = Untrusted.Clean(facts?.TlsDomain),
                    CertificateSubject = Untrusted.Clean(facts?.CertificateSubject),
                    CertificateIssuer = Untrusted.Clean(facts?.CertificateIssuer),
                    CertificateNames = Untrusted.Clean(facts?.CertificateNames, 2048),
                    CertificateNotAfter = facts?.CertificateNotAfter,
                    CertificateThumbprint = facts?.CertificateThumbprint,
                    CertificateErrors = facts?.CertificateErrors,
                    ObservedTlsaRecord = Untrusted.Clean(facts?.ObservedTlsaRecord),
                    ProbedFrom = Untrusted.Clean(facts?.ProbedFrom),
                    MtaStsPolicyDomain = Untrusted.Clean(facts?.MtaStsPolicyDomain),
                    MtaStsPolicyId = Untrusted.Clean(facts?.MtaStsPolicyId),
                    ObservedFrom = observedFrom,
                    ComputerName = computers.Count == 0 ? null : Untrusted.Clean(string.Join("; ", computers)),
                    Source = string.Join("; ", sources),
                    EvidenceFiles = Untrusted.Clean(string.Join("; ", files), 2048),
                    EvidenceCount = evidenceCount + heldEvidence,
                    Evidence = Untrusted.Clean(evidence),
                    Microsoft365Token = microsoft365Token,
                };
                if (failover)
                {
                    // Only probe results of targets that still delivered: Microsoft 365 would move on, nothing queues.
                    alert.FailoverServer = Untrusted.Clean(failoverServer);
                    alert.Cause = FailoverPhrase.Render(o.Language, caseFacts) + " " + alert.Cause;
                }
                return alert;
            }

            static readonly Phrase FailoverPhrase = new Phrase(
                "{Host} failed, but Microsoft 365 would fail over to {Failover}, which took the session: mail still goes through, with one server fewer to fall back on.",
                "{Host} a échoué, mais Microsoft 365 basculerait vers {Failover}, qui a accepté la session : le courrier passe toujours, avec un serveur de secours en moins.");

            /// <summary>"4.4.0" of "451 4.4.0", "4.4.7" alone; null for a bare reply code ("421").</summary>
            static string EnhancedOf(string code) =>
                code.Split(' ').FirstOrDefault(t => t.Length >= 5 && (t[0] == '2' || t[0] == '4' || t[0] == '5') && t[1] == '.');

            static DateTime? Min(DateTime? a, DateTime? b) => a == null ? b : b == null ? a : (a < b ? a : b);
            static AlertSeverity Max(AlertSeverity a, AlertSeverity b) => a > b ? a : b;
            static DateTime? Max(DateTime? a, DateTime? b) => a == null ? b : b == null ? a : (a > b ? a : b);
        }

        /// <summary>64-bit FNV-1a of the lower-cased text: enough to tell a million messages apart.</summary>
        [MethodImpl(HotPath.Optimized)]
        internal static ulong Hash(string s)
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
