using System;
using System.Collections.Generic;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>One recipient of the readable section and the server replies listed under it.</summary>
    internal sealed class RecipientDiagnostics
    {
        public RecipientDiagnostics(string recipient) { Recipient = recipient; }

        public string Recipient { get; }
        /// <summary>The replies, newest first, as Exchange writes them.</summary>
        public readonly List<string> Lines = new List<string>();
        /// <summary>The first line that carried a reply, whole (the evidence shown).</summary>
        public string FirstLine;
        public string ServerHost;
        public string ServerAddress;

        /// <summary>"Server at mail.contoso.com (203.0.113.5) returned": the destination, when the reply did not name it.</summary>
        public void FillServer(EvidenceRecord record)
        {
            if (ServerHost == null) return;
            if (record.DestinationServer == null) record.DestinationServer = ServerHost;
            if (record.LastAttemptedIP == null && ServerAddress != null
                && string.Equals(record.DestinationServer, ServerHost, StringComparison.OrdinalIgnoreCase))
                record.LastAttemptedIP = ServerAddress;
        }
    }
}
