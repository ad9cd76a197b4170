using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
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

        AlertAggregator aggregator;
        EvidenceDates dates;
        AlertOptions options;
        EvidenceFilter filter;
        long skipped;

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
            // Read once, on the pipeline thread: -UseCulture files and Import-Csv strings follow this session's culture.
            dates = new EvidenceDates(Culture, System.Globalization.CultureInfo.CurrentCulture);
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
            foreach (MailFlowAlert alert in aggregator.Alerts()) WriteObject(alert);
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
                case string line:
                    Take(TextEvidence.FromLine(line, null), line);
                    return;
                case IDictionary dictionary:
                    TakeRow(FromDictionary(dictionary), input);
                    return;
                default:
                    TakeRow(FromProperties(input), input);
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
            Take(record, input, why);
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
                foreach (EvidenceRecord r in EvidenceFileReader.Read(file, null, rowError, dates))
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

        void Take(EvidenceRecord record, object target, string why = null)
        {
            if (record == null)
            {
                skipped++;
                WriteVerbose($"Passed over {Describe(target)}: {why ?? "no SMTP reply or status code in it"}.");
                return;
            }
            if (!filter.Accepts(record)) return;
            if (NoGroup) WriteObject(AlertAggregator.Single(record, options));
            else aggregator.Add(record);
        }

        static IReadOnlyDictionary<string, object> FromProperties(PSObject input)
        {
            var row = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (PSPropertyInfo p in input.Properties)
            {
                if (row.ContainsKey(p.Name)) continue;
                object v;
                try { v = p.Value; }
                catch (GetValueException) { continue; }   // a script property that throws is no evidence
                row[p.Name] = Unwrap(v);
            }
            return row;
        }

        static IReadOnlyDictionary<string, object> FromDictionary(IDictionary input)
        {
            var row = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry e in input)
            {
                string key = e.Key?.ToString();
                if (key != null && !row.ContainsKey(key)) row[key] = Unwrap(e.Value);
            }
            return row;
        }

        static object Unwrap(object v)
        {
            if (v is PSObject pso)
            {
                // A deserialized enum (Import-Clixml, Receive-Job, remoting) wraps its number; its name travels as its ToString.
                if (pso.BaseObject is ValueType && pso.TypeNames.Any(t => t == "Deserialized.System.Enum")) return pso.ToString();
                v = pso.BaseObject;
            }
            if (v is IEnumerable list && !(v is string)) return list.Cast<object>().Select(x => x is PSObject p ? p.BaseObject : x).ToList();
            return v;
        }

        static string Describe(object target)
        {
            string s = target is PSObject p ? p.BaseObject?.GetType().Name ?? "null" : target?.ToString() ?? "null";
            return s.Length > 60 ? s.Substring(0, 60) + "..." : s;
        }
    }
}
