using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// An MTA-STS policy as served at https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt (RFC 8461 section 3.2): key: value
    /// lines, CRLF or LF. version: STSv1; mode: enforce, testing or none; one "mx:" line per pattern; max_age in seconds.
    /// Unknown keys are ignored.
    /// </summary>
    internal sealed class MtaStsPolicy
    {
        /// <summary>The largest max_age RFC 8461 allows (section 3.2): about a year.</summary>
        public const long MaxAgeLimit = 31557600;

        MtaStsPolicy(string mode, IReadOnlyList<string> mx, long maxAge)
        {
            Mode = mode;
            Mx = mx;
            MaxAge = maxAge;
        }

        /// <summary>"enforce", "testing" or "none", lower case.</summary>
        public string Mode { get; }
        /// <summary>The mx patterns, lower case, as listed.</summary>
        public IReadOnlyList<string> Mx { get; }
        /// <summary>Seconds a sender may cache the policy.</summary>
        public long MaxAge { get; }

        /// <summary>Reads a policy; null with the reason when it is not a valid STSv1 policy.</summary>
        public static MtaStsPolicy Parse(string text, out string why)
        {
            why = null;
            string version = null, mode = null, maxAge = null;
            var mx = new List<string>();
            foreach (string raw in (text ?? "").Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.Trim().Length == 0) continue;
                int colon = line.IndexOf(':');
                if (colon <= 0) continue;   // not a key: value line: ignored, as unknown keys are
                string key = line.Substring(0, colon).Trim();
                string value = line.Substring(colon + 1).Trim();
                switch (key)
                {
                    case "version": version = version ?? value; break;
                    case "mode": mode = mode ?? value.ToLowerInvariant(); break;
                    case "max_age": maxAge = maxAge ?? value; break;
                    // "each MX MUST have its own "mx:" key" (RFC 8461 section 3.2).
                    case "mx": if (value.Length > 0) mx.Add(value.TrimEnd('.').ToLowerInvariant()); break;
                }
            }
            if (version != "STSv1") { why = version == null ? "the policy has no version line" : "the policy's version is not STSv1"; return null; }
            if (mode != "enforce" && mode != "testing" && mode != "none") { why = mode == null ? "the policy has no mode line" : "the policy's mode is not enforce, testing or none"; return null; }
            if (maxAge == null || maxAge.Length > 18 || !long.TryParse(maxAge, NumberStyles.None, CultureInfo.InvariantCulture, out long age))
            { why = "the policy has no max_age in whole seconds"; return null; }
            if (mx.Count == 0 && mode != "none") { why = "the policy lists no mx pattern"; return null; }
            return new MtaStsPolicy(mode, mx, Math.Min(age, MaxAgeLimit));
        }

        /// <summary>Whether a host matches one of the policy's mx patterns.</summary>
        public bool Matches(string host) => Mx.Any(p => PatternMatches(p, host));

        /// <summary>
        /// RFC 8461 section 4.1: names compare case-insensitively; "the wildcard character '*' may only be used to match the
        /// entire left-most label in the presented identifier. Thus, the mx pattern '*.example.com' matches
        /// 'mail.example.com' but not 'example.com' or 'foo.bar.example.com'."
        /// </summary>
        public static bool PatternMatches(string pattern, string host)
        {
            if (string.IsNullOrWhiteSpace(pattern) || string.IsNullOrWhiteSpace(host)) return false;
            string p = pattern.Trim().TrimEnd('.').ToLowerInvariant();
            string h = host.Trim().TrimEnd('.').ToLowerInvariant();
            if (!p.StartsWith("*.", StringComparison.Ordinal)) return p == h;
            int dot = h.IndexOf('.');
            return dot > 0 && h.Substring(dot + 1) == p.Substring(2);
        }
    }
}
