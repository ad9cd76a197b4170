using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Report;

namespace MailFlowIntel.Commands
{
    /// <summary>
    /// Writes results, alerts and repair actions from the pipeline as one self-contained HTML report. The page is written
    /// to a temporary file beside the target and moved into place at the end, so a failed run leaves no half report.
    /// </summary>
    [Cmdlet(VerbsData.Export, "MailFlowReport", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportMailFlowReportCommand : PSCmdlet, IDisposable
    {
        const string PathSet = "Path";
        const string LiteralPathSet = "LiteralPath";

        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public PSObject InputObject { get; set; }

        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [Alias("PSPath", "LP")]
        public string LiteralPath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; }

        /// <summary>A previous run's alerts: alerts piped without a Change are compared with them, as Get-MailFlowAlert -Baseline does.</summary>
        [Parameter]
        [AllowNull, AllowEmptyCollection]
        public PSObject[] Baseline { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string BaselinePath { get; set; }

        [Parameter]
        public DateTime AsOf { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        // Reference types only: the engine's value types (Language) cannot be fields here, because PowerShell loads this class
        // to find its parameters before the module's initializer has put the engine's resolver in place.
        ReportOptions options;
        string target;
        bool skip;
        EvidenceDates dates;
        AlertBaseline baseline;
        ReportWriter report;
        string temporary;
        int heldBackByProbeSide;

        protected override void BeginProcessing()
        {
            // Read once, on the pipeline thread, as every cmdlet of the module does.
            options = new ReportOptions { Title = Title, Language = Languages.From(CultureInfo.CurrentUICulture) };
            target = ResolveTarget(ParameterSetName == LiteralPathSet ? LiteralPath : Path, ParameterSetName == PathSet);
            if (File.Exists(target))
            {
                if (NoClobber) Terminate(new IOException(Say(Messages.ReportExists, target)), "ReportExists", ErrorCategory.ResourceExists);
                if (IsReadOnly(target) && !Force) Terminate(new UnauthorizedAccessException(Say(Messages.ReportReadOnly, target)), "ReportReadOnly", ErrorCategory.PermissionDenied);
            }
            if (!ShouldProcess(target)) { skip = true; return; }

            options.AsOf = MyInvocation.BoundParameters.ContainsKey(nameof(AsOf)) ? AsOf.ToUniversalTime() : DateTime.UtcNow;
            dates = new EvidenceDates(null, CultureInfo.CurrentCulture);
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Baseline)) || BaselinePath != null)
                baseline = BaselineReader.Read(this, new AlertBaseline(new AlertOptions { AsOf = options.AsOf, Language = options.Language }), Baseline, BaselinePath, dates);
            report = new ReportWriter(options);
        }

        protected override void ProcessRecord()
        {
            if (skip || InputObject?.BaseObject == null) return;
            object value = InputObject.BaseObject;
            // Live objects of ours go in as they are; with a baseline, alerts are copied first (the caller's keep their Change).
            if (value is RepairAction action) { report.Add(action); return; }
            if (baseline == null && value is MailFlowAlert alert) { report.Add(alert); return; }
            if (baseline == null && value is ConnectorDeliveryResult result) { report.Add(result); return; }
            if (value is string || value is ValueType) { Unsupported(); return; }

            IReadOnlyDictionary<string, object> row = PipelineRows.Of(InputObject);
            try
            {
                if (ReportInput.IsAlert(row)) TakeAlert(row);
                else if (ReportInput.IsResult(row)) TakeResult(row, value as ConnectorDeliveryResult);
                else if (ReportInput.IsAction(row)) report.Add(ReportInput.Action(row, dates));
                // Test-ConnectorDelivery's error merged with 2>&1 (a DNS server that did not answer): it resolves nothing.
                else if (baseline != null && value is ErrorRecord) baseline.Coverage.PassedOver(row);
                else Unsupported();
            }
            catch (EvidenceFormatException ex)
            {
                WriteError(new ErrorRecord(new InvalidDataException(ex.Message, ex), "UnreadableInputObject", ErrorCategory.InvalidData, InputObject));
            }
        }

        protected override void EndProcessing()
        {
            if (skip) return;
            if (baseline != null)
            {
                foreach (MailFlowAlert gone in baseline.Unseen(HeldBack)) report.Add(gone);
                if (heldBackByProbeSide > 0) WriteWarning(Say(Messages.NotClaimedResolved, heldBackByProbeSide));
            }
            // Beside the target, so the move at the end is a rename on the same volume.
            temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(target),
                "." + System.IO.Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
                    report.WriteTo(writer);
                MoveIntoPlace();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Terminate(ex, "ReportNotWritten", ErrorCategory.WriteError);
            }
            finally { DeleteTemporary(); }
            WriteVerbose($"{report.Count} item(s) written to {target}.");
            if (PassThru) WriteObject(new FileInfo(target));
        }

        public void Dispose()
        {
            report?.Dispose();
            DeleteTemporary();
        }

