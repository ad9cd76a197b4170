using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// The automatic repair of a certificate name mismatch (-AdoptCertificateName): set the connector's TlsDomain to a name
    /// the certificate carries. Guards, all required: an OnPremises or unknown-but-not-Partner connector under
    /// DomainValidation; a name taken only from a fresh probe of every smart host that shows a valid, trusted certificate
    /// (never from evidence text); a name inside the connector's recipient domains or the accepted domains; never a
    /// wildcard wider than the TlsDomain it replaces. TLS is never lowered. Without an Exchange Online session the
    /// connector's settings are unknown: the plan asks to confirm them, then gives the change as a command for a person.
    /// </summary>
    internal static class AdoptCertificateName
    {
        static readonly Phrase NowPasses = new Phrase(
            "A fresh probe of {Host} shows a certificate that now passes the connector's check: nothing to change.",
            "Un nouveau test de {Host} montre un certificat qui passe désormais le contrôle du connecteur : rien à changer.");
        static readonly Phrase Adopt = new Phrase(
            "{Host} presents a valid, trusted certificate for {Names}; the connector expects {TlsDomain}.",
            "{Host} présente un certificat valide et approuvé pour {Names} ; le connecteur attend {TlsDomain}.");
        static readonly Phrase PrivateRoot = new Phrase(
            "Note: it was trusted here only through -CertificateAuthority or -TrustedRootList; Microsoft 365 trusts public roots only.",
            "Remarque : il n'a été approuvé ici que grâce à -CertificateAuthority ou -TrustedRootList ; Microsoft 365 n'approuve que les racines publiques.");
        static readonly Phrase RootOnlyHere = new Phrase(
            "The certificate chains to a root that this computer trusts but no public root program lists: Microsoft 365 would most likely refuse it, so its name is not adopted.",
            "Le certificat remonte à une racine qu'approuve cet ordinateur mais qu'aucun programme public de racines ne contient : Microsoft 365 le refuserait très probablement, son nom n'est donc pas adopté.");
        static readonly Phrase Partner = new Phrase(
            "The connector goes to a partner: its TlsDomain is never changed automatically.",
            "Le connecteur mène à un partenaire : son TlsDomain n'est jamais modifié automatiquement.");
        static readonly Phrase NoProbe = new Phrase(
            "The connector's smart hosts could not be probed again, so no name is adopted.",
            "Les hôtes actifs du connecteur n'ont pas pu être testés de nouveau : aucun nom n'est adopté.");
        static readonly Phrase NotTrusted = new Phrase(
            "The certificate is not valid and trusted, so its name is not adopted.",
            "Le certificat n'est pas valide et approuvé : son nom n'est pas adopté.");
        static readonly Phrase NoConnector = new Phrase(
            "The connector's settings could not be read.", "Les paramètres du connecteur n'ont pas pu être lus.");
        static readonly Phrase NotDomainValidation = new Phrase(
            "The connector does not check names (TlsSettings is not DomainValidation).",
            "Le connecteur ne contrôle pas les noms (TlsSettings n'est pas DomainValidation).");
        static readonly Phrase NoName = new Phrase(
            "No name on the certificate lies inside the connector's recipient domains or the accepted domains (a wildcard wider than the current TlsDomain is never taken).",
            "Aucun nom du certificat n'est dans les domaines destinataires du connecteur ni dans les domaines acceptés (un caractère générique plus large que le TlsDomain actuel n'est jamais retenu).");

        static readonly Phrase AdoptOffline = new Phrase(
            "{Host} presents a valid, trusted certificate for {Names}.",
            "{Host} présente un certificat valide et approuvé pour {Names}.");
        static readonly Phrase SettingsUnknown = new Phrase(
            "Without Exchange Online the settings of {Connector} are not known here (its type, TlsSettings, TlsDomain and recipient domains): the TlsDomain change that follows may be made only once they are confirmed.",
            "Sans Exchange Online, les paramètres de {Connector} ne sont pas connus ici (son type, TlsSettings, TlsDomain et ses domaines destinataires) : la modification du TlsDomain qui suit ne peut être faite qu'une fois ceux-ci confirmés.");
        static readonly Phrase CheckSettings = new Phrase(
            "Check with the Command of this step that {Connector} is not a Partner connector, that its TlsSettings is DomainValidation, and that {Names} lies inside its recipient domains or the accepted domains (Get-AcceptedDomain).",
            "Vérifiez avec la Command de cette étape que {Connector} n'est pas un connecteur Partner, que son TlsSettings vaut DomainValidation et que {Names} est dans ses domaines destinataires ou les domaines acceptés (Get-AcceptedDomain).");
        static readonly Phrase NoteTlsDomain = new Phrase(
            "Note its TlsDomain now: it is the value to set back to undo the change.",
            "Notez son TlsDomain actuel : c'est la valeur à remettre pour annuler la modification.");
        static readonly Phrase ThenRun = new Phrase(
            "Then run the Commands of the steps that follow, in order, in a session connected to Exchange Online; or connect (Connect-ExchangeOnline) and run this again.",
            "Exécutez ensuite dans l'ordre les Command des étapes qui suivent, dans une session connectée à Exchange Online ; ou connectez-vous (Connect-ExchangeOnline) et relancez.");
        static readonly Phrase AfterConfirm = new Phrase(
            "Only once the checks of ConfirmConnectorSettings hold: run the Command in a session connected to Exchange Online.",
            "Seulement une fois les contrôles de ConfirmConnectorSettings vérifiés : exécutez la Command dans une session connectée à Exchange Online.");
        static readonly Phrase UndoUnknown = new Phrase(
            "Its TlsDomain before is not known here, so there is no RollbackCommand: to undo, set TlsDomain back to the value noted ($null if it was empty).",
            "Son TlsDomain d'avant n'est pas connu ici, il n'y a donc pas de RollbackCommand : pour annuler, remettez la valeur notée ($null s'il était vide).");

        /// <summary>
        /// The steps of the change, or null with the reason it was not planned (null when -AdoptCertificateName was not
        /// asked). A connector only named (no Exchange Online session) gets the checks to make first, then the change as
        /// a command for a person.
        /// </summary>
        public static IReadOnlyList<PlannedStep> TryPlan(RepairContext c, out string whyNot)
        {
            whyNot = null;
            if (!c.Options.AdoptCertificateName) return null;
            ConnectorState connector = c.Connector;
            FreshCertificate fresh = c.Fresh;
            if (connector == null) { whyNot = c.Say(NoConnector); return null; }
            if (connector.IsPartner || c.IsPartner) { whyNot = c.Say(Partner); return null; }
            if (fresh == null) { whyNot = c.Say(NoProbe); return null; }
            var facts = new CaseFacts { Host = fresh.Host, TlsDomain = connector.TlsDomain, Names = string.Join(", ", fresh.Names) };
            if (fresh.RootNotInPublicProgram) { whyNot = c.Say(RootOnlyHere); return null; }
            if (!fresh.ValidAndTrusted) { whyNot = c.Say(NotTrusted); return null; }
            // Only named, the connector's TlsSettings, TlsDomain and recipient domains are unknown: its check cannot be judged.
            bool known = connector.FromExchange;
            if (known && fresh.NamePasses)
                return new[]
                {
                    c.Manual("SetTlsDomain", connector.Name, NowPasses.Render(c.Language, facts), Array.Empty<string>(), c.Reproduce().Render())
                        .With(a => { a.Status = RepairStatus.Skipped; a.Automatic = true; }),
                };
            if (known && !string.Equals(connector.TlsSettings, "DomainValidation", StringComparison.OrdinalIgnoreCase)) { whyNot = c.Say(NotDomainValidation); return null; }
            string name = Choose(fresh.Names, connector, c.AcceptedDomains)
                // Nothing to compare with here: the first name without a wildcard, to be checked by the admin first.
                ?? (known || c.AcceptedDomains.Count > 0 ? null : fresh.Names.FirstOrDefault(n => !n.StartsWith("*", StringComparison.Ordinal)));
            if (name == null) { whyNot = c.Say(NoName); return null; }

            string id = c.ConnectorIdentity;
            facts.Names = name;
            string rationale = (known ? Adopt : AdoptOffline).Render(c.Language, facts) + (fresh.PrivateRoot ? " " + c.Say(PrivateRoot) : "");
            var change = new ExchangeChange("Set", "OutboundConnector",
                new[] { ExchangeChange.P("Identity", id), ExchangeChange.P("TlsDomain", name) },
                !known ? null   // the TlsDomain before is not known here
                : new[] { ExchangeChange.P("Identity", id), ExchangeChange.P("TlsDomain", string.IsNullOrEmpty(connector.TlsDomain) ? null : connector.TlsDomain) });
            PlannedStep set = c.Automatic("SetTlsDomain", connector.Name, rationale, change,
                alreadyDone: string.Equals(connector.TlsDomain, name, StringComparison.OrdinalIgnoreCase),
                description: c.Language == Language.French
                    ? $"Passer le TlsDomain du connecteur sortant '{connector.Name}' de '{connector.TlsDomain}' à '{name}'"
                    : $"Set TlsDomain of outbound connector '{connector.Name}' from '{connector.TlsDomain}' to '{name}'");
            if (known) return new[] { set };

            var named = new CaseFacts { Connector = connector.Name, Names = name };
            PlannedStep confirm = c.Manual("ConfirmConnectorSettings", connector.Name, SettingsUnknown.Render(c.Language, named),
                new[] { CheckSettings.Render(c.Language, named), c.Say(NoteTlsDomain), c.Say(ThenRun) },
                new PsCommand($"Get-{c.Prefix}OutboundConnector").Param("Identity", id)
                    .Pipe(new PsCommand("Select-Object").Literal("Name, ConnectorType, TlsSettings, TlsDomain, RecipientDomains")).Render());
            return new[] { confirm, c.ToRun(set, "ConfirmConnectorSettings", new[] { c.Say(AfterConfirm), c.Say(UndoUnknown) }) };
        }

        /// <summary>A certificate name inside the recipient or accepted domains; a wildcard only where the current TlsDomain is one.</summary>
        static string Choose(IReadOnlyList<string> names, ConnectorState connector, IReadOnlyList<AcceptedDomainState> accepted)
        {
            var allowed = connector.RecipientDomains.Select(d => d.Trim().TrimStart('*', '.'))
                .Concat(accepted.Select(d => d.DomainName))
                .Where(d => !string.IsNullOrEmpty(d) && d != "*")
                .ToList();
            bool currentIsWildcard = (connector.TlsDomain ?? "").StartsWith("*.", StringComparison.Ordinal);
            foreach (string name in names.OrderBy(n => n.StartsWith("*.", StringComparison.Ordinal) ? 1 : 0))
            {
                bool wildcard = name.StartsWith("*.", StringComparison.Ordinal);
                if (wildcard && !currentIsWildcard) continue;   // never wider than what it replaces
                string bare = wildcard ? name.Substring(2) : name;
                if (allowed.Any(d => bare.Equals(d, StringComparison.OrdinalIgnoreCase) || bare.EndsWith("." + d, StringComparison.OrdinalIgnoreCase)))
                    return name;
            }
            return null;
        }

        static PlannedStep With(this PlannedStep step, Action<RepairAction> change)
        {
            change(step.Action);
            return step;
        }
    }
}
