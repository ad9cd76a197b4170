using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>What the probe learned of the server's certificate, and what is wrong with it.</summary>
    public sealed class CertificateReport
    {
        public string Subject { get; set; }
        public string Issuer { get; set; }
        public string Thumbprint { get; set; }
        public DateTime NotAfter { get; set; }
        public IReadOnlyList<string> Names { get; set; } = Array.Empty<string>();
        /// <summary>Problems that fail a validating connector (Expired, NotYetValid, UntrustedRoot, SubjectMismatch, Revoked...).</summary>
        public List<string> Errors { get; } = new List<string>();
        /// <summary>Facts worth saying that fail nothing (ExpiresSoon, RevocationUnknown, PrivateRoot).</summary>
        public List<string> Notes { get; } = new List<string>();
        /// <summary>The name problem alone, which only DomainValidation checks.</summary>
        public bool NameMismatch { get; set; }
        public bool ChainOrDateProblem => Errors.Any(e => e != "SubjectMismatch");
    }

    /// <summary>
    /// Checks a server certificate as a validating connector would: dates, chain to a trusted root (the system's,
    /// or the roots the admin supplied), and the expected name. Names are matched here, not by SslStream,
    /// because the expected name is the connector's TlsDomain, not the host the probe connected to.
    /// </summary>
    public static class CertificateCheck
    {
        public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

        public static CertificateReport Inspect(X509Certificate2 leaf, IEnumerable<X509Certificate2> presentedChain,
            X509Certificate2Collection trustedRoots, string expectedName, DateTime nowUtc, TimeSpan revocationTimeout)
        {
            var report = new CertificateReport
            {
                Subject = leaf.Subject,
                Issuer = leaf.Issuer,
                Thumbprint = leaf.Thumbprint,
                NotAfter = leaf.NotAfter.ToUniversalTime(),
                Names = CertificateNames.Of(leaf),
            };

            if (nowUtc > leaf.NotAfter.ToUniversalTime()) report.Errors.Add("Expired");
            else if (nowUtc < leaf.NotBefore.ToUniversalTime()) report.Errors.Add("NotYetValid");
            else if (leaf.NotAfter.ToUniversalTime() - nowUtc < ExpiryWarning) report.Notes.Add("ExpiresSoon");

            CheckChain(leaf, presentedChain, trustedRoots, nowUtc, revocationTimeout, report);

            if (!string.IsNullOrEmpty(expectedName) && !report.Names.Any(n => CertificateNames.Matches(n, expectedName)))
            {
                report.NameMismatch = true;
                report.Errors.Add("SubjectMismatch");
            }
            return report;
        }

        static void CheckChain(X509Certificate2 leaf, IEnumerable<X509Certificate2> presented, X509Certificate2Collection trustedRoots,
            DateTime nowUtc, TimeSpan revocationTimeout, CertificateReport report)
        {
            var intermediates = (presented ?? Enumerable.Empty<X509Certificate2>()).Where(c => c.Thumbprint != leaf.Thumbprint).ToList();
            // The system's roots first; the admin's extra roots (-CertificateAuthority) when those do not vouch for it.
            ChainVerdict verdict = BuildChain(leaf, intermediates, null, nowUtc, revocationTimeout);
            if (verdict.Untrusted && trustedRoots != null && trustedRoots.Count > 0)
            {
                verdict = BuildChain(leaf, intermediates, trustedRoots, nowUtc, revocationTimeout);
                // Trusted here only through -CertificateAuthority: Microsoft 365 trusts public roots, not this one.
                if (!verdict.Untrusted) report.Notes.Add("PrivateRoot");
            }

            if (verdict.Untrusted) report.Errors.Add("UntrustedRoot");
            var statuses = verdict.Statuses;
            if (statuses.Contains(X509ChainStatusFlags.Revoked)) report.Errors.Add("Revoked");
            if (statuses.Contains(X509ChainStatusFlags.NotSignatureValid)) report.Errors.Add("NotSignatureValid");
            if (statuses.Contains(X509ChainStatusFlags.NotValidForUsage)) report.Errors.Add("NotValidForUsage");
            if (statuses.Contains(X509ChainStatusFlags.NotTimeValid) && !report.Errors.Contains("Expired") && !report.Errors.Contains("NotYetValid"))
                report.Errors.Add("ChainNotTimeValid");
            if (statuses.Contains(X509ChainStatusFlags.RevocationStatusUnknown) || statuses.Contains(X509ChainStatusFlags.OfflineRevocation))
                report.Notes.Add("RevocationUnknown");
        }

        sealed class ChainVerdict
        {
            public List<X509ChainStatusFlags> Statuses;
            public bool Untrusted;
        }

        static ChainVerdict BuildChain(X509Certificate2 leaf, List<X509Certificate2> intermediates, X509Certificate2Collection customRoots,
            DateTime nowUtc, TimeSpan revocationTimeout)
        {
            using (var chain = new X509Chain())
            {
                X509ChainPolicy policy = chain.ChainPolicy;
                policy.VerificationTime = nowUtc.ToLocalTime();
                // Revocation is looked up, bounded; an answer that cannot be had is noted, never taken for "revoked".
                policy.RevocationMode = X509RevocationMode.Online;
                policy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
                policy.UrlRetrievalTimeout = revocationTimeout;
                foreach (X509Certificate2 c in intermediates) policy.ExtraStore.Add(c);
                bool exactTrust = customRoots != null && TryTrustOnly(policy, customRoots);
                if (customRoots != null && !exactTrust)
                {
                    // .NET Framework has no custom trust store: let the chain end in an unknown root, then require one of ours.
                    policy.ExtraStore.AddRange(customRoots);
                    policy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                }
                chain.Build(leaf);

                var statuses = chain.ChainStatus.Select(st => st.Status).ToList();
                bool untrusted = statuses.Contains(X509ChainStatusFlags.PartialChain);
                if (statuses.Contains(X509ChainStatusFlags.UntrustedRoot))
                {
                    X509Certificate2 root = chain.ChainElements.Count > 0 ? chain.ChainElements[chain.ChainElements.Count - 1].Certificate : null;
                    bool ours = customRoots != null && !exactTrust && root != null
                                && customRoots.Cast<X509Certificate2>().Any(r => r.Thumbprint == root.Thumbprint);
                    if (!ours) untrusted = true;
                }
                return new ChainVerdict { Statuses = statuses, Untrusted = untrusted };
            }
        }

        /// <summary>
        /// On .NET 5 and later (PowerShell 7) trusts exactly the given roots, which also lets revocation be checked
        /// for a private CA. netstandard2.0 cannot name these members, so they are found at run time.
        /// </summary>
        static bool TryTrustOnly(X509ChainPolicy policy, X509Certificate2Collection roots)
        {
            var trustMode = policy.GetType().GetProperty("TrustMode");
            var store = policy.GetType().GetProperty("CustomTrustStore");
            if (trustMode == null || store == null || !(store.GetValue(policy) is X509Certificate2Collection collection)) return false;
            trustMode.SetValue(policy, Enum.ToObject(trustMode.PropertyType, 1));   // X509ChainTrustMode.CustomRootTrust
            collection.AddRange(roots);
            return true;
        }
    }
}
