using System;
using System.Collections.Generic;
using System.Linq;

namespace MailFlowIntel.Commands
{
    /// <summary>Completes -Reason with the scenario names of the catalog.</summary>
    public sealed class ReasonCompleter : ValueCompleter
    {
        protected override IEnumerable<string> Values => Enum.GetNames(typeof(Reason)).Where(n => n != nameof(Reason.None));
    }
}
