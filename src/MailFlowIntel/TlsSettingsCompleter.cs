using System;
using System.Collections.Generic;
using System.Linq;

namespace MailFlowIntel.Commands
{
    /// <summary>Completes -TlsSettings with the values Set-OutboundConnector takes.</summary>
    public sealed class TlsSettingsCompleter : ValueCompleter
    {
        protected override IEnumerable<string> Values => new[] { "EncryptionOnly", "CertificateValidation", "DomainValidation" };
    }
}
