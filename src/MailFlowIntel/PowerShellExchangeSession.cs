using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MailFlowIntel.Core.Exchange;

namespace MailFlowIntel
{
    /// <summary>
    /// The one implementation of <see cref="IExchangeSession"/>: an Exchange Online connection in this PowerShell session,
    /// its cmdlets taken from its own module under its prefix (an on-premises Get-AcceptedDomain of the same name, or
    /// another tenant's connection, is never called). The only code of the module that calls PowerShell for Exchange.
    /// </summary>
    internal sealed class PowerShellExchangeSession : IExchangeSession
    {
        const CommandTypes Types = CommandTypes.Function | CommandTypes.Cmdlet;
        readonly PSModuleInfo module;   // null for cmdlets defined outside any module
        readonly CommandInvocationIntrinsics invoke;
        readonly Dictionary<string, CommandInfo> found = new Dictionary<string, CommandInfo>(StringComparer.OrdinalIgnoreCase);

        PowerShellExchangeSession(ExchangeConnection connection, PSModuleInfo module, CommandInvocationIntrinsics invoke)
        {
            Connection = connection;
            this.module = module;
            this.invoke = invoke;
        }

        public ExchangeConnection Connection { get; }

        /// <summary>
        /// The Exchange Online connections of this PowerShell session. Where Get-ConnectionInformation exists (module
        /// 3.0.0 or later), its connections with IsEopSession false (a Security &amp; Compliance connection is not
        /// Exchange Online) whose module holds Get-{ModulePrefix}OutboundConnector; otherwise, or when it lists none,
        /// every module that holds a Get-*OutboundConnector, the cmdlet only Exchange Online has. The Set- cmdlets are
        /// not needed: a read-only session is a session.
        /// </summary>
        public static List<PowerShellExchangeSession> Discover(CommandInvocationIntrinsics invoke, Action<string> verbose)
        {
            List<PowerShellExchangeSession> sessions = FromConnectionInformation(invoke, verbose);
            return sessions.Count > 0 ? sessions : FromCommands(invoke);
        }

        static List<PowerShellExchangeSession> FromConnectionInformation(CommandInvocationIntrinsics invoke, Action<string> verbose)
        {
            var sessions = new List<PowerShellExchangeSession>();
            const string name = "Get-ConnectionInformation";
            CommandInfo command = invoke.GetCommands(name, Types, true).FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (command == null) return sessions;
            List<IReadOnlyDictionary<string, object>> rows;
            try { rows = Run(name, command, new KeyValuePair<string, object>[0]).Select(Properties).ToList(); }
            catch (ExchangeSessionException ex)
            {
                verbose($"{name} could not be read; the Exchange Online cmdlets are looked for by name instead: {ex.Message}");
                return sessions;
            }
            List<PSModuleInfo> modules = LoadedModules();
            foreach (IReadOnlyDictionary<string, object> row in rows)
            {
                if (Text(row, "IsEopSession") is string eop && bool.TryParse(eop, out bool isEop) && isEop) continue;
                string moduleName = Text(row, "ModuleName") ?? "";
                PSModuleInfo module = modules.FirstOrDefault(m => IsModule(m, moduleName));
                var connection = new ExchangeConnection
                {
                    Organization = Text(row, "Organization") ?? "", DelegatedOrganization = Text(row, "DelegatedOrganization") ?? "",
                    TenantId = Text(row, "TenantID") ?? "", Prefix = Text(row, "ModulePrefix") ?? "", ModuleName = module?.Name ?? moduleName,
                };
                var session = new PowerShellExchangeSession(connection, module, invoke);
                if (module == null || !session.Has("Get", ExchangeTenant.OutboundConnector))
                {
                    verbose($"{name}: the connection {connection.Describe(Core.Catalog.Language.English)} has no Get-{connection.Prefix}OutboundConnector in a loaded module '{moduleName}'; it is not used.");
                    continue;
                }
                sessions.Add(session);
            }
            return sessions;
        }

        static List<PowerShellExchangeSession> FromCommands(CommandInvocationIntrinsics invoke)
        {
            var sessions = new List<PowerShellExchangeSession>();
            foreach (CommandInfo get in invoke.GetCommands("Get-*OutboundConnector", Types, true))
            {
                if (!get.Name.StartsWith("Get-", StringComparison.OrdinalIgnoreCase) || !get.Name.EndsWith("OutboundConnector", StringComparison.OrdinalIgnoreCase)) continue;
                string prefix = get.Name.Substring(4, get.Name.Length - 4 - "OutboundConnector".Length);
                if (sessions.Any(s => s.Connection.HasPrefix(prefix) && string.Equals(s.module?.Name ?? "", get.ModuleName ?? "", StringComparison.OrdinalIgnoreCase))) continue;
                sessions.Add(new PowerShellExchangeSession(new ExchangeConnection { Prefix = prefix, ModuleName = get.ModuleName ?? "" }, get.Module, invoke));
            }
            return sessions;
        }

