namespace MailFlowIntel
{
    /// <summary>Where the probe stopped (or, on success, the last step it took).</summary>
    public enum ProbeStage { None, Dns, Connect, Greeting, Ehlo, StartTls, TlsHandshake, Certificate, MailFrom, RcptTo, Quit }
}
