namespace MailFlowIntel.Core.Repair
{
    /// <summary>The answer to "make this change?": made, shown only (-WhatIf), or declined.</summary>
    public enum Consent { Yes, WhatIf, No }
}
