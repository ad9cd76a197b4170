using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>One TLSA record (RFC 6698 section 2.1): certificate usage, selector, matching type and association data.</summary>
    internal sealed class Tlsa
    {
        public Tlsa(int usage, int selector, int matchingType, byte[] data)
        {
            Usage = usage;
            Selector = selector;
            MatchingType = matchingType;
            Data = data ?? Array.Empty<byte>();
        }

        /// <summary>0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE.</summary>
        public int Usage { get; }
        /// <summary>0 the full certificate (DER), 1 its SubjectPublicKeyInfo (DER).</summary>
        public int Selector { get; }
        /// <summary>0 the bytes themselves, 1 SHA-256, 2 SHA-512.</summary>
        public int MatchingType { get; }
        public byte[] Data { get; }

        /// <summary>
        /// Usable for SMTP: DANE-TA(2) or DANE-EE(3) with a selector and matching type this probe knows. Usages 0 and 1 are
        /// unusable for SMTP (RFC 7672 section 3.1.3; "How SMTP DANE works", Microsoft Learn:
        /// https://learn.microsoft.com/en-us/purview/how-smtp-dane-works).
        /// </summary>
        public bool Usable => (Usage == 2 || Usage == 3) && (Selector == 0 || Selector == 1) && MatchingType >= 0 && MatchingType <= 2;

        /// <summary>"3 1 1 0a1b...": the record as published, its data in lower-case hex.</summary>
        public override string ToString()
        {
            var text = new StringBuilder($"{Usage} {Selector} {MatchingType} ", 8 + Data.Length * 2);
            foreach (byte b in Data) text.Append(b.ToString("x2"));
            return text.ToString();
        }

        /// <summary>Records as the result shows them: each as <see cref="ToString"/>, joined with "; ".</summary>
        public static string Join(IEnumerable<Tlsa> records) => string.Join("; ", (records ?? Enumerable.Empty<Tlsa>()).Select(r => r.ToString()));
    }
}
