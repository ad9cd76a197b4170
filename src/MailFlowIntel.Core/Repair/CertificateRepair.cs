using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// A certificate the connector's TlsSettings reject (450 4.7.320, however evidence spelled it). For the admin's own
    /// servers the steps carry the Exchange Server commands that show, bind and point the receive connector at a
    /// certificate; for a partner, what to ask and send. A name mismatch can also be repaired automatically
    /// (-AdoptCertificateName, <see cref="AdoptCertificateName"/>).
    /// </summary>
    public sealed class CertificateRepair : IRepairStrategy
    {
        readonly bool nameMismatch;

        public CertificateRepair(bool nameMismatch = false) { this.nameMismatch = nameMismatch; }

        static readonly Phrase Show = new Phrase(
            "On the Exchange server behind {Host}, see which certificate serves SMTP:",
            "Sur le serveur Exchange derrière {Host}, voyez quel certificat sert le SMTP :");
        static readonly Phrase Bind = new Phrase(
            "Bind the new certificate to SMTP (its thumbprint in place of <thumbprint>):",
            "Liez le nouveau certificat au SMTP (son empreinte à la place de <thumbprint>) :");
        static readonly Phrase Receive = new Phrase(
            "Point the receive connector that Microsoft 365 reaches at it: Set-ReceiveConnector -TlsCertificateName '<I>issuer<S>subject' on that connector (Exchange 2013 and later).",
            "Faites-le utiliser par le connecteur de réception qu'atteint Microsoft 365 : Set-ReceiveConnector -TlsCertificateName '<I>émetteur<S>sujet' sur ce connecteur (Exchange 2013 et ultérieur).");
        static readonly Phrase Hybrid = new Phrase(
            "If {Connector} was made by the Hybrid Configuration Wizard, run the wizard again so both sides name the new certificate.",
            "Si {Connector} a été créé par l'Assistant Configuration hybride, exécutez-le de nouveau pour que les deux côtés nomment le nouveau certificat.");

        public IEnumerable<PlannedStep> Plan(RepairContext c)
        {
            if (nameMismatch)
            {
                IReadOnlyList<PlannedStep> adopted = AdoptCertificateName.TryPlan(c, out string whyNot);
                if (adopted != null) return adopted;
                return new[] { Manual(c, whyNot) };
            }
            return new[] { Manual(c, null) };
        }

        PlannedStep Manual(RepairContext c, string whyNotAdopted)
        {
            string rationale = c.Scenario.CauseFor(c.Language, c.Facts) + (whyNotAdopted != null ? " " + whyNotAdopted : "");
            string command = c.Reproduce().Render();
            if (c.IsPartner) return c.Manual("ReplaceCertificate", c.Server, rationale, ManualRepair.PartnerSteps(c), command);
            var steps = new List<string>
            {
                c.Scenario.Fix?.Render(c.Language, c.Facts),
                c.Say(Show) + " " + new PsCommand("Get-ExchangeCertificate").Pipe(new PsCommand("Format-List").Literal("Thumbprint, Subject, CertificateDomains, NotAfter, Services")).Render(),
                c.Say(Bind) + " " + new PsCommand("Enable-ExchangeCertificate").Param("Thumbprint", "<thumbprint>").Param("Services", "SMTP").Render(),
                c.Say(Receive),
                c.Say(Hybrid),
            };
            if (c.Responsible == Responsible.Unknown && c.Scenario.PartnerFix != null)
                steps.Add((c.Language == Language.French ? "Si le serveur appartient à un partenaire : " : "If the server is a partner's: ")
                          + c.Scenario.PartnerFix.Render(c.Language, c.Facts));
            return c.Manual("ReplaceCertificate", c.Server, rationale, steps, command);
        }
    }
}
