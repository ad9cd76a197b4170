namespace MailFlowIntel
{
    // Backed by long, not int: ConvertTo-Json (Windows PowerShell 5.1 and PowerShell 7) writes long-backed enums as their
    // names, so JSON shows words.
    /// <summary>
    /// What an alert's ExpiresAt was counted from. Arrival: the oldest message's arrival (a message trace row's Received,
    /// also joined from the trace row on MessageTraceId, a report's Arrival-Date). FirstDeferral: the first time the message
    /// was seen waiting (a deferral, a queue's FirstRetryTime), when its arrival was not in the evidence: the real expiry
    /// can only be earlier. Stated: an expiry the evidence states itself (Get-Message's ExpirationTime, a delay notice's
    /// Will-Retry-Until).
    /// </summary>
    public enum ExpiryBasis : long { Arrival, FirstDeferral, Stated }
}
