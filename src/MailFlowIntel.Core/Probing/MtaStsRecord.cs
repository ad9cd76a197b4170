using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// The _mta-sts TXT record of a policy domain (RFC 8461 section 3.1): "v=STSv1; id=20260101000000Z;". Only its id
    /// matters to a sender: a new id tells it to fetch the policy again.
    /// </summary>
    internal static class MtaStsRecord
    {
        // sts-id = 1*32(ALPHA / DIGIT) (RFC 8461 section 3.1).
        static readonly Regex Id = new Regex("^[A-Za-z0-9]{1,32}$", RegexOptions.CultureInvariant);
        static readonly Regex Version = new Regex(@"^v=STSv1\s*(;|$)", RegexOptions.CultureInvariant);

        /// <summary>"_mta-sts.contoso.com": where the record lives.</summary>
        public static string NameFor(string domain) => "_mta-sts." + domain.TrimEnd('.');

        /// <summary>
        /// The policy id of the one valid record among the TXT answers, or null with the reason. "Records that do not begin
        /// with 'v=STSv1;' are discarded"; "If the number of resulting records is not one, or if the resulting record is
        /// syntactically invalid, senders MUST assume the recipient domain does not have an available MTA-STS Policy"
        /// (RFC 8461 section 3.1).
        /// </summary>
        /// <param name="records">Each TXT record, its strings already joined.</param>
        public static string IdOf(IEnumerable<string> records, out string why)
        {
            List<string> sts = (records ?? Enumerable.Empty<string>()).Where(r => r != null && Version.IsMatch(r.TrimStart())).ToList();
            why = null;
            if (sts.Count == 0) { why = "no TXT record beginning with v=STSv1"; return null; }
            if (sts.Count > 1) { why = $"{sts.Count} TXT records begin with v=STSv1 (exactly one is allowed)"; return null; }
            string id = null;
            // sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]; fields are key=value.
            foreach (string field in sts[0].Split(';').Skip(1).Select(f => f.Trim()).Where(f => f.Length > 0))
            {
                int eq = field.IndexOf('=');
                if (eq <= 0) { why = "the TXT record is not a list of key=value fields"; return null; }
                string key = field.Substring(0, eq).Trim();
                string value = field.Substring(eq + 1).Trim();
                if (key == "id" && id == null) id = value;
            }
            if (id == null) { why = "the TXT record has no id"; return null; }
            if (!Id.IsMatch(id)) { why = "the TXT record's id is not 1 to 32 letters and digits"; return null; }
            return id;
        }
    }
}
