using System.Collections.Generic;
using MimeKit;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>
    /// The parts of a report that matter, found by one walk of its MIME tree: the machine-readable reports, the readable
    /// text parts and the original message (or its headers) when attached.
    /// </summary>
    internal sealed class NdrParts
    {
        const int MaxPartsVisited = 10_000;
        const int MaxTextParts = 16;

        public readonly List<MessageDeliveryStatus> Reports = new List<MessageDeliveryStatus>();
        public readonly List<TextPart> Texts = new List<TextPart>();
        public MimeMessage Original { get; private set; }

        NdrParts() { }

        /// <summary>
        /// Walks the tree without recursion and without entering attached messages (an NDR of an NDR carries another
        /// report inside its attachment: that one is about a different message).
        /// </summary>
        public static NdrParts Collect(MimeMessage message)
        {
            var parts = new NdrParts();
            if (message.Body == null) return parts;
            var stack = new Stack<MimeEntity>();
            stack.Push(message.Body);
            int visited = 0;
            while (stack.Count > 0 && visited++ < MaxPartsVisited)
            {
                var entity = stack.Pop();
                switch (entity)
                {
                    case Multipart multipart:
                        for (int i = multipart.Count - 1; i >= 0; i--) stack.Push(multipart[i]);
                        break;
                    case MessageDeliveryStatus report:
                        parts.Reports.Add(report);
                        break;
                    case MessagePart attached:              // message/rfc822 and text/rfc822-headers
                        if (parts.Original == null && attached.Message != null) parts.Original = attached.Message;
                        break;
                    case TextPart text:
                        if ((text.IsPlain || text.IsHtml) && parts.Texts.Count < MaxTextParts && !IsAttachment(text))
                            parts.Texts.Add(text);
                        break;
                }
            }
            return parts;
        }

        static bool IsAttachment(MimeEntity entity) =>
            entity.ContentDisposition != null && entity.ContentDisposition.IsAttachment;
    }
}