        void TakeAlert(IReadOnlyDictionary<string, object> row)
        {
            MailFlowAlert alert = ReportInput.Alert(row, dates);
            if (baseline != null)
            {
                if (alert.Change == AlertChange.None)
                {
                    EvidenceRecord record = RowInterpreter.Interpret(row, null, out _, dates);
                    baseline.Coverage.Saw(record);
                    baseline.Judge(AlertAggregator.KeyOf(record), alert);
                }
                else
                {
                    // Compared already (Get-MailFlowAlert -Baseline): shown as it is, and the baseline does not repeat its key.
                    // It says nothing of what this run looked at (a Resolved or Unverified one was not seen now), so no coverage.
                    string key = AlertBaseline.KeyOf(row, dates);
                    if (key != null) baseline.Seen(key);
                }
            }
            report.Add(alert);
        }

        void TakeResult(IReadOnlyDictionary<string, object> row, ConnectorDeliveryResult live)
        {
            ConnectorDeliveryResult result = live ?? ReportInput.Result(row, dates);
            if (baseline != null)
            {
                // What this run looked at: a baseline alert is Resolved only where it looked (as in Get-MailFlowAlert).
                EvidenceRecord failure = RowInterpreter.Interpret(row, null, out _, dates);
                if (failure == null) baseline.Coverage.PassedOver(row, dates);
                else baseline.Coverage.Saw(failure);
            }
            report.Add(result);
        }

        void HeldBack(MailFlowAlert alert, string why, bool probeSide)
        {
            if (probeSide) heldBackByProbeSide++;
            WriteVerbose($"Not claimed resolved: {alert.Code} for {alert.Connector ?? "no connector"} ({alert.DestinationServer ?? "no server"}) is not in this run, but {why}.");
        }

        void Unsupported() =>
            WriteError(new ErrorRecord(new ArgumentException(Say(Messages.UnsupportedReportInput, PipelineRows.Describe(InputObject))),
                "UnsupportedReportInput", ErrorCategory.InvalidArgument, InputObject));

        /// <summary>
        /// A file system path from -Path (a wildcard must name one existing file) or -LiteralPath (taken as typed). Its
        /// folder must exist; the file need not.
        /// </summary>
        string ResolveTarget(string given, bool wildcards)
        {
            string file = null;
            ProviderInfo provider = null;
            try
            {
                if (wildcards && WildcardPattern.ContainsWildcardCharacters(given))
                {
                    var matches = GetResolvedProviderPathFromPSPath(given, out provider);
                    if (matches.Count != 1)
                        Terminate(new IOException($"'{given}' names {matches.Count} files: give one file (or use -LiteralPath for a name with wildcard characters)."),
                            "ReportPathAmbiguous", ErrorCategory.InvalidArgument, given);
                    file = matches[0];
                }
                else file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out provider, out PSDriveInfo _);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException
                                       || ex is NotSupportedException || ex is PSArgumentException)
            {
                Terminate(ex, "ReportPathNotFound", ErrorCategory.ObjectNotFound, given);
            }
            if (!string.Equals(provider?.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                Terminate(new ArgumentException($"'{given}' is not a file system path: the report is a file."), "ReportPathNotFileSystem", ErrorCategory.InvalidArgument, given);
            if (Directory.Exists(file))
                Terminate(new IOException($"'{file}' is a folder: give the report's file name (such as {System.IO.Path.Combine(file, "report.html")})."),
                    "ReportPathIsFolder", ErrorCategory.InvalidArgument, given);
            string folder = System.IO.Path.GetDirectoryName(file);
            if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
                Terminate(new DirectoryNotFoundException($"The folder of '{file}' does not exist."), "ReportFolderNotFound", ErrorCategory.ObjectNotFound, given);
            return file;
        }

        void MoveIntoPlace()
        {
            if (NoClobber || !File.Exists(target))
            {
                try { File.Move(temporary, target); }
                catch (IOException) when (File.Exists(target))
                {
                    // Another process wrote it since the check at the start.
                    if (NoClobber) Terminate(new IOException(Say(Messages.ReportExists, target)), "ReportExists", ErrorCategory.ResourceExists);
                    throw;
                }
                return;
            }
            bool readOnly = IsReadOnly(target);
            if (readOnly)
            {
                if (!Force) Terminate(new UnauthorizedAccessException(Say(Messages.ReportReadOnly, target)), "ReportReadOnly", ErrorCategory.PermissionDenied);
                File.SetAttributes(target, File.GetAttributes(target) & ~FileAttributes.ReadOnly);
            }
            try { File.Replace(temporary, target, null); }
            finally
            {
                // As Out-File -Force: the file is replaced, and stays read-only.
                if (readOnly) File.SetAttributes(target, File.GetAttributes(target) | FileAttributes.ReadOnly);
            }
        }

        static bool IsReadOnly(string file) => (File.GetAttributes(file) & FileAttributes.ReadOnly) != 0;

        void DeleteTemporary()
        {
            if (temporary == null) return;
            try { if (File.Exists(temporary)) File.Delete(temporary); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { }
            temporary = null;
        }

        string Say(Phrase phrase, object value) => string.Format(CultureInfo.InvariantCulture, phrase.In(options.Language), value);

        void Terminate(Exception ex, string id, ErrorCategory category, object targetObject = null) =>
            ThrowTerminatingError(new ErrorRecord(ex, id, category, targetObject ?? target));
    }
}
