namespace MailFlowIntel.Core.Repair
{
    /// <summary>What one check before -Decommissioned acts found.</summary>
    internal enum CheckOutcome
    {
        /// <summary>Nothing says on-premises mail is in use.</summary>
        Passed,
        /// <summary>On-premises mail is in use (or the change would touch nothing it can name).</summary>
        InUse,
        /// <summary>The check could not be answered (no DNS answer, no cmdlet, an error, no vantage).</summary>
        Unanswered,
    }
}
