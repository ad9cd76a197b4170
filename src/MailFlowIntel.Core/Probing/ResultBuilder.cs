using System;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Facts to verdict, once, at the end: the catalog names the scenario; its code, status and texts (written for this
    /// case, in the caller's language) go onto the result. The only place a probe result gets its words.
    /// </summary>
    internal static class ResultBuilder
    {
        public static void Complete(ConnectorDeliveryResult r, ProbeFacts f, string expectedName, Language language)
        {
            Scenario s = ScenarioCatalog.ForProbe(f);
            // Written whole each time, so facts learned later (egress check, hairpin) can be written again.
            r.Code = r.EnhancedStatusCode = r.ForecastCode = null;
            r.ForecastDate = null;
            r.Reason = s.Reason;
            r.DnsView = f.DnsView;
            r.PublicAddress = f.DnsView == DnsView.Split ? f.PublicAddress : null;
            r.Status = s.Status;
            r.Stage = f.Stage;
            f.Gateway = f.AllDomains ? CloudGateways.ProviderOf(r.DestinationServer) : null;
            r.Responsible = ResponsibleFor(f);
            r.Facts = f;
            r.SmtpDaneMode = f.DaneMode.ToString();
            r.DaneStatus = f.Dane;
            r.TlsaRecords = f.TlsaRecords ?? "";
            r.TlsaMatched = f.TlsaMatched ?? "";
            r.ObservedTlsaRecord = f.ObservedTlsaRecord ?? "";
            r.MtaStsMode = f.MtaStsMode.ToString();
            r.MtaStsStatus = f.MtaSts;
            r.MtaStsPolicyDomain = f.MtaStsPolicyDomain ?? "";
            r.MtaStsPolicyMode = f.MtaStsPolicyMode ?? "";
            r.MtaStsPolicyId = f.MtaStsPolicyId ?? "";
            r.MtaStsMaxAge = f.MtaStsMaxAge;
            if (s.Family != null)
            {
                r.Code = s.Family.Code;
                r.EnhancedStatusCode = s.Family.EnhancedStatusCode;
            }
            else if (s.Reason == Reason.RecipientRejected)
            {
                // The server's own refusal is the code Microsoft 365 would pass on for that recipient.
                r.Code = SmtpReply.CodeOf(f.RecipientReply);
                r.EnhancedStatusCode = SmtpReply.EnhancedCodeOf(f.RecipientReply);
            }
            // A policy in testing mode that this host fails holds nothing today; enforce mode would give this code.
            if (s.Reason == Reason.MtaStsTesting)
                r.ForecastCode = (f.MtaSts == MtaStsStatus.MxMismatch ? CodeFamily.MtaStsMxMismatch : CodeFamily.MtaStsCertificateInvalid).Code;
            CaseFacts facts = FactsOf(r, f, expectedName);
            r.Title = s.Title(language);
            r.Cause = s.CauseFor(language, facts);
            r.Fix = s.FixFor(language, facts);
            if (f.Gateway != null && r.Fix != null) r.Fix = CloudGateways.ActThrough.Render(language, facts) + " " + r.Fix;
            r.Detail = DetailWriter.Describe(f, s, r.Recipient, r.TlsProtocol, language);
            if (f.Certificate != null && (f.Certificate.Notes & CertificateNotes.ExpiresSoon) != 0)
            {
                // The code this connector will report once the certificate has expired; none when it does not check dates.
                r.ForecastDate = f.Certificate.NotAfter;
                r.ForecastCode = f.Tls.ValidatesCertificate() ? CodeFamily.CertificateValidationFailed.Code : null;
            }
        }

        /// <summary>
        /// The admin for an OnPremises connector, and for any connector of every domain (*), which is the organisation's own
        /// outbound gateway or relay whatever its type; the partner for a Partner connector of named domains or a recipient
        /// domain by MX.
        /// </summary>
        public static Responsible ResponsibleFor(ProbeFacts f)
        {
            if (f.AllDomains) return Responsible.Admin;
            if (string.Equals(f.ConnectorType, "OnPremises", StringComparison.OrdinalIgnoreCase)) return Responsible.Admin;
            if (string.Equals(f.ConnectorType, "Partner", StringComparison.OrdinalIgnoreCase)) return Responsible.Partner;
            return f.Kind == TargetKind.Domain ? Responsible.Partner : Responsible.Unknown;
        }

        static CaseFacts FactsOf(ConnectorDeliveryResult r, ProbeFacts f, string expectedName)
        {
            CertificateReport c = f.Certificate;
            string problems = f.MtaSts == MtaStsStatus.CertificateInvalid && f.MtaStsEnforced ? MtaStsProblems(f)
                : f.TlsHandshakeFailed ? Untrusted.Clean(f.TlsFailureMessage)
                : c == null ? null
                : CertificateReport.Describe(f.CertificateRejected ? f.CheckedProblems : c.Problems).Replace("; ", ", ");
            return new CaseFacts
            {
                Host = r.DestinationServer ?? f.DnsName,
                Address = r.IPAddress,
                Port = r.Port,
                MxPreference = r.MxPreference,
                Reply = r.ServerResponse,
                Subject = r.CertificateSubject,
                Names = r.CertificateNames,
                Issuer = r.CertificateIssuer,
                NotAfter = r.CertificateNotAfter,
                Thumbprint = r.CertificateThumbprint,
                TlsaRecord = NullIfEmpty(f.ObservedTlsaRecord),
                MtaStsDomain = f.MtaStsPolicyDomain,
                MtaStsPolicyId = f.MtaStsPolicyId,
                ProbedFrom = NullIfEmpty(r.ProbedFrom),
                MissingIssuer = Untrusted.Clean(c?.MissingIssuer),
                Root = Untrusted.Clean(c?.Root),
                RootLists = c?.Root == null ? null : string.Join(", ", PublicRoots.List.Programs),
                Problems = string.IsNullOrEmpty(problems) ? null : problems,
                TlsSettings = r.TlsSettings,
                TlsDomain = r.TlsDomain ?? (f.Tls == TlsRequirement.DomainValidation ? expectedName : null),
                Connector = r.Connector,
                Domain = r.Target,
                FailoverServer = r.FailoverServer,
                SocketError = f.SocketError,
                Seconds = f.TimeoutSeconds,
                Stage = f.Stage.ToString(),
                Responsible = r.Responsible,
                ObservedFrom = ObservedFrom.ThisComputer,   // a probe's texts speak of this computer (DESIGN.md 2c)
                ForecastCode = r.ForecastCode,
                Gateway = f.Gateway,
                PublicAddress = f.PublicAddress,
                PrivateAddress = f.PrivateAddress,
            };
        }

        /// <summary>What fails MTA-STS's certificate check, by name; "NoTls" when no TLS session was had at all.</summary>
        static string MtaStsProblems(ProbeFacts f) =>
            f.MtaStsCertificateProblems != CertificateProblems.None
                ? CertificateReport.Describe(f.MtaStsCertificateProblems).Replace("; ", ", ")
                : f.TlsHandshakeFailed ? "NoTls (" + (Untrusted.Clean(f.TlsFailureMessage) ?? f.TlsFailure.ToString()) + ")" : "NoTls";

        static string NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;
    }
}
