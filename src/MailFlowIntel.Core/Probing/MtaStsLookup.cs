using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// What MTA-STS discovery found for one policy domain, before any SMTP connection: its TXT record's id and the policy
    /// fetched over HTTPS, or why there is none. Looked up once per domain per probe run (DeliveryTester keeps them), so the
    /// MX hosts of one domain share one fetch. Each host's status then starts from <see cref="StatusOf"/>, and the TLS session
    /// may still turn a Valid host into CertificateInvalid.
    /// </summary>
    internal sealed class MtaStsLookup
    {
        MtaStsLookup(string domain, MtaStsStatus status, string id, MtaStsPolicy policy, string failure)
        {
            Domain = domain;
            Status = status;
            PolicyId = id;
            Policy = policy;
            Failure = failure;
        }

        /// <summary>No lookup (a smart host given as an address, a name DNS did not resolve).</summary>
        public static readonly MtaStsLookup None = new MtaStsLookup(null, MtaStsStatus.NotApplicable, null, null, null);

        /// <summary>The policy domain.</summary>
        public string Domain { get; }
        /// <summary>NotApplicable, NoPolicy or PolicyUnreachable when there is no policy; Valid when one was fetched (each host then decides).</summary>
        public MtaStsStatus Status { get; }
        /// <summary>The id of the _mta-sts TXT record; null when there is no valid record.</summary>
        public string PolicyId { get; }
        /// <summary>The policy fetched; null when none was.</summary>
        public MtaStsPolicy Policy { get; }
        /// <summary>Why there is no policy (NoPolicy or PolicyUnreachable), in English; untrusted parts already cleaned.</summary>
        public string Failure { get; }

        public bool Enforces => Policy?.Mode == "enforce";

        /// <summary>The policy's mode as published, "absent" when none was had, empty when not looked up.</summary>
        public string PolicyMode => Status == MtaStsStatus.NotApplicable ? "" : Policy?.Mode ?? "absent";

        /// <summary>A host's status from the policy alone: Valid (so far) or MxMismatch, or the domain's own status.</summary>
        public MtaStsStatus StatusOf(string host) =>
            Policy == null ? Status : Policy.Matches(host) ? MtaStsStatus.Valid : MtaStsStatus.MxMismatch;

        /// <summary>
        /// The policy domain of a target. A recipient domain is its own. A smart host is checked against "the smart host
        /// domain" (Enhancing mail flow with MTA-STS, Microsoft Learn; RFC 8461 section 3.4: "compliant senders MUST treat
        /// the smart host domain as the Policy Domain"), read here as the smart host name without its first label
        /// (smtp.fabrikam.com gives fabrikam.com); a name of two labels or fewer is taken as a domain itself.
        /// </summary>
        public static string PolicyDomainOf(TargetKind kind, string name)
        {
            string n = name.TrimEnd('.').ToLowerInvariant();
            if (kind == TargetKind.Domain) return n;
            string[] labels = n.Split('.');
            return labels.Length <= 2 ? n : string.Join(".", labels.Skip(1));
        }

        /// <summary>
        /// Discovery as RFC 8461 sections 3.1 to 3.3 describe it: the _mta-sts TXT record through the probe's resolver
        /// (exactly one valid v=STSv1 record, else no policy), then the policy over HTTPS from mta-sts.&lt;domain&gt;, resolved
        /// through the same resolver. A fault here never stops the probe: it becomes NoPolicy or PolicyUnreachable.
        /// </summary>
        public static async Task<MtaStsLookup> DiscoverAsync(string domain, DnsResolver resolver, ProbeOptions options, CancellationToken ct)
        {
            string txtName = MtaStsRecord.NameFor(domain);
            IReadOnlyList<string> txt = await resolver.TxtAsync(txtName, ct).ConfigureAwait(false);
            if (txt == null) return new MtaStsLookup(domain, MtaStsStatus.NoPolicy, null, null, $"the TXT query for {txtName} failed");
            string id = MtaStsRecord.IdOf(txt, out string why);
            if (id == null) return new MtaStsLookup(domain, MtaStsStatus.NoPolicy, null, null, $"{txtName}: {why}");

            string host = MtaStsFetcher.HostFor(domain);
            IReadOnlyList<System.Net.IPAddress> addresses = await resolver.AddressesAsync(host, ct).ConfigureAwait(false);
            if (addresses.Count == 0) return Unreachable(domain, id, $"{host} has no A or AAAA record");
            MtaStsFetcher.Outcome fetched = await MtaStsFetcher.FetchAsync(host, addresses, options, ct).ConfigureAwait(false);
            if (fetched.Text == null) return Unreachable(domain, id, fetched.Failure);
            MtaStsPolicy policy = MtaStsPolicy.Parse(fetched.Text, out why);
            if (policy == null) return Unreachable(domain, id, $"the policy at https://{host}{MtaStsFetcher.WellKnownPath} is not valid: {why}");
            return new MtaStsLookup(domain, MtaStsStatus.Valid, id, policy, null);
        }

        static MtaStsLookup Unreachable(string domain, string id, string why) =>
            new MtaStsLookup(domain, MtaStsStatus.PolicyUnreachable, id, null, why);

        /// <summary>A lookup made of parts (tests).</summary>
        internal static MtaStsLookup Of(string domain, MtaStsStatus status, string id, MtaStsPolicy policy, string failure = null) =>
            new MtaStsLookup(domain, status, id, policy, failure);
    }
}
