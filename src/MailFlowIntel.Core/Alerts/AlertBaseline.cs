using System;
using System.Collections.Generic;
using System.IO;
using MailFlowIntel.Core.Evidence;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>
    /// A previous run's alerts, and how this run's alerts compare with them, key by key (<see cref="AlertAggregator.KeyOf"/>):
    /// New, Ongoing, Worse, Better, and Resolved for a baseline alert that is gone where this run looked, as seen from the
    /// view that raised it (<see cref="Coverage"/>, DESIGN.md 2c). A baseline alert this run did not look for, could not,
    /// or saw only from another vantage is Unverified: absence is not a fix.
    /// </summary>
    public sealed class AlertBaseline
    {
        readonly AlertOptions options;
        readonly AlertAggregator alerts;
        readonly EvidenceFilter filter;
        readonly Dictionary<string, Figures> figures = new Dictionary<string, Figures>(StringComparer.OrdinalIgnoreCase);
        readonly HashSet<string> found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <param name="filter">This run's -Code and -Connector (not -Since): a baseline alert the run does not look for is not compared.</param>
        public AlertBaseline(AlertOptions options, EvidenceFilter filter = null)
        {
            this.options = options;
            alerts = new AlertAggregator(options);
            this.filter = filter;
        }

        /// <summary>What this run looked at; the cmdlet tells it every piece of input.</summary>
        public RunCoverage Coverage { get; } = new RunCoverage();

        /// <summary>How many alerts (keys) the baseline holds.</summary>
        public int Count => figures.Count;

        /// <summary>
        /// Adds one item of the baseline. False for an item that is not an alert of ours; a Resolved alert is left out (the
        /// fault was gone already) and gives true with <paramref name="why"/> set.
        /// </summary>
        /// <exception cref="EvidenceFormatException">An alert that cannot be read.</exception>
        public bool Add(IReadOnlyDictionary<string, object> row, EvidenceDates dates, out string why)
        {
            EvidenceRecord r = RowInterpreter.Interpret(row, null, out why, dates);
            if (r == null) return RowInterpreter.IsAlert(row);
            if (r.Prior == null) { why = "it is evidence, not an alert of Get-MailFlowAlert"; return false; }
            Add(r);
            return true;
        }

        /// <summary>
        /// Reads an Export-Csv of alerts (any culture's separator and dates, as evidence files are read). An alert row that
        /// cannot be read goes to <paramref name="rowError"/> and reading goes on.
        /// </summary>
        /// <exception cref="EvidenceFormatException">The file is not a file of alerts.</exception>
        public long AddFile(string path, EvidenceDates dates, Action<EvidenceFormatException> rowError)
        {
            if (new FileInfo(path).Length == 0) return 0;   // Export-Csv of no alerts writes an empty file
            long count = 0;
            Action<IReadOnlyDictionary<string, object>> passedOver = row => { if (!RowInterpreter.IsAlert(row)) throw NotAlerts(path); };
            foreach (EvidenceRecord r in EvidenceFileReader.Read(path, null, rowError, dates, passedOver))
            {
                if (r.Prior == null) throw NotAlerts(path);
                Add(r);
                count++;
            }
            return count;
        }

        /// <summary>
        /// This run's alerts with their Change, then a Resolved alert for each baseline alert this run looked for and did not
        /// find. <paramref name="heldBack"/> hears of each one left out, why, and whether the probing side failed there.
        /// </summary>
        public IEnumerable<MailFlowAlert> Compare(IEnumerable<KeyValuePair<string, MailFlowAlert>> current, Action<MailFlowAlert, string, bool> heldBack)
        {
            foreach (KeyValuePair<string, MailFlowAlert> c in current)
            {
                Judge(c.Key, c.Value);
                yield return c.Value;
            }
            foreach (MailFlowAlert gone in Unseen(heldBack)) yield return gone;
        }

        /// <summary>
        /// Sets one alert of this run's Change (New, Ongoing, Worse, Better) and previous figures, as it comes: the report
        /// streams its alerts. Only keys of the baseline are remembered, so memory follows the baseline, not this run.
        /// </summary>
        public void Judge(string key, MailFlowAlert a)
        {
            if (!figures.TryGetValue(key, out Figures before))
            {
                a.Change = AlertChange.New;
                return;
            }
            found.Add(key);
            a.PreviousMessageCount = before.Messages;
            a.PreviousSeverity = before.Severity;
            // A baseline alert written before the severity table weighed time was rated by the older rule: a Severity that
            // differs only because the rule changed is no change (DESIGN.md 2c). Its messages and Expired still count.
            bool bySeverity = !before.OlderRule;
            bool worse = a.MessageCount > before.Messages || (bySeverity && a.Severity > before.Severity) || (a.Expired && !before.Expired);
            bool better = a.MessageCount < before.Messages || (bySeverity && a.Severity < before.Severity);
            a.Change = worse ? AlertChange.Worse : better ? AlertChange.Better : AlertChange.Ongoing;
        }

        /// <summary>An alert of this run that was compared already (it carries its Change): its key is not Resolved again.</summary>
        public void Seen(string key)
        {
            if (figures.ContainsKey(key)) found.Add(key);
        }

        /// <summary>
        /// After the last <see cref="Judge"/>: each baseline alert this run did not find, Resolved where it looked and Unverified
        /// where it did not or could not. <paramref name="heldBack"/> hears of each Unverified one, why, and whether the
        /// probing side failed there.
        /// </summary>
        public IEnumerable<MailFlowAlert> Unseen(Action<MailFlowAlert, string, bool> heldBack)
        {
            foreach (KeyValuePair<string, MailFlowAlert> b in alerts.KeyedAlerts())
            {
                if (found.Contains(b.Key)) continue;
                Figures f = figures[b.Key];
                MailFlowAlert gone = b.Value;
                // As the baseline said it, not as time has since made it (its mail may have expired since).
                gone.Severity = f.Severity;
                gone.Expired = f.Expired;
                gone.PreviousMessageCount = f.Messages;
                gone.PreviousSeverity = f.Severity;
                // Not looked at, or the probing side failed: carried forward as Unverified (not Resolved, not New), so the
                // saved output stays a whole baseline and the fault, if it is still there next run, is Ongoing, not New again.
                gone.Change = AlertChange.Unverified;
                string failure = Coverage.ProbeSideFailure(f.Connector, f.Server);
                if (failure != null) { heldBack?.Invoke(gone, failure, true); yield return gone; continue; }
                // Raised by a view this run must hear from again (DESIGN.md 2c); an alert written before ObservedFrom keeps
                // the older rule (looked at, no failure there), so the first run after the upgrade changes nothing by itself.
                ChangeVerdict verdict = Coverage.Judge(f.OlderVantageRule ? ObservedFrom.None : f.Vantage, f.Connector, f.Server,
                    f.LastSeen, f.Computers, options.Language);
                if (!verdict.Resolved)
                {
                    if (verdict.Note != null) gone.Detail = ChangeNote.Attach(gone.Detail, verdict.Note, options.Language);
                    heldBack?.Invoke(gone, verdict.Why, false);
                    yield return gone;
                    continue;
                }
                gone.Change = AlertChange.Resolved;
                yield return gone;
            }
        }

        /// <summary>
        /// The key (<see cref="AlertAggregator.KeyOf"/>) of an alert of ours as it crosses the pipeline, whatever its Change;
        /// null when the row is not an alert.
        /// </summary>
        /// <exception cref="EvidenceFormatException">An alert that cannot be read.</exception>
        public static string KeyOf(IReadOnlyDictionary<string, object> alert, EvidenceDates dates)
        {
            if (!RowInterpreter.IsAlert(alert)) return null;
            // A Resolved alert reads as no failure; only its key is wanted here, so it is read without its Change.
            var row = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, object> cell in alert)
                if (!string.Equals(cell.Key, "Change", StringComparison.OrdinalIgnoreCase)) row[cell.Key] = cell.Value;
            EvidenceRecord r = RowInterpreter.Interpret(row, null, out _, dates);
            return r == null ? null : AlertAggregator.KeyOf(r);
        }

        void Add(EvidenceRecord r)
        {
            if (filter != null && !filter.Accepts(r)) return;
            alerts.Add(r);
            string key = AlertAggregator.KeyOf(r);
            if (!figures.TryGetValue(key, out Figures f)) figures.Add(key, f = new Figures { Connector = r.Connector, Server = r.DestinationServer });
            f.Messages += Math.Max(0, r.Prior.MessageCount);
            if (r.Prior.Severity > f.Severity) f.Severity = r.Prior.Severity;
            f.Expired |= r.Prior.Expired;
            f.OlderRule |= r.Prior.OlderSeverityRule;
            f.OlderVantageRule |= r.Prior.OlderVantageRule;
            f.Vantage |= r.ObservedFrom;
            if (r.Prior.LastSeen != null && (f.LastSeen == null || r.Prior.LastSeen > f.LastSeen)) f.LastSeen = r.Prior.LastSeen;
            foreach (string c in (r.ComputerName ?? "").Split(';'))
                if (c.Trim().Length > 0 && f.Computers.Count < 8) f.Computers.Add(c.Trim());
        }

        static EvidenceFormatException NotAlerts(string path) =>
            new EvidenceFormatException($"'{Path.GetFileName(path)}' is not a file of alerts: a baseline is Get-MailFlowAlert's own output, saved with Export-Clixml or Export-Csv.");

        /// <summary>What the baseline said of one key: what Worse and Better are judged against.</summary>
        sealed class Figures
        {
            public string Connector, Server;
            public long Messages;
            public AlertSeverity Severity;
            public bool Expired;
            /// <summary>Rated by the severity rule before it weighed time (no ExpiresFrom column): its Severity is not compared.</summary>
            public bool OlderRule;
            /// <summary>Written before ObservedFrom existed: resolved by the older rule, wherever this run looked.</summary>
            public bool OlderVantageRule;
            /// <summary>The views that raised it, the computers whose probes did, and when it was last seen.</summary>
            public ObservedFrom Vantage;
            public readonly HashSet<string> Computers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            public DateTime? LastSeen;
        }
    }
}
