using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MailFlowIntel.Commands
{
    /// <summary>Completes -ConnectorType with the values Set-OutboundConnector takes.</summary>
    public sealed class ConnectorTypeCompleter : IArgumentCompleter
    {
        internal static readonly string[] Values = { "OnPremises", "Partner" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Values.Where(v => v.StartsWith(wordToComplete ?? "", System.StringComparison.OrdinalIgnoreCase))
                  .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
    }
}
