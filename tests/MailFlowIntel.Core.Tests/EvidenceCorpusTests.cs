using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MailFlowIntel.Core.Evidence;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Real-world evidence strings (Data/evidence-corpus.json, each with its source) and altered variants of them,
    /// read to the right code, expiry, server, address and specifics.
    /// </summary>
    public sealed class EvidenceCorpusTests
    {
        public sealed class Entry
        {
            public string Id { get; set; }
            public string Source { get; set; }
            public string Kind { get; set; }
            public string Text { get; set; }
            public Expectation Expected { get; set; }
            public override string ToString() => Id;
        }

        public sealed class Expectation
        {
            public string Code { get; set; }
            public bool Expired { get; set; }
            public string DestinationServer { get; set; }
            public string LastAttemptedIP { get; set; }
            public string Detail { get; set; }
            /// <summary>The scenario the text spells (DESIGN.md section 2b); checked when given.</summary>
            public string Reason { get; set; }
        }

        internal static string DataDirectory()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "MailFlowIntel.Core.Tests", "Data");
                if (Directory.Exists(candidate)) return candidate;
            }
            throw new DirectoryNotFoundException("tests/MailFlowIntel.Core.Tests/Data");
        }

        static readonly List<Entry> Corpus = JsonSerializer.Deserialize<List<Entry>>(
            File.ReadAllText(Path.Combine(DataDirectory(), "evidence-corpus.json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true });

        public static IEnumerable<object[]> Entries() => Corpus.Select(e => new object[] { e.Id });

        static Entry Get(string id) => Corpus.Single(e => e.Id == id);

        static EvidenceRecord Read(string text) => TextEvidence.FromLine(text, null);

        static void AssertMatches(Expectation x, EvidenceRecord r, string text)
        {
            Assert.True(r != null, "no code found in: " + text);
            Assert.Equal(x.Code, r.Family?.Code ?? r.RawCode);
            if (x.Reason != null) Assert.Equal(x.Reason, r.Scenario?.Reason.ToString());
            Assert.Equal(x.Expired, r.Expired);
            if (x.DestinationServer != null) Assert.Equal(x.DestinationServer, r.DestinationServer, ignoreCase: true);
            if (x.LastAttemptedIP != null) Assert.Equal(x.LastAttemptedIP, r.LastAttemptedIP);
            if (x.Detail != null) Assert.Contains(x.Detail, r.Detail ?? "", StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void The_corpus_holds_at_least_40_sourced_entries_with_a_spread_of_codes()
        {
            Assert.True(Corpus.Count >= 40, $"{Corpus.Count} entries");
            Assert.All(Corpus, e => Assert.False(string.IsNullOrWhiteSpace(e.Source), e.Id + " has no source"));
            Assert.Equal(Corpus.Count, Corpus.Select(e => e.Id).Distinct().Count());
            foreach (string code in new[] { "450 4.4.312", "450 4.4.315", "450 4.4.316", "450 4.4.317", "450 4.4.318", "450 4.7.320" })
                Assert.Contains(Corpus, e => e.Expected.Code == code);
            Assert.Contains(Corpus, e => e.Expected.Expired);
        }

        [Theory]
        [MemberData(nameof(Entries))]
        public void A_real_evidence_string_is_read_to_its_code_server_and_address(string id)
        {
            Entry e = Get(id);
            AssertMatches(e.Expected, Read(e.Text), e.Text);
        }

        [Theory]
        [MemberData(nameof(Entries))]
        public void The_same_evidence_with_other_casing_and_surrounding_space_reads_the_same(string id)
        {
            Entry e = Get(id);
            string variant = "  \t" + Flip(e.Text) + " \r";
            EvidenceRecord r = Read(variant);
            AssertMatches(e.Expected, r, variant);
        }

        [Theory]
        [MemberData(nameof(Entries))]
        public void The_same_evidence_naming_another_server_and_address_reads_those(string id)
        {
            Entry e = Get(id);
            string text = e.Text;
            var x = new Expectation { Code = e.Expected.Code, Expired = e.Expected.Expired, Detail = e.Expected.Detail };
            if (e.Expected.DestinationServer != null && e.Expected.DestinationServer.Contains('.') && !System.Net.IPAddress.TryParse(e.Expected.DestinationServer, out _))
            {
                text = text.Replace(e.Expected.DestinationServer, "smtp7.fabrikam.example", StringComparison.OrdinalIgnoreCase);
                x.DestinationServer = "smtp7.fabrikam.example";
                x.Detail = x.Detail?.Replace(e.Expected.DestinationServer, "smtp7.fabrikam.example", StringComparison.OrdinalIgnoreCase);
            }
            if (e.Expected.LastAttemptedIP != null)
            {
                // The same address may be written shorter in the text ("10.0.0.1" for "10.000.000.001"): replace what is there.
                text = text.Replace(e.Expected.LastAttemptedIP, "198.51.100.77");
                x.LastAttemptedIP = text.Contains("198.51.100.77") ? "198.51.100.77" : e.Expected.LastAttemptedIP;
            }
            AssertMatches(x, Read(text), text);
        }

        // Upper-case every other letter: "Connection refused" -> "CoNnEcTiOn rEfUsEd".
        static string Flip(string s) => new string(s.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)).ToArray());
    }
}
