using System;
using System.Linq;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// DESIGN.md section 2 as one ordered table: the first row whose condition holds gives the code and status.
    /// </summary>
    internal static class Classifier
    {
        sealed class Rule
        {
            public Rule(int row, Func<Observation, bool> when, FailureCode code, ProbeStatus status)
            { Row = row; When = when; Code = code; Status = status; }
            public int Row { get; }
            public Func<Observation, bool> When { get; }
            public FailureCode Code { get; }
            public ProbeStatus Status { get; }
        }

        static readonly Rule[] Rules =
        {
            new Rule(0,  o => o.LocalFault,                             null,                                       ProbeStatus.NotTested),
            new Rule(1,  o => o.LoopToMicrosoft365,                     FailureCatalog.MailLoop,                    ProbeStatus.Failed),
            new Rule(1,  o => o.CertificateRejected,                    FailureCatalog.CertificateValidationFailed, ProbeStatus.Failed),
            new Rule(2,  o => o.DnsFailure != null,                     FailureCatalog.DnsQueryFailed,              ProbeStatus.Failed),
            new Rule(3,  o => o.NullMx,                                 FailureCatalog.DomainAcceptsNoMail,         ProbeStatus.Failed),
            new Rule(4,  o => o.ConnectRefused,                         FailureCatalog.ConnectionRefused,           ProbeStatus.Failed),
            new Rule(5,  o => o.ConnectTimedOut,                        FailureCatalog.ConnectionTimedOut,          ProbeStatus.Failed),
            new Rule(6,  o => o.RejectedReply != null,                  FailureCatalog.CannotConnect,               ProbeStatus.Failed),
            new Rule(7,  o => o.StartTlsMissing && o.Tls.RequiresTls(), FailureCatalog.CannotConnect,               ProbeStatus.Failed),
            // An advertised STARTTLS that fails makes Microsoft 365 queue, whatever the TlsSettings; only a STARTTLS that is
            // not offered lets opportunistic TLS go on in the clear (Exchange Team blog, "Understanding email scenarios if
            // TLS versions cannot be agreed on with Exchange Online").
            new Rule(8,  o => o.TlsHandshakeFailed,                     FailureCatalog.CannotConnect,               ProbeStatus.Failed),
            new Rule(9,  o => o.Unparseable,                            FailureCatalog.CannotConnect,               ProbeStatus.Failed),
            new Rule(10, o => o.ReplyTimedOut,                          FailureCatalog.ConnectionTimedOut,          ProbeStatus.Failed),
            new Rule(11, o => o.ClosedAbruptly,                         FailureCatalog.ClosedAbruptly,              ProbeStatus.Failed),
            new Rule(12, o => o.RecipientRefusal != null,               null,                                       ProbeStatus.Failed),
            new Rule(13, o => o.Warnings.Count > 0 || o.StartTlsMissing,  null,                                     ProbeStatus.Warning),
            new Rule(14, o => true,                                     null,                                       ProbeStatus.Succeeded),
        };

        /// <summary>Writes the verdict of the first matching row onto the result.</summary>
        public static void Apply(Observation o, ConnectorDeliveryResult result)
        {
            Rule rule = Rules.First(r => r.When(o));
            result.Status = rule.Status;
            result.Stage = o.Stage;
            result.Detail = o.Detail;
            if (rule.Code != null)
            {
                result.Code = rule.Code.Code;
                result.EnhancedStatusCode = rule.Code.EnhancedStatusCode;
                result.Title = rule.Code.Title;
                result.Cause = rule.Code.Cause;
                result.Fix = rule.Code.Fix;
            }
            else if (rule.Row == 12)
            {
                // The server's own refusal is the code Microsoft 365 would pass on for that recipient.
                string reply = o.RecipientRefusal;
                FailureCode known = FailureCatalog.Find(reply);
                result.Code = SmtpReply.CodeOf(reply);
                result.EnhancedStatusCode = SmtpReply.EnhancedCodeOf(reply);
                result.Title = known?.Title ?? "Recipient refused";
                result.Cause = known?.Cause ?? "The destination server refused this recipient; its reply says why.";
                result.Fix = known?.Fix ?? "Check that the recipient exists on the destination server and that the server accepts mail for its domain from Microsoft 365.";
            }
            if (rule.Status == ProbeStatus.Warning && string.IsNullOrEmpty(result.Detail))
                result.Detail = string.Join(" ", o.Warnings);
        }
    }
}
