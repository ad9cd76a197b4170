using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using MailFlowIntel.Core.Alerts;
using MailFlowIntel.Core.Evidence;

namespace MailFlowIntel
{
    /// <summary>
    /// -Baseline and -BaselinePath, as Get-MailFlowAlert and Export-MailFlowReport read them: one baseline, read before any
    /// input. An item or file that cannot be read is an error of the calling cmdlet, and the rest is read.
    /// </summary>
    internal sealed class BaselineReader
    {
        // Clixml is read whole (PSSerializer takes a string): beyond this, a CSV baseline, which streams, is the way.
        const long MaxClixmlBytes = 256L * 1024 * 1024;

        readonly PSCmdlet cmdlet;
        readonly AlertBaseline baseline;
        readonly EvidenceDates dates;

        BaselineReader(PSCmdlet cmdlet, AlertBaseline baseline, EvidenceDates dates)
        {
            this.cmdlet = cmdlet;
            this.baseline = baseline;
            this.dates = dates;
        }

        /// <param name="items">-Baseline's objects (live, from Import-Clixml or Import-Csv), or null.</param>
        /// <param name="path">-BaselinePath, or null.</param>
        public static AlertBaseline Read(PSCmdlet cmdlet, AlertBaseline baseline, PSObject[] items, string path, EvidenceDates dates)
        {
            var reader = new BaselineReader(cmdlet, baseline, dates);
            EvidenceDates baselineDates = dates.ForFile();
            foreach (PSObject item in items ?? Array.Empty<PSObject>()) reader.AddItem(item, item, null, baselineDates);
            if (path != null) reader.ReadFile(path);
            cmdlet.WriteVerbose($"Baseline: {baseline.Count} alert(s).");
            return baseline;
        }

        void ReadFile(string path)
        {
            string file;
            try { file = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path); }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is NotSupportedException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException)
            {
                cmdlet.WriteError(new ErrorRecord(ex, "BaselineNotFound", ErrorCategory.ObjectNotFound, path));
                return;
            }
            if (!File.Exists(file))
            {
                cmdlet.WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the baseline file '{file}'.", file), "BaselineNotFound", ErrorCategory.ObjectNotFound, path));
                return;
            }
            try
            {
                if (IsClixml(file))
                {
                    if (new FileInfo(file).Length > MaxClixmlBytes)
                        throw new InvalidDataException($"{file}: a Clixml baseline over {MaxClixmlBytes / (1024 * 1024)} MB is not read; save the alerts with Export-Csv instead.");
                    EvidenceDates fileDates = dates.ForFile();
                    foreach (object item in PSSerializer.DeserializeAsList(File.ReadAllText(file)))
                        AddItem(PSObject.AsPSObject(item), path, file, fileDates);
                    return;
                }
                baseline.AddFile(file, dates, ex => cmdlet.WriteError(new ErrorRecord(new InvalidDataException($"{file}, {ex.Message}", ex),
                    "UnreadableBaseline", ErrorCategory.InvalidData, path)));
            }
            catch (Exception ex) when (ex is EvidenceFormatException || ex is InvalidDataException || ex is System.Xml.XmlException
                                       || ex is InvalidOperationException || ex is RuntimeException)
            {
                cmdlet.WriteError(new ErrorRecord(ex is InvalidDataException ? ex : new InvalidDataException($"{file}: {ex.Message}", ex),
                    "UnreadableBaseline", ErrorCategory.InvalidData, path));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                cmdlet.WriteError(new ErrorRecord(ex, "UnreadableBaseline", ErrorCategory.ReadError, path));
            }
        }

        /// <summary>Export-Clixml's files start with &lt;Objs (after a byte order mark: Windows PowerShell 5.1 writes UTF-16).</summary>
        static bool IsClixml(string file)
        {
            using (var reader = new StreamReader(file, System.Text.Encoding.UTF8, true))
            {
                var head = new char[512];
                int n = reader.ReadBlock(head, 0, head.Length);
                return new string(head, 0, n).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').StartsWith("<Objs", StringComparison.Ordinal);
            }
        }

        void AddItem(PSObject item, object target, string file, EvidenceDates baselineDates)
        {
            if (item?.BaseObject == null) return;
            IReadOnlyDictionary<string, object> row = PipelineRows.Of(item);
            string where = file == null ? "" : file + ": ";
            try
            {
                if (!baseline.Add(row, baselineDates, out string why))
                    cmdlet.WriteError(new ErrorRecord(new InvalidDataException($"{where}a baseline item is not an alert ({why ?? "no alert properties"}); give Get-MailFlowAlert's own output, or a file with -BaselinePath."),
                        "BaselineItemNotAlert", ErrorCategory.InvalidData, item));
                else if (why != null) cmdlet.WriteVerbose($"Baseline: left out {PipelineRows.Describe(item)}: {why}.");
            }
            catch (EvidenceFormatException ex)
            {
                cmdlet.WriteError(new ErrorRecord(new InvalidDataException(where + ex.Message, ex), "UnreadableBaseline", ErrorCategory.InvalidData, file == null ? item : target));
            }
        }
    }
}
