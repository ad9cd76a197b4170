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
        /// <summary>The domain whose MTA-STS policy was checked (the recipient domain, or a smart host's own domain).</summary>
        public string MtaStsDomain { get; set; }
        /// <summary>The id of that domain's _mta-sts TXT record.</summary>
        public string MtaStsPolicyId { get; set; }
        public string MissingIssuer { get; set; }
        /// <summary>The root a certificate's path reached, and the public programs' lists the probe carries ("Mozilla (2025-06-13)").</summary>
        public string Root { get; set; }
        public string RootLists { get; set; }
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
        /// <summary>
        /// Whose view the evidence is (DESIGN.md 2c): {Sender} names the side that tried to connect ("Microsoft 365", "this
        /// computer", "the Exchange server"), {SenderOf} its possessive; it also chooses the scenario's texts (Scenario.CauseFor).
        /// </summary>
        public ObservedFrom ObservedFrom { get; set; }
        /// <summary>What this computer's probe saw of the same connector and server (its status, code, computer and time), for the comparison scenarios.</summary>
        public string ProbeFinding { get; set; }
        /// <summary>The code Microsoft 365 reported there.</summary>
        public string Code { get; set; }
        /// <summary>The certificate Microsoft 365 named (a thumbprint or subject in its [Message=...]).</summary>
        public string ReportedCertificate { get; set; }
        /// <summary>The cloud mail gateway the host belongs to (CloudGateways).</summary>
        public string Gateway { get; set; }
        /// <summary>Under split DNS: the addresses public DNS gave, and those this computer's DNS gave.</summary>
        public string PublicAddress { get; set; }
        public string PrivateAddress { get; set; }
        /// <summary>The code a fault that holds nothing today would give once it does (a policy in testing mode set to enforce).</summary>
        public string ForecastCode { get; set; }

        /// <summary>The host as an MX name (lower case, no trailing dot); null for an address or nothing.</summary>
        string MxHost => Host == null || System.Net.IPAddress.TryParse(Host, out _) ? null : Host.Trim().TrimEnd('.').ToLowerInvariant();

        /// <summary>The host's parent when it has at least two labels of its own (mail.contoso.com gives contoso.com, contoso.com none).</summary>
        string MxParent
        {
            get
            {
                string h = MxHost;
                int dot = h?.IndexOf('.') ?? -1;
                return dot > 0 && h.IndexOf('.', dot + 1) > 0 ? h.Substring(dot + 1) : null;
            }
        }

        /// <summary>
        /// The sending side, as one vantage names it; several or none: "the sending server". A probe beside one other view
        /// speaks in that view's words (it saw the failure itself).
        /// </summary>
        string Sender(bool fr)
        {
            switch (WithoutProbe)
            {
                case ObservedFrom.Microsoft365: return "Microsoft 365";
                case ObservedFrom.ExchangeServer: return fr ? "le serveur Exchange" : "the Exchange server";
                case ObservedFrom.ThisComputer: return fr ? "ce poste" : "this computer";
                case ObservedFrom.OtherMta: return fr ? "le serveur de messagerie émetteur" : "the sending mail server";
                default: return fr ? "le serveur émetteur" : "the sending server";
            }
        }

        /// <summary>"Microsoft 365's" or "this computer's" before a noun; in French "de Microsoft 365", "du serveur Exchange" after it.</summary>
        string SenderOf(bool fr)
        {
            switch (WithoutProbe)
            {
                case ObservedFrom.Microsoft365: return fr ? "de Microsoft 365" : "Microsoft 365's";
                case ObservedFrom.ExchangeServer: return fr ? "du serveur Exchange" : "the Exchange server's";
                case ObservedFrom.ThisComputer: return fr ? "de ce poste" : "this computer's";
                case ObservedFrom.OtherMta: return fr ? "du serveur de messagerie émetteur" : "the sending mail server's";
                default: return fr ? "du serveur émetteur" : "the sending server's";
            }
        }

        ObservedFrom WithoutProbe => ObservedFrom == ObservedFrom.ThisComputer ? ObservedFrom : ObservedFrom & ~ObservedFrom.ThisComputer;

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
                // Not Domain: an alert's Domain is the server it names. A placeholder reads well in a URL and a TXT name too.
                case "MtaStsDomain": return MtaStsDomain ?? (fr ? "<domaine>" : "<domain>");
                case "MtaStsPolicyId": return MtaStsPolicyId ?? (fr ? "son id actuel" : "its current id");
                // The mx: line that matches the host exactly, and the wildcard one that matches every host one label under its parent.
                case "MtaStsMx": return "mx: " + (MxHost ?? (fr ? "<nom de l'hôte MX>" : "<MX host name>"));
                case "MtaStsWildcardMx": return "mx: " + (MxParent != null ? "*." + MxParent : (fr ? "*.<domaine parent des hôtes MX>" : "*.<parent domain of the MX hosts>"));
                // A new id for the TXT record: a UTC timestamp, letters and digits only (RFC 8461 section 3.1), as Microsoft's example.
                case "MtaStsNewId": return DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
                case "MissingIssuer": return MissingIssuer ?? (fr ? "l'autorité intermédiaire" : "the intermediate authority");
                case "Root": return Root ?? (fr ? "sa racine" : "its root");
                case "RootLists": return RootLists ?? (fr ? "les listes des programmes publics" : "the public programs' lists");
                case "Problems": return string.IsNullOrEmpty(Problems) ? (fr ? "un contrôle échoué" : "a failed check") : Problems;
                case "TlsSettings": return string.IsNullOrEmpty(TlsSettings) ? (fr ? "TLS opportuniste (TlsSettings vide)" : "opportunistic TLS (TlsSettings empty)") : TlsSettings;
                case "TlsDomain": return string.IsNullOrEmpty(TlsDomain) ? (fr ? "le nom de l'hôte actif" : "the smart host name") : TlsDomain;
                case "Connector": return Connector ?? (fr ? "le connecteur" : "the connector");
                case "Domain": return Domain ?? Host ?? (fr ? "le domaine" : "the domain");
                case "Failover": return FailoverServer ?? (fr ? "un autre serveur" : "another server");
                case "SocketError": return SocketError ?? "?";
                case "Seconds": return Seconds?.ToString("0.#", CultureInfo.InvariantCulture) ?? "?";
                case "Stage": return Stage ?? "?";
                case "Sender": return Sender(fr);
                case "SenderOf": return SenderOf(fr);
                case "Gateway": return Gateway ?? (fr ? "le fournisseur" : "the provider");
                case "ProbeFinding": return ProbeFinding ?? (fr ? "cet ordinateur l'a joint" : "this computer reached it");
                case "Code": return Code ?? (fr ? "un code d'échec" : "a failure code");
                case "ReportedCertificate": return ReportedCertificate ?? "?";
                case "Ranges": return string.Join(", ", Microsoft365Network.KnownRanges());
                case "PublicAddress": return PublicAddress ?? Address ?? "?";
                case "PrivateAddress": return PrivateAddress ?? "?";
                case "ForecastCode": return ForecastCode ?? (fr ? "un code d'échec" : "a failure code");
                default: throw new ArgumentException($"No fact named {{{name}}} in a catalog text.", nameof(name));
            }
        }
    }
}
