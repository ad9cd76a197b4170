namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// An outbound connector's MtaStsMode (Set-OutboundConnector): Opportunistic, the default, holds mail when an enforce
    /// policy fails; None never checks MTA-STS. Exchange Online has no Mandatory value for MTA-STS.
    /// </summary>
    internal enum MtaStsMode { Opportunistic, None }
}
