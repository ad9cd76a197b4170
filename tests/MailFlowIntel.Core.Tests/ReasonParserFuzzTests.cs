using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Text;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Property tests of the evidence string parser over generated text (seeded, so a failure can be replayed):
    /// it never throws or stalls, what it reports is well formed, and a known reason buried in noise is still found.
    /// </summary>
    public sealed class ReasonParserFuzzTests
    {
        static readonly string[] Fragments =
        {
            "450", "4.4.316", "550 5.4.316", "LED=", "[Message=", "]", "[LastAttemptedIP=", "203.0.113.5:25", "[2001:db8::5]:25",
            "{FQDN=", "}", "{IP=", "Winsock error code: ", "10061", "10060", "Server at ", " returned '", "'", "Message expired",
            "TLS negotiation failed", "4.4.4.4", "999.1.2.3", ":", ";", "=", "\"", "<", ">", "@", "\r\n", "\t", "\0", "\u202e",
            "\ud800", "é", "日本", "==", "+SUM(A1)", new string('[', 50), new string('4', 30), "LastAttemptedServerName=", "mail.contoso.com",
            " = ", "[LastAttemptedIP = ", "10051", "10065", "550 5.4.310", "DNS domain ", " does not exist", "530 5.7.3 STARTTLS is required",
        };

        // Postfix log pieces: the syslog part, the fields, the reasons, and what could trip a regex.
        static readonly string[] PostfixFragments =
        {
            "Dec  8 01:29:36 ", "2026-12-08T01:29:36.5+01:00 ", "relay1 ", "postfix/smtp[", "postfix/error[", "123", "]: ", "34CDCB200E4: ",
            "4h5QLF430Vz2jkj: ", "to=<", "user@contoso.com", ">, ", "relay=", "none", "mx.contoso.com", "[", "]", ":25", ", dsn=4.4.1", ", status=",
            "deferred", "bounced", "sent", " (", ")", "connect to ", ": Connection timed out", ": No route to host", "lost connection with ",
            "Host or domain name not found. Name service error for name=", " type=MX: Host not found, try again",
            "CA certificate verification failed for ", "num=65:no matching DANE TLSA records", "Server certificate not verified", "said: 530 5.7.0 ",
            "\t", "\0", "=", ",", "é", new string('(', 40),
        };

        static string Noise(Random rng, int parts)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < parts; i++)
            {
                if (rng.Next(4) == 0) sb.Append((char)rng.Next(0, 0xFFFF));
                else sb.Append(Fragments[rng.Next(Fragments.Length)]);
            }
            return sb.ToString();
        }

        [Fact]
        public void Generated_text_never_throws_stalls_or_reports_malformed_fields()
        {
            var rng = new Random(20261127);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 20000; i++)
            {
                string text = Noise(rng, rng.Next(1, 40));
                var r = new EvidenceRecord();
                bool found = ReasonParser.Apply(text, r);
                if (!found) continue;
                Assert.True(r.RawCode != null || r.Family != null || r.Scenario != null, text);
                Assert.NotNull(r.Scenario);
                if (r.EnhancedCode != null) Assert.Matches(@"^[245]\.\d{1,3}\.\d{1,3}$", r.EnhancedCode);
                if (r.LastAttemptedIP != null) Assert.True(IPAddress.TryParse(r.LastAttemptedIP, out _), r.LastAttemptedIP);
                if (r.Family != null) Assert.Contains(r.Family, CodeFamily.All);
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"20,000 inputs took {clock.Elapsed}");
        }

        [Fact]
        public void Generated_Postfix_lines_never_throw_stall_or_report_malformed_fields()
        {
            var rng = new Random(20261208);
            var clock = Stopwatch.StartNew();
            var log = new PostfixLog();
            for (int i = 0; i < 20000; i++)
            {
                var sb = new StringBuilder();
                for (int n = rng.Next(1, 30); n > 0; n--)
                    sb.Append(rng.Next(5) == 0 ? ((char)rng.Next(0, 0xFFFF)).ToString() : PostfixFragments[rng.Next(PostfixFragments.Length)]);
                string text = sb.ToString();
                EvidenceRecord r = TextEvidence.FromLine(text, null, log);
                if (r == null) continue;
                Assert.NotNull(r.Scenario);
                if (r.LastAttemptedIP != null) Assert.True(IPAddress.TryParse(r.LastAttemptedIP, out _), r.LastAttemptedIP);
                if (r.Family != null) Assert.Contains(r.Family, CodeFamily.All);
                if (r.Source == "PostfixLog")
                {
                    Assert.Equal(ObservedFrom.OtherMta, r.ObservedFrom);
                    Assert.True(r.MessageCount == 0 || r.MessageKey != null, text);
                    Assert.StartsWith("Postfix", r.Detail);
                }
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"20,000 lines took {clock.Elapsed}");
        }

        [Fact]
        public void A_known_reason_buried_in_noise_is_still_found()
        {
            var rng = new Random(7);
            for (int i = 0; i < 2000; i++)
            {
                // Noise without digits around the reason, so no other code can come first.
                string before = new string(Noise(rng, rng.Next(0, 10)).Where(c => !char.IsDigit(c) && c != '[' && c != '{').ToArray());
                string after = new string(Noise(rng, rng.Next(0, 10)).Where(c => !char.IsDigit(c)).ToArray());
                string text = before + " [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}] " + after;
                var r = new EvidenceRecord();
                Assert.True(ReasonParser.Apply(text, r), text);
                Assert.Equal(CodeFamily.ConnectionRefused, r.Family);
                Assert.Equal(Reason.ConnectionRefused, r.Scenario.Reason);
                Assert.Equal("203.0.113.5", r.LastAttemptedIP);
            }
        }

        [Fact]
        public void A_hostile_50_MB_line_is_bounded_and_fast()
        {
            string huge = "450 4.4.316 " + new string('[', 50_000_000);
            var clock = Stopwatch.StartNew();
            var r = new EvidenceRecord();
            Assert.True(ReasonParser.Apply(huge, r));
            Assert.Equal(CodeFamily.ConnectionRefused, r.Family);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
        }
    }
}
