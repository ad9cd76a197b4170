using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Probing;

namespace MailFlowIntel
{
    /// <summary>
    /// The probe parameters that Test-ConnectorDelivery and Repair-ConnectorConfig (-Verify, -AdoptCertificateName)
    /// share: declared once, read one way.
    /// </summary>
    public abstract class ProbingCmdlet : ExchangeCmdlet
    {
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 25;

        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 15;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] DnsServer { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CertificateAuthority { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string TrustedRootList { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] PublicDnsServer { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string EgressCheckHost { get; set; }

        /// <summary>Builds probe options; a bad value stops the command with an ErrorRecord naming it.</summary>
        protected ProbeOptions BuildProbeOptions()
        {
            var options = new ProbeOptions { Port = Port, Timeout = TimeSpan.FromSeconds(TimeoutSec) };
            try
            {
                if (DnsServer != null) options.DnsServers = DnsServer.Select(ProbeInputs.ParseDnsServer).ToArray();
            }
            catch (FormatException ex) { Terminate(ex, "InvalidDnsServer", ErrorCategory.InvalidArgument, DnsServer); }
            try
            {
                if (PublicDnsServer != null) options.PublicDnsServers = PublicDnsServer.Select(ProbeInputs.ParseDnsServer).ToArray();
            }
            catch (FormatException ex) { Terminate(ex, "InvalidPublicDnsServer", ErrorCategory.InvalidArgument, PublicDnsServer); }
            if (EgressCheckHost != null)
            {
                string host = EgressCheckHost.Trim();
                if (!System.Net.IPAddress.TryParse(host, out _) && System.Uri.CheckHostName(host) != System.UriHostNameType.Dns)
                    Terminate(new FormatException($"'{EgressCheckHost}' is neither a host name nor an IP address."), "InvalidEgressCheckHost", ErrorCategory.InvalidArgument, EgressCheckHost);
                options.EgressCheckHost = host;
            }
            if (CertificateAuthority != null)
            {
                string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificateAuthority);
                try { options.TrustedRoots = ProbeInputs.LoadPemCertificates(path); }
                catch (Exception ex) when (ex is IOException || ex is FormatException || ex is UnauthorizedAccessException || ex is System.Security.Cryptography.CryptographicException)
                { Terminate(ex, "InvalidCertificateAuthority", ErrorCategory.InvalidData, CertificateAuthority); }
            }
            if (TrustedRootList != null)
            {
                // Roots the admin vouches for, as PEM certificates or in the list format of tools/Update-PublicRootList.ps1.
                string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(TrustedRootList);
                try { options.TrustedRootList = RootList.Load(path); }
                catch (Exception ex) when (ex is IOException || ex is FormatException || ex is UnauthorizedAccessException || ex is System.Security.Cryptography.CryptographicException)
                { Terminate(ex, "InvalidTrustedRootList", ErrorCategory.InvalidData, TrustedRootList); }
            }
            return options;
        }

        /// <summary>
        /// The tenant's initial domain (contoso.onmicrosoft.com) read through the session: its MX (Exchange Online's own
        /// front door, resolved through the probe's DNS servers, so sovereign clouds work) is the egress check host when
        /// -EgressCheckHost is not given. Null when there is no session or it cannot be read.
        /// </summary>
        protected string TenantInitialDomain(IExchangeSession session)
        {
            if (session == null) return null;
            try { return new ExchangeTenant(session).ReadAcceptedDomains().FirstOrDefault(d => d.InitialDomain)?.DomainName; }
            catch (Exception ex) when (ex is ExchangeSessionException || ex is InvalidOperationException)
            {
                WriteVerbose("The tenant's accepted domains could not be read for the egress check: " + ex.Message);
                return null;
            }
        }

    }
}
