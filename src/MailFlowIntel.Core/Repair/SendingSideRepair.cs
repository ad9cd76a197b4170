using System.Collections.Generic;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// A failure that a sending server of the admin's saw on its own way out (an Exchange server's queue, NDR or log; another
    /// MTA's log): one step for a person on that side, in the scenario's own words for that view (its SenderFix): the send
    /// connector, the firewall and proxy on the way out, DNS and TLS toward the next hop. Never an Exchange Online change:
    /// no Exchange Online connector carried this mail, and -Decommissioned or -AdoptCertificateName say so instead of acting.
    /// </summary>
    internal static class SendingSideRepair
    {
        static readonly Phrase NothingInExchangeOnline = new Phrase(
            "{^Sender} saw this on its own way out to {Host}: no Exchange Online connector carried this mail, so nothing in Exchange Online is read or changed for it.",
            "{^Sender} a vu cet échec sur sa propre sortie vers {Host} : aucun connecteur d'Exchange Online n'a porté ce courrier, rien n'est donc lu ni modifié dans Exchange Online pour lui.");
        static readonly Phrase NotDecommissioned = new Phrase(
            "-Decommissioned disables an Exchange Online connector whose destination was retired; this failure is {SenderOf} own way out, not Exchange Online's, so nothing is disabled and no accepted domain changes.",
            "-Decommissioned désactive un connecteur d'Exchange Online dont la destination a été retirée ; cet échec concerne la sortie propre {SenderOf}, pas Exchange Online : rien n'est donc désactivé et aucun domaine accepté ne change.");
        static readonly Phrase NotAdopted = new Phrase(
            "-AdoptCertificateName changes the TlsDomain of an Exchange Online connector; the name {Sender} expects is set on its own side instead (the step above).",
            "-AdoptCertificateName modifie le TlsDomain d'un connecteur d'Exchange Online ; le nom qu'attend {Sender} se règle plutôt de son côté (l'étape ci-dessus).");
        static readonly Phrase RunThere = new Phrase(
            "Run on {Sender} itself, not on this computer:", "Exécutez sur {Sender} lui-même, et non sur ce poste\u00A0:");
        static readonly Phrase SendConnector = new Phrase(
            "See the send connector that routes this mail (the queue's NextHopConnector):",
            "Voyez le connecteur d'envoi qui achemine ce courrier (le NextHopConnector de la file d'attente)\u00A0:");
        static readonly Phrase RetryQueue = new Phrase(
            "Once it is fixed, have the queue try again at once:", "Une fois la correction faite, faites réessayer la file d'attente aussitôt\u00A0:");

        public static IEnumerable<PlannedStep> Plan(RepairContext c)
        {
            Scenario s = c.Scenario;
            if (s.Repair is NothingToRepair) yield break;
            bool exchange = Scenario.Speaker(c.Facts.ObservedFrom) == ObservedFrom.ExchangeServer;
            PsCommand check = Check(c);
            var steps = new List<string>();
            if (c.Options.Decommissioned) steps.Add(c.Say(NotDecommissioned));
            steps.Add(s.FixFor(c.Language, c.Facts));
            if (c.Options.AdoptCertificateName && s.Family == CodeFamily.CertificateValidationFailed) steps.Add(c.Say(NotAdopted));
            steps.Add(c.Say(RunThere) + " " + check.Render());
            if (exchange)
            {
                // The queue's next hop is a send connector's GUID until a session to Exchange Server resolves it: the
                // command takes the GUID as well as a name.
                PsCommand connectors = c.ConnectorName == null ? new PsCommand("Get-SendConnector") : new PsCommand("Get-SendConnector").Param("Identity", c.ConnectorName);
                steps.Add(c.Say(SendConnector) + " " + connectors.Pipe(new PsCommand("Format-List")
                    .Literal("Name, AddressSpaces, SmartHosts, DNSRoutingEnabled, Fqdn, RequireTLS, TlsAuthLevel, TlsDomain, TlsCertificateName")).Render());
                if (c.Server != null)
                    steps.Add(c.Say(RetryQueue) + " " + new PsCommand("Retry-Queue").Param("Filter", $"NextHopDomain -eq '{c.Server}' -and Status -eq 'Retry'").Render());
            }
            steps.Add(c.Say(NothingInExchangeOnline));
            yield return c.Manual("CheckSendingServer", c.Server ?? c.ConnectorName, s.CauseFor(c.Language, c.Facts), steps, check.Render());
        }

        /// <summary>What shows the fault again from the sending server: its DNS answer, its way to port 25, or its send connectors.</summary>
        static PsCommand Check(RepairContext c)
        {
            string host = c.Facts.Address ?? c.Server ?? "<host>";
            CodeFamily family = c.Scenario.Family;
            if (family == CodeFamily.DnsQueryFailed) return new PsCommand("Resolve-DnsName").Param("Name", c.Server ?? "<host>");
            if (family == CodeFamily.ConnectionRefused || family == CodeFamily.ConnectionTimedOut || family == CodeFamily.ClosedAbruptly
                || c.Scenario.Reason == Reason.CannotConnect || c.Scenario.Reason == Reason.NetworkUnreachable || c.Scenario.Reason == Reason.HostUnreachable)
                return new PsCommand("Test-NetConnection").Param("ComputerName", host).Param("Port", "25");
            return Scenario.Speaker(c.Facts.ObservedFrom) == ObservedFrom.ExchangeServer
                ? new PsCommand("Get-SendConnector").Pipe(new PsCommand("Format-List").Literal("Name, AddressSpaces, SmartHosts, RequireTLS, TlsAuthLevel, TlsDomain, TlsCertificateName, Fqdn"))
                : new PsCommand("Test-NetConnection").Param("ComputerName", host).Param("Port", "25");
        }
    }
}
