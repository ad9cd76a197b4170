using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Walks the path Microsoft 365 walks for one target: DNS, then each MX host and address in order,
    /// stopping at the first that takes the session. One result per address attempted.
    /// </summary>
    public sealed class DeliveryTester
    {
        readonly ProbeOptions options;
        readonly DnsResolver resolver;

        public DeliveryTester(ProbeOptions options)
        {
            this.options = options;
            resolver = new DnsResolver(options.DnsServers, options.Timeout);
        }

        public ProbeOptions Options => options;

        /// <exception cref="DnsServerUnreachableException">The DNS server asked did not answer.</exception>
        public async Task<IReadOnlyList<ConnectorDeliveryResult>> TestAsync(ProbeTarget target, CancellationToken ct)
        {
            var results = new List<ConnectorDeliveryResult>();
            if (target.NotTestedReason != null)
            {
                ConnectorDeliveryResult nt = NewResult(target, null, null);
                nt.Status = ProbeStatus.NotTested;
                nt.Stage = ProbeStage.None;
                nt.Detail = target.NotTestedReason;
                results.Add(nt);
                return results;
            }

            if (target.Address != null)
            {
                SmtpProbe.Attempt a = await SmtpProbe.RunAsync(NewResult(target, target.Text.Trim(), null), target.Address,
                    target.Address.ToString(), target, options, ct).ConfigureAwait(false);
                results.AddRange(a.Results);
                return results;
            }

            var started = DateTime.UtcNow;
            DnsOutcome dns = target.Kind == TargetKind.Domain
                ? await resolver.ResolveDomainAsync(target.Name, ct).ConfigureAwait(false)
                : await resolver.ResolveSmartHostAsync(target.Name, ct).ConfigureAwait(false);

            if (dns.NullMx || dns.Failure != null || dns.Hosts.Count == 0)
            {
                ConnectorDeliveryResult r = NewResult(target, target.Name, null);
                r.Timestamp = started;
                r.DurationMs = (long)(DateTime.UtcNow - started).TotalMilliseconds;
                var o = new Observation { Tls = target.Tls, Stage = ProbeStage.Dns, NullMx = dns.NullMx,
                                          DnsFailure = dns.NullMx ? null : dns.Failure ?? $"No host to deliver to for {target.Name}",
                                          Detail = dns.NullMx ? dns.Detail : dns.Failure };
                Classifier.Apply(o, r);
                results.Add(r);
                return results;
            }

            foreach (ResolvedHost host in dns.Hosts)
            {
                if (host.Addresses.Count == 0)
                {
                    ConnectorDeliveryResult r = NewResult(target, host.Host, host.MxPreference);
                    r.Timestamp = started;
                    var o = new Observation { Tls = target.Tls, Stage = ProbeStage.Dns, DnsFailure = host.Failure, Detail = host.Failure };
                    Classifier.Apply(o, r);
                    results.Add(r);
                    continue;
                }
                foreach (System.Net.IPAddress address in host.Addresses)
                {
                    SmtpProbe.Attempt a = await SmtpProbe.RunAsync(NewResult(target, host.Host, host.MxPreference), address,
                        host.Host, target, options, ct).ConfigureAwait(false);
                    results.AddRange(a.Results);
                    if (a.Reached) return results;   // Microsoft 365 stops at the first server that takes the session
                }
            }
            return results;
        }

        ConnectorDeliveryResult NewResult(ProbeTarget t, string server, int? preference) => new ConnectorDeliveryResult
        {
            Connector = t.Connector,
            Target = t.Text,
            DestinationServer = server,
            MxPreference = preference,
            Port = options.Port,
            TlsSettings = t.Tls.ToSetting(),
            TlsDomain = t.TlsDomain,
            Timestamp = DateTime.UtcNow,
        };
    }
}
