using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using MailFlowIntel.Core.Catalog;
using MimeKit;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>What the whole report says, shared by its recipients: when it was written, which message it is about,
    /// when that message arrived, and which platform wrote it.</summary>
    internal sealed class NdrContext
    {
        public readonly string SourceName;
        public readonly DateTime? Date;
        public readonly string MessageKey;
        /// <summary>The original message's arrival: from the attached original, else from the original headers the readable section quotes.</summary>
        public readonly DateTime? OriginalArrival;
        public readonly BodyDiagnostics Body;
        readonly MimeMessage message;
        EvidencePlatform? platform;

        public NdrContext(string sourceName, MimeMessage message, NdrParts parts)
        {
            SourceName = sourceName;
            this.message = message;
            Date = message.Headers.Contains(HeaderId.Date) ? NdrValues.Utc(message.Date) : null;
            Body = ExchangeBodyReader.From(parts.Texts);

            string key = null;
            DateTime? arrival = null;
            if (parts.Original != null)
            {
                key = NdrValues.Bracket(parts.Original.MessageId);
                arrival = ArrivalFromHeaders(parts.Original.Headers);
            }
            if (Body?.OriginalHeaders != null)
            {
                key = key ?? Body.OriginalMessageId;
                arrival = arrival ?? Body.OriginalArrival;
            }
            if (key == null && !string.IsNullOrEmpty(message.InReplyTo)) key = NdrValues.Bracket(message.InReplyTo);
            if (key == null && message.References != null && message.References.Count > 0)
                key = NdrValues.Bracket(message.References[message.References.Count - 1]);
            MessageKey = key;
            OriginalArrival = arrival;
        }

        public EvidencePlatform Platform(string reportingMta)
        {
            if (platform == null) platform = DetectPlatform(reportingMta ?? Body?.GeneratingServer);
            return platform.Value;
        }

        static DateTime? ArrivalFromHeaders(HeaderList headers)
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (var h in headers)
            {
                if (h.Id == HeaderId.Received || h.Id == HeaderId.Date) list.Add(new KeyValuePair<string, string>(h.Field, h.Value));
                if (list.Count > 200) break;
            }
            return NdrValues.ArrivalFromHeaders(list);
        }

        EvidencePlatform DetectPlatform(string reportingHost)
        {
            if (reportingHost != null)
            {
                if (Microsoft365Network.IsMicrosoftCloudHost(reportingHost)) return EvidencePlatform.ExchangeOnline;
                return HasExchangeMarks() ? EvidencePlatform.ExchangeServer : EvidencePlatform.Unknown;
            }
            foreach (var header in message.Headers)
            {
                if (header.Id != HeaderId.Received) continue;
                string by = ReceivedBy(header.Value);
                if (by != null && Microsoft365Network.IsMicrosoftCloudHost(by)) return EvidencePlatform.ExchangeOnline;
            }
            string id = message.MessageId;
            int at = id?.LastIndexOf('@') ?? -1;
            if (at >= 0 && Microsoft365Network.IsMicrosoftCloudHost(id.Substring(at + 1))) return EvidencePlatform.ExchangeOnline;
            return HasExchangeMarks() ? EvidencePlatform.ExchangeServer : EvidencePlatform.Unknown;
        }

        bool HasExchangeMarks()
        {
            if (Body != null && Body.MentionsExchange) return true;
            foreach (var header in message.Headers)
            {
                if (header.Field.StartsWith("X-MS-Exchange-", StringComparison.OrdinalIgnoreCase)) return true;
                if (header.Id == HeaderId.Received && header.Value.IndexOf("Microsoft SMTP Server", StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
            return false;
        }

        static readonly Regex ReceivedByHost = new Regex(@"\bby\s+(?<h>[A-Za-z0-9.-]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        static string ReceivedBy(string received)
        {
            if (received == null) return null;
            var m = ReceivedByHost.Match(received);
            return m.Success ? m.Groups["h"].Value : null;
        }
    }
}
