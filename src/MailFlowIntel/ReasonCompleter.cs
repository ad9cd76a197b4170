using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MailFlowIntel.Commands
{
    /// <summary>Completes -Reason with the scenario names of the catalog.</summary>
    public sealed class ReasonCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Enum.GetNames(typeof(Reason)).Where(n => n != nameof(Reason.None) && n.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
