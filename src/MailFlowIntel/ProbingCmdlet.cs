using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MailFlowIntel.Core.Probing;

namespace MailFlowIntel
{
    /// <summary>
    /// The probe parameters that Test-ConnectorDelivery and Repair-ConnectorConfig (-Verify, -AdoptCertificateName)
    /// share: declared once, read one way.
    /// </summary>
    public abstract class ProbingCmdlet : PSCmdlet
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

        /// <summary>Builds probe options; a bad value stops the command with an ErrorRecord naming it.</summary>
        protected ProbeOptions BuildProbeOptions()
        {
            var options = new ProbeOptions { Port = Port, Timeout = TimeSpan.FromSeconds(TimeoutSec) };
            try
            {
                if (DnsServer != null) options.DnsServers = DnsServer.Select(ProbeInputs.ParseDnsServer).ToArray();
            }
            catch (FormatException ex) { Terminate(ex, "InvalidDnsServer", ErrorCategory.InvalidArgument, DnsServer); }
            if (CertificateAuthority != null)
            {
                string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificateAuthority);
                try { options.TrustedRoots = ProbeInputs.LoadPemCertificates(path); }
                catch (Exception ex) when (ex is IOException || ex is FormatException || ex is UnauthorizedAccessException || ex is System.Security.Cryptography.CryptographicException)
                { Terminate(ex, "InvalidCertificateAuthority", ErrorCategory.InvalidData, CertificateAuthority); }
            }
            return options;
        }

        protected void Terminate(Exception ex, string id, ErrorCategory category, object target) =>
            ThrowTerminatingError(new ErrorRecord(ex, id, category, target));
    }
}
