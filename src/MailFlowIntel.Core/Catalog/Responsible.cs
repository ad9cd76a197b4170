namespace MailFlowIntel
{
    /// <summary>Who must act on a failure.</summary>
    public enum Responsible
    {
        /// <summary>Not known (a bare -SmartHost, evidence without a connector type): the texts speak to both.</summary>
        Unknown,
        /// <summary>An OnPremises connector: the admin's own servers, firewall and DNS.</summary>
        Admin,
        /// <summary>A Partner connector, or a recipient domain delivered by MX: the partner must act.</summary>
        Partner,
    }
}
