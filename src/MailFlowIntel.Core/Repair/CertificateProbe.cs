using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Probing;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// -AdoptCertificateName's fresh look at the certificates: every smart host of the connector probed (chain and dates
    /// checked, not the name). A new TlsDomain applies to all of them, so a name is offered only if every host's
    /// certificate is valid, trusted and carries it.
    /// </summary>
    internal sealed class CertificateProbe
    {
        readonly RepairRunner run;

        public CertificateProbe(RepairRunner run) => this.run = run;

        /// <summary>What the probes saw; null when no host could be probed.</summary>
        public FreshCertificate Probe(ConnectorState connector, RepairInput input)
        {
            List<string> hosts = connector.SmartHosts.Count > 0 ? connector.SmartHosts.Take(16).ToList()
                               : input.DestinationServer != null ? new List<string> { input.DestinationServer } : new List<string>();
            FreshCertificate fresh = null;
            foreach (string host in hosts)
            {
                ProbeTarget target;
                try { target = TargetParser.Parse(host, TargetKind.SmartHost, connector.Name, TlsRequirement.CertificateValidation, connector.TlsDomain); }
                catch (InvalidTargetException) { return null; }
                if (target.NotTested != NotTestedKind.None) return null;
                IReadOnlyList<ConnectorDeliveryResult> results;
                try { results = new DeliveryTester(run.ProbeOptions).TestAsync(target, run.Cancel).GetAwaiter().GetResult(); }
                catch (DnsServerUnreachableException ex)
                {
                    run.Error(ex, "DnsServerUnreachable", "ResourceUnavailable", host);
                    return null;
                }
                ConnectorDeliveryResult seen = results.FirstOrDefault(r => r.CertificateSubject != null);
                if (seen == null) return new FreshCertificate { Host = host, ValidAndTrusted = false, Errors = results.FirstOrDefault()?.Detail };
                string[] chainOrDate = (seen.CertificateErrors ?? "").Split(new[] { "; " }, StringSplitOptions.RemoveEmptyEntries)
                    .Where(e => e != "SubjectMismatch" && !Enum.IsDefined(typeof(CertificateNotes), e)).ToArray();   // notes fail nothing
                run.Host.Verbose($"Fresh probe of {host}: {seen.CertificateSubject}, names {seen.CertificateNames}, errors '{seen.CertificateErrors}'.");
                string[] names = (seen.CertificateNames ?? "").Split(new[] { "; " }, StringSplitOptions.RemoveEmptyEntries);
                bool good = seen.Status != ProbeStatus.Failed && chainOrDate.Length == 0;
                CertificateReport report = seen.Facts?.Certificate;
                bool privateRoot = report != null && (report.Notes & CertificateNotes.PrivateRoot) != 0;
                // A root only this computer trusts is no ground to adopt a name: Microsoft 365 would most likely refuse it.
                bool rootOnlyHere = report != null && report.RootNotInPublicProgram;
                bool namePasses = !(seen.CertificateErrors ?? "").Contains("SubjectMismatch");
                fresh = fresh == null
                    ? new FreshCertificate { Host = host, Names = names, ValidAndTrusted = good, Errors = seen.CertificateErrors, PrivateRoot = privateRoot,
                                             RootNotInPublicProgram = rootOnlyHere, NamePasses = namePasses }
                    : new FreshCertificate
                    {
                        Host = fresh.Host + ", " + host,
                        Names = fresh.Names.Intersect(names, StringComparer.OrdinalIgnoreCase).ToList(),
                        ValidAndTrusted = fresh.ValidAndTrusted && good,
                        PrivateRoot = fresh.PrivateRoot || privateRoot,
                        RootNotInPublicProgram = fresh.RootNotInPublicProgram || rootOnlyHere,
                        NamePasses = fresh.NamePasses && namePasses,
                        Errors = string.Join("; ", new[] { fresh.Errors, seen.CertificateErrors }.Where(e => !string.IsNullOrEmpty(e)).Distinct()),
                    };
            }
            return fresh;
        }
    }
}
