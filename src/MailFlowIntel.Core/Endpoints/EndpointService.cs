using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Endpoints
{
    /// <summary>
    /// The Microsoft 365 IP address and URL web service (Microsoft Learn, "Microsoft 365 IP Address and URL web service"):
    /// /version/&lt;instance&gt; says which list is current, /endpoints/&lt;instance&gt; gives it. Microsoft asks clients to call the
    /// version method at most once an hour and fetch data only when the version changed, with one ClientRequestId per machine.
    /// Only Get-MailFlowEndpoint calls this; nothing else in the module reaches the network for it.
    /// </summary>
    public static class EndpointService
    {
        public static readonly string[] Instances = { "Worldwide", "USGovDoD", "USGovGCCHigh", "China" };
        public static readonly Uri DefaultUri = new Uri("https://endpoints.office.com/");
        public static readonly TimeSpan VersionEvery = TimeSpan.FromHours(1);

        /// <summary>What a call gave: the endpoints, where from, and why when it is not the live list.</summary>
        public sealed class Outcome
        {
            public IReadOnlyList<MailFlowEndpoint> Endpoints { get; set; }
            public EndpointSource Source { get; set; }
            /// <summary>The service did not answer (its error, untrusted text), when Source is Cache or Shipped after a try.</summary>
            public string Failure { get; set; }
            /// <summary>When the list given was fetched (the cache), or dated (the shipped list).</summary>
            public DateTime ListDate { get; set; }
            /// <summary>Whether the service was asked in this call (version, and data when the version changed).</summary>
            public bool AskedVersion { get; set; }
            public bool FetchedData { get; set; }
        }

        /// <summary>Plain http is for a lab on this computer only: anything else must be https.</summary>
        public static bool IsAllowed(Uri uri) =>
            uri != null && uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

        public static async Task<Outcome> GetAsync(Uri baseUri, string instance, bool update, TimeSpan timeout, CancellationToken ct)
        {
            DateTime now = DateTime.UtcNow;
            EndpointCache cache = EndpointCache.Load(instance);
            if (!update && cache != null && now - cache.VersionCheckedUtc < VersionEvery)
                return new Outcome { Endpoints = cache.Endpoints, Source = EndpointSource.Cache, ListDate = cache.FetchedUtc };

            var outcome = new Outcome();
            try
            {
                using (HttpClient http = NewClient(timeout))
                {
                    Guid id = EndpointCache.ClientRequestId();
                    outcome.AskedVersion = true;
                    object version = Json.Parse(await GetTextAsync(http, Address(baseUri, "version", instance, id), ct).ConfigureAwait(false));
                    string latest = Json.Text(version, "latest") ?? throw new FormatException("the version answer names no 'latest'");
                    if (cache == null || !string.Equals(cache.Version, latest, StringComparison.Ordinal))
                    {
                        outcome.FetchedData = true;
                        object data = Json.Parse(await GetTextAsync(http, Address(baseUri, "endpoints", instance, id), ct).ConfigureAwait(false));
                        cache = new EndpointCache { Instance = instance, Version = latest, FetchedUtc = now };
                        cache.Endpoints.AddRange(MailEndpoints(data, latest, instance));
                    }
                    cache.VersionCheckedUtc = now;
                    cache.Save();
                    outcome.Endpoints = cache.Endpoints.Select(e => With(e, EndpointSource.Live)).ToList();
                    outcome.Source = EndpointSource.Live;
                    outcome.ListDate = cache.FetchedUtc;
                    return outcome;
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && (ex is HttpRequestException || ex is TaskCanceledException || ex is FormatException
                || ex is System.IO.IOException || ex is UnauthorizedAccessException))
            {
                outcome.Failure = Untrusted.Clean(ex.GetBaseException().Message, 300);
                if (cache != null)
                {
                    outcome.Endpoints = cache.Endpoints;
                    outcome.Source = EndpointSource.Cache;
                    outcome.ListDate = cache.FetchedUtc;
                }
                else
                {
                    outcome.Endpoints = Microsoft365Network.ShippedEndpoints();
                    outcome.Source = EndpointSource.Shipped;
                    outcome.ListDate = Microsoft365Network.ShippedDate;
                }
                return outcome;
            }
        }

        /// <summary>
        /// The service's endpoint sets for mail: service area Exchange with TCP 25 among their ports; their ips as ranges and
        /// their urls as hosts, each once.
        /// </summary>
        internal static IEnumerable<MailFlowEndpoint> MailEndpoints(object data, string version, string instance)
        {
            if (!(data is IList<object> sets)) throw new FormatException("the endpoints answer is not a list");
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (object set in sets)
            {
                if (!string.Equals(Json.Text(set, "serviceArea"), "Exchange", StringComparison.OrdinalIgnoreCase)) continue;
                string ports = Json.Text(set, "tcpPorts") ?? "";
                if (!ports.Split(',').Any(p => p.Trim() == "25")) continue;
                string category = Json.Text(set, "category");
                foreach (var (list, kind) in new[] { (Json.List(set, "ips"), EndpointKind.Range), (Json.List(set, "urls"), EndpointKind.Host) })
                    foreach (object a in list)
                    {
                        if (!(a is string address) || !seen.Add(address)) continue;
                        yield return new MailFlowEndpoint { Address = address, Kind = kind, Category = category, Ports = ports, Version = version, Instance = instance };
                    }
            }
        }

        static MailFlowEndpoint With(MailFlowEndpoint e, EndpointSource source) => new MailFlowEndpoint
        {
            Address = e.Address, Kind = e.Kind, Category = e.Category, Ports = e.Ports, Version = e.Version, Instance = e.Instance, Source = source,
        };

        static Uri Address(Uri baseUri, string method, string instance, Guid id)
        {
            string root = baseUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? baseUri.AbsoluteUri : baseUri.AbsoluteUri + "/";
            return new Uri(root + method + "/" + instance + "?ClientRequestId=" + id.ToString("D", CultureInfo.InvariantCulture));
        }

        /// <summary>
        /// Its own handler, asking for TLS 1.2 (and 1.3 where the platform has it): Windows PowerShell 5.1 may otherwise offer
        /// only older versions, and the process-wide ServicePointManager is left alone.
        /// </summary>
        static HttpClient NewClient(TimeSpan timeout)
        {
            var handler = new HttpClientHandler { SslProtocols = Probing.TlsProtocols.Offered, AllowAutoRedirect = false };
            return new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
        }

        static async Task<string> GetTextAsync(HttpClient http, Uri uri, CancellationToken ct)
        {
            using (HttpResponseMessage r = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false))
            {
                if (!r.IsSuccessStatusCode) throw new HttpRequestException($"{(int)r.StatusCode} {r.ReasonPhrase} from {uri.GetLeftPart(UriPartial.Path)}");
                if (r.Content.Headers.ContentLength > 8 * 1024 * 1024) throw new HttpRequestException("the answer is larger than 8 MB");
                return await r.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
        }
    }
}
