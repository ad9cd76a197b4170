using System.IO;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>Thrown by <see cref="PrefixedStream"/> past its bound; the reader turns it into a clear error.</summary>
    internal sealed class MessageTooLargeException : IOException
    {
        public MessageTooLargeException() : base("message too large") { }
    }
}
