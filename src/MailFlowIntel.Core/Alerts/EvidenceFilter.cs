using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Probing;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>Get-MailFlowAlert's -Since, -Code and -Connector, applied to each piece of evidence before grouping.</summary>
    public sealed class EvidenceFilter
    {
        readonly DateTime? since;
        readonly List<CodeFamily> families = new List<CodeFamily>();
        readonly List<string> otherCodes = new List<string>();
        readonly Func<string, bool> connectorMatches;

        /// <param name="codes">Any spelling: "450 4.4.316", "4.4.316", the expired "5.4.316", or a code outside the catalog ("5.7.708").</param>
        /// <param name="connectorMatches">Whether a connector name is wanted (the cmdlet supplies wildcard matching); null for all.</param>
        public EvidenceFilter(DateTime? since, IEnumerable<string> codes, Func<string, bool> connectorMatches)
        {
            this.since = since?.ToUniversalTime();
            foreach (string c in codes ?? Enumerable.Empty<string>())
            {
                CodeFamily known = CodeFamily.Find(c);
                if (known != null) families.Add(known);
                else otherCodes.Add(SmtpReply.EnhancedCodeOf("000 " + c.Trim()) ?? c.Trim());
            }
            this.connectorMatches = connectorMatches;
        }

        [MethodImpl(HotPath.Optimized)]
        public bool Accepts(EvidenceRecord r)
        {
            DateTime? when = r.ObservedAt ?? r.ArrivedAt ?? r.FirstDeferredAt;
            if (since != null && when != null && when.Value < since.Value) return false;
            // A send connector is wanted by its name or by the GUID the server wrote.
            if (connectorMatches != null && !connectorMatches(r.Connector ?? "") && !(r.ConnectorName != null && connectorMatches(r.ConnectorName))) return false;
            if (families.Count + otherCodes.Count == 0) return true;
            // A family matches its scenarios however spelled: -Code 4.7.320 takes "450 4.4.317 [Message=UntrustedRoot]", and so does -Code 4.4.317.
            if (r.Family != null && families.Contains(r.Family)) return true;
            CodeFamily spelled = CodeFamily.Find(r.RawCode ?? r.EnhancedCode);
            if (spelled != null && spelled.IsIn(r.Text) && families.Contains(spelled)) return true;
            return otherCodes.Any(c => string.Equals(c, r.EnhancedCode, StringComparison.OrdinalIgnoreCase)
                                       || string.Equals(c, r.RawCode, StringComparison.OrdinalIgnoreCase));
        }
    }
}
