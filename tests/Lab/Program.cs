namespace MailFlowIntel.Lab
{
    public static class Program
    {
        public static int Main(string[] args) => DemoLab.Run(args);
    }
}
