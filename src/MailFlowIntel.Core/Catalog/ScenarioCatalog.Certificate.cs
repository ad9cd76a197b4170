using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Catalog
{
    // 450 4.7.320 Certificate validation failed, also spelled 450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot]
    // (or CertificateExpired, SubjectMismatch) by Exchange Online today: one family, whatever the spelling.
    public static partial class ScenarioCatalog
    {
        static bool Rejected(ProbeFacts f, CertificateProblems p) => f.CertificateRejected && (f.CheckedProblems & p) != 0;

        public static readonly Scenario CertificateInvalid = new Scenario(Reason.CertificateInvalid)
        {
            Generic = true,
            Family = CodeFamily.CertificateValidationFailed,
            FamilyDefault = true,
            Cause = T("The certificate {Subject} that {Server} presented failed the connector's check ({TlsSettings}): {Problems}.",
                      "Le certificat {Subject} présenté par {Server} n'a pas passé le contrôle du connecteur ({TlsSettings}) : {Problems}."),
            Fix = T("Install on {Host} a current certificate from a public certification authority that carries {TlsDomain}, with its intermediate certificates, and bind it to SMTP; or correct the TlsDomain of {Connector} if the certificate is the right one.",
                    "Installez sur {Host} un certificat valide d'une autorité de certification publique qui porte {TlsDomain}, avec ses certificats intermédiaires, et liez-le au SMTP ; ou corrigez le TlsDomain de {Connector} si le certificat est le bon."),
            PartnerFix = T("Ask the partner to install a valid certificate on {Host} ({Problems}).",
                           "Demandez au partenaire d'installer un certificat valide sur {Host} ({Problems})."),
            ProbeImplication = T("{Host} showed this certificate to this computer; Microsoft 365 meets the same one unless {Host} shows it another (a receive connector of its own for Microsoft 365's addresses).",
                                 "{Host} a présenté ce certificat à ce poste ; Microsoft 365 reçoit le même, sauf si {Host} lui en présente un autre (un connecteur de réception propre aux adresses de Microsoft 365)."),
            SenderCause = T("The certificate {Subject} that {Server} presented failed {SenderOf} check: {Problems}.",
                            "Le certificat {Subject} présenté par {Server} n'a pas passé le contrôle {SenderOf} : {Problems}."),
            SenderFix = T("If {Host} is yours, replace its certificate with a current one from a public certification authority that carries its name, with its intermediates. If not, look at {Sender}: its clock, whether it trusts the issuing root and reaches the revocation lists on the way out, the name it expects (Exchange: the send connector's TlsDomain and TlsAuthLevel), and whether a TLS-inspecting proxy on the way out shows a certificate of its own.",
                          "Si {Host} est le vôtre, remplacez son certificat par un certificat valide d'une autorité de certification publique qui porte son nom, avec ses intermédiaires. Sinon, regardez {Sender} : son horloge, s'il approuve la racine émettrice et atteint les listes de révocation en sortie, le nom qu'il attend (Exchange : TlsDomain et TlsAuthLevel du connecteur d'envoi), et si un proxy qui inspecte le TLS en sortie présente son propre certificat."),
            FromProbe = f => f.CertificateRejected,
            PossibleUnderTlsSettings = Validating,
            Evidence = Words(NoTokens, "Certificate validation failed", "Échec de la validation du certificat", @"certificate (?:is )?(?:not valid|invalid)", "certificate validation",
                "NotSignatureValid", "NotValidForUsage", "RemoteCertificate(?:ChainErrors|NotAvailable)",
                // Postfix, when its TLS level requires a verified certificate: "status=deferred (Server certificate not verified)".
                "certificate not verified"),
            Repair = new CertificateRepair(),
        };

        public static readonly Scenario CertificateExpired = new Scenario(Reason.CertificateExpired)
        {
            Family = CodeFamily.CertificateValidationFailed,
            Label = T("certificate expired", "certificat expiré"),
            Cause = T("The certificate {Subject} that {Server} presents expired on {NotAfter}.",
                      "Le certificat {Subject} que présente {Server} a expiré le {NotAfter}."),
            Fix = T("Renew the certificate of {Host} (thumbprint {Thumbprint}) and bind the new one to SMTP.",
                    "Renouvelez le certificat de {Host} (empreinte {Thumbprint}) et liez le nouveau au SMTP."),
            PartnerFix = T("Ask the partner to renew the certificate of {Host}: it expired on {NotAfter}.",
                           "Demandez au partenaire de renouveler le certificat de {Host} : il a expiré le {NotAfter}."),
            ProbeImplication = T("{Host} showed this certificate to this computer; Microsoft 365 meets the same one unless {Host} shows it another (a receive connector of its own for Microsoft 365's addresses).",
                                 "{Host} a présenté ce certificat à ce poste ; Microsoft 365 reçoit le même, sauf si {Host} lui en présente un autre (un connecteur de réception propre aux adresses de Microsoft 365)."),
            SenderFix = T("Whoever runs {Host} must renew its certificate. If {Host} is a service whose certificate is surely current, check the clock of {Sender}, and whether a TLS-inspecting proxy on the way out shows a stale certificate of its own.",
                          "L'exploitant de {Host} doit renouveler son certificat. Si {Host} est un service dont le certificat est sûrement à jour, vérifiez l'horloge {SenderOf}, et si un proxy qui inspecte le TLS en sortie présente un certificat périmé qui lui est propre."),
            FromProbe = f => Rejected(f, CertificateProblems.Expired),
            PossibleUnderTlsSettings = Validating,
            Evidence = Words(new[] { "CertificateExpired" }, "CertificateExpired", @"certificate (?:has )?expired", "certificat (?:a )?expiré"),
            Repair = new CertificateRepair(),
        };

        public static readonly Scenario CertificateNotYetValid = new Scenario(Reason.CertificateNotYetValid)
        {
            Family = CodeFamily.CertificateValidationFailed,
            Label = T("certificate not yet valid", "certificat pas encore valide"),
            Cause = T("The certificate {Subject} of {Server} is not valid yet (its start date is in the future), or a clock is wrong.",
                      "Le certificat {Subject} de {Server} n'est pas encore valide (sa date de début est dans le futur), ou une horloge est fausse."),
            Fix = T("Check the clock of {Host} and the start date of its certificate; bind a certificate that is valid now.",
                    "Vérifiez l'horloge de {Host} et la date de début de son certificat ; liez un certificat valide dès maintenant."),
            PartnerFix = T("Ask the partner to check the certificate of {Host}: it is not valid yet.",
                           "Demandez au partenaire de vérifier le certificat de {Host} : il n'est pas encore valide."),
            ProbeImplication = T("{Host} showed this certificate to this computer; Microsoft 365 meets the same one unless {Host} shows it another (a receive connector of its own for Microsoft 365's addresses).",
                                 "{Host} a présenté ce certificat à ce poste ; Microsoft 365 reçoit le même, sauf si {Host} lui en présente un autre (un connecteur de réception propre aux adresses de Microsoft 365)."),
            SenderFix = T("Check the clock of {Sender} first; if it is right, whoever runs {Host} must bind a certificate that is valid now.",
                          "Vérifiez d'abord l'horloge {SenderOf} ; si elle est juste, l'exploitant de {Host} doit lier un certificat valide dès maintenant."),
            FromProbe = f => Rejected(f, CertificateProblems.NotYetValid),
            PossibleUnderTlsSettings = Validating,
            Evidence = Words(new[] { "NotYetValid", "CertificateNotYetValid" }, "not yet valid", "pas encore valide"),
            Repair = new CertificateRepair(),
        };

        public static readonly Scenario CertificateUntrustedRoot = new Scenario(Reason.CertificateUntrustedRoot)
        {
            Family = CodeFamily.CertificateValidationFailed,
            Label = T("untrusted root", "racine non approuvée"),
            Cause = T("The certificate {Subject} of {Server}, issued by {Issuer}, does not lead to a root Microsoft 365 trusts (it is self-signed, or from a private certification authority).",
                      "Le certificat {Subject} de {Server}, émis par {Issuer}, ne mène pas à une racine qu'approuve Microsoft 365 (il est auto-signé, ou vient d'une autorité de certification privée)."),
            Fix = T("Replace the certificate of {Host} with one from a public certification authority: Microsoft 365 trusts public roots only.",
                    "Remplacez le certificat de {Host} par un certificat d'une autorité de certification publique : Microsoft 365 n'approuve que les racines publiques."),
            PartnerFix = T("Ask the partner to use a certificate from a public certification authority on {Host}.",
                           "Demandez au partenaire d'utiliser sur {Host} un certificat d'une autorité de certification publique."),
            ProbeImplication = T("{Host} showed this certificate to this computer; Microsoft 365 meets the same one unless {Host} shows it another (a receive connector of its own for Microsoft 365's addresses).",
                                 "{Host} a présenté ce certificat à ce poste ; Microsoft 365 reçoit le même, sauf si {Host} lui en présente un autre (un connecteur de réception propre aux adresses de Microsoft 365)."),
            SenderCause = T("The certificate {Subject} of {Server}, issued by {Issuer}, does not lead to a root {Sender} trusts: it is self-signed or from a private certification authority, or the trusted roots of {Sender} lack its root.",
                            "Le certificat {Subject} de {Server}, émis par {Issuer}, ne mène pas à une racine qu'approuve {Sender} : il est auto-signé ou vient d'une autorité de certification privée, ou les racines approuvées {SenderOf} ne contiennent pas la sienne."),
            SenderFix = T("If the issuer is your own or a public certification authority, add its root to the trusted roots of {Sender} (Windows: the computer's Trusted Root Certification Authorities store); otherwise whoever runs {Host} must use a certificate from a public certification authority. A TLS-inspecting proxy on the way out shows a certificate of its own: exempt SMTP from it.",
                          "Si l'émetteur est votre propre autorité de certification ou une autorité publique, ajoutez sa racine aux racines approuvées {SenderOf} (Windows : le magasin Autorités de certification racines de confiance de l'ordinateur) ; sinon, l'exploitant de {Host} doit utiliser un certificat d'une autorité de certification publique. Un proxy qui inspecte le TLS en sortie présente son propre certificat : exemptez-en le SMTP."),
            FromProbe = f => Rejected(f, CertificateProblems.UntrustedRoot),
            PossibleUnderTlsSettings = Validating,
            Evidence = Words(new[] { "UntrustedRoot" }, "UntrustedRoot", @"issued by an authority that is not trusted", @"certificate (?:is )?not trusted", "racine non approuvée"),
            Repair = new CertificateRepair(),
        };

        public static readonly Scenario CertificateIncompleteChain = new Scenario(Reason.CertificateIncompleteChain)
        {
            Family = CodeFamily.CertificateValidationFailed,
            Label = T("incomplete chain", "chaîne incomplète"),
            Cause = T("{Server} sends its certificate {Subject} without the intermediate certificate of {MissingIssuer}; Microsoft 365 does not fetch missing intermediates, so it cannot build the chain to a trusted root.",
                      "{Server} envoie son certificat {Subject} sans le certificat intermédiaire de {MissingIssuer} ; Microsoft 365 ne va pas chercher les intermédiaires manquants et ne peut donc pas remonter jusqu'à une racine approuvée."),
            Fix = T("Install the intermediate certificate of {MissingIssuer} on {Host} so the server sends the full chain (on Windows, in the computer's Intermediate Certification Authorities store), then restart the mail service.",
                    "Installez le certificat intermédiaire de {MissingIssuer} sur {Host} pour que le serveur envoie la chaîne complète (sous Windows, dans le magasin Autorités de certification intermédiaires de l'ordinateur), puis redémarrez le service de messagerie."),
            PartnerFix = T("Ask the partner to make {Host} send its full certificate chain, including the intermediate of {MissingIssuer}.",
                           "Demandez au partenaire que {Host} envoie sa chaîne de certificats complète, y compris l'intermédiaire de {MissingIssuer}."),
            ProbeImplication = T("{Host} showed this certificate to this computer; Microsoft 365 meets the same one unless {Host} shows it another (a receive connector of its own for Microsoft 365's addresses).",
                                 "{Host} a présenté ce certificat à ce poste ; Microsoft 365 reçoit le même, sauf si {Host} lui en présente un autre (un connecteur de réception propre aux adresses de Microsoft 365)."),
            SenderCause = T("{Server} sends its certificate {Subject} without the intermediate certificate of {MissingIssuer}, and {Sender} could not complete the chain.",
                            "{Server} envoie son certificat {Subject} sans le certificat intermédiaire de {MissingIssuer}, et {Sender} n'a pas pu compléter la chaîne."),
            SenderFix = T("Whoever runs {Host} should make it send its full chain, with the intermediate of {MissingIssuer}; meanwhile, that intermediate installed on {Sender} (Windows: the Intermediate Certification Authorities store) lets it build the chain.",
                          "L'exploitant de {Host} doit lui faire envoyer sa chaîne complète, avec l'intermédiaire de {MissingIssuer} ; en attendant, cet intermédiaire installé sur {Sender} (Windows : le magasin Autorités de certification intermédiaires) lui permet de construire la chaîne."),
            FromProbe = f => Rejected(f, CertificateProblems.IncompleteChain),
            PossibleUnderTlsSettings = Validating,
            Evidence = Words(new[] { "IncompleteChain", "PartialChain" }, "PartialChain", "IncompleteChain", @"incomplete (?:certificate )?chain", "chaîne incomplète"),
            Repair = new CertificateRepair(),
        };

        public static readonly Scenario CertificateNameMismatch = new Scenario(Reason.CertificateNameMismatch)
        {
            Family = CodeFamily.CertificateValidationFailed,
            Label = T("name mismatch", "nom non concordant"),
            Cause = T("The certificate {Subject} of {Server} carries {Names}, but the connector expects {TlsDomain} (DomainValidation).",
                      "Le certificat {Subject} de {Server} porte {Names}, mais le connecteur attend {TlsDomain} (DomainValidation)."),
            Fix = T("Install on {Host} a certificate that carries {TlsDomain}; or, if the certificate is the right one, set the TlsDomain of {Connector} to a name it carries (Repair-ConnectorConfig -AdoptCertificateName does so after a fresh check).",
                    "Installez sur {Host} un certificat qui porte {TlsDomain} ; ou, si le certificat est le bon, réglez le TlsDomain de {Connector} sur un nom qu'il porte (Repair-ConnectorConfig -AdoptCertificateName le fait après un nouveau contrôle)."),
            PartnerFix = T("Ask the partner for a certificate on {Host} that carries {TlsDomain}, or agree with them on the name to expect.",
                           "Demandez au partenaire un certificat sur {Host} qui porte {TlsDomain}, ou convenez avec lui du nom à attendre."),
            ProbeImplication = T("{Host} showed this certificate to this computer; Microsoft 365 meets the same one unless {Host} shows it another (a receive connector of its own for Microsoft 365's addresses).",
                                 "{Host} a présenté ce certificat à ce poste ; Microsoft 365 reçoit le même, sauf si {Host} lui en présente un autre (un connecteur de réception propre aux adresses de Microsoft 365)."),
            SenderCause = T("The certificate {Subject} of {Server} carries {Names}, not the name {Sender} expects.",
                            "Le certificat {Subject} de {Server} porte {Names}, et non le nom qu'attend {Sender}."),
            SenderFix = T("Set the name {Sender} expects to one the certificate of {Host} carries (Exchange: the send connector's TlsDomain under TlsAuthLevel DomainValidation; for Exchange Online the Hybrid Configuration Wizard sets mail.protection.outlook.com), or ask whoever runs {Host} for a certificate with the expected name. A TLS-inspecting proxy on the way out also shows a certificate of its own.",
                          "Réglez le nom qu'attend {Sender} sur un nom que porte le certificat de {Host} (Exchange : le TlsDomain du connecteur d'envoi sous TlsAuthLevel DomainValidation ; pour Exchange Online, l'Assistant Configuration hybride pose mail.protection.outlook.com), ou demandez à l'exploitant de {Host} un certificat au nom attendu. Un proxy qui inspecte le TLS en sortie présente lui aussi son propre certificat."),
            FromProbe = f => Rejected(f, CertificateProblems.SubjectMismatch),
            PossibleUnderTlsSettings = s => string.Equals(s, "DomainValidation", System.StringComparison.OrdinalIgnoreCase),
            Evidence = Words(new[] { "SubjectMismatch" }, "SubjectMismatch", "subject mismatch", "name mismatch", "RemoteCertificateNameMismatch",
                "le sujet du certificat ne concorde pas"),
            Repair = new CertificateRepair(nameMismatch: true),
        };

        public static readonly Scenario CertificateRevoked = new Scenario(Reason.CertificateRevoked)
        {
            Family = CodeFamily.CertificateValidationFailed,
            Label = T("certificate revoked", "certificat révoqué"),
            Cause = T("The certificate {Subject} of {Server} has been revoked by its issuer {Issuer}.",
                      "Le certificat {Subject} de {Server} a été révoqué par son émetteur {Issuer}."),
            Fix = T("Replace the certificate of {Host}: a revoked certificate cannot be used again; find out why it was revoked (a compromised key, a reissue).",
                    "Remplacez le certificat de {Host} : un certificat révoqué ne peut plus servir ; cherchez pourquoi il l'a été (clé compromise, réémission)."),
            PartnerFix = T("Ask the partner to replace the revoked certificate of {Host}.",
                           "Demandez au partenaire de remplacer le certificat révoqué de {Host}."),
            ProbeImplication = T("{Host} showed this certificate to this computer; Microsoft 365 meets the same one unless {Host} shows it another (a receive connector of its own for Microsoft 365's addresses).",
                                 "{Host} a présenté ce certificat à ce poste ; Microsoft 365 reçoit le même, sauf si {Host} lui en présente un autre (un connecteur de réception propre aux adresses de Microsoft 365)."),
            SenderFix = T("Whoever runs {Host} must replace its revoked certificate. If {Host} is a service whose certificate is surely current, check that {Sender} reads current revocation lists and that no TLS-inspecting proxy on the way out shows a certificate of its own.",
                          "L'exploitant de {Host} doit remplacer son certificat révoqué. Si {Host} est un service dont le certificat est sûrement à jour, vérifiez que {Sender} lit des listes de révocation à jour et qu'aucun proxy qui inspecte le TLS en sortie ne présente son propre certificat."),
            FromProbe = f => Rejected(f, CertificateProblems.Revoked),
            PossibleUnderTlsSettings = Validating,
            Evidence = Words(new[] { "Revoked", "CertificateRevoked" }, "certificate (?:was |has been |is )?revoked", "CertificateRevoked", "certificat révoqué"),
            Repair = new CertificateRepair(),
        };

        // A root only this computer trusts (an enterprise CA pushed by policy): the chain passes here, Microsoft 365 trusts
        // the roots of Microsoft's Trusted Root Program, and "self-signed or any certificates generated by your organization
        // as the CA aren't supported in hybrid mail transport" (Microsoft Learn, certificate requirements for hybrid
        // deployments). The lists the probe carries are smaller than Microsoft's program, so this is a Warning, not 4.7.320.
        public static readonly Scenario RootNotInPublicProgram = new Scenario(Reason.RootNotInPublicProgram)
        {
            Status = ProbeStatus.Warning,
            Label = T("root in no public program", "racine d'aucun programme public"),
            Cause = T("The certificate {Subject} of {Server} chains to {Root}, a root this computer trusts but that no public root program's list holds ({RootLists}): Microsoft 365 trusts the roots of Microsoft's Trusted Root Program, not this computer's, so under {TlsSettings} it will most likely refuse the certificate with 450 4.7.320. Microsoft's program is larger than the lists this module carries, so this is a warning, not a certain failure.",
                      "Le certificat {Subject} de {Server} remonte à {Root}, une racine qu'approuve cet ordinateur mais qu'aucune liste de programme public de racines ne contient ({RootLists}) : Microsoft 365 approuve les racines du programme de racines de confiance de Microsoft, pas celles de cet ordinateur ; sous {TlsSettings}, il refusera donc très probablement le certificat avec 450 4.7.320. Le programme de Microsoft est plus large que les listes de ce module : c'est un avertissement, pas un échec certain."),
            Fix = T("Install on {Host} a certificate from a public certification authority (one in Microsoft's Trusted Root Program), with its intermediate certificates, and bind it to SMTP; a certificate from your own certification authority is not supported for mail from Microsoft 365.",
                    "Installez sur {Host} un certificat d'une autorité de certification publique (membre du programme de racines de confiance de Microsoft), avec ses certificats intermédiaires, et liez-le au SMTP ; un certificat de votre propre autorité de certification n'est pas pris en charge pour le courrier venant de Microsoft 365."),
            PartnerFix = T("Ask the partner to use on {Host} a certificate from a public certification authority: {Root} is in no public root program.",
                           "Demandez au partenaire d'utiliser sur {Host} un certificat d'une autorité de certification publique : {Root} n'appartient à aucun programme public de racines."),
            FromProbe = f => f.Reached && f.Tls.ValidatesCertificate() && !f.DaneDecides && f.Certificate != null && f.Certificate.RootNotInPublicProgram,
            PossibleUnderTlsSettings = Validating,
            Repair = new CertificateRepair(),
        };
    }
}
