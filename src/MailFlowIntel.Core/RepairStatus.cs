namespace MailFlowIntel
{
    /// <summary>Planned (-WhatIf), Applied, Skipped (already as wanted), Declined (the admin said no), Failed, Manual.</summary>
    public enum RepairStatus { Planned, Applied, Skipped, Declined, Failed, Manual }
}
