using System.Collections.Generic;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>A command for RepairRunner: answers each consent from a script (Yes when it runs out) and keeps what it is told.</summary>
    internal sealed class RecordingRepairHost : IRepairHost
    {
        readonly Queue<Consent> answers = new Queue<Consent>();

        public RecordingRepairHost(params Consent[] answers)
        {
            foreach (Consent a in answers) this.answers.Enqueue(a);
        }

        public List<string> Questions { get; } = new List<string>();
        public List<RepairAction> Actions { get; } = new List<RepairAction>();
        public List<RepairError> Errors { get; } = new List<RepairError>();
        public List<string> VerboseLines { get; } = new List<string>();

        public Consent Ask(string description, string question)
        {
            Questions.Add(question);
            return answers.Count > 0 ? answers.Dequeue() : Consent.Yes;
        }

        public void Write(RepairAction action) => Actions.Add(action);
        public void Error(RepairError error) => Errors.Add(error);
        public void Verbose(string text) => VerboseLines.Add(text);
        public bool Stopping => false;
    }
}
