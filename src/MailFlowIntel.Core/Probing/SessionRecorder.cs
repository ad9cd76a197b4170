using System;
using System.Text;
using MailKit;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Watches MailKit's protocol stream: keeps the transcript, tells which step the session is in,
    /// remembers what the server sent in that step, and restarts the step deadline whenever a new command goes out.
    /// </summary>
    internal sealed class SessionRecorder : IProtocolLogger
    {
        const int MaxTranscript = 16 * 1024;
        const int MaxStepBytes = 4 * 1024;

        readonly StringBuilder transcript = new StringBuilder();
        readonly StringBuilder stepServerText = new StringBuilder();
        readonly Action onNewStep;
        readonly Func<bool> sending;
        readonly object gate = new object();

        /// <param name="onNewStep">Called as each command goes out (restarts the step deadline).</param>
        /// <param name="sending">False once nothing more reaches the server (it said 421): such writes are not logged.</param>
        public SessionRecorder(Action onNewStep, Func<bool> sending)
        {
            this.onNewStep = onNewStep;
            this.sending = sending;
        }

        public ProbeStage Stage { get; set; } = ProbeStage.Greeting;
        public string LastReply { get; private set; }
        /// <summary>An EHLO reply line shows STARTTLS masked by an SMTP-inspecting firewall ("250-XXXXXXXA").</summary>
        public bool SawMaskedStartTls { get; private set; }
        public IAuthenticationSecretDetector AuthenticationSecretDetector { get; set; }

        public string Transcript { get { lock (gate) return transcript.ToString(); } }
        /// <summary>What the server sent since the last command (bounded): used to tell garbage from a close.</summary>
        public string StepServerText { get { lock (gate) return stepServerText.ToString(); } }

        public void LogConnect(Uri uri) { }

        public void LogClient(byte[] buffer, int offset, int count)
        {
            if (!sending()) return;   // refused by the session stream: it never reached the server
            string text = Encoding.ASCII.GetString(buffer, offset, Math.Min(count, 1024));
            lock (gate)
            {
                Append(transcript, "C: ", text, MaxTranscript);
                stepServerText.Clear();
            }
            string verb = text.TrimStart().Split(' ', '\r', '\n')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO": case "HELO": Stage = ProbeStage.Ehlo; break;
                case "STARTTLS": Stage = ProbeStage.StartTls; break;
                case "MAIL": Stage = ProbeStage.MailFrom; break;
                case "RCPT": Stage = ProbeStage.RcptTo; break;
                case "RSET": case "QUIT": Stage = ProbeStage.Quit; break;
            }
            onNewStep?.Invoke();
        }

        public void LogServer(byte[] buffer, int offset, int count)
        {
            string text = Encoding.UTF8.GetString(buffer, offset, Math.Min(count, MaxStepBytes));
            lock (gate)
            {
                Append(transcript, "S: ", text, MaxTranscript);
                if (stepServerText.Length < MaxStepBytes)
                    stepServerText.Append(text, 0, Math.Min(text.Length, MaxStepBytes - stepServerText.Length));
                string[] lines = stepServerText.ToString().Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);
                if (lines.Length > 0) LastReply = string.Join(" ", lines);
                if (Stage == ProbeStage.Ehlo && text.IndexOf("XXXXXXXA", StringComparison.OrdinalIgnoreCase) >= 0) SawMaskedStartTls = true;
            }
        }

        static void Append(StringBuilder sb, string prefix, string text, int max)
        {
            if (sb.Length >= max) return;
            foreach (string line in text.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (sb.Length >= max) { sb.Append("...\n"); return; }
                sb.Append(prefix).Append(line.Length > 512 ? line.Substring(0, 512) + "..." : line).Append('\n');
            }
        }

        public void Dispose() { }
    }
}
