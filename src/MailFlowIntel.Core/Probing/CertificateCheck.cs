using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>What is wrong with a server certificate: facts as flags, turned into words only on the output object.</summary>
    [Flags]
    public enum CertificateProblems
    {
        None = 0,
        Expired = 1,
        NotYetValid = 2,
        /// <summary>The path ends at a self-signed certificate that is not a trusted root.</summary>
        UntrustedRoot = 4,
        /// <summary>The server did not send an intermediate needed to reach a trusted root.</summary>
        IncompleteChain = 8,
        /// <summary>The certificate carries none of the expected names (Exchange spells this SubjectMismatch).</summary>
        SubjectMismatch = 16,
        Revoked = 32,
        NotSignatureValid = 64,
        NotValidForUsage = 128,
        /// <summary>An intermediate is outside its dates.</summary>
        ChainNotTimeValid = 256,
    }

    /// <summary>Facts about a certificate that fail nothing but are worth saying.</summary>
    [Flags]
    public enum CertificateNotes
    {
        None = 0,
        /// <summary>Valid, but expires within <see cref="CertificateCheck.ExpiryWarning"/>.</summary>
        ExpiresSoon = 1,
        /// <summary>The revocation status could not be learned (no answer from the CRL or OCSP server).</summary>
        RevocationUnknown = 2,
        /// <summary>
        /// The path ends at a root that no public root program's list holds: trusted here only through -CertificateAuthority
        /// or -TrustedRootList (<see cref="RootFromParameter"/>, a lab's or a private CA's), or through this computer's own
        /// trusted roots (an enterprise CA), which Microsoft 365 does not share.
        /// </summary>
        PrivateRoot = 4,
        /// <summary>The root is in a public program's list but not in this computer's trusted roots: trusted as Microsoft 365 trusts it.</summary>
        PublicRootNotInstalled = 8,
        /// <summary>The root came from -CertificateAuthority or -TrustedRootList: it counts as public for the verdict.</summary>
        RootFromParameter = 16,
    }

    /// <summary>What the probe learned of the server's certificate, and what is wrong with it.</summary>
    public sealed class CertificateReport
    {
        public string Subject { get; set; }
        public string Issuer { get; set; }
        public string Thumbprint { get; set; }
        public DateTime NotAfter { get; set; }
        public DateTime NotBefore { get; set; }
        public IReadOnlyList<string> Names { get; set; } = Array.Empty<string>();
        /// <summary>How many certificates the server sent (the leaf included).</summary>
        public int PresentedCount { get; set; }
        /// <summary>For an incomplete chain: the issuer the server did not send.</summary>
        public string MissingIssuer { get; set; }
        public CertificateProblems Problems { get; set; }
        public CertificateNotes Notes { get; set; }
        /// <summary>The root the path reached (its name); null when it reached none.</summary>
        public string Root { get; set; }
        /// <summary>The public program whose list holds that root (Mozilla, Microsoft); null when none does.</summary>
        public string RootProgram { get; set; }
        /// <summary>The certificate and the path to its anchor, kept for the revocation step; null path when none was found.</summary>
        internal X509Certificate2 Leaf { get; set; }
        internal PresentedChain.Result Path { get; set; }
        internal DateTime CheckedAt { get; set; }

        /// <summary>
        /// The path ends at a root only this computer trusts, in no public program's list and not given as a parameter:
        /// Microsoft 365 most likely does not trust it (its program is larger than the lists here, so not certainly).
        /// </summary>
        public bool RootNotInPublicProgram =>
            (Notes & CertificateNotes.PrivateRoot) != 0 && (Notes & CertificateNotes.RootFromParameter) == 0;

        /// <summary>Problems a CertificateValidation connector checks: everything but the name.</summary>
        public CertificateProblems ChainOrDateProblems => Problems & ~CertificateProblems.SubjectMismatch;

        /// <summary>"Expired; SubjectMismatch; RevocationUnknown": the problems, then the notes, as names.</summary>
        public static string Describe(CertificateProblems problems, CertificateNotes notes = CertificateNotes.None) =>
            string.Join("; ", FlagNames(problems).Concat(FlagNames(notes)));

        internal static IEnumerable<string> FlagNames<T>(T flags) where T : Enum
        {
            long value = Convert.ToInt64(flags);
            foreach (T f in Enum.GetValues(typeof(T)))
            {
                long bit = Convert.ToInt64(f);
                if (bit != 0 && (value & bit) == bit) yield return f.ToString();
            }
        }
    }

    /// <summary>What a revocation check learned (CRL or OCSP), as the flags it adds to a report.</summary>
    internal struct RevocationOutcome
    {
        public CertificateProblems Problems;
        public CertificateNotes Notes;
    }

    /// <summary>
    /// Checks a server certificate as a validating connector would: dates, a path to a trusted root built from what the
    /// server sent (PresentedChain), and the expected name, all offline. Revocation is a separate step with its own bound
    /// (<see cref="RevocationAsync"/>), so a CRL or OCSP server that never answers costs the SMTP session none of its time.
    /// Names are matched here, not by a TLS library, because the expected name is the connector's TlsDomain, not the host
    /// the probe connected to.
    /// </summary>
    public static class CertificateCheck
    {
        public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

        /// <summary>Checks with the probe's roots: those given (-CertificateAuthority, -TrustedRootList), the public list, this computer's.</summary>
        public static CertificateReport Inspect(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented,
            ProbeOptions options, string expectedName, DateTime nowUtc) =>
            Inspect(leaf, presented, TrustSources.For(options), expectedName, nowUtc);

        public static CertificateReport Inspect(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented,
            X509Certificate2Collection trustedRoots, string expectedName, DateTime nowUtc) =>
            Inspect(leaf, presented, new ProbeOptions { TrustedRoots = trustedRoots ?? new X509Certificate2Collection() }, expectedName, nowUtc);

        internal static CertificateReport Inspect(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented,
            TrustSources trust, string expectedName, DateTime nowUtc)
        {
            var report = new CertificateReport
            {
                Subject = leaf.Subject,
                Issuer = leaf.Issuer,
                Thumbprint = leaf.Thumbprint,
                NotAfter = leaf.NotAfter.ToUniversalTime(),
                NotBefore = leaf.NotBefore.ToUniversalTime(),
                Names = CertificateNames.Of(leaf),
                PresentedCount = presented?.Count ?? 1,
                Leaf = leaf,
                CheckedAt = nowUtc,
            };

            if (nowUtc > report.NotAfter) report.Problems |= CertificateProblems.Expired;
            else if (nowUtc < report.NotBefore) report.Problems |= CertificateProblems.NotYetValid;
            else if (report.NotAfter - nowUtc < ExpiryWarning) report.Notes |= CertificateNotes.ExpiresSoon;

            CheckPath(leaf, presented ?? new[] { leaf }, trust, nowUtc, report);

            if (!string.IsNullOrEmpty(expectedName) && !report.Names.Any(n => CertificateNames.Matches(n, expectedName)))
                report.Problems |= CertificateProblems.SubjectMismatch;
            return report;
        }

        static void CheckPath(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented, TrustSources trust,
            DateTime nowUtc, CertificateReport report)
        {
            PresentedChain.Result path = PresentedChain.Build(leaf, presented, trust);
            switch (path.End)
            {
                case PathEnd.UntrustedRoot:
                    report.Problems |= CertificateProblems.UntrustedRoot;
                    return;
                case PathEnd.Incomplete:
                    report.Problems |= CertificateProblems.IncompleteChain;
                    report.MissingIssuer = path.MissingIssuer;
                    return;
            }
            // Microsoft 365 trusts the public programs' roots, whether or not this computer has them (DESIGN.md 2c).
            report.Root = path.Anchor.Name;
            report.RootProgram = path.AnchorProgram;
            if (path.AnchorProgram == null) report.Notes |= CertificateNotes.PrivateRoot;
            if (path.AnchorProgram == null && path.AnchorGiven) report.Notes |= CertificateNotes.RootFromParameter;
            if (path.AnchorProgram != null && !path.AnchorInstalled) report.Notes |= CertificateNotes.PublicRootNotInstalled;
            report.Path = path;

            // The path is complete from what was sent: X509Chain now only checks usage, signatures and the intermediates'
            // dates, offline (revocation is RevocationAsync's).
            using (X509Chain chain = NewChain(path, nowUtc, X509RevocationMode.NoCheck, TimeSpan.Zero))
            {
                chain.Build(leaf);
                var statuses = new HashSet<X509ChainStatusFlags>(chain.ChainStatus.Select(s => s.Status));
                if (statuses.Contains(X509ChainStatusFlags.NotSignatureValid)) report.Problems |= CertificateProblems.NotSignatureValid;
                if (statuses.Contains(X509ChainStatusFlags.NotValidForUsage)) report.Problems |= CertificateProblems.NotValidForUsage;
                if (statuses.Contains(X509ChainStatusFlags.NotTimeValid)
                    && (report.Problems & (CertificateProblems.Expired | CertificateProblems.NotYetValid)) == 0)
                    report.Problems |= CertificateProblems.ChainNotTimeValid;
            }
        }

        /// <summary>
        /// The certificate's revocation status, learned online (CRL or OCSP) within <paramref name="bound"/> and on no other
        /// clock: started when the certificate arrives, awaited after the SMTP session. A status that cannot be learned in
        /// time (no answer, no network) is RevocationUnknown, a note, never a failure and never a timeout.
        /// </summary>
        internal static async Task<RevocationOutcome> RevocationAsync(CertificateReport report, TimeSpan bound)
        {
            if (report?.Path == null) return default;   // no path to a trusted root: nothing to ask about
            Task<RevocationOutcome> work = Task.Run(() => Revocation(report, bound));
            // The platform's own retrieval timeout is a request, not a promise: our bound is the one that holds.
            Task done = await Task.WhenAny(work, Task.Delay(bound + TimeSpan.FromMilliseconds(250))).ConfigureAwait(false);
            if (done != work)
            {
                _ = work.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);   // observed, never thrown
                return new RevocationOutcome { Notes = CertificateNotes.RevocationUnknown };
            }
            try { return await work.ConfigureAwait(false); }
            catch (Exception ex) when (ex is CryptographicException || ex is PlatformNotSupportedException)
            {
                return new RevocationOutcome { Notes = CertificateNotes.RevocationUnknown };
            }
        }

        static RevocationOutcome Revocation(CertificateReport report, TimeSpan bound)
        {
            using (X509Chain chain = NewChain(report.Path, report.CheckedAt, X509RevocationMode.Online, bound))
            {
                chain.Build(report.Leaf);
                var statuses = new HashSet<X509ChainStatusFlags>(chain.ChainStatus.Select(s => s.Status));
                var outcome = new RevocationOutcome();
                if (statuses.Contains(X509ChainStatusFlags.Revoked)) outcome.Problems |= CertificateProblems.Revoked;
                if (statuses.Contains(X509ChainStatusFlags.RevocationStatusUnknown) || statuses.Contains(X509ChainStatusFlags.OfflineRevocation))
                    outcome.Notes |= CertificateNotes.RevocationUnknown;
                // A root known only by name and key (a public root this computer lacks): the platform cannot finish the
                // chain, so it checks no revocation at all; that is not "not revoked".
                if (statuses.Contains(X509ChainStatusFlags.PartialChain) && (outcome.Problems & CertificateProblems.Revoked) == 0)
                    outcome.Notes |= CertificateNotes.RevocationUnknown;
                return outcome;
            }
        }

        /// <summary>Adds a revocation outcome to the report it was learned for.</summary>
        internal static void Apply(CertificateReport report, RevocationOutcome outcome)
        {
            report.Problems |= outcome.Problems;
            report.Notes |= outcome.Notes;
        }

        /// <summary>A chain over the path that was built from what the server sent, trusting only its anchor; nothing is downloaded but CRLs and OCSP when asked.</summary>
        static X509Chain NewChain(PresentedChain.Result path, DateTime nowUtc, X509RevocationMode revocation, TimeSpan bound)
        {
            var chain = new X509Chain();
            X509ChainPolicy policy = chain.ChainPolicy;
            policy.VerificationTime = nowUtc.ToLocalTime();
            policy.RevocationMode = revocation;
            policy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
            if (bound > TimeSpan.Zero) policy.UrlRetrievalTimeout = bound;
            SetIfPresent(policy, "DisableCertificateDownloads", true);   // .NET 5+: no AIA fetch, whatever the chain engine thinks
            foreach (X509Certificate2 c in path.Intermediates) policy.ExtraStore.Add(c);
            // A root known only by name and key has no certificate: its signature is proven already (PresentedChain), so
            // the chain is checked up to the last certificate below it, which stands in as the anchor.
            X509Certificate2 anchor = path.Anchor.Certificate ?? path.Top;
            if (!TrustOnly(policy, anchor))
            {
                // .NET Framework has no custom trust store: let the chain end in a root it may not know.
                policy.ExtraStore.Add(anchor);
                policy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            }
            return chain;
        }

        /// <summary>
        /// On .NET 5 and later (PowerShell 7) trusts exactly the anchor the path reached, which also lets revocation be
        /// checked for a private CA. netstandard2.0 cannot name these members, so they are found at run time.
        /// </summary>
        static bool TrustOnly(X509ChainPolicy policy, X509Certificate2 anchor)
        {
            var trustMode = policy.GetType().GetProperty("TrustMode");
            var store = policy.GetType().GetProperty("CustomTrustStore");
            if (trustMode == null || store == null || !(store.GetValue(policy) is X509Certificate2Collection collection)) return false;
            trustMode.SetValue(policy, Enum.ToObject(trustMode.PropertyType, 1));   // X509ChainTrustMode.CustomRootTrust
            collection.Add(anchor);
            return true;
        }

        static void SetIfPresent(object target, string property, object value) =>
            target.GetType().GetProperty(property)?.SetValue(target, value);
    }
}
