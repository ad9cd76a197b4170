namespace MailFlowIntel
{
    public enum ProbeStatus { Succeeded, Warning, Failed, NotTested }
}
