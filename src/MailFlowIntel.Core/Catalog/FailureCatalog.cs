using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>One failure code as Microsoft 365 reports it, with our own cause and fix text.</summary>
    public sealed class FailureCode
    {
        internal FailureCode(string code, string title, string cause, string fix)
        {
            Code = code;
            EnhancedStatusCode = code.Substring(code.IndexOf(' ') + 1);
            Title = title;
            Cause = cause;
            Fix = fix;
        }

        /// <summary>Reply code and enhanced status code, e.g. "450 4.4.316".</summary>
        public string Code { get; }
        /// <summary>The enhanced status code alone, e.g. "4.4.316".</summary>
        public string EnhancedStatusCode { get; }
        public string Title { get; }
        public string Cause { get; }
        public string Fix { get; }

        /// <summary>The subject and detail ("4.316") that the deferred and the expired forms share.</summary>
        public string Family => EnhancedStatusCode.Substring(EnhancedStatusCode.IndexOf('.') + 1);

        public override string ToString() => Code + " " + Title;
    }

    /// <summary>The one table of failure codes. Every other part of the module refers to these entries.</summary>
    public static class FailureCatalog
    {
        public static readonly FailureCode DnsQueryFailed = new FailureCode(
            "450 4.4.312", "DNS query failed",
            "The name Microsoft 365 must resolve (the connector's smart host, or the recipient domain's MX host) has no usable answer: the domain may have lapsed, its DNS host may be failing, or a recent MX change has not reached every resolver yet.",
            "Check the records with your DNS host (an A or AAAA record for the smart host, MX records for the domain) and correct them; if the domain belongs to a partner, ask the partner to fix their DNS.");

        public static readonly FailureCode ConnectionTimedOut = new FailureCode(
            "450 4.4.315", "Connection timed out",
            "The destination mail server did not answer in time: it may be down, a firewall may be silently dropping port 25, or the connector points at an address where no mail server listens (for instance after a change of internet provider).",
            "Confirm the server is running and reachable on TCP 25 from the internet, and that the connector's smart hosts or the MX records hold the current addresses; for a partner's server, ask the partner.");

        public static readonly FailureCode ConnectionRefused = new FailureCode(
            "450 4.4.316", "Connection refused",
            "The destination host actively refused TCP 25: usually a firewall that does not admit Microsoft 365's sending addresses, or no SMTP service listening. It is expected when the on-premises mail system was retired on purpose.",
            "Allow Microsoft 365's Exchange Online address ranges to reach your mail servers on TCP 25. If on-premises mail was retired, disable the connector and set the accepted domain from InternalRelay to Authoritative; for a partner's server, ask the partner.");

        public static readonly FailureCode CannotConnect = new FailureCode(
            "450 4.4.317", "Cannot connect to remote server",
            "The destination server was reached but did not let the session proceed: it answered with an error (service unavailable, TLS not available), sent something that is not SMTP, or could not meet the connector's TLS requirement.",
            "Check the receive connector and TLS set-up of the destination server (STARTTLS offered, TLS 1.2 enabled, a certificate bound) and the connector's TlsSettings; for a partner's server, ask the partner.");

        public static readonly FailureCode ClosedAbruptly = new FailureCode(
            "450 4.4.318", "Connection was closed abruptly",
            "The destination server, or something in between, dropped the session before it was done: an SMTP-inspecting firewall, an overloaded or crashing mail service, or an unstable network path.",
            "Turn off SMTP inspection on the firewall in front of the server, check the mail service's health and resources, and have the network team trace the path; for a partner's server, ask the partner.");

        public static readonly FailureCode CertificateValidationFailed = new FailureCode(
            "450 4.7.320", "Certificate validation failed",
            "The connector requires a validated certificate and the one the destination server presented failed that check: expired or not yet valid, not chained to a trusted public root, or not carrying the name the connector expects.",
            "Install a current certificate from a trusted public authority that carries the connector's TlsDomain (or the smart host name), or correct the connector's TlsDomain to a name the certificate carries; for a partner's server, ask the partner.");

        public static readonly FailureCode DomainAcceptsNoMail = new FailureCode(
            "556 5.1.10", "Recipient domain accepts no mail",
            "The domain publishes a Null MX record (MX 0 \".\"), which states that it receives no mail at all.",
            "If the domain should receive mail, replace the Null MX with real MX records; otherwise remove it from the connector's recipient domains.");

        /// <summary>
        /// Exchange Online's own loop code ("5.4.14 Hop count exceeded - possible mail loop", Microsoft Learn: "Fix email
        /// delivery issues for error code 5.4.6 or 5.4.14 in Exchange Online").
        /// </summary>
        public static readonly FailureCode MailLoop = new FailureCode(
            "554 5.4.14", "Hop count exceeded - possible mail loop",
            "The connector sends mail for your on-premises organisation back to Microsoft 365's own servers, which route it to the connector again until the hop limit is reached.",
            "Point the connector's smart host at your on-premises server (not at a *.mail.protection.outlook.com host or Microsoft 365's addresses), or use DNS routing only where the domain's MX does not lead back to Microsoft 365.");

        /// <summary>Every entry, in code order.</summary>
        public static IReadOnlyList<FailureCode> All { get; } = new[]
        {
            DnsQueryFailed, ConnectionTimedOut, ConnectionRefused, CannotConnect, ClosedAbruptly,
            CertificateValidationFailed, DomainAcceptsNoMail, MailLoop,
        };

        static readonly Regex EnhancedCode = new Regex(@"\b([245])\.(\d{1,3})\.(\d{1,3})\b", RegexOptions.CultureInvariant);

        /// <summary>
        /// Finds the entry for any spelling an admin may hold: "450 4.4.316", "4.4.316" or the expired "550 5.4.316".
        /// Returns null when the code is not in the catalog.
        /// </summary>
        public static FailureCode Find(string anySpelling)
        {
            if (string.IsNullOrWhiteSpace(anySpelling)) return null;
            Match m = EnhancedCode.Match(anySpelling);
            if (!m.Success) return null;
            string family = m.Groups[2].Value + "." + m.Groups[3].Value;
            return All.FirstOrDefault(c => string.Equals(c.Family, family, StringComparison.Ordinal)
                                           && (c.EnhancedStatusCode[0] == m.Groups[1].Value[0] || c.EnhancedStatusCode[0] == '4'));
        }
    }
}
