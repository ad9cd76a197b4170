using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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
        static readonly string[] ArrivedNames = { "Received", "origin_timestamp_utc", "DateReceived", "receivedDateTime", "ArrivalTime", "FirstSeen", "FirstRetryTime" };
        static readonly string[] KeyNames = { "MessageId", "message_id", "internet_message_id", "InternetMessageId", "network_message_id", "NetworkMessageId", "MessageTraceId", "messageTraceId" };
        static readonly string[] RecipientNames = { "RecipientAddress", "recipient_address", "recipientAddress", "Recipient", "Recipients", "recipient_status" };
        static readonly string[] ConnectorNames = { "Connector", "connector_id", "ConnectorId", "NextHopConnector" };
        static readonly string[] ServerNames = { "DestinationServer", "LastAttemptedServerName" };
        static readonly string[] AddressNames = { "LastAttemptedIP", "IPAddress", "ToIP", "original_server_ip" };
        // Where a reason is written, most specific first.
        static readonly string[] ReasonNames = { "LastError", "Detail", "description", "Reason", "recipient_status", "Code", "EnhancedStatusCode", "Data", "custom_data", "Status" };

        static readonly Regex ConnectorInData = new Regex(@"TenantOutboundConnectorCustomData=Name=(?<name>[^;,""<&\]\}]+)|<MEP Name=""ConnectorId"" String=""(?<name>[^""]+)""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(250));
        static readonly Regex Address = new Regex(@"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(250));

        /// <summary>
        /// Interprets a row. Returns null when the row holds no failure (a delivered message, a probe that succeeded);
        /// <paramref name="why"/> then says why, for the verbose stream.
        /// </summary>
        /// <param name="file">The file the row was read from, or null for an object from the pipeline.</param>
        public static EvidenceRecord Interpret(IReadOnlyDictionary<string, object> row, string file, out string why)
        {
            why = null;
            var record = new EvidenceRecord { File = file };
            bool isQueue = Has(row, "LastError") && (Has(row, "NextHopDomain") || Has(row, "DeliveryType"));
            bool isMessage = Has(row, "LastError") && !isQueue;
            bool isProbe = Has(row, "Stage") && Has(row, "ProbedFrom");
            bool isTraceSummary = Has(row, "Status") && Has(row, "RecipientAddress") && Has(row, "Received") && !Has(row, "Event");

            if (isProbe)
            {
                string status = Text(row, "Status");
                if (!string.Equals(status, "Failed", StringComparison.OrdinalIgnoreCase)) { why = $"a probe result with status {status} carries no failure"; return null; }
                record.Source = "Probe";
                record.Platform = EvidencePlatform.ExchangeOnline;
                record.MessageCount = 0;   // a prediction, not queued mail
            }
            else if (isQueue)
            {
                record.Source = "Queue";
                record.Platform = EvidencePlatform.ExchangeServer;
                record.MessageKey = "queue:" + Text(row, "Identity");
                record.MessageCount = Number(row, "MessageCount") ?? 1;
                record.DestinationServer = Text(row, "NextHopDomain");
            }
            else if (isMessage)
            {
                record.Source = "Message";
                record.Platform = EvidencePlatform.ExchangeServer;
                record.MessageKey = First(row, "InternetMessageId", "Identity");
                record.ExpiresAt = Date(row, "ExpirationTime");
            }
            else
            {
                record.Source = Has(row, "Event") || Has(row, "event_id") ? "MessageTraceDetail" : isTraceSummary ? "MessageTrace" : "Report";
                record.Platform = EvidencePlatform.ExchangeOnline;
            }

            bool found = false;
            if (isProbe)
            {
                // Our own result: its Code is the reason, and its Reason names the scenario (kept, not guessed again).
                found = ReasonParser.Apply(Text(row, "Code"), record);
                if (found && Enum.TryParse(Text(row, "Reason") ?? "", out Reason reason) && !int.TryParse(Text(row, "Reason"), out _)
                    && ScenarioCatalog.ByReason(reason) is Scenario named && named.Status == ProbeStatus.Failed)
                {
                    record.Scenario = named;
                    record.Family = named.Family;
                }
                record.ConnectorType = Text(row, "ConnectorType");
                if (Enum.TryParse(Text(row, "Responsible") ?? "", out Responsible who)) record.Responsible = who;
                record.TlsSettings = Text(row, "TlsSettings");
                record.TlsDomain = Text(row, "TlsDomain");
                record.ServerResponse = Text(row, "ServerResponse");
                record.CertificateSubject = Text(row, "CertificateSubject");
                record.CertificateIssuer = Text(row, "CertificateIssuer");
                record.CertificateNames = Text(row, "CertificateNames");
                record.CertificateErrors = Text(row, "CertificateErrors");
                record.CertificateThumbprint = Text(row, "CertificateThumbprint");
                record.CertificateNotAfter = Date(row, "CertificateNotAfter");
                record.Text = Text(row, "ServerResponse") ?? Text(row, "Detail");
                record.Detail = Text(row, "Detail");
                record.DestinationServer = Text(row, "DestinationServer") ?? Text(row, "Target");
                string target = Text(row, "TargetStatus");
                if (string.Equals(target, "Succeeded", StringComparison.OrdinalIgnoreCase) || string.Equals(target, "Warning", StringComparison.OrdinalIgnoreCase))
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

            record.ObservedAt = record.ObservedAt ?? Date(row, ObservedNames);
            record.ArrivedAt = record.ArrivedAt ?? Date(row, ArrivedNames);
            if (record.MessageKey == null) record.MessageKey = First(row, KeyNames);
            record.Connector = First(row, ConnectorNames) ?? ConnectorFromData(First(row, "Data", "custom_data", "data"));
            record.DestinationServer = record.DestinationServer ?? First(row, ServerNames);
            record.LastAttemptedIP = record.LastAttemptedIP ?? ReasonParser.BareAddress(First(row, AddressNames));
            foreach (string name in RecipientNames)
            {
                string value = Text(row, name);
                if (value == null) continue;
                foreach (Match a in Address.Matches(value)) if (!record.Recipients.Contains(a.Value, StringComparer.OrdinalIgnoreCase)) record.Recipients.Add(a.Value);
                if (record.Recipients.Count > 0) break;
            }
            return record;
        }

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

        static bool Has(IReadOnlyDictionary<string, object> row, string name) => row.ContainsKey(name);

        static string First(IReadOnlyDictionary<string, object> row, params string[] names) =>
            names.Select(n => Text(row, n)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

        /// <summary>A property as text: strings as they are, lists joined with "; ", dates in ISO form.</summary>
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

        static DateTime? Date(IReadOnlyDictionary<string, object> row, params string[] names)
        {
            foreach (string name in names)
            {
                if (!row.TryGetValue(name, out object value) || value == null) continue;
                if (value is DateTime d) return d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d.ToUniversalTime();
                if (value is DateTimeOffset o) return o.UtcDateTime;
                DateTime? parsed = ParseDate(Convert.ToString(value, CultureInfo.InvariantCulture));
                if (parsed != null) return parsed;
            }
            return null;
        }

        /// <summary>
        /// Dates as reports write them: ISO 8601, "11/1/2017 12:12:45 PM" (en-US, as Exchange Online exports), RFC 1123.
        /// A date without a zone is taken as UTC, as Exchange Online's exports are.
        /// </summary>
        public static DateTime? ParseDate(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            const DateTimeStyles styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
            if (DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out DateTime d)) return d;
            if (DateTime.TryParse(text, CultureInfo.GetCultureInfo("en-US"), styles, out d)) return d;
            return null;
        }
    }
}
