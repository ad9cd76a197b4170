using System;
using System.Collections.Generic;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>What Exchange's readable section says: the server that wrote it, the recipients with their replies, the
    /// retry time left (delay notices) and the original message's headers.</summary>
    internal sealed class BodyDiagnostics
    {
        public string GeneratingServer;
        public bool MentionsExchange;
        public TimeSpan? RetryFor;
        public readonly List<RecipientDiagnostics> Recipients = new List<RecipientDiagnostics>();
        public List<KeyValuePair<string, string>> OriginalHeaders;
        public string OriginalMessageId;
        public DateTime? OriginalArrival;
        readonly Dictionary<string, RecipientDiagnostics> byAddress = new Dictionary<string, RecipientDiagnostics>(StringComparer.OrdinalIgnoreCase);

        public RecipientDiagnostics Find(string address) =>
            address != null && byAddress.TryGetValue(address, out var found) ? found : null;

        /// <summary>The recipient's entry, added on first sight while there is room.</summary>
        public RecipientDiagnostics Add(string address)
        {
            var current = Find(address);
            if (current == null && Recipients.Count < NdrReader.MaxRecipients)
            {
                current = new RecipientDiagnostics(address);
                Recipients.Add(current);
                byAddress[address] = current;
            }
            return current;
        }

        /// <summary>Addresses listed for the reader ("Delivery has failed to these recipients") but with no reply are not evidence.</summary>
        public void DropRecipientsWithoutReplies()
        {
            Recipients.RemoveAll(r => r.Lines.Count == 0);
            byAddress.Clear();
            foreach (var r in Recipients) byAddress[r.Recipient] = r;
        }
    }
}
