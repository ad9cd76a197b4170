namespace MailFlowIntel
{
    // Backed by long, not int: ConvertTo-Json (Windows PowerShell 5.1 and PowerShell 7) writes long-backed enums as their
    // names, so JSON for a SIEM or a webhook shows words, while -eq 'New' and -in 'New','Worse' keep working.
    /// <summary>
    /// How an alert compares with the same alert (code family, connector, destination server) in a baseline: a previous
    /// run's alerts. None when there was no baseline to compare with.
    /// </summary>
    public enum AlertChange : long { None, New, Ongoing, Worse, Better, Resolved, Unverified }
}
