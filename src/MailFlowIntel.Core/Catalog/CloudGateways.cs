using System;
using System.Linq;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>
    /// Cloud mail gateways an organisation routes all its outbound mail through, known by the host names their own Microsoft
    /// 365 set-up guides give as smart hosts (for example Mimecast's "Creating an Outbound Email Flow Connector": a Partner
    /// connector to its smart hosts). A connector for every domain (*) whose host is one of these is the organisation's own
    /// gateway: what to change is changed through that provider.
    /// </summary>
    public static class CloudGateways
    {
        static readonly (string Suffix, string Provider)[] Known =
        {
            (".mimecast.com", "Mimecast"),
            (".pphosted.com", "Proofpoint"),
            (".ppe-hosted.com", "Proofpoint Essentials"),
            (".iphmx.com", "Cisco Secure Email"),
            (".barracudanetworks.com", "Barracuda Email Protection"),
            (".messagelabs.com", "Symantec Email Security.cloud"),
            (".hydra.sophos.com", "Sophos Email"),
            (".hornetsecurity.com", "Hornetsecurity"),
            (".tmes.trendmicro.com", "Trend Micro Email Security"),
            (".tmes.trendmicro.eu", "Trend Micro Email Security"),
        };

        /// <summary>The provider whose gateway the host belongs to; null for any other host.</summary>
        public static string ProviderOf(string host)
        {
            if (string.IsNullOrEmpty(host)) return null;
            string h = "." + host.Trim().TrimEnd('.');
            return Known.FirstOrDefault(k => h.EndsWith(k.Suffix, StringComparison.OrdinalIgnoreCase)).Provider;
        }

        /// <summary>Said before the fix of a connector for every domain whose host is a cloud gateway.</summary>
        public static readonly Phrase ActThrough = new Phrase(
            "{Host} is {Gateway}'s cloud gateway, through which this connector sends all your mail: make the change through {Gateway} (its console, or its support), not on {Host} itself.",
            "{Host} est la passerelle cloud de {Gateway}, par laquelle ce connecteur envoie tout votre courrier : faites la modification par {Gateway} (sa console ou son support), pas sur {Host} lui-même.");
    }
}
