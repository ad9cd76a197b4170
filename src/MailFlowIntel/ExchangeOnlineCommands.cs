using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel
{
    /// <summary>
    /// The Exchange Online cmdlets as Connect-ExchangeOnline put them in this session, under any -Prefix.
    /// They are found through Get-*OutboundConnector, which only Exchange Online has; every other cmdlet is taken from
    /// that same module, so an on-premises Get-AcceptedDomain of the same name is never called.
    /// </summary>
    internal sealed class ExchangeOnlineCommands
    {
        public string Prefix { get; private set; } = "";
        public CommandInfo GetConnector { get; private set; }
        public CommandInfo SetConnector { get; private set; }
        public CommandInfo GetDomain { get; private set; }
        public CommandInfo SetDomain { get; private set; }
        public CommandInfo ValidateConnector { get; private set; }

        /// <summary>Null when Exchange Online's cmdlets are not in the session.</summary>
        public static ExchangeOnlineCommands Find(CommandInvocationIntrinsics invoke)
        {
            const CommandTypes types = CommandTypes.Function | CommandTypes.Cmdlet;
            foreach (CommandInfo get in invoke.GetCommands("Get-*OutboundConnector", types, true))
            {
                string prefix = get.Name.Substring(4, get.Name.Length - 4 - "OutboundConnector".Length);
                CommandInfo Same(string verb, string noun) => invoke.GetCommands($"{verb}-{prefix}{noun}", types, true)
                    .FirstOrDefault(c => c.Name.Equals($"{verb}-{prefix}{noun}", StringComparison.OrdinalIgnoreCase) && SameModule(c, get));
                var found = new ExchangeOnlineCommands
                {
                    Prefix = prefix,
                    GetConnector = get,
                    SetConnector = Same("Set", "OutboundConnector"),
                    GetDomain = Same("Get", "AcceptedDomain"),
                    SetDomain = Same("Set", "AcceptedDomain"),
                    ValidateConnector = Same("Validate", "OutboundConnector"),
                };
                if (found.SetConnector != null) return found;
            }
            return null;
        }

        static bool SameModule(CommandInfo a, CommandInfo b) =>
            string.Equals(a.ModuleName ?? "", b.ModuleName ?? "", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Runs one of them in this session, with -Confirm:$false (our own ShouldProcess already asked). An error it writes
        /// (or throws, or that $ErrorActionPreference = 'Stop' turns into a stop) comes back as an ExchangeCommandException
        /// that keeps Exchange's ErrorRecord whole.
        /// </summary>
        public static Collection<PSObject> Invoke(CommandInfo command, IEnumerable<KeyValuePair<string, object>> parameters)
        {
            var splat = new System.Collections.Specialized.OrderedDictionary(StringComparer.OrdinalIgnoreCase);   // the plan's order, then -Confirm
            foreach (KeyValuePair<string, object> p in parameters) splat[p.Key] = p.Value;
            if (command.Parameters.ContainsKey("Confirm")) splat["Confirm"] = false;
            using (PowerShell ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                // "& $command" runs a module's function inside its module (its private helpers and $script: state);
                // AddCommand(CommandInfo) does not.
                ps.AddScript("param($command, $splat) & $command @splat").AddArgument(command).AddArgument(splat);
                Collection<PSObject> output;
                try { output = ps.Invoke(); }
                catch (RuntimeException ex) when (ex.ErrorRecord != null) { throw new ExchangeCommandException(command.Name, ex.ErrorRecord); }
                if (ps.Streams.Error.Count > 0) throw new ExchangeCommandException(command.Name, ps.Streams.Error[0]);
                return output;
            }
        }

        public ConnectorState ReadConnector(string identity)
        {
            PSObject o = Invoke(GetConnector, new Dictionary<string, object> { ["Identity"] = identity }).FirstOrDefault();
            if (o == null) return null;
            var state = new ConnectorState
            {
                Identity = Text(o, "Identity") ?? Text(o, "Name"),
                Name = Text(o, "Name") ?? identity,
                ConnectorType = Text(o, "ConnectorType"),
                Enabled = Flag(o, "Enabled") ?? true,
                UseMXRecord = Flag(o, "UseMXRecord") ?? false,
                TlsSettings = Text(o, "TlsSettings"),
                TlsDomain = Text(o, "TlsDomain"),
                FromExchange = true,
            };
            state.SmartHosts.AddRange(List(o, "SmartHosts"));
            state.RecipientDomains.AddRange(List(o, "RecipientDomains"));
            return state;
        }

        public List<AcceptedDomainState> ReadAcceptedDomains() =>
            GetDomain == null ? new List<AcceptedDomainState>()
            : Invoke(GetDomain, new Dictionary<string, object>()).Select(o => new AcceptedDomainState
            {
                Identity = Text(o, "Identity") ?? Text(o, "Name") ?? Text(o, "DomainName"),
                DomainName = Text(o, "DomainName"),
                DomainType = Text(o, "DomainType"),
                InitialDomain = Flag(o, "InitialDomain") ?? false,
            }).Where(d => d.DomainName != null).ToList();

        static object Value(PSObject o, string name)
        {
            object v = o.Properties[name]?.Value;
            return v is PSObject p ? p.BaseObject : v;
        }

        static string Text(PSObject o, string name)
        {
            string s = Value(o, name)?.ToString();
            return string.IsNullOrWhiteSpace(s) ? null : s;
        }

        static bool? Flag(PSObject o, string name)
        {
            object v = Value(o, name);
            if (v == null) return null;
            if (v is string s) return bool.TryParse(s, out bool parsed) ? parsed : (bool?)null;   // "False" re-imported from CSV
            return LanguagePrimitives.TryConvertTo(v, out bool b) ? b : (bool?)null;
        }

        static IEnumerable<string> List(PSObject o, string name)
        {
            object v = Value(o, name);
            if (v == null) return Enumerable.Empty<string>();
            if (v is string s) return new[] { s };
            if (v is IEnumerable e) return e.Cast<object>().Where(x => x != null).Select(x => (x is PSObject p ? p.BaseObject : x).ToString());
            return new[] { v.ToString() };
        }
    }
}
