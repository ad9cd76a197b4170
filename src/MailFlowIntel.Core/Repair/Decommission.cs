using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// The automatic repair of a retired on-premises destination (-Decommissioned): disable the OnPremises connector, then
    /// set the accepted domains it served from InternalRelay to Authoritative, each as an Exchange change with its rollback.
    /// </summary>
    internal static class Decommission
    {
        static readonly Phrase DisableWhy = new Phrase(
            "The destination was retired on purpose (-Decommissioned): stop routing mail to it.",
            "La destination a été retirée volontairement (-Decommissioned) : ne plus y acheminer de courrier.");
        static readonly Phrase DomainWhy = new Phrase(
            "Mail for {Domain} no longer goes on-premises: Microsoft 365 becomes authoritative and rejects unknown recipients at once.",
            "Le courrier pour {Domain} ne part plus en local : Microsoft 365 fait autorité et rejette aussitôt les destinataires inconnus.");
        static readonly Phrase NotAccepted = new Phrase(
            "{Domain} is not an accepted domain of this organisation.", "{Domain} n'est pas un domaine accepté de cette organisation.");
        static readonly Phrase CheckName = new Phrase(
            "Check the name: Get-AcceptedDomain lists the accepted domains.", "Vérifiez le nom : Get-AcceptedDomain liste les domaines acceptés.");
        static readonly Phrase NoDomain = new Phrase(
            "No accepted domain could be matched to {Connector}.", "Aucun domaine accepté ne correspond à {Connector}.");
        static readonly Phrase FindRelay = new Phrase(
            "Find the accepted domain that was relayed to the retired servers (DomainType InternalRelay) and set it to Authoritative, or run this again with -AcceptedDomain <name>.",
            "Trouvez le domaine accepté relayé vers les serveurs retirés (DomainType InternalRelay) et passez-le en Authoritative, ou relancez avec -AcceptedDomain <nom>.");
        static readonly Phrase TypeUnknown = new Phrase(
            "-Decommissioned changes only a connector known to be OnPremises; the type of {Connector} is not known here.",
            "-Decommissioned ne modifie qu'un connecteur dont le type OnPremises est connu ; le type de {Connector} n'est pas connu ici.");
        static readonly Phrase TypeCheck = new Phrase(
            "Check its type (the Command of this step); only an OnPremises connector may be disabled, never a Partner one.",
            "Vérifiez son type (la Command de cette étape) ; seul un connecteur OnPremises peut être désactivé, jamais un connecteur Partner.");
        static readonly Phrase ThenRerun = new Phrase(
            "Then connect to Exchange Online (Connect-ExchangeOnline) and run this again, or pipe the probe results, which carry ConnectorType.",
            "Connectez-vous ensuite à Exchange Online (Connect-ExchangeOnline) et relancez, ou passez par le pipeline les résultats du test, qui portent ConnectorType.");

        public static IEnumerable<PlannedStep> Plan(RepairContext c)
        {
            var plan = new List<PlannedStep>();
            ConnectorState connector = c.Connector;
            string id = c.ConnectorIdentity;
            plan.Add(c.Automatic("DisableConnector", connector.Name, c.Say(DisableWhy),
                new ExchangeChange("Set", "OutboundConnector",
                    new[] { ExchangeChange.P("Identity", id), ExchangeChange.P("Enabled", false) },
                    new[] { ExchangeChange.P("Identity", id), ExchangeChange.P("Enabled", true) }),
                alreadyDone: !connector.Enabled,
                description: Describe(c, $"Disable outbound connector '{connector.Name}'", $"Désactiver le connecteur sortant '{connector.Name}'")));

            // The domains that mail through this connector: named by the admin, else the connector's recipient domains.
            IEnumerable<string> names = c.Options.AcceptedDomains.Count > 0 ? c.Options.AcceptedDomains : connector.RecipientDomains;
            var known = c.AcceptedDomains;
            var domains = known
                .Where(d => names.Any(n => string.Equals(n.Trim().TrimStart('*', '.'), d.DomainName, StringComparison.OrdinalIgnoreCase)))
                .Where(d => !string.Equals(d.DomainType, "ExternalRelay", StringComparison.OrdinalIgnoreCase))   // only InternalRelay is switched
                .ToList();
            foreach (string missing in c.Options.AcceptedDomains.Where(n => !known.Any(d => string.Equals(d.DomainName, n.Trim(), StringComparison.OrdinalIgnoreCase))))
            {
                var facts = new CaseFacts { Domain = missing, Connector = connector.Name };
                plan.Add(c.Manual("AcceptedDomainNotFound", missing, NotAccepted.Render(c.Language, facts), new[] { c.Say(CheckName) },
                    new PsCommand($"Get-{c.Prefix}AcceptedDomain").Render()));
            }
            foreach (AcceptedDomainState d in domains)
            {
                string did = d.Identity ?? d.DomainName;
                string before = d.DomainType ?? "InternalRelay";
                var facts = new CaseFacts { Domain = d.DomainName };
                plan.Add(c.Automatic("SetAcceptedDomainAuthoritative", d.DomainName, DomainWhy.Render(c.Language, facts),
                    new ExchangeChange("Set", "AcceptedDomain",
                        new[] { ExchangeChange.P("Identity", did), ExchangeChange.P("DomainType", "Authoritative") },
                        new[] { ExchangeChange.P("Identity", did), ExchangeChange.P("DomainType", before) }),
                    alreadyDone: string.Equals(d.DomainType, "Authoritative", StringComparison.OrdinalIgnoreCase),
                    description: Describe(c, $"Set accepted domain '{d.DomainName}' from {before} to Authoritative",
                                          $"Passer le domaine accepté '{d.DomainName}' de {before} à Authoritative"),
                    dependsOn: 0, dependsOnAction: "DisableConnector"));
            }
            if (domains.Count == 0)
                plan.Add(c.Manual("SetAcceptedDomainAuthoritative", connector.Name, c.Say(NoDomain), new[] { c.Say(FindRelay) },
                    new PsCommand($"Get-{c.Prefix}AcceptedDomain").Pipe(new PsCommand("Where-Object").Literal("DomainType -eq 'InternalRelay'")).Render()));
            return plan;
        }

        /// <summary>-Decommissioned with a connector whose type is not known: nothing is done, the way to know is given.</summary>
        public static PlannedStep UnknownType(RepairContext c)
        {
            string id = c.ConnectorIdentity;
            var disable = new ExchangeChange("Set", "OutboundConnector",
                new[] { ExchangeChange.P("Identity", id), ExchangeChange.P("Enabled", false) },
                new[] { ExchangeChange.P("Identity", id), ExchangeChange.P("Enabled", true) });
            var steps = new[] { c.Say(TypeCheck), c.Say(ThenRerun), disable.Command(c.Prefix) };
            return c.Manual("ConfirmOnPremisesConnector", c.ConnectorName, c.Say(TypeUnknown), steps,
                new PsCommand($"Get-{c.Prefix}OutboundConnector").Param("Identity", id)
                    .Pipe(new PsCommand("Select-Object").Literal("Name, ConnectorType")).Render());
        }

        static string Describe(RepairContext c, string english, string french) => c.Language == Language.French ? french : english;
    }
}
