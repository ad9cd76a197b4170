using System.Collections.Generic;
using System.Linq;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// A change an Exchange Online cmdlet makes, described once: the cmdlet (verb and noun), its parameters in order, and
    /// the parameters that undo it. It renders its own Command and RollbackCommand (through <see cref="PsCommand"/>), and
    /// the cmdlet runs exactly these parameters, so what is printed is what is done. A null rollback means the value
    /// before is not known here (no Exchange Online session): such a change is only ever a command for a person.
    /// </summary>
    public sealed class ExchangeChange
    {
        public ExchangeChange(string verb, string noun, IReadOnlyList<KeyValuePair<string, object>> parameters, IReadOnlyList<KeyValuePair<string, object>> rollback)
        {
            Verb = verb;
            Noun = noun;
            Parameters = parameters;
            Rollback = rollback;
        }

        public string Verb { get; }
        /// <summary>"OutboundConnector" or "AcceptedDomain": the cmdlet is {Verb}-{Prefix}{Noun}.</summary>
        public string Noun { get; }
        public IReadOnlyList<KeyValuePair<string, object>> Parameters { get; }
        public IReadOnlyList<KeyValuePair<string, object>> Rollback { get; }

        public static KeyValuePair<string, object> P(string name, object value) => new KeyValuePair<string, object>(name, value);

        /// <summary>The one setting a change makes (every change here sets one, beside Identity).</summary>
        public string Setting => Parameters.FirstOrDefault(p => p.Key != "Identity").Key;
        public string NewValue => AsText(Parameters.FirstOrDefault(p => p.Key == Setting).Value);
        public string OldValue => Rollback == null ? "" : AsText(Rollback.FirstOrDefault(p => p.Key == Setting).Value);

        static string AsText(object value) => value == null ? "" : value is bool b ? (b ? "True" : "False") : value.ToString();

        public string Command(string prefix) => Render(prefix, Parameters);
        /// <summary>The line that undoes it; empty when the value before is not known.</summary>
        public string RollbackCommand(string prefix) => Rollback == null ? "" : Render(prefix, Rollback);

        string Render(string prefix, IEnumerable<KeyValuePair<string, object>> ps)
        {
            var c = new PsCommand($"{Verb}-{prefix}{Noun}");
            foreach (var p in ps)
            {
                switch (p.Value)
                {
                    case null: c.ParamNull(p.Key); break;
                    case bool b: c.Param(p.Key, b); break;
                    case IEnumerable<string> list when !(p.Value is string): c.Param(p.Key, list); break;
                    default: c.Param(p.Key, p.Value.ToString()); break;
                }
            }
            return c.Literal("-Confirm:$false").Render();
        }

        public IDictionary<string, object> ParametersForCall() => Parameters.ToDictionary(p => p.Key, p => p.Value);
    }
}
