using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Evidence
{
    /// <summary>
    /// Turns one row of evidence (a PowerShell object's properties, or a CSV row) into an EvidenceRecord.
    /// Rows are recognised by their property names: message trace detail, message trace, Graph trace detail,
    /// Exchange Server queue and message, our own probe results, historical search reports, or any row with a reason.
    /// </summary>
    public static class RowInterpreter
    {
        // Property names (any case) that carry each fact, in order of preference.
        static readonly string[] ObservedNames = { "Date", "date_time_utc", "dateTime", "Timestamp", "LastSeen", "LastRetryTime", "LastAttemptDate" };
        static readonly string[] ArrivedNames = { "Received", "origin_timestamp_utc", "DateReceived", "receivedDateTime", "ArrivalTime" };
        // When the waiting began, not the arrival: a queue's first retry, a report's first sighting.
        static readonly string[] FirstDeferredNames = { "FirstRetryTime", "FirstSeen" };
        static readonly string[] KeyNames = { "MessageId", "message_id", "internet_message_id", "InternetMessageId", "network_message_id", "NetworkMessageId", "MessageTraceId", "messageTraceId" };
        static readonly string[] RecipientNames = { "RecipientAddress", "recipient_address", "recipientAddress", "Recipient", "Recipients", "recipient_status" };
        static readonly string[] ConnectorNames = { "Connector", "connector_id", "ConnectorId", "NextHopConnector" };
        static readonly string[] ServerNames = { "DestinationServer", "LastAttemptedServerName" };
        static readonly string[] AddressNames = { "LastAttemptedIP", "IPAddress", "ToIP", "original_server_ip" };
        // Where a reason is written, most specific first.
        static readonly string[] ReasonNames = { "LastError", "Detail", "description", "Reason", "recipient_status", "Code", "EnhancedStatusCode", "Data", "custom_data", "Status" };

        static readonly Regex ConnectorInData = new Regex(@"TenantOutboundConnectorCustomData=Name=(?<name>[^;,""<&\]\}]+)|<MEP Name=""ConnectorId"" String=""(?<name>[^""]+)""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(250));
        internal static readonly Regex Address = new Regex(@"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(250));

        /// <summary>
        /// Interprets a row. Returns null when the row holds no failure (a delivered message, a probe that succeeded);
        /// <paramref name="why"/> then says why, for the verbose stream.
        /// </summary>
        /// <param name="file">The file the row was read from, or null for an object from the pipeline.</param>
        /// <param name="dates">How this file's (or pipeline's) dates are read; null reads each date alone in the current culture.</param>
        /// <exception cref="EvidenceFormatException">The row looks like ours but cannot be read, or a date's day and month cannot be told apart.</exception>
        [MethodImpl(HotPath.Optimized)]
        public static EvidenceRecord Interpret(IReadOnlyDictionary<string, object> row, string file, out string why, EvidenceDates dates = null)
        {
            why = null;
            dates = dates ?? new EvidenceDates(null, CultureInfo.CurrentCulture);
            var record = new EvidenceRecord { File = file };
            bool isQueue = IsQueue(row);
            bool isMessage = Has(row, "LastError") && !isQueue;
            bool isProbe = IsProbe(row);
            bool isTraceSummary = Has(row, "Status") && Has(row, "RecipientAddress") && Has(row, "Received") && !Has(row, "Event");
            bool isAction = IsAction(row);

            if (IsAlert(row))
            {
                // A Resolved alert says a fault is gone: read back, it must not stand for the fault again.
                if (Enum.TryParse(Text(row, "Change")?.Trim() ?? "", true, out AlertChange change) && change == AlertChange.Resolved)
                {
                    why = "a Resolved alert carries no failure";
                    return null;
                }
                return ReadAlert(row, file, dates);
            }
            if (isAction) { why = "a repair action is a plan, not evidence (pipe it to Repair-ConnectorConfig)"; return null; }
            if (isProbe)
            {
                ProbeStatus status = Named<ProbeStatus>(row, "Status", "a Test-ConnectorDelivery result");
                if (status != ProbeStatus.Failed) { why = $"a probe result with status {status} carries no failure"; return null; }
                record.Source = "Probe";
                record.Platform = EvidencePlatform.ExchangeOnline;   // it predicts Exchange Online's codes and lifetime
                record.ObservedFrom = ObservedFrom.ThisComputer;
                // A connector validation's result (Invoke-OutboundConnectorValidation) has the same shape, but Microsoft 365 saw it.
                if (Text(row, "ObservedFrom") != null && Named<ObservedFrom>(row, "ObservedFrom", "a Test-ConnectorDelivery result") == ObservedFrom.Microsoft365)
                {
                    record.Source = "Validation";
                    record.ObservedFrom = ObservedFrom.Microsoft365;
                }
                record.ComputerName = Text(row, "ComputerName");
                if (Text(row, "EgressCheck") != null) record.EgressCheck = Named<EgressCheck>(row, "EgressCheck", "a Test-ConnectorDelivery result");
                record.MessageCount = 0;   // a prediction, not queued mail
            }
            else if (isQueue)
            {
                record.Source = "Queue";
                record.Platform = EvidencePlatform.ExchangeServer;
                record.ObservedFrom = ObservedFrom.ExchangeServer;
                record.MessageKey = "queue:" + Text(row, "Identity");
                record.MessageCount = Number(row, "MessageCount") ?? 1;
                record.DestinationServer = Text(row, "NextHopDomain");
            }
            else if (isMessage)
            {
                record.Source = "Message";
                record.Platform = EvidencePlatform.ExchangeServer;
                record.ObservedFrom = ObservedFrom.ExchangeServer;
                record.MessageKey = First(row, "InternetMessageId", "Identity");
                record.ExpiresAt = Date(row, dates, "ExpirationTime");
            }
            else
            {
                record.Source = Has(row, "Event") || Has(row, "event_id") ? "MessageTraceDetail" : isTraceSummary ? "MessageTrace" : "Report";
                record.Platform = EvidencePlatform.ExchangeOnline;
                record.ObservedFrom = ObservedFrom.Microsoft365;   // message trace and historical search reports are Exchange Online's
            }

            bool found = false;
            if (isProbe)
            {
                // Our own result: its Code is the reason, and its Reason names the scenario (kept, not guessed again). A
                // failure with no code (DaneNotAvailable: Microsoft documents none) is its Reason alone.
                found = ReasonParser.Apply(Text(row, "Code"), record);
                if (!found && Text(row, "Code") == null && CodelessFailure(Text(row, "Reason")) is Scenario codeless)
                {
                    record.Scenario = codeless;
                    found = true;
                }
                if (!found) throw Unreadable("a Test-ConnectorDelivery result", "Code", Text(row, "Code"));
                if (Text(row, "Reason") != null && ScenarioCatalog.ByReason(Named<Reason>(row, "Reason", "a Test-ConnectorDelivery result")) is Scenario named
                    && named.Status == ProbeStatus.Failed)
                {
                    record.Scenario = named;
                    record.Family = named.Family;
                }
                record.ConnectorType = Text(row, "ConnectorType");
                if (Text(row, "Responsible") != null) record.Responsible = Named<Responsible>(row, "Responsible", "a Test-ConnectorDelivery result");
                record.TlsSettings = Text(row, "TlsSettings");
                record.TlsDomain = Text(row, "TlsDomain");
                record.ServerResponse = Text(row, "ServerResponse");
                record.CertificateSubject = Text(row, "CertificateSubject");
                record.CertificateIssuer = Text(row, "CertificateIssuer");
                record.CertificateNames = Text(row, "CertificateNames");
                record.CertificateErrors = Text(row, "CertificateErrors");
                record.CertificateThumbprint = Text(row, "CertificateThumbprint");
                record.ObservedTlsaRecord = Text(row, "ObservedTlsaRecord");
                record.ProbedFrom = Text(row, "ProbedFrom");
                record.MtaStsPolicyDomain = Text(row, "MtaStsPolicyDomain");
                record.MtaStsPolicyId = Text(row, "MtaStsPolicyId");
                record.CertificateNotAfter = Date(row, dates, "CertificateNotAfter");
                record.Text = Text(row, "ServerResponse") ?? Text(row, "Detail");
                record.Detail = Text(row, "Detail");
                record.DestinationServer = Text(row, "DestinationServer") ?? Text(row, "Target");
                ProbeStatus? target = Text(row, "TargetStatus") == null ? (ProbeStatus?)null : Named<ProbeStatus>(row, "TargetStatus", "a Test-ConnectorDelivery result");
                if (target == ProbeStatus.Succeeded || target == ProbeStatus.Warning)
                    record.FailoverServer = Text(row, "FailoverServer") ?? "another server of the same target";
            }
            foreach (string name in isProbe ? Array.Empty<string>() : ReasonNames)
            {
                string value = Text(row, name);
                if (value == null) continue;
                if (ReasonParser.Apply(value, record)) { record.Text = value; found = true; break; }
            }
            if (!found && isTraceSummary && IsPending(Text(row, "Status")))
            {
                // Pending mail with no reason in this evidence: kept, never dropped.
                record.RawCode = "Pending";
                record.Scenario = ScenarioCatalog.Pending;
                record.Text = "Status " + Text(row, "Status");
                found = true;
            }
            if (!found) { why = "the row carries no SMTP reply or status code"; return null; }

            record.ObservedAt = record.ObservedAt ?? Date(row, dates, ObservedNames);
            record.ArrivedAt = record.ArrivedAt ?? Date(row, dates, ArrivedNames);
            record.FirstDeferredAt = Date(row, dates, FirstDeferredNames);
            if (record.MessageKey == null) record.MessageKey = First(row, KeyNames);
            if (!isProbe) record.TraceId = Text(row, "MessageTraceId");
            record.Connector = First(row, ConnectorNames) ?? ConnectorFromData(First(row, "Data", "custom_data", "data"));
            record.ExchangeServerConnector = (isQueue || isMessage) && record.Connector != null;
            record.DestinationServer = record.DestinationServer ?? First(row, ServerNames);
            record.LastAttemptedIP = record.LastAttemptedIP ?? ReasonParser.BareAddress(First(row, AddressNames));
            foreach (string name in RecipientNames)
            {
                string value = Text(row, name);
                if (value == null) continue;
                if (IsOneAddress(value)) AddRecipient(record.Recipients, value);
                else for (Match a = Address.Match(value); a.Success; a = a.NextMatch()) AddRecipient(record.Recipients, a.Value);
                if (record.Recipients.Count > 0) break;
            }
            return record;
        }

        /// <summary>
        /// True when the value is one address and nothing else, as a message trace's RecipientAddress is: then it is the
        /// only match <see cref="Address"/> finds, told without running the pattern on every row. A local part of
        /// [A-Za-z0-9._%+'-], "@", a domain of [A-Za-z0-9.-] with a label before its last dot and two letters or more after it.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        internal static bool IsOneAddress(string value)
        {
            int i = 0, n = value.Length;
            while (i < n && IsLocalChar(value[i])) i++;
            if (i == 0 || i == n || value[i] != '@') return false;
            int domain = ++i, lastDot = -1;
            for (; i < n; i++)
            {
                char c = value[i];
                if (!IsDomainChar(c)) return false;
                if (c == '.') lastDot = i;
            }
            if (lastDot <= domain || n - lastDot - 1 < 2) return false;
            for (i = lastDot + 1; i < n; i++) if (!IsAsciiLetter(value[i])) return false;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static bool IsDomainChar(char c) => IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static bool IsLocalChar(char c) => IsDomainChar(c) || c == '_' || c == '%' || c == '+' || c == '\'';

        [MethodImpl(HotPath.Optimized)]
        static void AddRecipient(List<string> recipients, string address)
        {
            foreach (string known in recipients) if (string.Equals(known, address, StringComparison.OrdinalIgnoreCase)) return;
            recipients.Add(address);
        }

        /// <summary>
        /// A message trace row's MessageTraceId and Received, failure or not (a Get-MessageTraceV2 row of a delivered
        /// message too): the message's arrival, which its Get-MessageTraceDetailV2 rows do not carry. Null when the row
        /// lacks either, or its Received cannot be read (such a row is no evidence, so it is no error either).
        /// </summary>
        public static DateTime? TraceArrival(IReadOnlyDictionary<string, object> row, EvidenceDates dates, out string traceId)
        {
            traceId = Text(row, "MessageTraceId");
            if (traceId == null || IsAlert(row) || IsProbe(row)) return null;
            try { return Date(row, dates ?? new EvidenceDates(null, CultureInfo.CurrentCulture), "Received"); }
            catch (EvidenceFormatException) { return null; }
        }

        /// <summary>A Get-MailFlowAlert alert (live, read back from CSV or Clixml), known by its property names.</summary>
        [MethodImpl(HotPath.Optimized)]
        public static bool IsAlert(IReadOnlyDictionary<string, object> row) =>
            Has(row, "Severity") && Has(row, "MessageCount") && Has(row, "FirstSeen") && Has(row, "Code") && Has(row, "EvidenceCount");

        /// <summary>A Test-ConnectorDelivery result, whatever its Status.</summary>
        [MethodImpl(HotPath.Optimized)]
        public static bool IsProbe(IReadOnlyDictionary<string, object> row) => Has(row, "Stage") && Has(row, "ProbedFrom");

        /// <summary>
        /// A connector validation's result (Invoke-OutboundConnectorValidation): a probe's shape, but Microsoft 365's own view
        /// (ObservedFrom Microsoft365, by name or number).
        /// </summary>
        public static bool IsValidation(IReadOnlyDictionary<string, object> row) =>
            IsProbe(row) && Enum.TryParse(Text(row, "ObservedFrom")?.Trim() ?? "", true, out ObservedFrom v) && v == ObservedFrom.Microsoft365;

        /// <summary>
        /// A connector validation whose test message got through: its task and the validation as a whole succeeded. A
        /// delivery of Microsoft 365's own view through that connector, never a probe from this computer.
        /// </summary>
        public static bool ValidationDelivered(IReadOnlyDictionary<string, object> row) =>
            IsValidation(row) && Enum.TryParse(Text(row, "Status")?.Trim() ?? "", true, out ProbeStatus s) && s == ProbeStatus.Succeeded
            && Enum.TryParse(Text(row, "TargetStatus")?.Trim() ?? "", true, out ProbeStatus all) && all == ProbeStatus.Succeeded;

        /// <summary>An Exchange Server queue (Get-Queue), with or without a LastError.</summary>
        [MethodImpl(HotPath.Optimized)]
        public static bool IsQueue(IReadOnlyDictionary<string, object> row) =>
            Has(row, "LastError") && (Has(row, "NextHopDomain") || Has(row, "DeliveryType"));

        /// <summary>
        /// What a message trace detail row's Event says of its message, failure or not. Get-MessageTraceDetailV2's Event
        /// (Microsoft's cmdlet reference lists RECEIVE, SEND, FAIL, DELIVER, EXPAND, TRANSFER, DEFER; the admin center
        /// writes "Send external"), or a historical search report's event_id: SEND and DELIVER put the message through,
        /// DEFER holds it for a retry, FAIL ends it. Every other event (and every other row) says nothing of delivery.
        /// </summary>
        public static TraceEvent EventOf(IReadOnlyDictionary<string, object> row)
        {
            if (IsAlert(row) || IsProbe(row) || IsAction(row)) return TraceEvent.None;
            string name = (First(row, "Event", "event_id") ?? "").Replace(" ", "").ToUpperInvariant();
            switch (name)
            {
                case "SEND": case "SENDEXTERNAL": case "DELIVER": return TraceEvent.Delivered;
                case "DEFER": return TraceEvent.Deferred;
                case "FAIL": return TraceEvent.Failed;
                default: return TraceEvent.None;
            }
        }

        /// <summary>
        /// A row's message as <see cref="Interpret"/> reads it, failure or not: its MessageTraceId, its key (MessageId and
        /// the like) and its first recipient.
        /// </summary>
        public static void MessageOf(IReadOnlyDictionary<string, object> row, out string traceId, out string key, out string recipient)
        {
            traceId = Text(row, "MessageTraceId");
            key = First(row, KeyNames);
            recipient = null;
            foreach (string name in RecipientNames)
            {
                string value = Text(row, name);
                if (value == null) continue;
                Match a = Address.Match(value);
                if (a.Success) { recipient = a.Value; return; }
            }
        }

        /// <summary>When a row was observed (a trace event's Date, a probe's Timestamp), failure or not; null when it does not say or cannot be read.</summary>
        public static DateTime? ObservedAt(IReadOnlyDictionary<string, object> row, EvidenceDates dates)
        {
            try { return Date(row, dates ?? new EvidenceDates(null, CultureInfo.CurrentCulture), ObservedNames); }
            catch (EvidenceFormatException) { return null; }
        }

        /// <summary>A Repair-ConnectorConfig action.</summary>
        [MethodImpl(HotPath.Optimized)]
        public static bool IsAction(IReadOnlyDictionary<string, object> row) => Has(row, "Action") && Has(row, "Rationale") && Has(row, "Automatic");

        /// <summary>
        /// The connector and destination server a row names, failure or not (a delivered message, a probe that succeeded):
        /// what a run looked at. Null where the row does not say.
        /// </summary>
        public static void Place(IReadOnlyDictionary<string, object> row, out string connector, out string server)
        {
            connector = First(row, ConnectorNames) ?? ConnectorFromData(First(row, "Data", "custom_data", "data"));
            server = IsProbe(row) ? First(row, "DestinationServer", "Target") : First(row, "DestinationServer", "LastAttemptedServerName", "NextHopDomain");
        }

        /// <summary>
        /// An alert of ours read back (its CSV, Clixml, a job, the pipeline): its counts, times and severity carried whole,
        /// its facts as they were. Title, Cause and Fix are written again, in this call's language.
        /// </summary>
        static EvidenceRecord ReadAlert(IReadOnlyDictionary<string, object> row, string file, EvidenceDates dates)
        {
            const string what = "a Get-MailFlowAlert alert";
            var record = new EvidenceRecord { File = file, Source = "Alert", MessageKey = null };
            string code = Text(row, "Code");
            Scenario codeless = code == null ? Split(Text(row, "Reason")).Select(CodelessFailure).FirstOrDefault(s => s != null) : null;
            if (codeless != null) record.Scenario = codeless;   // a failure Microsoft names no code for, keyed by its Reason
            else if (code == null || !ReasonParser.Apply(code, record))
            {
                // "Pending" and codes outside the catalog are alerts too: kept as the alert spelled them.
                if (code == null) throw Unreadable(what, "Code", code);
                record.RawCode = code;
                record.Scenario = string.Equals(code, "Pending", StringComparison.OrdinalIgnoreCase) ? ScenarioCatalog.Pending : ScenarioCatalog.Unrecognized;
            }
            var prior = new PriorAlert
            {
                MessageCount = Number(row, "MessageCount") ?? throw Unreadable(what, "MessageCount", Text(row, "MessageCount")),
                RecipientCount = Text(row, "RecipientCount") == null ? 0 : Number(row, "RecipientCount") ?? throw Unreadable(what, "RecipientCount", Text(row, "RecipientCount")),
                EvidenceCount = Number(row, "EvidenceCount") ?? 1,
                FirstSeen = DateOrFail(row, dates, "FirstSeen", what),
                LastSeen = DateOrFail(row, dates, "LastSeen", what),
                ExpiresAt = DateOrFail(row, dates, "ExpiresAt", what),
                ExpiresFrom = Text(row, "ExpiresFrom") == null ? (ExpiryBasis?)null : Named<ExpiryBasis>(row, "ExpiresFrom", what),
                OlderSeverityRule = !Has(row, "ExpiresFrom"),
                OlderVantageRule = !Has(row, "ObservedFrom"),
                Expired = Flag(row, "Expired"),
                Severity = Named<AlertSeverity>(row, "Severity", what),
            };
            foreach (string name in Split(Text(row, "Reason")))
            {
                Scenario s = ScenarioCatalog.ByReason(Named<Reason>(name, "Reason", what));
                if (s != null && !prior.Scenarios.Contains(s)) prior.Scenarios.Add(s);
            }
            Scenario primary = prior.Scenarios.FirstOrDefault(s => !s.FamilyDefault) ?? prior.Scenarios.FirstOrDefault();
            if (primary != null && (record.Family == null || primary.Family == record.Family || primary.Family == null))
                record.Scenario = primary;
            // Exchange Server's own code (451 4.4.0) is outside the catalog: its Reason names the family, and so the key it was written under.
            if (record.Family == null && primary?.Family != null) record.Family = primary.Family;
            prior.RawCodes.AddRange(Split(Text(row, "RawCode")));
            prior.Sources.AddRange(Split(Text(row, "Source")));
            record.Prior = prior;
            // An alert written before ObservedFrom existed: its vantage from the kinds of evidence it named (DESIGN.md 2c).
            record.ObservedFrom = Text(row, "ObservedFrom") != null ? Named<ObservedFrom>(row, "ObservedFrom", what)
                : prior.Sources.Aggregate(ObservedFrom.None, (v, source) => v | EvidenceRecord.VantageOfSource(source));
            record.ComputerName = Text(row, "ComputerName");
            record.Expired = prior.Expired;
            // An alert that shows a send connector's name keeps its GUID as the identity it was keyed by.
            string sendConnectorId = Text(row, "SendConnectorId");
            record.Connector = string.IsNullOrEmpty(sendConnectorId) ? Text(row, "Connector") : sendConnectorId;
            if (!string.IsNullOrEmpty(sendConnectorId)) record.ConnectorName = Text(row, "Connector");
            record.ConnectorType = Text(row, "ConnectorType");
            if (Text(row, "Responsible") != null) record.Responsible = Named<Responsible>(row, "Responsible", what);
            record.DestinationServer = Text(row, "DestinationServer");
            record.LastAttemptedIP = ReasonParser.BareAddress(Text(row, "LastAttemptedIP"));
            record.FailoverServer = Text(row, "FailoverServer");
            // Without the note an Unverified alert added (what this run saw instead): the evidence's own specifics again.
            record.Detail = MailFlowIntel.Core.Alerts.ChangeNote.Strip(Text(row, "Detail"));
            record.ServerResponse = Text(row, "ServerResponse");
            record.TlsSettings = Text(row, "TlsSettings");
            record.TlsDomain = Text(row, "TlsDomain");
            record.CertificateSubject = Text(row, "CertificateSubject");
            record.CertificateIssuer = Text(row, "CertificateIssuer");
            record.CertificateNames = Text(row, "CertificateNames");
            record.CertificateErrors = Text(row, "CertificateErrors");
            record.CertificateThumbprint = Text(row, "CertificateThumbprint");
            record.ObservedTlsaRecord = Text(row, "ObservedTlsaRecord");
            record.ProbedFrom = Text(row, "ProbedFrom");
            record.MtaStsPolicyDomain = Text(row, "MtaStsPolicyDomain");
            record.MtaStsPolicyId = Text(row, "MtaStsPolicyId");
            record.CertificateNotAfter = DateOrFail(row, dates, "CertificateNotAfter", what);
            record.ObservedAt = prior.LastSeen;
            record.ArrivedAt = prior.FirstSeen;
            record.Text = Text(row, "Evidence");
            foreach (string r in Split(Text(row, "Recipients"))) if (Address.IsMatch(r)) record.Recipients.Add(r);
            Refile(record, prior);
            return record;
        }

        /// <summary>
        /// An alert written before the catalog read its evidence as it does now (a 550 5.4.310 filed as 4.4.312, a bare 5.7.3
        /// STARTTLS reply left outside the catalog): its evidence, read again, gives the key this run gives, so the first run
        /// after an upgrade does not call the same fault Resolved and New (DESIGN.md 2c). Only where the alert had no catalog
        /// code or one of its own spellings is the new code; a fault the alert filed on purpose (4.4.317 [Message=UntrustedRoot]
        /// as 4.7.320) reads the same again.
        /// </summary>
        static void Refile(EvidenceRecord record, PriorAlert prior)
        {
            if (record.Text == null) return;
            EvidenceRecord again = TextEvidence.FromLine(record.Text, null);
            if (again?.Family == null || again.Family == record.Family) return;
            bool outsideCatalog = record.Family == null && record.Scenario == ScenarioCatalog.Unrecognized;
            if (!outsideCatalog && (record.Family == null || !prior.RawCodes.Any(c => CodeFamily.Find(c) == again.Family))) return;
            record.Family = again.Family;
            record.Scenario = again.Scenario;
            if (record.Responsible == Responsible.Unknown) record.Responsible = again.Responsible;
            prior.Scenarios.Clear();
            prior.Scenarios.Add(again.Scenario);
        }

        /// <summary>A Reason that names a failure without a code of its own (such as DaneNotAvailable); null otherwise.</summary>
        static Scenario CodelessFailure(string reason)
        {
            if (reason == null || !Enum.TryParse(reason.Trim(), true, out Reason value) || !Enum.IsDefined(typeof(Reason), value)) return null;
            Scenario s = ScenarioCatalog.ByReason(value);
            return s != null && s.Family == null && s.Status == ProbeStatus.Failed && s.Reason != Reason.RecipientRejected ? s : null;
        }

        static IEnumerable<string> Split(string joined) =>
            (joined ?? "").Split(';').Select(x => x.Trim()).Where(x => x.Length > 0);

        /// <summary>An enum as a name or as its number (a deserialized enum, a JSON number); anything else cannot be ours.</summary>
        static T Named<T>(IReadOnlyDictionary<string, object> row, string name, string what) where T : struct =>
            Named<T>(Text(row, name), name, what);

        static T Named<T>(string text, string name, string what) where T : struct
        {
            if (text != null && Enum.TryParse(text.Trim(), true, out T value) && MailFlowIntel.Core.Text.EnumValues.IsDefined(typeof(T), value)) return value;
            throw Unreadable(what, name, text);
        }

        static DateTime? DateOrFail(IReadOnlyDictionary<string, object> row, EvidenceDates dates, string name, string what)
        {
            if (!row.TryGetValue(name, out object value) || value == null || (value is string s && s.Trim().Length == 0)) return null;
            return Date(row, dates, name) ?? throw Unreadable(what, name, Text(row, name));
        }

        static bool Flag(IReadOnlyDictionary<string, object> row, string name)
        {
            if (!row.TryGetValue(name, out object value) || value == null) return false;
            if (value is bool b) return b;
            return bool.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture).Trim(), out bool parsed) && parsed;
        }

        static EvidenceFormatException Unreadable(string what, string property, string value) =>
            new EvidenceFormatException($"This looks like {what}, but its {property} ({Quote(value)}) cannot be read.");

        static string Quote(string value) =>
            value == null ? "empty" : "'" + (value.Length > 80 ? value.Substring(0, 80) + "..." : value).Replace("\r", " ").Replace("\n", " ") + "'";

        static bool IsPending(string status) =>
            string.Equals(status, "Pending", StringComparison.OrdinalIgnoreCase) || string.Equals(status, "Deferred", StringComparison.OrdinalIgnoreCase)
            || string.Equals(status, "GettingStatus", StringComparison.OrdinalIgnoreCase);

        public static string ConnectorFromData(string data)
        {
            if (string.IsNullOrEmpty(data)) return null;
            try
            {
                Match m = ConnectorInData.Match(data.Length > 64 * 1024 ? data.Substring(0, 64 * 1024) : data);
                return m.Success ? System.Net.WebUtility.HtmlDecode(m.Groups["name"].Value.Trim()) : null;
            }
            catch (RegexMatchTimeoutException) { return null; }
        }

        [MethodImpl(HotPath.Optimized)]
        static bool Has(IReadOnlyDictionary<string, object> row, string name) => row.ContainsKey(name);

        [MethodImpl(HotPath.Optimized)]
        static string First(IReadOnlyDictionary<string, object> row, params string[] names)
        {
            foreach (string name in names)
            {
                string v = Text(row, name);
                if (!string.IsNullOrWhiteSpace(v)) return v;
            }
            return null;
        }

        /// <summary>A property as text: strings as they are, lists joined with "; ", dates in ISO form.</summary>
        [MethodImpl(HotPath.Optimized)]
        static string Text(IReadOnlyDictionary<string, object> row, string name)
        {
            if (!row.TryGetValue(name, out object value) || value == null) return null;
            switch (value)
            {
                case string s: return s.Length == 0 ? null : s;
                case DateTime d: return d.ToString("o", CultureInfo.InvariantCulture);
                case DateTimeOffset o: return o.ToString("o", CultureInfo.InvariantCulture);
                case IEnumerable list:
                    string joined = string.Join("; ", list.Cast<object>().Where(x => x != null).Take(1000).Select(x => x.ToString()));
                    return joined.Length == 0 ? null : joined;
                default: return Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }

        static long? Number(IReadOnlyDictionary<string, object> row, string name)
        {
            if (!row.TryGetValue(name, out object value) || value == null) return null;
            if (value is IConvertible c && !(value is string))
                try { return Convert.ToInt64(c, CultureInfo.InvariantCulture); } catch (FormatException) { } catch (InvalidCastException) { } catch (OverflowException) { }
            return long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : (long?)null;
        }

        [MethodImpl(HotPath.Optimized)]
        static DateTime? Date(IReadOnlyDictionary<string, object> row, EvidenceDates dates, params string[] names)
        {
            foreach (string name in names)
            {
                if (!row.TryGetValue(name, out object value) || value == null) continue;
                if (value is DateTime d) return d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d.ToUniversalTime();
                if (value is DateTimeOffset o) return o.UtcDateTime;
                string text = Convert.ToString(value, CultureInfo.InvariantCulture);
                DateTime? parsed;
                try { parsed = dates.Parse(text); }
                catch (FormatException ex) { throw new EvidenceFormatException($"Its {name} cannot be read: {ex.Message}", 0, ex); }
                if (parsed != null) return parsed;
            }
            return null;
        }

        /// <summary>
        /// A date alone, as <see cref="EvidenceDates"/> reads it in the current culture; null when it is not a date or
        /// its day and month cannot be told apart (free text carries no file to settle it).
        /// </summary>
        public static DateTime? ParseDate(string text)
        {
            try { return new EvidenceDates(null, CultureInfo.CurrentCulture).Parse(text); }
            catch (FormatException) { return null; }
        }
    }
}
