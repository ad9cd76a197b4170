using System.Collections.Generic;

namespace MailFlowIntel.Commands
{
    /// <summary>Completes -MtaStsMode with the values Set-OutboundConnector takes.</summary>
    public sealed class MtaStsModeCompleter : ValueCompleter
    {
        protected override IEnumerable<string> Values => new[] { "Opportunistic", "None" };
    }
}
