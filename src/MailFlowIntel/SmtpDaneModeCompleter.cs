using System;
using System.Collections.Generic;
using System.Linq;

namespace MailFlowIntel.Commands
{
    /// <summary>Completes -SmtpDaneMode with the values Set-OutboundConnector takes.</summary>
    public sealed class SmtpDaneModeCompleter : ValueCompleter
    {
        protected override IEnumerable<string> Values => new[] { "Opportunistic", "Mandatory", "None" };
    }
}
