using System;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>
    /// One scenario: everything the module knows about one cause of one code, in one place. The code Microsoft 365
    /// reports (its family, in every spelling), how a probe's facts select it, how evidence text selects it, the status
    /// it gives, its texts in English and French, and how to repair it.
    /// </summary>
    public sealed class Scenario
    {
        internal Scenario(Reason reason) { Reason = reason; }

        public Reason Reason { get; }
        /// <summary>The code Microsoft 365 reports; null when there is none (a warning, a success, a recipient's own reply).</summary>
        public CodeFamily Family { get; internal set; }
        public ProbeStatus Status { get; internal set; } = ProbeStatus.Failed;
        /// <summary>What sets this scenario apart within its code ("certificate expired"); null for the code's own meaning.</summary>
        public Phrase Label { get; internal set; }
        /// <summary>Why, for this case: a template over <see cref="CaseFacts"/>.</summary>
        public Phrase Cause { get; internal set; }
        /// <summary>What the admin does about their own servers.</summary>
        public Phrase Fix { get; internal set; }
        /// <summary>What the admin does when the server is a partner's (a Partner connector, a recipient domain by MX).</summary>
        public Phrase PartnerFix { get; internal set; }
        /// <summary>
        /// What a probe's failure implies for Microsoft 365, only as far as it holds ("Microsoft 365 will meet the same unless
        /// the firewall treats its addresses differently"): said after the cause when only this computer saw it. Null when the
        /// cause needs no such word.
        /// </summary>
        public Phrase ProbeImplication { get; internal set; }
        /// <summary>
        /// The cause as a sending server of the admin's saw it (an Exchange server's queue, NDR or log; another MTA's log),
        /// where <see cref="Cause"/> does not fit that view; null: <see cref="Cause"/>, whose {Sender} then names that server.
        /// </summary>
        public Phrase SenderCause { get; internal set; }
        /// <summary>
        /// The fix for that sending server's direction: its routing (Exchange: the send connector), the firewall and proxy on its
        /// way out, its DNS and TLS toward its next hop, then the next hop's owner. It stands in for <see cref="Fix"/> and
        /// <see cref="PartnerFix"/> in that view; null where <see cref="Fix"/> names no party that connects.
        /// </summary>
        public Phrase SenderFix { get; internal set; }
        /// <summary>How Repair-ConnectorConfig plans for it.</summary>
        public IRepairStrategy Repair { get; internal set; }
        /// <summary>Whether a probe's facts show this scenario; null when a probe never can.</summary>
        internal Func<ProbeFacts, bool> FromProbe { get; set; }
        /// <summary>How evidence text spells it; null when evidence never does.</summary>
        public EvidenceWording Evidence { get; internal set; }
        /// <summary>Named only by comparing two vantages of one connector and server (Alerts/VantageComparison).</summary>
        public bool FromComparison { get; internal set; }
        /// <summary>The scenario evidence of its code falls back to when the text names no more specific one.</summary>
        public bool FamilyDefault { get; internal set; }
        /// <summary>Only "the code, cause unknown" (DnsQueryFailed, CannotConnect, CertificateInvalid): planned only when no specific scenario is left.</summary>
        public bool Generic { get; internal set; }
        /// <summary>Who must act whatever the connector says (a recipient domain that does not exist: the sender); null when the connector decides.</summary>
        public Responsible? Who { get; internal set; }
        /// <summary>Whether the connector's own settings could produce it (a bare -Code plans only those not ruled out).</summary>
        public Func<string, bool> PossibleUnderTlsSettings { get; internal set; } = _ => true;

        /// <summary>"Certificate validation failed: certificate expired"; the code's own title for its main scenario.</summary>
        public string Title(Language language)
        {
            string family = Family?.Title.In(language);
            string label = Label?.In(language);
            if (family == null) return label == null ? null : Capitalise(label);
            if (label == null) return family;
            return family + (language == Language.French ? " : " : ": ") + label;
        }

        /// <summary>
        /// The cause in the words of the view that saw it (DESIGN.md 2c): a sending server's own words where the catalog has
        /// them; a probe's, with what it implies for Microsoft 365; otherwise Microsoft 365's (its evidence, or nothing tells).
        /// </summary>
        public string CauseFor(Language language, CaseFacts facts)
        {
            ObservedFrom speaker = Speaker(facts?.ObservedFrom ?? ObservedFrom.None);
            if (IsSendingServer(speaker)) return (SenderCause ?? Cause)?.Render(language, facts);
            string cause = Cause?.Render(language, facts);
            if (speaker != ObservedFrom.ThisComputer || ProbeImplication == null || cause == null) return cause;
            return cause + " " + ProbeImplication.Render(language, facts);
        }

        /// <summary>
        /// The fix for whoever must act: the admin, the partner, or (not known) the admin's fix and then the partner's. For a
        /// sending server of the admin's, the fix for its direction, whoever runs the next hop.
        /// </summary>
        public string FixFor(Language language, CaseFacts facts)
        {
            if (IsSendingServer(Speaker(facts?.ObservedFrom ?? ObservedFrom.None))) return (SenderFix ?? Fix)?.Render(language, facts);
            switch (facts?.Responsible ?? Responsible.Unknown)
            {
                case Responsible.Partner: return (PartnerFix ?? Fix)?.Render(language, facts);
                case Responsible.Admin: case Responsible.Sender: return Fix?.Render(language, facts);
                default:
                    string own = Fix?.Render(language, facts);
                    if (PartnerFix == null) return own;
                    return own + (language == Language.French ? " Si le serveur appartient à un partenaire : " : " If the server is a partner's: ")
                         + Decapitalise(PartnerFix.Render(language, facts));
            }
        }

        /// <summary>
        /// The view whose words a text takes when several saw it: Microsoft 365's own view first, then an Exchange server's,
        /// another MTA's, and a probe's last (the same order decides what resolves an alert, Alerts/RunCoverage).
        /// </summary>
        public static ObservedFrom Speaker(ObservedFrom seen) =>
            (seen & ObservedFrom.Microsoft365) != 0 ? ObservedFrom.Microsoft365
            : (seen & ObservedFrom.ExchangeServer) != 0 ? ObservedFrom.ExchangeServer
            : (seen & ObservedFrom.OtherMta) != 0 ? ObservedFrom.OtherMta
            : (seen & ObservedFrom.ThisComputer) != 0 ? ObservedFrom.ThisComputer
            : ObservedFrom.None;

        /// <summary>Whether the view is a sending server of the admin's own (an Exchange server, another MTA), not Microsoft 365 nor a probe.</summary>
        public static bool IsSendingServer(ObservedFrom speaker) => speaker == ObservedFrom.ExchangeServer || speaker == ObservedFrom.OtherMta;

        static string Capitalise(string s) => string.IsNullOrEmpty(s) ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
        static string Decapitalise(string s) => string.IsNullOrEmpty(s) ? s : char.ToLowerInvariant(s[0]) + s.Substring(1);

        public override string ToString() => Reason.ToString();
    }
}
