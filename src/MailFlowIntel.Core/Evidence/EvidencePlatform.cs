namespace MailFlowIntel.Core.Evidence
{
    /// <summary>Which mail system produced the evidence: it decides how long queued mail lives before it expires.</summary>
    public enum EvidencePlatform { ExchangeOnline, ExchangeServer, Unknown, Postfix }
}
