using System;
using System.Globalization;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Exchange
{
    /// <summary>
    /// Who an Exchange Online connection speaks for, as Get-ConnectionInformation describes it; the organisation and
    /// tenant are empty for a connection found only through its cmdlets (no Get-ConnectionInformation: an older module).
    /// </summary>
    public sealed class ExchangeConnection
    {
        /// <summary>Connect-ExchangeOnline -Organization (certificate and managed identity connections only).</summary>
        public string Organization { get; set; } = "";
        /// <summary>Connect-ExchangeOnline -DelegatedOrganization: the customer tenant a partner works in.</summary>
        public string DelegatedOrganization { get; set; } = "";
        /// <summary>The tenant's GUID.</summary>
        public string TenantId { get; set; } = "";
        /// <summary>The noun prefix of its cmdlets (Connect-ExchangeOnline -Prefix); empty for none.</summary>
        public string Prefix { get; set; } = "";
        /// <summary>The module that holds its cmdlets (tmpEXO_...).</summary>
        public string ModuleName { get; set; } = "";

        /// <summary>
        /// The organisation its results carry: Organization, else DelegatedOrganization (the tenant a partner's commands
        /// act on), else TenantId; empty when none is known. Microsoft documents the three properties, not which names
        /// the tenant best: this order is our choice.
        /// </summary>
        public string Name =>
            !string.IsNullOrWhiteSpace(Organization) ? Organization.Trim()
            : !string.IsNullOrWhiteSpace(DelegatedOrganization) ? DelegatedOrganization.Trim()
            : (TenantId ?? "").Trim();

        /// <summary>-Organization names this connection: its Organization, DelegatedOrganization or TenantId, in any case.</summary>
        public bool IsNamed(string organization)
        {
            string wanted = (organization ?? "").Trim();
            if (wanted.Length == 0) return false;
            return Same(Organization, wanted) || Same(DelegatedOrganization, wanted) || Same(TenantId, wanted);
        }

        /// <summary>-Prefix names this connection (an empty prefix names the one without).</summary>
        public bool HasPrefix(string prefix) => string.Equals(Prefix ?? "", (prefix ?? "").Trim(), StringComparison.OrdinalIgnoreCase);

        /// <summary>"contoso.onmicrosoft.com (prefix Contoso)", for messages that list connections.</summary>
        public string Describe(Language language)
        {
            bool fr = language == Language.French;
            string who = Name.Length > 0 ? Name : (fr ? "organisation inconnue" : "organisation not known") + (ModuleName.Length > 0 ? ", " + ModuleName : "");
            string prefix = string.IsNullOrEmpty(Prefix) ? (fr ? "sans préfixe" : "no prefix") : string.Format(CultureInfo.InvariantCulture, fr ? "préfixe {0}" : "prefix {0}", Prefix);
            return who + " (" + prefix + ")";
        }

        static bool Same(string a, string b) => a != null && string.Equals(a.Trim(), b, StringComparison.OrdinalIgnoreCase);
    }
}
