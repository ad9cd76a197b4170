using System;
using System.Collections.Generic;
using MailFlowIntel.Core.Catalog;
using MimeKit;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>
    /// Reads the machine-readable message/delivery-status part (RFC 3464): one record per failed or delayed recipient,
    /// completed from the readable section where that part is silent (the retry history names the server and address).
    /// </summary>
    internal static class DeliveryStatusReader
    {
        /// <summary>Adds the report's records; false when the part holds no recipient group at all (or cannot be read).</summary>
        public static bool Read(MessageDeliveryStatus report, NdrContext context, List<EvidenceRecord> records)
        {
            HeaderListCollection groups;
            try { groups = report.StatusGroups; }
            catch (FormatException) { return false; }
            if (groups == null || groups.Count == 0) return false;

            var perMessage = groups[0];
            string reportingMta = NdrValues.TypedValue(perMessage[Field.ReportingMta]);
            DateTime? arrival = NdrValues.ParseDate(perMessage[Field.ArrivalDate]);
            bool any = false;

            for (int g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                string finalRecipient = group[Field.FinalRecipient];
                string originalRecipient = group[Field.OriginalRecipient];
                if (finalRecipient == null && originalRecipient == null) continue;   // the per-message group
                any = true;

                string status = NdrValues.FirstToken(group[Field.Status]);
                string action = NdrValues.FirstToken(group[Field.Action])?.ToLowerInvariant();
                if (action == null || (action != "failed" && action != "delayed"))
                {
                    if (action == "delivered" || action == "relayed" || action == "expanded") continue;
                    char cls = status != null && status.Length > 0 ? status[0] : '\0';
                    if (cls == '2') continue;
                    action = cls == '4' ? "delayed" : "failed";
                }

                var record = new EvidenceRecord
                {
                    Source = "Ndr",
                    File = context.SourceName,
                    MessageKey = context.MessageKey,
                    Platform = context.Platform(reportingMta),
                };
                string address = NdrValues.Address(finalRecipient) ?? NdrValues.Address(originalRecipient);
                if (address != null) record.Recipients.Add(address);

                string diagnostic = NdrValues.OneLine(group[Field.DiagnosticCode]);
                string diagnosticText = NdrValues.TypedValue(diagnostic);
                bool coded = !string.IsNullOrEmpty(diagnosticText) && ReasonParser.Apply(diagnosticText, record);
                if (!coded || record.EnhancedCode == null)
                {
                    if (status != null) ReasonParser.Apply(status, record);
                    if (record.EnhancedCode == null && NdrValues.IsEnhancedCode(status))
                    {
                        record.EnhancedCode = status;
                        if (record.RawCode == null) record.RawCode = status;
                    }
                }
                record.Text = NdrValues.Bound(diagnostic != null ? "Diagnostic-Code: " + diagnostic : status != null ? "Status: " + status : null);

                // The human-readable section often keeps the retry history (the last LED= line with the server and address).
                var fromBody = context.Body?.Find(address);
                if (fromBody != null)
                {
                    foreach (var line in fromBody.Lines) ReasonParser.Apply(line, record);
                }

                if (record.DestinationServer == null)
                {
                    string remote = NdrValues.HostOf(NdrValues.TypedValue(group[Field.RemoteMta]));
                    if (remote != null && !Microsoft365Network.IsExchangeOnlineOwnHost(remote)) record.DestinationServer = remote;
                }
                fromBody?.FillServer(record);

                if (action == "failed" && NdrValues.IsExpiredForm(record.EnhancedCode, diagnosticText)) record.Expired = true;
                record.ArrivedAt = arrival ?? context.OriginalArrival;
                record.ObservedAt = NdrValues.ParseDate(group[Field.LastAttemptDate]) ?? context.Date;
                record.ExpiresAt = NdrValues.ParseDate(group[Field.WillRetryUntil]);
                if (record.ExpiresAt == null && action == "delayed" && context.Body?.RetryFor != null && context.Date != null)
                    record.ExpiresAt = context.Date + context.Body.RetryFor;
                records.Add(record);
            }
            return any;
        }

        static class Field
        {
            public const string ReportingMta = "Reporting-MTA";
            public const string ArrivalDate = "Arrival-Date";
            public const string FinalRecipient = "Final-Recipient";
            public const string OriginalRecipient = "Original-Recipient";
            public const string Action = "Action";
            public const string Status = "Status";
            public const string RemoteMta = "Remote-MTA";
            public const string DiagnosticCode = "Diagnostic-Code";
            public const string LastAttemptDate = "Last-Attempt-Date";
            public const string WillRetryUntil = "Will-Retry-Until";
        }
    }
}
