namespace MailFlowIntel
{
    // Backed by long, not int: ConvertTo-Json (Windows PowerShell 5.1 and PowerShell 7) writes long-backed enums as their
    // names, so JSON for a SIEM or a webhook shows words, while -eq 'Failed' and numeric sorting keep working.
    /// <summary>Who must act on a failure.</summary>
    public enum Responsible : long
    {
        /// <summary>Not known (a bare -SmartHost, evidence without a connector type): the texts speak to both.</summary>
        Unknown,
        /// <summary>An OnPremises connector: the admin's own servers, firewall and DNS.</summary>
        Admin,
        /// <summary>A Partner connector, or a recipient domain delivered by MX: the partner must act.</summary>
        Partner,
        /// <summary>Whoever addressed the mail (a recipient domain that does not exist): nothing on the connectors to change.</summary>
        Sender,
    }
}
