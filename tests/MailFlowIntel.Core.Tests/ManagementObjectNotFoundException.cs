using System;

namespace Microsoft.Exchange.Configuration.Tasks
{
    /// <summary>Exchange's own type for "not found", as a deserialized remote session has it (the test matches its name only).</summary>
    public sealed class ManagementObjectNotFoundException : Exception
    {
        public ManagementObjectNotFoundException(string message) : base(message) { }
    }
}
