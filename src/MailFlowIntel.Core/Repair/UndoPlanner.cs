using System;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// -Undo: an applied change is undone by planning it again from the tenant's live state, never by running the stored
    /// RollbackCommand text. The setting goes back to its old value only while it still holds the value the change set;
    /// a setting someone has changed since is left alone and said so.
    /// </summary>
    public static class UndoPlanner
    {
        /// <summary>Which cmdlet noun changes a setting, and how its value is passed.</summary>
        public static string NounOf(string setting)
        {
            switch (setting)
            {
                case "Enabled": case "TlsDomain": return "OutboundConnector";
                case "DomainType": return "AcceptedDomain";
                default: return null;
            }
        }

        /// <summary>
        /// The step that undoes <paramref name="applied"/>, given the setting's current value (null when it could not be read).
        /// AlreadyDone when the old value is back; Skipped, with no change, when the value has changed since
        /// (<paramref name="changedSince"/> true). <paramref name="why"/> and <paramref name="changedText"/> are the caller's
        /// sentences, formatted with: action, target, setting, the value the change set, the value before, the value now.
        /// </summary>
        public static PlannedStep Plan(RepairAction applied, string current, string prefix, string why, string changedText, out bool changedSince)
        {
            string noun = NounOf(applied.Setting) ?? throw new FormatException($"'{applied.Setting}' is not a setting this module changes.");
            string old = applied.OldValue ?? "", now = applied.NewValue ?? "";
            object oldArgument = applied.Setting == "Enabled" ? (object)string.Equals(old, "True", StringComparison.OrdinalIgnoreCase)
                               : old.Length == 0 ? null : old;
            object newArgument = applied.Setting == "Enabled" ? (object)string.Equals(now, "True", StringComparison.OrdinalIgnoreCase) : now;
            var change = new ExchangeChange("Set", noun,
                new[] { ExchangeChange.P("Identity", applied.Target), ExchangeChange.P(applied.Setting, oldArgument) },
                new[] { ExchangeChange.P("Identity", applied.Target), ExchangeChange.P(applied.Setting, newArgument) });
            string[] args = { applied.Action, applied.Target, applied.Setting, now, old, current ?? "" };
            var action = new RepairAction
            {
                Code = applied.Code, Reason = applied.Reason, Connector = applied.Connector, Action = "Undo" + applied.Action,
                Target = applied.Target, Automatic = true, Status = RepairStatus.Planned, Responsible = applied.Responsible,
                DestinationServer = applied.DestinationServer, Command = change.Command(prefix), RollbackCommand = change.RollbackCommand(prefix),
                Rationale = string.Format(System.Globalization.CultureInfo.InvariantCulture, why, args),
                Setting = applied.Setting, OldValue = now, NewValue = old,
            };
            var step = new PlannedStep
            {
                Action = action, Change = change,
                AlreadyDone = current != null && Same(current, old),
                Description = action.Rationale,
            };
            changedSince = current != null && !Same(current, old) && !Same(current, now);
            if (changedSince)
            {
                step.Change = null;
                action.Status = RepairStatus.Skipped;
                action.Detail = string.Format(System.Globalization.CultureInfo.InvariantCulture, changedText, args);
                action.RollbackCommand = "";
            }
            return step;
        }

        static bool Same(string a, string b) => string.Equals((a ?? "").Trim(), (b ?? "").Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
