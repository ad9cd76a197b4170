using System;
using System.Collections.Generic;
using System.Linq;

namespace MailFlowIntel.Commands
{
    /// <summary>Completes -ConnectorType with the values Set-OutboundConnector takes.</summary>
    public sealed class ConnectorTypeCompleter : ValueCompleter
    {
        internal static readonly string[] Names = { "OnPremises", "Partner" };
        protected override IEnumerable<string> Values => Names;
    }
}
