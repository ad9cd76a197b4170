namespace MailFlowIntel
{
    // Backed by long, not int: ConvertTo-Json (Windows PowerShell 5.1 and PowerShell 7) writes long-backed enums as their
    // names, so JSON for a SIEM or a webhook shows words, while -eq 'Failed' and numeric sorting keep working.
    /// <summary>
    /// Planned (-WhatIf), Applied, Skipped (already as wanted), Declined (the admin said no), Failed, Manual; Checked for a
    /// check made before a change (-Decommissioned) whose finding lets it go on (appended last: the numbers above stay).
    /// </summary>
    public enum RepairStatus : long { Planned, Applied, Skipped, Declined, Failed, Manual, Checked }
}
