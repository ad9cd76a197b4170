using System.Collections.Generic;

namespace MailFlowIntel.Core.Exchange
{
    /// <summary>The session a command works in, or why none could be chosen (then <see cref="ErrorId"/> is set).</summary>
    public sealed class ExchangeSessionChoice
    {
        /// <summary>The chosen session; null when there is none (offline) or when the choice failed.</summary>
        public IExchangeSession Session { get; set; }
        /// <summary>AmbiguousExchangeSession or ExchangeSessionNotFound; null when the choice stands.</summary>
        public string ErrorId { get; set; }
        /// <summary>The error's category by name (InvalidOperation, ObjectNotFound).</summary>
        public string Category { get; set; }
        /// <summary>What went wrong, listing the connections there are.</summary>
        public string Message { get; set; }
        /// <summary>The connections considered, described ("contoso.onmicrosoft.com (prefix Contoso)").</summary>
        public IReadOnlyList<string> Connections { get; set; } = new string[0];
    }
}
