namespace MailFlowIntel
{
    public enum AlertSeverity { Low, Medium, High }
}
