using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace MailFlowIntel
{
    /// <summary>
    /// The names of Exchange Server send connectors that evidence names by GUID (Get-Queue's NextHopConnector), read with
    /// Get-SendConnector where the Exchange Management Shell (or a remote session to Exchange Server) offers it. Each GUID is
    /// asked once per run; without the cmdlet, or when it fails, the GUID stays as the server wrote it.
    /// </summary>
    internal sealed class SendConnectorNames
    {
        const string CommandName = "Get-SendConnector";
        // A run of many queues asks only so many times: past that, GUIDs stay as they are.
        const int MaxLookups = 200;
        readonly CommandInvocationIntrinsics invoke;
        readonly Action<string> verbose;
        readonly Dictionary<Guid, string> names = new Dictionary<Guid, string>();
        CommandInfo command;
        bool looked;

        public SendConnectorNames(CommandInvocationIntrinsics invoke, Action<string> verbose)
        {
            this.invoke = invoke;
            this.verbose = verbose;
        }

        /// <summary>The send connector's name, or null (not a GUID, no Get-SendConnector, not found).</summary>
        public string NameOf(string connector)
        {
            if (!Guid.TryParse(connector?.Trim() ?? "", out Guid id)) return null;
            if (names.TryGetValue(id, out string known)) return known;
            string name = null;
            if (Command() != null && names.Count < MaxLookups) name = Ask(id);
            names[id] = name;
            return name;
        }

        CommandInfo Command()
        {
            if (looked) return command;
            looked = true;
            command = invoke.GetCommands(CommandName, CommandTypes.Function | CommandTypes.Cmdlet, true)
                .FirstOrDefault(c => c.Name.Equals(CommandName, StringComparison.OrdinalIgnoreCase));
            verbose(command == null
                ? $"{CommandName} is not available in this session: send connectors stay named by the GUID the server wrote."
                : $"Send connectors named by GUID are looked up with {CommandName} ({command.ModuleName}).");
            return command;
        }

        string Ask(Guid id)
        {
            using (PowerShell ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddScript("param($command, $id) & $command -Identity $id -ErrorAction Stop").AddArgument(command).AddArgument(id.ToString());
                try
                {
                    PSObject found = ps.Invoke().FirstOrDefault(o => o != null);
                    string name = found?.Properties["Name"]?.Value?.ToString();
                    if (string.IsNullOrWhiteSpace(name)) verbose($"{CommandName} -Identity {id} gave no name: the GUID is kept.");
                    return string.IsNullOrWhiteSpace(name) ? null : name;
                }
                catch (RuntimeException ex)
                {
                    verbose($"{CommandName} -Identity {id} failed, the GUID is kept: {ex.Message}");
                    return null;
                }
            }
        }
    }
}
