using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// The automatic repair of a retired on-premises destination (-Decommissioned): disable the OnPremises connector, then
    /// set the accepted domains it served from InternalRelay to Authoritative, each as an Exchange change with its rollback.
    /// What cannot be known here (the connector's type, its recipient domains, a domain's DomainType: no Exchange Online
    /// session) turns the change into a command for a person, in the same order, never into a guess.
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
            "Check its type and its recipient domains (the Command of this step); only an OnPremises connector may be disabled, never a Partner one.",
            "Vérifiez son type et ses domaines destinataires (la Command de cette étape) ; seul un connecteur OnPremises peut être désactivé, jamais un connecteur Partner.");
        static readonly Phrase ThenRun = new Phrase(
            "Once it is confirmed OnPremises, run the Commands of the steps that follow, in order, in a session connected to Exchange Online; or connect (Connect-ExchangeOnline) and run this again, or pipe the probe results, which carry ConnectorType.",
            "Une fois son type OnPremises confirmé, exécutez dans l'ordre les Command des étapes qui suivent, dans une session connectée à Exchange Online ; ou connectez-vous (Connect-ExchangeOnline) et relancez, ou passez par le pipeline les résultats du test, qui portent ConnectorType.");
        static readonly Phrase AfterConfirm = new Phrase(
            "Only once {Connector} is confirmed OnPremises (ConfirmOnPremisesConnector): run the Command in a session connected to Exchange Online.",
            "Seulement une fois le type OnPremises de {Connector} confirmé (ConfirmOnPremisesConnector) : exécutez la Command dans une session connectée à Exchange Online.");
        static readonly Phrase DomainTypeUnknown = new Phrase(
            "Its DomainType now is not known here, so there is no RollbackCommand; note it first:",
            "Son DomainType actuel n'est pas connu ici, il n'y a donc pas de RollbackCommand ; notez-le d'abord :");
        static readonly Phrase DomainTypeUndo = new Phrase(
            "It should be InternalRelay (leave an ExternalRelay domain as it is); to undo, set it back to the value noted.",
            "Il devrait être InternalRelay (laissez tel quel un domaine ExternalRelay) ; pour annuler, remettez la valeur notée.");
        static readonly Phrase AfterDisable = new Phrase(
            "Run the Command only after DisableConnector, in a session connected to Exchange Online.",
            "N'exécutez la Command qu'après DisableConnector, dans une session connectée à Exchange Online.");
        static readonly Phrase DomainsUnknown = new Phrase(
            "The recipient domains of {Connector} are not known here; the Command of this step lists them.",
            "Les domaines destinataires de {Connector} ne sont pas connus ici ; la Command de cette étape les liste.");
        static readonly Phrase EachDomain = new Phrase(
            "For each of them that is an accepted domain of type InternalRelay, after DisableConnector, note its DomainType (to undo, set it back to that value) and run:",
            "Pour chacun d'eux qui est un domaine accepté de type InternalRelay, après DisableConnector, notez son DomainType (pour annuler, remettez cette valeur) et exécutez :");
        static readonly Phrase Wildcard = new Phrase(
            "A wildcard recipient domain such as *.contoso.com stands for the subdomains of contoso.com, never for contoso.com itself: it matches no accepted domain by itself.",
            "Un domaine destinataire générique comme *.contoso.com désigne les sous-domaines de contoso.com, jamais contoso.com lui-même : il ne correspond à lui seul à aucun domaine accepté.");
        static readonly Phrase OrName = new Phrase(
            "Or run this again with -AcceptedDomain <name>.", "Ou relancez avec -AcceptedDomain <nom>.");

        /// <summary>
        /// The accepted domains this connector's mail is for: those the admin named, else its recipient domains, matched by
        /// their exact name (*.contoso.com is the subdomains of contoso.com, never contoso.com itself); an ExternalRelay
        /// domain is left as it is (only InternalRelay is switched).
        /// </summary>
        internal static List<AcceptedDomainState> DomainsToChange(RepairOptions options, ConnectorState connector, IReadOnlyList<AcceptedDomainState> known)
        {
            IEnumerable<string> names = Names(options, connector);
            return (known ?? Array.Empty<AcceptedDomainState>())
                .Where(d => names.Any(n => string.Equals(n.Trim(), d.DomainName, StringComparison.OrdinalIgnoreCase)))
                .Where(d => !string.Equals(d.DomainType, "ExternalRelay", StringComparison.OrdinalIgnoreCase))
                .ToList();
        }

        static IEnumerable<string> Names(RepairOptions options, ConnectorState connector) =>
            options.AcceptedDomains.Count > 0 ? options.AcceptedDomains : (IEnumerable<string>)connector.RecipientDomains;

        public static IEnumerable<PlannedStep> Plan(RepairContext c)
        {
            var plan = new List<PlannedStep>();
            ConnectorState connector = c.Connector;
            string id = c.ConnectorIdentity;
            IEnumerable<string> names = Names(c.Options, connector);
            var known = c.AcceptedDomains;
            List<AcceptedDomainState> domains = DomainsToChange(c.Options, connector, known);

            // The checks before acting (read from the tenant: only with a session), each a line of the plan.
            var blocking = new List<CheckFinding>();
            if (c.Checks != null)
            {
                var checks = new List<CheckFinding> { DomainsCheck(c, names, domains) };
                checks.AddRange(c.Checks);
                foreach (CheckFinding check in checks) plan.Add(CheckStep(c, check));
                blocking.AddRange(checks.Where(x => x.Blocks));
            }
            bool held = blocking.Count > 0 && !c.Options.Force;
            string reasons = string.Join(" ", blocking.Select(b => b.Found));

            int disable = plan.Count;
            plan.Add(c.Automatic("DisableConnector", connector.Name, c.Say(DisableWhy),
                new ExchangeChange("Set", "OutboundConnector",
                    new[] { ExchangeChange.P("Identity", id), ExchangeChange.P("Enabled", false) },
                    new[] { ExchangeChange.P("Identity", id), ExchangeChange.P("Enabled", true) }),
                alreadyDone: !connector.Enabled,
                description: Describe(c, $"Disable outbound connector '{connector.Name}'", $"Désactiver le connecteur sortant '{connector.Name}'")));

            foreach (string missing in c.Options.AcceptedDomains.Where(n => !known.Any(d => string.Equals(d.DomainName, n.Trim(), StringComparison.OrdinalIgnoreCase))))
            {
                var facts = new CaseFacts { Domain = missing, Connector = connector.Name };
                plan.Add(c.Manual("AcceptedDomainNotFound", missing, NotAccepted.Render(c.Language, facts), new[] { c.Say(CheckName) },
                    new PsCommand($"Get-{c.Prefix}AcceptedDomain").Render()));
            }
            foreach (AcceptedDomainState d in domains)
            {
                string did = d.Identity ?? d.DomainName;
                string before = d.DomainType;   // null: not known here, so the change has no rollback
                var facts = new CaseFacts { Domain = d.DomainName };
                PlannedStep step = c.Automatic("SetAcceptedDomainAuthoritative", d.DomainName, DomainWhy.Render(c.Language, facts),
                    new ExchangeChange("Set", "AcceptedDomain",
                        new[] { ExchangeChange.P("Identity", did), ExchangeChange.P("DomainType", "Authoritative") },
                        before == null ? null : new[] { ExchangeChange.P("Identity", did), ExchangeChange.P("DomainType", before) }),
                    alreadyDone: string.Equals(d.DomainType, "Authoritative", StringComparison.OrdinalIgnoreCase),
                    description: Describe(c, $"Set accepted domain '{d.DomainName}' from {before ?? "InternalRelay"} to Authoritative",
                                          $"Passer le domaine accepté '{d.DomainName}' de {before ?? "InternalRelay"} à Authoritative"),
                    dependsOn: disable, dependsOnAction: "DisableConnector");
                // The module never makes a change it could not undo: without the value before, it is a command for a person.
                if (before == null)
                    step = c.ToRun(step, "DisableConnector", new[]
                    {
                        c.Say(DomainTypeUnknown) + " " + new PsCommand($"Get-{c.Prefix}AcceptedDomain").Param("Identity", did)
                            .Pipe(new PsCommand("Select-Object").Literal("DomainName, DomainType")).Render(),
                        c.Say(DomainTypeUndo),
                        c.Say(AfterDisable),
                    });
                plan.Add(step);
            }
            if (domains.Count == 0)
            {
                PlannedStep find = NoDomainStep(c, names);
                find.Action.DependsOn = "DisableConnector";
                plan.Add(find);
            }

            // A check that says on-premises mail may be in use, or that could not be answered, holds every change for a
            // person; -Force makes them anyway (each still confirmed) and says on each what it overrode.
            for (int i = 0; i < plan.Count; i++)
            {
                PlannedStep step = plan[i];
                if (step.Change == null || step.AlreadyDone || blocking.Count == 0) continue;
                if (held) plan[i] = c.ToRun(step, step.Action.DependsOn, new[] { Say(c, DecommissionTexts.Held, reasons) });
                else step.Action.Detail = Say(c, DecommissionTexts.Overrode, reasons);
            }
            return plan;
        }

        /// <summary>The accepted domains the decommission would change; none means nothing is disabled.</summary>
        static CheckFinding DomainsCheck(RepairContext c, IEnumerable<string> names, List<AcceptedDomainState> domains)
        {
            string connector = Untrusted.Clean(c.Connector.Name, 128);
            var check = new CheckFinding
            {
                Action = "CheckAcceptedDomains", Target = connector, Why = DecommissionTexts.DomainsWhy.In(c.Language),
                Command = new PsCommand($"Get-{c.Prefix}AcceptedDomain").Pipe(new PsCommand("Select-Object").Literal("DomainName, DomainType")).Render(),
            };
            // A wildcard never changes its parent: say so when the parent is an accepted domain.
            var notes = names.Select(n => n.Trim()).Where(n => n.StartsWith("*.", StringComparison.Ordinal))
                .Where(n => c.AcceptedDomains.Any(d => string.Equals(d.DomainName, n.Substring(2), StringComparison.OrdinalIgnoreCase)))
                .Select(n => Say(c, DecommissionTexts.WildcardParent, Untrusted.Clean(n, 256), Untrusted.Clean(n.Substring(2), 256))).ToList();
            if (domains.Count == 0)
            {
                check.Outcome = CheckOutcome.InUse;
                check.Found = string.Join(" ", new[] { Say(c, DecommissionTexts.DomainsNone, connector, Untrusted.Clean(string.Join(", ", names), 512)) }.Concat(notes));
                return check;
            }
            string list = string.Join(", ", domains.Select(d => string.Equals(d.DomainType, "Authoritative", StringComparison.OrdinalIgnoreCase)
                ? Say(c, DecommissionTexts.AlreadyAuthoritative, d.DomainName)
                : Say(c, DecommissionTexts.ToAuthoritative, d.DomainName, d.DomainType ?? "?")));
            check.Outcome = CheckOutcome.Passed;
            check.Found = string.Join(" ", new[] { Say(c, DecommissionTexts.DomainsFound, connector, list) }.Concat(notes));
            return check;
        }

        /// <summary>A check as a line of the plan: Checked when it lets the change go on, Manual when it holds it.</summary>
        static PlannedStep CheckStep(RepairContext c, CheckFinding check)
        {
            PlannedStep step = c.Manual(check.Action, check.Target, check.Why, Array.Empty<string>(), check.Command);
            step.Action.Status = check.Blocks && !c.Options.Force ? RepairStatus.Manual : RepairStatus.Checked;
            step.Action.Detail = check.Blocks && c.Options.Force ? check.Found + " " + DecommissionTexts.Overridden.In(c.Language) : check.Found;
            return step;
        }

        static string Say(RepairContext c, Phrase phrase, params object[] args) => string.Format(CultureInfo.InvariantCulture, phrase.In(c.Language), args);

        /// <summary>No accepted domain matched: how to find the ones to switch (read from Exchange Online, or listed by a command when offline).</summary>
        static PlannedStep NoDomainStep(RepairContext c, IEnumerable<string> names)
        {
            ConnectorState connector = c.Connector;
            bool wildcard = names.Any(n => n.Trim().StartsWith("*", StringComparison.Ordinal));
            if (connector.FromExchange || c.Options.AcceptedDomains.Count > 0)
                return c.Manual("SetAcceptedDomainAuthoritative", connector.Name, c.Say(NoDomain),
                    wildcard ? new[] { c.Say(Wildcard), c.Say(FindRelay) } : new[] { c.Say(FindRelay) },
                    new PsCommand($"Get-{c.Prefix}AcceptedDomain").Pipe(new PsCommand("Where-Object").Literal("DomainType -eq 'InternalRelay'")).Render());
            // Without Exchange Online the connector's recipient domains are unknown: list them, and give the command for each.
            string template = new PsCommand($"Set-{c.Prefix}AcceptedDomain").Param("Identity", c.Language == Language.French ? "<domaine>" : "<domain>")
                .Param("DomainType", "Authoritative").Literal("-Confirm:$false").Render();
            return c.Manual("SetAcceptedDomainAuthoritative", connector.Name, c.Say(DomainsUnknown),
                new[] { c.Say(EachDomain) + " " + template, c.Say(Wildcard), c.Say(OrName) },
                new PsCommand($"Get-{c.Prefix}OutboundConnector").Param("Identity", c.ConnectorIdentity)
                    .Pipe(new PsCommand("Select-Object").Literal("-ExpandProperty RecipientDomains")).Render());
        }

        /// <summary>
        /// -Decommissioned with a connector whose type is not known: nothing is done; the step that asks to confirm the type,
        /// then every change the plan would make once it is confirmed, each a command for a person, in order.
        /// </summary>
        public static IEnumerable<PlannedStep> UnknownType(RepairContext c)
        {
            var plan = new List<PlannedStep>
            {
                c.Manual("ConfirmOnPremisesConnector", c.ConnectorName, c.Say(TypeUnknown), new[] { c.Say(TypeCheck), c.Say(ThenRun) },
                    new PsCommand($"Get-{c.Prefix}OutboundConnector").Param("Identity", c.ConnectorIdentity)
                        .Pipe(new PsCommand("Select-Object").Literal("Name, ConnectorType, Enabled, RecipientDomains")).Render()),
            };
            foreach (PlannedStep step in Plan(c))
                plan.Add(step.Change == null ? step
                    : c.ToRun(step, step.Action.DependsOn ?? "ConfirmOnPremisesConnector", new[] { c.Say(AfterConfirm) }));
            return plan;
        }

        static string Describe(RepairContext c, string english, string french) => c.Language == Language.French ? french : english;
    }
}
