namespace MailFlowIntel.Core.Probing
{
    /// <summary>Why a target is not probed at all.</summary>
    public enum NotTestedKind { None, Range, Wildcard, Disabled }
}
