using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Endpoints
{
    /// <summary>
    /// What Get-MailFlowEndpoint last learned from the Microsoft 365 IP address and URL web service, kept per user and per
    /// instance (whatever -Uri), written atomically. Everything else in the module (probes, alerts, fixes, loop detection,
    /// the report) reads this cache or the list shipped in the module, never the network.
    /// </summary>
    public sealed class EndpointCache
    {
        public string Instance { get; set; }
        public string Version { get; set; }
        /// <summary>When the data was fetched, and when the service last confirmed the version (UTC).</summary>
        public DateTime FetchedUtc { get; set; }
        public DateTime VersionCheckedUtc { get; set; }
        public List<MailFlowEndpoint> Endpoints { get; } = new List<MailFlowEndpoint>();

        /// <summary>The folder of the caches: this user's local application data, MailFlowIntel.</summary>
        public static string Folder => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "MailFlowIntel");

        public static string PathOf(string instance) => Path.Combine(Folder, "endpoints-" + instance.ToLowerInvariant() + ".json");

        /// <summary>The cache of an instance; null when there is none or it cannot be read (a broken cache is as good as none).</summary>
        public static EndpointCache Load(string instance)
        {
            string path = PathOf(instance);
            try
            {
                if (!File.Exists(path)) return null;
                object doc = Json.Parse(File.ReadAllText(path, Encoding.UTF8));
                var cache = new EndpointCache
                {
                    Instance = Json.Text(doc, "instance") ?? instance,
                    Version = Json.Text(doc, "version"),
                    FetchedUtc = Date(Json.Text(doc, "fetchedUtc")),
                    VersionCheckedUtc = Date(Json.Text(doc, "versionCheckedUtc")),
                };
                foreach (object e in Json.List(doc, "endpoints"))
                {
                    string address = Json.Text(e, "address");
                    if (address == null) continue;
                    cache.Endpoints.Add(new MailFlowEndpoint
                    {
                        Address = address,
                        Kind = string.Equals(Json.Text(e, "kind"), "Host", StringComparison.OrdinalIgnoreCase) ? EndpointKind.Host : EndpointKind.Range,
                        Category = Json.Text(e, "category"),
                        Ports = Json.Text(e, "ports"),
                        Version = cache.Version,
                        Instance = cache.Instance,
                        Source = EndpointSource.Cache,
                    });
                }
                return cache.Version == null ? null : cache;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is FormatException) { return null; }
        }

        /// <summary>Writes the cache beside itself, then moves it into place: a reader never sees half a file.</summary>
        public void Save()
        {
            Directory.CreateDirectory(Folder);
            var sb = new StringBuilder();
            sb.Append("{\"instance\":").Append(Json.Quote(Instance))
              .Append(",\"version\":").Append(Json.Quote(Version))
              .Append(",\"fetchedUtc\":").Append(Json.Quote(FetchedUtc.ToString("o", CultureInfo.InvariantCulture)))
              .Append(",\"versionCheckedUtc\":").Append(Json.Quote(VersionCheckedUtc.ToString("o", CultureInfo.InvariantCulture)))
              .Append(",\"endpoints\":[");
            sb.Append(string.Join(",", Endpoints.Select(e => "{\"address\":" + Json.Quote(e.Address) + ",\"kind\":" + Json.Quote(e.Kind.ToString())
                + ",\"category\":" + Json.Quote(e.Category) + ",\"ports\":" + Json.Quote(e.Ports) + "}")));
            sb.Append("]}");
            string path = PathOf(Instance);
            string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temp, sb.ToString(), new UTF8Encoding(false));
            try
            {
                if (File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
            }
            finally { if (File.Exists(temp)) File.Delete(temp); }
            Forget();
        }

        /// <summary>This machine's (this user's) ClientRequestId for the service, made once and kept with the caches.</summary>
        public static Guid ClientRequestId()
        {
            string path = Path.Combine(Folder, "client-request-id");
            try
            {
                if (File.Exists(path) && Guid.TryParse(File.ReadAllText(path).Trim(), out Guid known)) return known;
                Directory.CreateDirectory(Folder);
                Guid id = Guid.NewGuid();
                File.WriteAllText(path, id.ToString("D"));
                return id;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return Guid.NewGuid(); }
        }

        /// <summary>
        /// The Exchange Online mail endpoints this module knows without the network: every instance cached, else the shipped
        /// list. Read from disk at most once a minute per process (loop detection asks for every address probed).
        /// </summary>
        public static IReadOnlyList<MailFlowEndpoint> Known()
        {
            var memo = known;
            if (memo != null && DateTime.UtcNow - memo.Item1 < TimeSpan.FromMinutes(1)) return memo.Item2;
            var all = new List<MailFlowEndpoint>();
            foreach (string instance in EndpointService.Instances)
            {
                EndpointCache c = Load(instance);
                if (c != null) all.AddRange(c.Endpoints);
            }
            IReadOnlyList<MailFlowEndpoint> list = all.Count > 0 ? all : Microsoft365Network.ShippedEndpoints();
            known = Tuple.Create(DateTime.UtcNow, list);
            return list;
        }

        static volatile Tuple<DateTime, IReadOnlyList<MailFlowEndpoint>> known;

        /// <summary>Forgets what Known() read (after a new cache is written).</summary>
        internal static void Forget() => known = null;

        static DateTime Date(string text) =>
            DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime d) ? d : DateTime.MinValue;
    }
}
