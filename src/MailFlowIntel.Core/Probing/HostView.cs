namespace MailFlowIntel.Core.Probing
{
    /// <summary>Which DNS answer led to an address, as facts for its attempt (DESIGN.md 2c).</summary>
    internal sealed class HostView
    {
        public DnsView? View { get; set; }
        /// <summary>Under Split: what public DNS answered, and what this computer's DNS answered ("; "-joined).</summary>
        public string PublicAddress { get; set; }
        public string PrivateAddress { get; set; }
        /// <summary>-PublicDnsServer was given and did not answer.</summary>
        public bool PublicDnsUnreachable { get; set; }

        public void ApplyTo(ProbeFacts f)
        {
            f.DnsView = View;
            f.PublicAddress = PublicAddress;
            f.PrivateAddress = PrivateAddress;
            f.PublicDnsUnreachable = PublicDnsUnreachable;
        }
    }
}
