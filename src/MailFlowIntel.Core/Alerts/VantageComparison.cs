using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>
    /// One verdict per connector and server across vantages (DESIGN.md 2c): where a run holds Microsoft 365's evidence and a
    /// probe from this computer for the same connector and server (by name or address: a trace may name the smart host where
    /// the probe names its MX), one alert holds both, and the scenario only the comparison shows is named:
    /// BlockedForMicrosoft365 (Microsoft 365 fails, this computer gets through), the code confirmed (both fail), or
    /// BlockedForThisComputer (this computer fails, Microsoft 365 delivers: Low, no repair, no Exchange Online code); and a
    /// certificate Microsoft 365 names that differs from the one the probe saw is DifferentCertificateForMicrosoft365.
    /// </summary>
    public static class VantageComparison
    {
        static readonly Regex Thumbprint = new Regex(@"\b[0-9A-Fa-f]{40}\b", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        static readonly Regex Subject = new Regex(@"CN=[^,\];'""\s]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100));

        public static List<KeyValuePair<string, MailFlowAlert>> Apply(List<KeyValuePair<string, MailFlowAlert>> alerts, VantageSightings sightings, Language language)
        {
            var dropped = new HashSet<MailFlowAlert>();
            foreach (MailFlowAlert m in alerts.Select(a => a.Value).Where(IsMicrosoft365))
            {
                // Both fail: a probe's alert of the same connector and server joins Microsoft 365's (the same key joined already).
                if ((m.ObservedFrom & ObservedFrom.ThisComputer) != 0) Confirmed(m, m.Code);
                foreach (MailFlowAlert p in alerts.Select(a => a.Value).Where(a => a != m && !dropped.Contains(a) && a.ObservedFrom == ObservedFrom.ThisComputer))
                {
                    if (!SamePlace(m.Connector, m.DestinationServer, m.LastAttemptedIP, p.Connector, p.DestinationServer, null, p.LastAttemptedIP)) continue;
                    Confirmed(m, p.Code);
                    m.ComputerName = m.ComputerName ?? p.ComputerName;
                    m.ServerResponse = m.ServerResponse ?? p.ServerResponse;
                    m.ProbedFrom = m.ProbedFrom ?? p.ProbedFrom;
                    CopyCertificate(p, m);
                    dropped.Add(p);
                }
                if (m.ProbeStatus == null)
                {
                    // Microsoft 365 fails there, and this computer got through.
                    VantageSightings.ProbeSight seen = sightings?.Probes.Where(s => SamePlace(m.Connector, m.DestinationServer, m.LastAttemptedIP, s.Connector, s.Server, s.Target, s.Address))
                        .OrderByDescending(s => s.At).FirstOrDefault();
                    if (seen != null)
                    {
                        m.ObservedFrom |= ObservedFrom.ThisComputer;
                        m.ProbeStatus = seen.Status;
                        m.ComputerName = m.ComputerName ?? seen.Computer;
                        if (m.CertificateThumbprint == null) { m.CertificateThumbprint = seen.Thumbprint; m.CertificateSubject = seen.Subject; }
                        Name(m, ScenarioCatalog.BlockedForMicrosoft365, language, Finding(language, seen.Computer, seen.At, null));
                    }
                }
                string reported = ReportedCertificate(m.Microsoft365Token);
                if (reported != null && (m.CertificateThumbprint != null || m.CertificateSubject != null) && Differs(reported, m.CertificateThumbprint, m.CertificateSubject))
                    Name(m, ScenarioCatalog.DifferentCertificateForMicrosoft365, language, null, reported);
            }
            foreach (MailFlowAlert p in alerts.Select(a => a.Value).Where(a => !dropped.Contains(a) && a.ObservedFrom == ObservedFrom.ThisComputer))
            {
                // This computer fails there, and Microsoft 365 delivers through that connector in this run.
                VantageSightings.DeliverySight delivered = sightings?.Deliveries.FirstOrDefault(d =>
                    !string.IsNullOrEmpty(p.Connector) && string.Equals(d.Connector, p.Connector, StringComparison.OrdinalIgnoreCase)
                    && (string.IsNullOrEmpty(d.Server) || string.Equals(d.Server, p.DestinationServer, StringComparison.OrdinalIgnoreCase)));
                if (delivered == null) continue;
                p.ObservedFrom |= ObservedFrom.Microsoft365;
                p.ProbeStatus = ProbeStatus.Failed;
                p.ProbeCode = p.Code;
                p.RawCode = p.RawCode ?? p.Code;
                string finding = Finding(language, p.ComputerName, null, p.Code);
                p.Code = p.EnhancedStatusCode = null;   // no Exchange Online code: Microsoft 365 delivers
                p.Severity = AlertSeverity.Low;
                Name(p, ScenarioCatalog.BlockedForThisComputer, language, finding);
            }
            return alerts.Where(a => !dropped.Contains(a.Value)).ToList();
        }

        static bool IsMicrosoft365(MailFlowAlert a) => (a.ObservedFrom & ObservedFrom.Microsoft365) != 0 && a.Code != null;

        static void Confirmed(MailFlowAlert m, string probeCode)
        {
            m.ObservedFrom |= ObservedFrom.ThisComputer;
            m.ProbeStatus = ProbeStatus.Failed;
            m.ProbeCode = probeCode;
        }

        /// <summary>The same connector (where both name one) and the same server, by name or address.</summary>
        static bool SamePlace(string connectorA, string serverA, string addressA, string connectorB, string serverB, string targetB, string addressB)
        {
            if (!string.IsNullOrEmpty(connectorA) && !string.IsNullOrEmpty(connectorB) && !string.Equals(connectorA, connectorB, StringComparison.OrdinalIgnoreCase)) return false;
            return Same(serverA, serverB) || Same(serverA, targetB) || (!string.IsNullOrEmpty(addressA) && string.Equals(addressA, addressB, StringComparison.OrdinalIgnoreCase));
        }

        static bool Same(string a, string b) =>
            !string.IsNullOrEmpty(a) && !string.IsNullOrEmpty(b) && string.Equals(a.Trim().TrimEnd('.'), b.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

        /// <summary>The scenario the comparison names speaks first for the alert: its Reason leads, its texts replace the others.</summary>
        static void Name(MailFlowAlert a, Scenario s, Language language, string finding, string reportedCertificate = null)
        {
            var facts = new CaseFacts
            {
                Host = a.DestinationServer, Address = a.LastAttemptedIP, Connector = a.Connector, Domain = a.DestinationServer,
                Subject = a.CertificateSubject, Thumbprint = a.CertificateThumbprint, TlsDomain = a.TlsDomain, Responsible = a.Responsible,
                Code = a.Code ?? a.RawCode, ProbeFinding = finding, ReportedCertificate = reportedCertificate, ObservedFrom = a.ObservedFrom,
            };
            a.Reason = string.Join("; ", new[] { s.Reason.ToString() }.Concat((a.Reason ?? "").Split(';').Select(r => r.Trim()).Where(r => r.Length > 0 && r != s.Reason.ToString())));
            a.Title = s.Title(language);
            a.Cause = s.CauseFor(language, facts);
            a.Fix = s.FixFor(language, facts);
        }

        /// <summary>What the probe found, in words: "this computer (PC1) reached it at 2026-12-08 09:15 UTC" or "... got 450 4.4.315".</summary>
        static string Finding(Language language, string computer, DateTime? at, string failedWith)
        {
            bool fr = language == Language.French;
            string who = fr ? "cet ordinateur" : "this computer";
            if (!string.IsNullOrEmpty(computer)) who += " (" + Untrusted.Clean(computer) + ")";
            if (failedWith != null) return who + (fr ? " a obtenu " : " got ") + failedWith;
            string when = at == null ? "" : (fr ? " le " : " at ") + at.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
            return who + (fr ? " l'a joint" : " reached it") + when;
        }

        /// <summary>A certificate named in Microsoft 365's words ([Message=...]): a thumbprint or a subject; null when none is.</summary>
        static string ReportedCertificate(string detail)
        {
            if (string.IsNullOrEmpty(detail)) return null;
            try
            {
                Match t = Thumbprint.Match(detail);
                if (t.Success) return t.Value.ToUpperInvariant();
                Match s = Subject.Match(detail);
                return s.Success ? s.Value.Trim() : null;
            }
            catch (RegexMatchTimeoutException) { return null; }
        }

        static bool Differs(string reported, string thumbprint, string subject) =>
            reported.StartsWith("CN=", StringComparison.OrdinalIgnoreCase)
                ? subject == null || subject.IndexOf(reported, StringComparison.OrdinalIgnoreCase) < 0
                : thumbprint == null || !string.Equals(reported, thumbprint, StringComparison.OrdinalIgnoreCase);

        static void CopyCertificate(MailFlowAlert from, MailFlowAlert to)
        {
            if (to.CertificateThumbprint != null || from.CertificateThumbprint == null) return;
            to.CertificateSubject = from.CertificateSubject;
            to.CertificateIssuer = from.CertificateIssuer;
            to.CertificateNames = from.CertificateNames;
            to.CertificateNotAfter = from.CertificateNotAfter;
            to.CertificateThumbprint = from.CertificateThumbprint;
            to.CertificateErrors = from.CertificateErrors;
        }
    }
}
