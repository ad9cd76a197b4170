using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// Steps for a person, written for this case: the scenario's own fix, the steps particular to it, and the command that
    /// checks it again. When the server is a partner's, the steps say what to ask them and what to send them instead.
    /// </summary>
    public sealed class ManualRepair : IRepairStrategy
    {
        readonly string action;
        readonly Phrase[] steps;
        readonly Func<RepairContext, PsCommand> check;

        /// <param name="action">The action's name (CheckServerCapacity, FixDns...).</param>
        /// <param name="steps">Steps beyond the scenario's fix, for the admin's own servers.</param>
        /// <param name="check">The command that shows the state again; null for the command that reproduces the fault.</param>
        public ManualRepair(string action, Phrase[] steps = null, Func<RepairContext, PsCommand> check = null)
        {
            this.action = action;
            this.steps = steps ?? Array.Empty<Phrase>();
            this.check = check;
        }

        public string Action => action;

        public IEnumerable<PlannedStep> Plan(RepairContext c)
        {
            string command = (check?.Invoke(c) ?? c.Reproduce()).Render();
            string rationale = c.Scenario.CauseFor(c.Language, c.Facts);
            if (c.IsPartner)
            {
                yield return c.Manual(action, c.Server, rationale, PartnerSteps(c), command);
                yield break;
            }
            var list = new List<string> { c.Scenario.Fix?.Render(c.Language, c.Facts) };
            list.AddRange(steps.Select(c.Say));
            list.Add(c.Say(CheckAgain) + " " + command);
            if (c.Responsible == Responsible.Unknown && c.Scenario.PartnerFix != null)
                list.Add(c.Say(IfPartner) + " " + Decapitalise(c.Scenario.PartnerFix.Render(c.Language, c.Facts)));
            yield return c.Manual(action, c.Server, rationale, list, command);
        }

        static readonly Phrase CheckAgain = new Phrase("Check again with:", "Vérifiez de nouveau avec :");
        static readonly Phrase IfPartner = new Phrase("If the server is a partner's:", "Si le serveur appartient à un partenaire :");
        static readonly Phrase SendThem = new Phrase(
            "Send them what Microsoft 365 reports for {Server}:", "Envoyez-lui ce que signale Microsoft 365 pour {Server} :");
        static readonly Phrase Reproduce = new Phrase("they can see it again with:", "il peut le reproduire avec :");
        static readonly Phrase Waiting = new Phrase(
            "Meanwhile Microsoft 365 keeps retrying for 24 hours, then returns the mail to its senders; nothing needs changing on your side.",
            "En attendant, Microsoft 365 réessaie pendant 24 heures, puis renvoie le courrier à ses expéditeurs ; rien n'est à modifier de votre côté.");

        /// <summary>What to ask a partner, what to send them (the code, the server, the certificate, a command), and what happens meanwhile.</summary>
        internal static IEnumerable<string> PartnerSteps(RepairContext c)
        {
            yield return c.Scenario.PartnerFix?.Render(c.Language, c.Facts) ?? c.Scenario.Fix?.Render(c.Language, c.Facts);
            string send = c.Say(SendThem) + " " + (c.Code + " " + (c.Scenario.Title(c.Language) ?? "")).Trim();
            if (c.Input.SeenAt != null) send += " (" + c.Input.SeenAt.Value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) + ")";
            string certificate = CertificateFacts(c);
            if (certificate != null) send += "; " + certificate;
            yield return send + "; " + c.Say(Reproduce) + " " + c.Reproduce().Render();
            yield return c.Say(Waiting);
        }

        static string CertificateFacts(RepairContext c)
        {
            if (c.Facts.Subject == null) return null;
            bool fr = c.Language == Language.French;
            var parts = new List<string> { (fr ? "certificat " : "certificate ") + c.Facts.Subject };
            if (c.Facts.Issuer != null) parts.Add((fr ? "émis par " : "issued by ") + c.Facts.Issuer);
            if (!string.IsNullOrEmpty(c.Facts.Names)) parts.Add((fr ? "noms " : "names ") + c.Facts.Names);
            if (c.Facts.NotAfter != null) parts.Add((fr ? "valide jusqu'au " : "valid until ") + c.Facts.NotAfter.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (c.Facts.Thumbprint != null) parts.Add((fr ? "empreinte " : "thumbprint ") + c.Facts.Thumbprint);
            if (!string.IsNullOrEmpty(c.Facts.Problems)) parts.Add((fr ? "problèmes " : "problems ") + c.Facts.Problems);
            return string.Join(", ", parts);
        }

        static string Decapitalise(string s) => string.IsNullOrEmpty(s) ? s : char.ToLowerInvariant(s[0]) + s.Substring(1);
    }
}
