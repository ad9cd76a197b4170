using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Evidence;

namespace MailFlowIntel.Commands
{
    /// <summary>
    /// Turns evidence (message trace rows, queue errors, NDRs, CSV reports, probe results, text) into mail flow alerts.
    /// Only -InputObject binds from the pipeline; file objects from Get-ChildItem are read as files.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MailFlowAlert", DefaultParameterSetName = InputSet)]
    [OutputType("MailFlowIntel.MailFlowAlert")]
    public sealed class GetMailFlowAlertCommand : PSCmdlet
    {
        const string InputSet = "InputObject";
        const string PathSet = "Path";
        const string LiteralPathSet = "LiteralPath";

        [Parameter(ParameterSetName = InputSet, Mandatory = true, ValueFromPipeline = true)]
        [AllowNull, AllowEmptyString]
        public PSObject InputObject { get; set; }

        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; }

        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [Alias("LP")]
        public string[] LiteralPath { get; set; }

        [Parameter]
        public DateTime Since { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Code { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Connector { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Threshold { get; set; } = 200;

        [Parameter]
        public SwitchParameter NoGroup { get; set; }

        [Parameter]
        public DateTime AsOf { get; set; }

        /// <summary>The culture that wrote the evidence's dates ("03/04/2026"); changes how input is read, never the output language.</summary>
        [Parameter]
        [ValidateNotNull]
        public System.Globalization.CultureInfo Culture { get; set; }

        /// <summary>A previous run's alerts (live, from Import-Clixml or Import-Csv); $null or none: every alert is New.</summary>
        [Parameter]
        [AllowNull, AllowEmptyCollection]
        public PSObject[] Baseline { get; set; }

        /// <summary>A previous run's alerts saved with Export-Clixml or Export-Csv; the format is told from the content.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string BaselinePath { get; set; }

        AlertAggregator aggregator;
        AlertBaseline baseline;
        int heldBackByProbeSide;
        EvidenceDates dates;
        AlertOptions options;
        EvidenceFilter filter;
        long skipped;
        SendConnectorNames sendConnectors;
        // Postfix lines piped one by one: a DANE failure logged before a status line carries over to it.
        readonly PostfixLog postfix = new PostfixLog();

        protected override void BeginProcessing()
        {
            options = new AlertOptions
            {
                Language = MailFlowIntel.Core.Catalog.Languages.From(System.Globalization.CultureInfo.CurrentUICulture),
                Threshold = Threshold,
                AsOf = MyInvocation.BoundParameters.ContainsKey(nameof(AsOf)) ? AsOf.ToUniversalTime() : DateTime.UtcNow,
            };
            WildcardPattern[] patterns = Connector?.Select(c => new WildcardPattern(c, WildcardOptions.IgnoreCase)).ToArray();
            filter = new EvidenceFilter(MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since : (DateTime?)null, Code,
                patterns == null ? (Func<string, bool>)null : name => patterns.Any(p => p.IsMatch(name)));
            aggregator = new AlertAggregator(options);
            sendConnectors = new SendConnectorNames(InvokeCommand, WriteVerbose);
            // Read once, on the pipeline thread: -UseCulture files and Import-Csv strings follow this session's culture.
            dates = new EvidenceDates(Culture, System.Globalization.CultureInfo.CurrentCulture);
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Baseline)) || BaselinePath != null)
            {
                if (NoGroup)
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Baseline and -BaselinePath compare grouped alerts; they cannot be used with -NoGroup."),
                        "BaselineWithNoGroup", ErrorCategory.InvalidArgument, null));
                baseline = BaselineReader.Read(this, new AlertBaseline(options, new EvidenceFilter(null, Code,
                    patterns == null ? (Func<string, bool>)null : name => patterns.Any(p => p.IsMatch(name)))), Baseline, BaselinePath, dates);
            }
        }

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case PathSet:
                    foreach (string p in Path) ReadFiles(p, literal: false);
                    break;
                case LiteralPathSet:
                    foreach (string p in LiteralPath) ReadFiles(p, literal: true);
                    break;
                default:
                    ReadObject(InputObject);
                    break;
            }
        }

        protected override void EndProcessing()
        {
            if (skipped > 0) WriteVerbose($"{skipped} input item(s) carried no failure and were passed over.");
            if (NoGroup) return;
            if (baseline == null)
            {
                foreach (MailFlowAlert alert in aggregator.Alerts()) WriteObject(alert);
                return;
            }
            foreach (MailFlowAlert alert in baseline.Compare(aggregator.KeyedAlerts(), HeldBack)) WriteObject(alert);
            if (heldBackByProbeSide > 0)
                WriteWarning(string.Format(System.Globalization.CultureInfo.InvariantCulture, Messages.NotClaimedResolved.In(options.Language), heldBackByProbeSide));
        }

        void HeldBack(MailFlowAlert alert, string why, bool probeSide)
        {
            if (probeSide) heldBackByProbeSide++;
            WriteVerbose($"Not claimed resolved: {alert.Code} for {alert.Connector ?? "no connector"} ({alert.DestinationServer ?? "no server"}) is not in this run, but {why}.");
        }

        void ReadObject(PSObject input)
        {
            object value = input?.BaseObject;
            switch (value)
            {
                case null:
                    return;
                case FileInfo file:
                    ReadFile(file.FullName, file.FullName);
                    return;
                case DirectoryInfo dir:
                    WriteError(new ErrorRecord(new IOException($"'{dir.FullName}' is a folder; pipe the files in it (Get-ChildItem -File)."),
                        "PathIsFolder", ErrorCategory.InvalidArgument, dir));
                    return;
                case string report when TlsReportReader.LooksLikeReport(report):
                    // An SMTP TLS report piped as text (Get-Content -Raw report.json): read as that report.
                    try { foreach (EvidenceRecord r in TlsReportReader.ReadJson(report, "(pipeline)", baseline == null ? (Action<ReportObservation>)null : baseline.Coverage.Reported)) Take(r, report); }
                    catch (EvidenceFormatException ex)
                    {
                        WriteError(new ErrorRecord(new InvalidDataException(ex.Message, ex), "InvalidEvidenceFile", ErrorCategory.InvalidData, report));
                    }
                    return;
                case string line:
                    EvidenceRecord fromLine = TextEvidence.FromLine(line, null, postfix);
                    if (fromLine == null) baseline?.Coverage.PassedOverLine(line);
                    Take(fromLine, line);
                    return;
                case IDictionary dictionary:
                    TakeRow(PipelineRows.FromDictionary(dictionary), input);
                    return;
                default:
                    TakeRow(PipelineRows.FromProperties(input), input);
                    return;
            }
        }

        /// <summary>A row from the pipeline; one that looks like ours but cannot be read is an error for that item, and the pipeline goes on.</summary>
        void TakeRow(IReadOnlyDictionary<string, object> row, PSObject input)
        {
            EvidenceRecord record;
            string why;
            try { record = RowInterpreter.Interpret(row, null, out why, dates); }
            catch (EvidenceFormatException ex)
            {
                WriteError(new ErrorRecord(new InvalidDataException(ex.Message, ex), "UnreadableInputObject", ErrorCategory.InvalidData, input));
                return;
            }
            if (record == null) PassedOver(row);
            Take(record, input, why);
        }

        /// <summary>
        /// A row that carries no failure: what the run looked at, and the arrival a message trace row of a delivered (or
        /// failed) message gives its detail rows.
        /// </summary>
        void PassedOver(IReadOnlyDictionary<string, object> row)
        {
            baseline?.Coverage.PassedOver(row, dates);
            aggregator.Sightings.Saw(row, dates);
            DateTime? received = RowInterpreter.TraceArrival(row, dates, out string traceId);
            if (received != null) aggregator.Arrived(traceId, received.Value);
        }

        void ReadFiles(string path, bool literal)
        {
            List<string> files;
            try
            {
                files = literal
                    ? new List<string> { SessionState.Path.GetUnresolvedProviderPathFromPSPath(path) }
                    : GetResolvedProviderPathFromPSPath(path, out ProviderInfo _).ToList();
            }
            catch (ItemNotFoundException ex)
            {
                WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, path));
                return;
            }
            foreach (string file in files) ReadFile(file, path);
        }

        [MethodImpl((MethodImplOptions)512)]   // the loop over a file's evidence: see Take
        void ReadFile(string file, object target)
        {
            if (Directory.Exists(file))
            {
                WriteError(new ErrorRecord(new IOException($"'{file}' is a folder; give the files in it (a wildcard such as {System.IO.Path.Combine(file, "*")})."),
                    "PathIsFolder", ErrorCategory.InvalidArgument, target));
                return;
            }
            if (!File.Exists(file))
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the file '{file}'.", file), "PathNotFound", ErrorCategory.ObjectNotFound, target));
                return;
            }
            long count = 0;
            try
            {
                Action<EvidenceFormatException> rowError = ex => WriteError(new ErrorRecord(new InvalidDataException($"{file}, {ex.Message}", ex),
                    "UnreadableEvidenceRow", ErrorCategory.InvalidData, target));
                Action<string> passedOverLine = baseline == null ? (Action<string>)null : baseline.Coverage.PassedOverLine;
                Action<ReportObservation> reported = baseline == null ? (Action<ReportObservation>)null : baseline.Coverage.Reported;
                foreach (EvidenceRecord r in EvidenceFileReader.Read(file, null, rowError, dates, PassedOver, passedOverLine, reported))
                {
                    if (Stopping) return;
                    count++;
                    Take(r, target);
                }
                WriteVerbose($"{file}: {count} piece(s) of evidence.");
            }
            catch (EvidenceFormatException ex)
            {
                string where = ex.Line > 0 ? $" (line {ex.Line})" : "";
                WriteError(new ErrorRecord(new InvalidDataException($"{file}{where}: {ex.Message}", ex), "InvalidEvidenceFile", ErrorCategory.InvalidData, target));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, "EvidenceFileUnreadable", ErrorCategory.ReadError, target));
            }
        }

        // Every piece of evidence comes through here: compiled optimized from the first call, as MailFlowIntel.Core's
        // HotPath.Optimized methods are (512 is MethodImplOptions.AggressiveOptimization, which netstandard2.0 does not name).
        [MethodImpl((MethodImplOptions)512)]
        void Take(EvidenceRecord record, object target, string why = null)
        {
            if (record == null)
            {
                skipped++;
                WriteVerbose($"Passed over {PipelineRows.Describe(target)}: {why ?? "no SMTP reply or status code in it"}.");
                return;
            }
            if (record.ExchangeServerConnector && record.ConnectorName == null) record.ConnectorName = sendConnectors.NameOf(record.Connector);
            // What a row tells of its message (its arrival, that its reason is known) holds whatever the filters keep.
            if (!NoGroup) aggregator.Learn(record);
            if (!filter.Accepts(record)) return;
            baseline?.Coverage.Saw(record);
            if (NoGroup) WriteObject(AlertAggregator.Single(record, options));
            else aggregator.Add(record);
        }
    }
}
