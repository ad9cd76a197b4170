using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// A refused connection (450 4.4.316). Microsoft's two fixes: let Microsoft 365's addresses in on TCP 25, or, when
    /// on-premises mail was retired on purpose (-Decommissioned), disable the connector and make its domains Authoritative
    /// ("Mail flow intelligence in EOP"). The automatic path is taken only for a connector known to be OnPremises; a
    /// partner's server gets the partner's steps and no firewall list, since that firewall is not the admin's.
    /// </summary>
    public sealed class RefusedRepair : IRepairStrategy
    {
        static readonly Phrase AllowRanges = new Phrase(
            "On the firewall in front of {Server}, allow inbound TCP 25 from Microsoft 365's Exchange Online ranges:",
            "Sur le pare-feu devant {Server}, autorisez le TCP 25 entrant depuis les plages d'Exchange Online de Microsoft 365 :");
        static readonly Phrase KeepCurrent = new Phrase(
            "Keep the list current from Microsoft's endpoints service (the Command of this step prints it).",
            "Tenez la liste à jour depuis le service des points de terminaison de Microsoft (la Command de cette étape l'affiche).");
        static readonly Phrase ServiceRuns = new Phrase(
            "Check that the SMTP service on {Host} is running and listening on TCP 25.",
            "Vérifiez que le service SMTP de {Host} est démarré et écoute sur le TCP 25.");
        static readonly Phrase IfRetired = new Phrase(
            "If on-premises mail was retired on purpose, run this again with -Decommissioned to disable {Connector} and make its domains Authoritative.",
            "Si la messagerie locale a été retirée volontairement, relancez avec -Decommissioned pour désactiver {Connector} et passer ses domaines en Authoritative.");
        static readonly Phrase PartnerNeverDisabled = new Phrase(
            "{Connector} goes to a partner: it is never disabled automatically, even with -Decommissioned.",
            "{Connector} mène à un partenaire : il n'est jamais désactivé automatiquement, même avec -Decommissioned.");

        public IEnumerable<PlannedStep> Plan(RepairContext c)
        {
            if (c.Options.Decommissioned && c.Connector != null && c.Connector.IsOnPremises)
                return Decommission.Plan(c);
            if (c.Options.Decommissioned && c.Connector != null && c.Connector.ConnectorType == null && !c.IsPartner)
                return Decommission.UnknownType(c);
            if (c.IsPartner)
            {
                var partner = c.Manual("AskPartnerToAcceptConnections", c.Server,
                    c.Options.Decommissioned ? c.Say(PartnerNeverDisabled) : c.Scenario.CauseFor(c.Language, c.Facts),
                    ManualRepair.PartnerSteps(c), c.Reproduce().Render());
                return new[] { partner };
            }
            var facts = c.Facts;
            // The ranges of Get-MailFlowEndpoint's cache, else the list shipped in the module: never the network from here.
            string ranges = string.Join(", ", Microsoft365Network.KnownRanges());
            var steps = new List<string>
            {
                c.Say(AllowRanges) + " " + ranges + ".",
                c.Say(KeepCurrent),
                c.Say(ServiceRuns),
                c.Say(IfRetired),
            };
            return new[] { c.Manual("AllowMicrosoft365OnPort25", facts.Address ?? c.Server, c.Scenario.CauseFor(c.Language, facts), steps,
                Microsoft365Network.EndpointsCommand) };
        }
    }
}
