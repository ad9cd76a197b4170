using System.Collections.Generic;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>The facts one attempt produced, before they are classified. Exactly what the probe saw; no verdicts.</summary>
    internal sealed class Observation
    {
        public TlsRequirement Tls { get; set; }
        public ProbeStage Stage { get; set; }

        public string DnsFailure { get; set; }
        public bool NullMx { get; set; }
        /// <summary>An OnPremises connector whose destination is Microsoft 365's own front door: mail would loop.</summary>
        public bool LoopToMicrosoft365 { get; set; }
        /// <summary>The connect failed for a reason of this machine (no route, a local limit): nothing Microsoft 365 would see.</summary>
        public bool LocalFault { get; set; }
        public bool ConnectRefused { get; set; }
        public bool ConnectTimedOut { get; set; }
        /// <summary>A reply other than the expected success at greeting, EHLO/HELO or STARTTLS.</summary>
        public int? RejectedReply { get; set; }
        public bool StartTlsMissing { get; set; }
        /// <summary>The EHLO reply shows STARTTLS masked by an SMTP-inspecting firewall (XXXXXXXA).</summary>
        public bool StartTlsMasked { get; set; }
        public TlsFailure TlsFailure { get; set; }
        public bool TlsHandshakeFailed => TlsFailure != TlsFailure.None && TlsFailure != TlsFailure.CertificateRejected;
        /// <summary>The handshake was refused by our certificate check under a validating connector.</summary>
        public bool CertificateRejected => TlsFailure == TlsFailure.CertificateRejected;
        public bool Unparseable { get; set; }
        public bool ReplyTimedOut { get; set; }
        public bool ClosedAbruptly { get; set; }
        /// <summary>The reply to RCPT TO when it was not a success (the server's own code).</summary>
        public string RecipientRefusal { get; set; }
        /// <summary>Reasons for a Warning: things that worked but deserve attention.</summary>
        public List<string> Warnings { get; } = new List<string>();

        /// <summary>Plain words for what went wrong, including the specifics of this case.</summary>
        public string Detail { get; set; }
    }
}
