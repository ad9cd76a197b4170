using System;
using System.Collections.Generic;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>What a fresh probe of the connector's own smart hosts learned of the certificate.</summary>
    public sealed class FreshCertificate
    {
        public string Host { get; set; }
        public IReadOnlyList<string> Names { get; set; } = Array.Empty<string>();
        /// <summary>Dates and chain good (the name aside): the only kind of certificate whose name may be adopted.</summary>
        public bool ValidAndTrusted { get; set; }
        /// <summary>The root is in no public program's list (trusted through a parameter, or by this computer only).</summary>
        public bool PrivateRoot { get; set; }
        /// <summary>The root is trusted by this computer only, not given as a parameter: Microsoft 365 most likely refuses the chain.</summary>
        public bool RootNotInPublicProgram { get; set; }
        /// <summary>The name passes the connector's DomainValidation already: nothing to change.</summary>
        public bool NamePasses { get; set; }
        public string Errors { get; set; }
    }
}
