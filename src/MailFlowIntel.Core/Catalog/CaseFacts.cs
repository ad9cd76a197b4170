using System;
using System.Globalization;

namespace MailFlowIntel.Core.Catalog
{
    /// <summary>
    /// The facts of one case that texts may name. Untrusted values (a server's reply, certificate names) arrive already
    /// cleaned (Text/Untrusted); this class only chooses words for what is missing.
    /// </summary>
    public sealed class CaseFacts
    {
        public static readonly CaseFacts None = new CaseFacts();

        public string Host { get; set; }
        public string Address { get; set; }
        public int? Port { get; set; }
        public int? MxPreference { get; set; }
        public string Reply { get; set; }
        public string Subject { get; set; }
        public string Names { get; set; }
        public string Issuer { get; set; }
        public DateTime? NotAfter { get; set; }
        public string Thumbprint { get; set; }
        /// <summary>"3 1 1 ..." of the certificate a probe was served.</summary>
        public string TlsaRecord { get; set; }
        /// <summary>The local address the probe ran from.</summary>
        public string ProbedFrom { get; set; }
        public string MissingIssuer { get; set; }
        public string Problems { get; set; }
        public string TlsSettings { get; set; }
        public string TlsDomain { get; set; }
        public string Connector { get; set; }
        public string Domain { get; set; }
        public string FailoverServer { get; set; }
        public string SocketError { get; set; }
        public double? Seconds { get; set; }
        public string Stage { get; set; }
        public Responsible Responsible { get; set; }

        /// <summary>The value of a placeholder, or the language's words for "not known".</summary>
        public string Get(string name, Language lang)
        {
            bool fr = lang == Language.French;
            switch (name)
            {
                case "Host": return Host ?? Address ?? (fr ? "le serveur de destination" : "the destination server");
                case "Server":
                    // "mail.contoso.com (203.0.113.5)", or whichever of the two is known.
                    if (Host != null && Address != null && Host != Address) return $"{Host} ({Address})";
                    return Host ?? Address ?? (fr ? "le serveur de destination" : "the destination server");
                case "Address": return Address ?? Host ?? (fr ? "son adresse" : "its address");
                case "Port": return (Port ?? 25).ToString(CultureInfo.InvariantCulture);
                case "MxPreference": return MxPreference?.ToString(CultureInfo.InvariantCulture) ?? "?";
                case "Reply": return Reply != null ? "\u201C" + Reply + "\u201D" : (fr ? "une réponse d'erreur" : "an error reply");
                case "Subject": return Subject ?? (fr ? "son certificat" : "its certificate");
                case "Names": return string.IsNullOrEmpty(Names) ? (fr ? "aucun nom" : "no name") : Names;
                case "Issuer": return Issuer ?? (fr ? "une autorité inconnue" : "an unknown authority");
                case "NotAfter": return NotAfter?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? (fr ? "une date passée" : "a past date");
                case "Thumbprint": return Thumbprint ?? "?";
                case "TlsaRecord": return TlsaRecord ?? (fr ? "3 1 1 <empreinte SHA-256 de la clé publique du certificat>" : "3 1 1 <SHA-256 of the certificate's public key>");
                case "ProbedFrom": return ProbedFrom ?? (fr ? "cette machine" : "this machine");
                case "MissingIssuer": return MissingIssuer ?? (fr ? "l'autorité intermédiaire" : "the intermediate authority");
                case "Problems": return string.IsNullOrEmpty(Problems) ? (fr ? "un contrôle échoué" : "a failed check") : Problems;
                case "TlsSettings": return string.IsNullOrEmpty(TlsSettings) ? (fr ? "TLS opportuniste (TlsSettings vide)" : "opportunistic TLS (TlsSettings empty)") : TlsSettings;
                case "TlsDomain": return string.IsNullOrEmpty(TlsDomain) ? (fr ? "le nom de l'hôte actif" : "the smart host name") : TlsDomain;
                case "Connector": return Connector ?? (fr ? "le connecteur" : "the connector");
                case "Domain": return Domain ?? Host ?? (fr ? "le domaine" : "the domain");
                case "Failover": return FailoverServer ?? (fr ? "un autre serveur" : "another server");
                case "SocketError": return SocketError ?? "?";
                case "Seconds": return Seconds?.ToString("0.#", CultureInfo.InvariantCulture) ?? "?";
                case "Stage": return Stage ?? "?";
                default: throw new ArgumentException($"No fact named {{{name}}} in a catalog text.", nameof(name));
            }
        }
    }
}
