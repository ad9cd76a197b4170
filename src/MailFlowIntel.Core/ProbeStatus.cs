namespace MailFlowIntel
{
    // Backed by long, not int: ConvertTo-Json (Windows PowerShell 5.1 and PowerShell 7) writes long-backed enums as their
    // names, so JSON for a SIEM or a webhook shows words, while -eq 'Failed' and numeric sorting keep working.
    public enum ProbeStatus : long { Succeeded, Warning, Failed, NotTested }
}