        static List<PSModuleInfo> LoadedModules()
        {
            using (PowerShell ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
                return ps.AddCommand("Microsoft.PowerShell.Core\\Get-Module").AddParameter("All").Invoke<PSModuleInfo>().ToList();
        }

        /// <summary>
        /// Get-ConnectionInformation's ModuleName is "the filename and path of the temporary data for the session"
        /// (C:\Users\...\Temp\tmpEXO_a54z135k.qgv, per its Learn page): the module of that name, or based at that path.
        /// </summary>
        static bool IsModule(PSModuleInfo module, string moduleName)
        {
            string path = moduleName.Trim().TrimEnd('/', '\\');
            if (path.Length == 0) return false;
            string leaf = path.Substring(path.LastIndexOfAny(new[] { '/', '\\' }) + 1);
            return string.Equals(module.Name, path, StringComparison.OrdinalIgnoreCase) || string.Equals(module.Name, leaf, StringComparison.OrdinalIgnoreCase)
                || string.Equals((module.ModuleBase ?? "").TrimEnd('/', '\\'), path, StringComparison.OrdinalIgnoreCase);
        }

        static string Text(IReadOnlyDictionary<string, object> row, string name)
        {
            string s = row.TryGetValue(name, out object v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
            return string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        }

        /// <summary>The Get- cmdlet that identifies the connection, for verbose output.</summary>
        public string Describe() => $"{Name("Get", ExchangeTenant.OutboundConnector)} ({(module?.Name ?? "no module")})";

        public bool Has(string verb, string noun) => Command(verb, noun) != null;

        public IReadOnlyList<IReadOnlyDictionary<string, object>> Invoke(string verb, string noun, IEnumerable<KeyValuePair<string, object>> parameters)
        {
            string name = Name(verb, noun);
            CommandInfo command = Command(verb, noun) ?? throw new InvalidOperationException($"{name} is not in the Exchange Online session.");
            return Run(name, command, parameters).Select(Properties).ToList();
        }

        string Name(string verb, string noun) => $"{verb}-{Connection.Prefix}{noun}";

        /// <summary>{Verb}-{Prefix}{Noun} from this connection's module; null when its role left it out.</summary>
        CommandInfo Command(string verb, string noun)
        {
            string name = Name(verb, noun);
            if (found.TryGetValue(name, out CommandInfo known)) return known;
            CommandInfo command = module != null ? FromModule(module, name)
                : invoke.GetCommands(name, Types, true).FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(c.ModuleName));
            found[name] = command;
            return command;
        }

        /// <summary>
        /// A command of the module by the name it has in the session. Imported with -Prefix, a module lists its commands
        /// under the prefixed name while the command keeps its own (Get-OutboundConnector): either matches.
        /// </summary>
        static CommandInfo FromModule(PSModuleInfo module, string name) =>
            module.ExportedCommands.TryGetValue(name, out CommandInfo byKey) ? byKey
            : module.ExportedCommands.Values.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// Runs a command in this session, with -Confirm:$false (our own ShouldProcess already asked). An error it writes
        /// (or throws, or that $ErrorActionPreference = 'Stop' turns into a stop) comes back as an ExchangeSessionException
        /// that keeps Exchange's ErrorRecord whole.
        /// </summary>
        static Collection<PSObject> Run(string name, CommandInfo command, IEnumerable<KeyValuePair<string, object>> parameters)
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
                catch (RuntimeException ex) { throw Failure(name, ex.ErrorRecord); }
                if (ps.Streams.Error.Count > 0) throw Failure(name, ps.Streams.Error[0]);
                return output;
            }
        }

        internal static ExchangeSessionException Failure(string commandName, ErrorRecord error) =>
            new ExchangeSessionException(commandName, error.CategoryInfo.Category.ToString(), error.CategoryInfo.Reason, error.FullyQualifiedErrorId,
                error.ToString(), error.Exception, error);

        /// <summary>An output object as its properties, each value engine-neutral (see <see cref="IExchangeSession.Invoke"/>).</summary>
        static IReadOnlyDictionary<string, object> Properties(PSObject o)
        {
            var bag = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (o == null) return bag;
            // A bare value (a line of text, a number) has no properties worth the name ("Length"): it is its own entry.
            if (o.BaseObject is string || o.BaseObject is Enum || (o.BaseObject is IConvertible c && c.GetTypeCode() != TypeCode.Object))
            {
                bag[""] = Neutral(o, 0);
                return bag;
            }
            foreach (PSPropertyInfo p in o.Properties)
            {
                object value;
                try { value = p.Value; }
                catch (ExtendedTypeSystemException) { continue; }   // a property whose getter throws is not a value
                bag[p.Name] = Neutral(value, 0);
            }
            return bag;
        }

        static object Neutral(object value, int depth)
        {
            PSObject wrapped = value as PSObject;
            if (wrapped != null) value = wrapped.BaseObject;
            switch (value)
            {
                case null: return null;
                case string _: case bool _: case DateTime _: case DateTimeOffset _: case Guid _: return value;
                case Enum e: return e.ToString();
                case IConvertible c when c.GetTypeCode() != TypeCode.Object: return value;   // numbers, chars
                case IDictionary _: return value.ToString();
                case IEnumerable list when depth == 0: return list.Cast<object>().Select(x => Neutral(x, 1)).ToList();
                // A PSCustomObject's own ToString is empty; its PSObject's reads "@{Name=value}".
                default: return wrapped != null ? wrapped.ToString() : value.ToString();
            }
        }
    }
}
