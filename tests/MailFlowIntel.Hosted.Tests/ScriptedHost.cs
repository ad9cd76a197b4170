using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace MailFlowIntel.Hosted.Tests
{
    /// <summary>One prompt the host was asked: caption, message and the labels it offered.</summary>
    public sealed class PromptRecord
    {
        public string Caption { get; set; }
        public string Message { get; set; }
        public IReadOnlyList<string> Choices { get; set; }
        /// <summary>The label given back, or null when no scripted answer was left (the prompt was unexpected).</summary>
        public string Answer { get; set; }
        public override string ToString() => $"[{Caption}] {Message} -> {Answer ?? "(unexpected)"}";
    }

    /// <summary>
    /// A PowerShell host whose UI answers PromptForChoice from a script of choice labels ("&amp;Yes", "&amp;No", ...).
    /// Every prompt is recorded; a prompt with no scripted answer left throws, so an unexpected prompt fails the test.
    /// Everything written to the host goes to <see cref="Output"/>.
    /// </summary>
    public sealed class ScriptedHost : PSHost
    {
        public const string Yes = "&Yes";
        public const string YesToAll = "Yes to &All";
        public const string No = "&No";
        public const string NoToAll = "No to A&ll";

        readonly ScriptedHostUserInterface ui;
        readonly Guid id = Guid.NewGuid();

        public ScriptedHost(params string[] answers) { ui = new ScriptedHostUserInterface(answers); }

        /// <summary>Scripts further answers, consumed in order.</summary>
        public void Answer(params string[] labels) { foreach (string l in labels) ui.Answers.Enqueue(l); }

        public IReadOnlyList<PromptRecord> Prompts => ui.Prompts;
        public int UnansweredCount => ui.Answers.Count;
        public StringBuilder Output => ui.Output;

        public override string Name => "MailFlowIntel.ScriptedHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId => id;
        public override PSHostUserInterface UI => ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException("The scripted host has no nested prompt.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("The scripted host has no nested prompt.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    sealed class ScriptedHostUserInterface : PSHostUserInterface
    {
        public readonly Queue<string> Answers;
        public readonly List<PromptRecord> Prompts = new List<PromptRecord>();
        public readonly StringBuilder Output = new StringBuilder();
        readonly ScriptedRawUserInterface raw = new ScriptedRawUserInterface();

        public ScriptedHostUserInterface(IEnumerable<string> answers) { Answers = new Queue<string>(answers ?? Array.Empty<string>()); }

        public override PSHostRawUserInterface RawUI => raw;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            var record = new PromptRecord { Caption = caption, Message = message, Choices = choices.Select(c => c.Label).ToList() };
            lock (Prompts) Prompts.Add(record);
            Output.AppendLine($"PROMPT [{caption}] {message} ({string.Join(" / ", record.Choices)})");
            string label;
            lock (Answers)
            {
                if (Answers.Count == 0)
                    throw new InvalidOperationException($"Unexpected prompt (no scripted answer left): [{caption}] {message}");
                label = Answers.Dequeue();
            }
            for (int i = 0; i < choices.Count; i++)
            {
                if (string.Equals(choices[i].Label, label, StringComparison.Ordinal))
                {
                    record.Answer = label;
                    Output.AppendLine($"ANSWER {label}");
                    return i;
                }
            }
            throw new InvalidOperationException($"The prompt [{caption}] {message} offers no choice '{label}' (it offers {string.Join(", ", record.Choices)}).");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw Unexpected($"Prompt [{caption}] {message} for {string.Join(", ", descriptions.Select(d => d.Name))}");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw Unexpected($"PromptForCredential [{caption}] {message}");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw Unexpected($"PromptForCredential [{caption}] {message}");

        public override string ReadLine() => throw Unexpected("ReadLine");
        public override SecureString ReadLineAsSecureString() => throw Unexpected("ReadLineAsSecureString");

        Exception Unexpected(string what)
        {
            lock (Prompts) Prompts.Add(new PromptRecord { Caption = "(input)", Message = what, Choices = Array.Empty<string>() });
            return new InvalidOperationException($"Unexpected request for input: {what}");
        }

        public override void Write(string value) { lock (Output) Output.Append(value); }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
        public override void WriteLine(string value) { lock (Output) Output.AppendLine(value); }
        public override void WriteErrorLine(string value) => WriteLine("ERROR: " + value);
        public override void WriteDebugLine(string message) => WriteLine("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => WriteLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => WriteLine("WARNING: " + message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
    }

    sealed class ScriptedRawUserInterface : PSHostRawUserInterface
    {
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Coordinates CursorPosition { get; set; }
        public override Coordinates WindowPosition { get; set; }
        public override int CursorSize { get; set; } = 1;
        public override Size BufferSize { get; set; } = new Size(200, 1000);
        public override Size WindowSize { get; set; } = new Size(200, 50);
        public override Size MaxWindowSize => new Size(200, 50);
        public override Size MaxPhysicalWindowSize => new Size(200, 50);
        public override bool KeyAvailable => false;
        public override string WindowTitle { get; set; } = "";
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new InvalidOperationException("Unexpected ReadKey.");
        public override void FlushInputBuffer() { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    }
}
