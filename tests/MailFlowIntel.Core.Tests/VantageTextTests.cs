using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Probing;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Texts in the words of the view that saw the failure (DESIGN.md 2c, issue 17 item 5): a probe speaks of this computer
    /// and says what that implies for Microsoft 365 only as far as it holds; Microsoft 365's evidence speaks of Microsoft 365;
    /// an Exchange server's (or another MTA's) speaks of that server and fixes its own way out. English and French.
    /// </summary>
    public sealed class VantageTextTests
    {
        static CaseFacts Facts(ObservedFrom seen) => new CaseFacts
        {
            Host = "mail.contoso.com", Address = "203.0.113.5", Port = 25, Reply = "554 5.7.1 go away", Subject = "CN=mail.contoso.com",
            Names = "mail.contoso.com", Issuer = "CN=Some CA", NotAfter = new DateTime(2027, 1, 2), TlsSettings = "DomainValidation",
            TlsDomain = "mail.contoso.com", Connector = "To Contoso", Domain = "contoso.com", Problems = "UntrustedRoot", ObservedFrom = seen,
        };

        static string Cause(Reason r, ObservedFrom seen, Language l = Language.English) => ScenarioCatalog.ByReason(r).CauseFor(l, Facts(seen));
        static string Fix(Reason r, ObservedFrom seen, Language l = Language.English) => ScenarioCatalog.ByReason(r).FixFor(l, Facts(seen));

        static readonly Language[] Both = { Language.English, Language.French };

        [Fact]
        public void A_refused_probe_speaks_of_this_computer_and_says_what_it_implies_for_Microsoft_365_only_as_far_as_it_holds()
        {
            string en = Cause(Reason.ConnectionRefused, ObservedFrom.ThisComputer);
            Assert.StartsWith("This computer's connection to mail.contoso.com (203.0.113.5) on port 25 was refused", en);
            Assert.EndsWith("Microsoft 365 will meet the same unless the firewall treats its addresses differently.", en);
            Assert.DoesNotContain("rejects Microsoft 365's addresses", en);

            string fr = Cause(Reason.ConnectionRefused, ObservedFrom.ThisComputer, Language.French);
            Assert.StartsWith("La connexion TCP de ce poste à mail.contoso.com (203.0.113.5) sur le port 25 a été refusée", fr);
            Assert.EndsWith("Microsoft 365 rencontrera la même chose, sauf si le pare-feu traite ses adresses autrement.", fr);
        }

        [Fact]
        public void Microsoft_365s_own_evidence_of_a_refusal_speaks_of_Microsoft_365_without_a_probes_hedge()
        {
            string en = Cause(Reason.ConnectionRefused, ObservedFrom.Microsoft365);
            Assert.StartsWith("Microsoft 365's connection to mail.contoso.com", en);
            Assert.Contains("a firewall rejects Microsoft 365's addresses", en);
            Assert.DoesNotContain("will meet the same", en);
            Assert.Contains("Allow Microsoft 365's Exchange Online addresses", Fix(Reason.ConnectionRefused, ObservedFrom.Microsoft365));
            Assert.Contains("La connexion TCP de Microsoft 365 à mail.contoso.com", Cause(Reason.ConnectionRefused, ObservedFrom.Microsoft365, Language.French));
        }

        /// <summary>Reason by vantage: the party the cause names, and what the fix for an Exchange server's view is about.</summary>
        [Theory]
        [InlineData(Reason.ConnectionRefused)]
        [InlineData(Reason.ConnectTimedOut)]
        [InlineData(Reason.ReplyTimedOut)]
        [InlineData(Reason.GreetingRejected)]
        [InlineData(Reason.EhloRejected)]
        [InlineData(Reason.StartTlsStripped)]
        [InlineData(Reason.StartTlsRefused)]
        [InlineData(Reason.TlsHandshakeFailed)]
        [InlineData(Reason.DnsQueryFailed)]
        [InlineData(Reason.CertificateUntrustedRoot)]
        [InlineData(Reason.NetworkUnreachable)]
        public void Each_view_names_its_own_sender(Reason reason)
        {
            var party = new Dictionary<ObservedFrom, (string En, string Fr)>
            {
                [ObservedFrom.Microsoft365] = ("Microsoft 365", "Microsoft 365"),
                [ObservedFrom.ExchangeServer] = ("the Exchange server", "serveur Exchange"),
                [ObservedFrom.OtherMta] = ("the sending mail server", "serveur de messagerie émetteur"),
            };
            Scenario s = ScenarioCatalog.ByReason(reason);
            if (s.FromProbe != null && reason != Reason.DnsQueryFailed) party[ObservedFrom.ThisComputer] = ("this computer", "ce poste");
            foreach (var p in party)
            {
                Assert.Contains(p.Value.En, Cause(reason, p.Key), StringComparison.OrdinalIgnoreCase);
                Assert.Contains(p.Value.Fr, Cause(reason, p.Key, Language.French), StringComparison.OrdinalIgnoreCase);
            }
            // An Exchange server's view is fixed on its own way out (where the catalog has words for it), never by letting Microsoft 365 in.
            foreach (Language l in Both)
            {
                string fix = Fix(reason, ObservedFrom.ExchangeServer, l);
                if (s.SenderFix != null) Assert.Contains(l == Language.French ? "serveur Exchange" : "the Exchange server", fix, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("Microsoft 365", fix);
            }
        }

        /// <summary>Sending-side words for every scenario an Exchange server's evidence can hold; nothing of Microsoft 365 in them.</summary>
        public static IEnumerable<object[]> SendingViews() =>
            ScenarioCatalog.All.Where(s => s.Evidence != null || ConnectorFamilies.Contains(s.Family)).SelectMany(s => new[] { ObservedFrom.ExchangeServer, ObservedFrom.OtherMta }.Select(v => new object[] { s.Reason, v }));

        static readonly CodeFamily[] ConnectorFamilies =
        {
            CodeFamily.DnsQueryFailed, CodeFamily.ConnectionTimedOut, CodeFamily.ConnectionRefused, CodeFamily.CannotConnect,
            CodeFamily.ClosedAbruptly, CodeFamily.CertificateValidationFailed,
        };

        [Theory]
        [MemberData(nameof(SendingViews))]
        public void A_sending_servers_fix_never_lets_Microsoft_365_in_nor_changes_Exchange_Online(Reason reason, ObservedFrom view)
        {
            Scenario s = ScenarioCatalog.ByReason(reason);
            foreach (Language l in Both)
            {
                foreach (var facts in new[] { Facts(view), new CaseFacts { ObservedFrom = view } })
                {
                    string fix = s.FixFor(l, facts) ?? "";
                    foreach (string never in new[] { "Microsoft 365's", "adresses de Microsoft 365", "adresses d'Exchange Online", "Set-OutboundConnector", "-Decommissioned", "-AdoptCertificateName", "{" })
                        Assert.DoesNotContain(never, fix);
                    if (ConnectorFamilies.Contains(s.Family) || s.Reason == Reason.MessageExpired || s.Reason == Reason.Unrecognized)
                    {
                        // The connection, DNS, session, TLS and certificate scenarios speak of the sending server alone.
                        Assert.DoesNotContain("Microsoft 365", fix);
                        Assert.DoesNotContain("Microsoft 365", s.CauseFor(l, facts));
                    }
                }
            }
        }

        [Theory]
        [InlineData(Reason.ConnectionRefused, "Test-NetConnection")]
        [InlineData(Reason.ConnectTimedOut, "outbound TCP 25")]
        [InlineData(Reason.DnsNameNotFound, "send connector's SmartHosts")]
        [InlineData(Reason.EhloRejected, "Set-SendConnector -Fqdn")]
        [InlineData(Reason.CertificateNameMismatch, "send connector's TlsDomain")]
        [InlineData(Reason.TlsHandshakeFailed, "TlsCertificateName")]
        public void An_Exchange_servers_fix_is_aimed_at_its_send_connector_and_way_out(Reason reason, string expected)
        {
            Assert.Contains(expected, Fix(reason, ObservedFrom.ExchangeServer));
            // Whoever the connector says must act, the sending side's fix is the same (no partner's words appended).
            var facts = Facts(ObservedFrom.ExchangeServer);
            facts.Responsible = Responsible.Partner;
            Assert.Equal(Fix(reason, ObservedFrom.ExchangeServer), ScenarioCatalog.ByReason(reason).FixFor(Language.English, facts));
        }

        public static IEnumerable<object[]> ProbeFailures() =>
            ScenarioCatalog.All.Where(s => s.FromProbe != null && s.Status == ProbeStatus.Failed).Select(s => new object[] { s.Reason });

        /// <summary>No probe's cause tells of a connection Microsoft 365 made: those words belong to Microsoft 365's own evidence.</summary>
        [Theory]
        [MemberData(nameof(ProbeFailures))]
        public void A_probes_cause_never_claims_what_Microsoft_365_met(Reason reason)
        {
            string[] claims =
            {
                "rejects Microsoft 365's addresses", "Microsoft 365's connection", "how Microsoft 365 introduces itself", "when Microsoft 365 asked",
                "so Microsoft 365 cannot", "sessions from Microsoft 365", "Microsoft 365 could not resolve", "longer than Microsoft 365 waits",
                "de Microsoft 365 à", "dont Microsoft 365 se présente", "quand Microsoft 365 l'a demandé", "et Microsoft 365 ne peut pas",
            };
            foreach (Language l in Both)
            {
                string cause = Cause(reason, ObservedFrom.ThisComputer, l);
                foreach (string claim in claims) Assert.DoesNotContain(claim, cause);
            }
        }

        [Theory]
        [MemberData(nameof(ProbeFailures))]
        public void A_probes_implication_follows_its_cause_and_speaks_of_Microsoft_365(Reason reason)
        {
            Scenario s = ScenarioCatalog.ByReason(reason);
            if (s.ProbeImplication == null) return;
            foreach (Language l in Both)
            {
                string cause = s.CauseFor(l, Facts(ObservedFrom.ThisComputer));
                Assert.EndsWith(s.ProbeImplication.Render(l, Facts(ObservedFrom.ThisComputer)), cause);
                Assert.Contains("Microsoft 365", s.ProbeImplication.In(l));
                // Only a probe hedges: Microsoft 365's own evidence and a sending server's say what they saw.
                foreach (ObservedFrom v in new[] { ObservedFrom.Microsoft365, ObservedFrom.ExchangeServer, ObservedFrom.None })
                    Assert.DoesNotContain(s.ProbeImplication.Render(l, Facts(v)), s.CauseFor(l, Facts(v)));
            }
        }

        /// <summary>The probe table's facts, through the result builder: the result's Cause speaks of this computer.</summary>
        [Theory]
        [InlineData(Reason.ConnectionRefused)]
        [InlineData(Reason.ConnectTimedOut)]
        [InlineData(Reason.GreetingRejected)]
        [InlineData(Reason.EhloRejected)]
        [InlineData(Reason.StartTlsStripped)]
        [InlineData(Reason.StartTlsRefused)]
        [InlineData(Reason.Delivered)]   // a success says where it was seen too, and what it implies for Microsoft 365
        public void A_probe_results_cause_speaks_of_this_computer(Reason reason)
        {
            foreach (Language l in Both)
            {
                var result = new ConnectorDeliveryResult { DestinationServer = "mail.contoso.com", IPAddress = "203.0.113.5", Port = 25, Target = "contoso.com" };
                ResultBuilder.Complete(result, CatalogTests.ProbeTable[reason].Facts, "mail.contoso.com", l);
                Assert.Equal(reason, result.Reason);
                Assert.Contains(l == Language.French ? "ce poste" : "this computer", result.Cause, StringComparison.OrdinalIgnoreCase);
            }
        }

        [Fact]
        public void A_probe_beside_another_view_takes_that_views_words()
        {
            // Microsoft 365 saw it too: its own words, no hedge.
            string both = Cause(Reason.ConnectionRefused, ObservedFrom.Microsoft365 | ObservedFrom.ThisComputer);
            Assert.StartsWith("Microsoft 365's connection", both);
            Assert.DoesNotContain("will meet the same", both);
            // The Exchange server saw it too: the Exchange server's words and fix.
            Assert.StartsWith("The Exchange server's connection", Cause(Reason.ConnectionRefused, ObservedFrom.ExchangeServer | ObservedFrom.ThisComputer));
            Assert.Contains("Test-NetConnection", Fix(Reason.ConnectionRefused, ObservedFrom.ExchangeServer | ObservedFrom.ThisComputer));
            // Nothing tells: the sending server, with Microsoft 365's fix (the catalog's general texts are Microsoft 365's view).
            Assert.StartsWith("The sending server's connection", Cause(Reason.ConnectionRefused, ObservedFrom.None));
            Assert.Contains("Allow Microsoft 365's", Fix(Reason.ConnectionRefused, ObservedFrom.None));
        }

        static readonly Regex PlainSpaceBeforePunctuation = new Regex(@"\u0020[:;?!]|\u00AB\u0020|\u0020\u00BB", RegexOptions.CultureInvariant);

        /// <summary>Every vantage phrase is written in both languages, renders with nothing known, and keeps French typography.</summary>
        [Fact]
        public void Every_vantage_phrase_has_both_languages_and_French_typography()
        {
            var phrases = ScenarioCatalog.All
                .SelectMany(s => new (Reason Reason, string Name, Phrase Phrase)[] { (s.Reason, "ProbeImplication", s.ProbeImplication), (s.Reason, "SenderCause", s.SenderCause), (s.Reason, "SenderFix", s.SenderFix) })
                .Where(p => p.Phrase != null).ToList();
            Assert.True(phrases.Count >= 40, $"only {phrases.Count} vantage phrases");
            foreach (var (reason, name, phrase) in phrases)
            {
                Assert.NotEqual(phrase.English, phrase.French);
                foreach (Language l in Both)
                    foreach (ObservedFrom v in new[] { ObservedFrom.None, ObservedFrom.ThisComputer, ObservedFrom.Microsoft365, ObservedFrom.ExchangeServer, ObservedFrom.OtherMta })
                    {
                        string text = phrase.Render(l, new CaseFacts { ObservedFrom = v });
                        Assert.False(string.IsNullOrWhiteSpace(text), $"{reason}.{name}");
                        Assert.DoesNotContain("{", text);
                    }
                Assert.False(PlainSpaceBeforePunctuation.IsMatch(phrase.French), $"{reason}.{name}: a plain space before French punctuation: {phrase.French}");
            }
        }

        [Fact]
        public void A_placeholder_with_a_caret_begins_a_sentence_with_a_capital()
        {
            var p = new Phrase("{^Sender} could not resolve {Host}.", "{^Sender} n'a pas pu résoudre {Host}.");
            Assert.Equal("This computer could not resolve mail.contoso.com.", p.Render(Language.English, Facts(ObservedFrom.ThisComputer)));
            Assert.Equal("Le serveur Exchange n'a pas pu résoudre mail.contoso.com.", p.Render(Language.French, Facts(ObservedFrom.ExchangeServer)));
            Assert.Equal("Microsoft 365 could not resolve mail.contoso.com.", p.Render(Language.English, Facts(ObservedFrom.Microsoft365)));
        }
    }
}
