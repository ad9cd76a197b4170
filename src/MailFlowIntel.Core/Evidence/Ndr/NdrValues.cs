using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MailFlowIntel.Core.Catalog;
using MimeKit.Utils;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>Small readings of report values shared by the delivery-status part and the readable body.</summary>
    internal static class NdrValues
    {
        static readonly Regex EnhancedCodeShape = new Regex("^" + SmtpCodePatterns.Enhanced + "$", RegexOptions.CultureInvariant);
        static readonly Regex ExpiredPhrase = new Regex(@"\bmessage expired\b|QUEUE\.Expired", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public static bool IsEnhancedCode(string value) => value != null && EnhancedCodeShape.IsMatch(value);

        /// <summary>A failed report whose code is the 24-hour expiry of a catalog code (the catalog says which), or any "Message expired" text.</summary>
        public static bool IsExpiredForm(string enhancedCode, string text) =>
            (enhancedCode != null && CodeFamily.Find(enhancedCode) is CodeFamily f && f.IsIn(text) && f.IsExpiredSpelling(enhancedCode)) || (text != null && ExpiredPhrase.IsMatch(text));

        /// <summary>Arrival of the original message: the date of its newest Received line, else its Date.</summary>
        public static DateTime? ArrivalFromHeaders(IEnumerable<KeyValuePair<string, string>> headers)
        {
            DateTime? date = null;
            foreach (var h in headers)
            {
                if (h.Key.Equals("Received", StringComparison.OrdinalIgnoreCase))
                {
                    int semi = h.Value.LastIndexOf(';');
                    if (semi >= 0)
                    {
                        var received = ParseDate(h.Value.Substring(semi + 1));
                        if (received != null) return received;     // the first Received line is the newest
                    }
                }
                else if (date == null && h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
                {
                    date = ParseDate(h.Value);
                }
            }
            return date;
        }

        public static DateTime? ParseDate(string value)
        {
            value = value?.Trim();
            if (string.IsNullOrEmpty(value)) return null;
            if (DateUtils.TryParse(value, out DateTimeOffset parsed)) return parsed.UtcDateTime;
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed)) return parsed.UtcDateTime;
            return null;
        }

        public static DateTime? Utc(DateTimeOffset value) => value == DateTimeOffset.MinValue ? (DateTime?)null : value.UtcDateTime;

        /// <summary>"rfc822; alice@fabrikam.com" -> "alice@fabrikam.com".</summary>
        public static string Address(string field)
        {
            string value = TypedValue(field)?.Trim().Trim('<', '>').Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }

        /// <summary>"smtp; 550 5.4.316 ..." -> "550 5.4.316 ..."; "dns; mail.contoso.com" -> "mail.contoso.com". A value without a type is returned as it is.</summary>
        public static string TypedValue(string field)
        {
            if (field == null) return null;
            int semi = field.IndexOf(';');
            if (semi > 0 && semi <= 32)
            {
                string type = field.Substring(0, semi).Trim();
                bool isType = type.Length > 0;
                foreach (char c in type) if (!(char.IsLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) { isType = false; break; }
                if (isType) return field.Substring(semi + 1).Trim();
            }
            return field.Trim();
        }

        /// <summary>"mail.iotfuse.com. (192.0.2.1, the server for ...)" -> "mail.iotfuse.com".</summary>
        public static string HostOf(string value)
        {
            string token = FirstToken(value)?.Trim('[', ']').TrimEnd('.');
            return string.IsNullOrEmpty(token) ? null : token;
        }

        public static string FirstToken(string value)
        {
            if (value == null) return null;
            value = value.Trim();
            int end = 0;
            while (end < value.Length && !char.IsWhiteSpace(value[end]) && value[end] != '(' && value[end] != ';') end++;
            return end == 0 ? null : value.Substring(0, end);
        }

        public static string OneLine(string value)
        {
            if (value == null) return null;
            var sb = new StringBuilder(Math.Min(value.Length, NdrReader.MaxEvidenceChars * 4));
            bool space = false;
            foreach (char c in value)
            {
                if (c == '\r' || c == '\n' || c == '\t' || c == ' ') { space = true; continue; }
                if (space && sb.Length > 0) sb.Append(' ');
                space = false;
                sb.Append(c);
                if (sb.Length >= NdrReader.MaxEvidenceChars * 4) break;
            }
            return sb.ToString();
        }

        public static string Bound(string value) =>
            value == null || value.Length <= NdrReader.MaxEvidenceChars ? value : value.Substring(0, NdrReader.MaxEvidenceChars);

        /// <summary>A message id in angle brackets, whatever the source wrote around it; null for none.</summary>
        public static string Bracket(string id)
        {
            if (string.IsNullOrWhiteSpace(id)) return null;
            id = id.Trim();
            int open = id.IndexOf('<');
            if (open >= 0)
            {
                int close = id.IndexOf('>', open + 1);
                if (close > open + 1) return id.Substring(open, close - open + 1);
            }
            id = id.Trim('<', '>', ' ');
            return id.Length == 0 ? null : "<" + id + ">";
        }
    }
}
