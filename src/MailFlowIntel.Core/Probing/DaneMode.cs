namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// An outbound connector's SmtpDaneMode (Set-OutboundConnector): Opportunistic, the default, holds mail only when an
    /// authentic TLSA record fails; Mandatory also holds mail for a destination without DANE; None never checks DANE.
    /// </summary>
    internal enum DaneMode { Opportunistic, Mandatory, None }
}
