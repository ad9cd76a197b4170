namespace MailFlowIntel.Core.Probing
{
    /// <summary>One root program's list, as a root list file names it: the program, the list's date and where it came from.</summary>
    public sealed class RootProgram
    {
        public RootProgram(string name, string date, string source)
        {
            Name = name;
            Date = date;
            Source = source;
        }

        /// <summary>Mozilla, Microsoft.</summary>
        public string Name { get; }
        /// <summary>The list's date, yyyy-MM-dd.</summary>
        public string Date { get; }
        /// <summary>Where it came from (Debian ca-certificates 20230311+deb12u1).</summary>
        public string Source { get; }

        public override string ToString() => $"{Name} ({Date})";
    }
}
