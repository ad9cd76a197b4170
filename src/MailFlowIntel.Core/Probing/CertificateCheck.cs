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
        /// <summary>Facts worth saying that fail nothing (ExpiresSoon, RevocationUnknown).</summary>
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
            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.VerificationTime = nowUtc.ToLocalTime();
                // Revocation is looked up, bounded; an answer that cannot be had is noted, never taken for "revoked".
                chain.ChainPolicy.RevocationMode = X509RevocationMode.Online;
                chain.ChainPolicy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
                chain.ChainPolicy.UrlRetrievalTimeout = revocationTimeout;
                foreach (X509Certificate2 c in presented ?? Enumerable.Empty<X509Certificate2>())
                    if (c.Thumbprint != leaf.Thumbprint) chain.ChainPolicy.ExtraStore.Add(c);
                bool customRoots = trustedRoots != null && trustedRoots.Count > 0;
                if (customRoots)
                {
                    // netstandard2.0 has no CustomTrustStore: let the chain end in an unknown root, then require it to be one of ours.
                    chain.ChainPolicy.ExtraStore.AddRange(trustedRoots);
                    chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                }
                chain.Build(leaf);

                var statuses = chain.ChainStatus.Select(s => s.Status).ToList();
                bool untrusted = statuses.Contains(X509ChainStatusFlags.PartialChain);
                if (statuses.Contains(X509ChainStatusFlags.UntrustedRoot))
                {
                    X509Certificate2 root = chain.ChainElements.Count > 0 ? chain.ChainElements[chain.ChainElements.Count - 1].Certificate : null;
                    bool ours = customRoots && root != null && trustedRoots.Cast<X509Certificate2>().Any(r => r.Thumbprint == root.Thumbprint);
                    if (!ours) untrusted = true;
                }
                if (untrusted) report.Errors.Add("UntrustedRoot");
                if (statuses.Contains(X509ChainStatusFlags.Revoked)) report.Errors.Add("Revoked");
                if (statuses.Contains(X509ChainStatusFlags.NotSignatureValid)) report.Errors.Add("NotSignatureValid");
                if (statuses.Contains(X509ChainStatusFlags.NotValidForUsage)) report.Errors.Add("NotValidForUsage");
                if (statuses.Contains(X509ChainStatusFlags.NotTimeValid) && !report.Errors.Contains("Expired") && !report.Errors.Contains("NotYetValid"))
                    report.Errors.Add("ChainNotTimeValid");
                if (statuses.Contains(X509ChainStatusFlags.RevocationStatusUnknown) || statuses.Contains(X509ChainStatusFlags.OfflineRevocation))
                    report.Notes.Add("RevocationUnknown");
            }
        }
    }
}
