using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Catalog
{
    // SMTP DANE (4.7.321 to 4.7.325) and MTA-STS (4.4.8, 4.7.5), as Exchange Online enforces them on outbound mail.
    // Sources: Microsoft Learn, "How SMTP DNS-based Authentication of Named Entities (DANE) works" (when DANE applies:
    // DNSSEC-authentic MX and TLSA records; usages 0 and 1 unusable but TLS still required; mail held only for records that
    // fail DNSSEC, or when every MX has TLSA and none matches or TLS is not offered; broken DNSSEC reported as 4.4.312 today),
    // "Email non-delivery reports and SMTP errors in Exchange Online" (the codes and their wording), the Set-OutboundConnector
    // reference (SmtpDaneMode Opportunistic by default, Mandatory, None; MtaStsMode Opportunistic, None), and RFC 7672/7671
    // (DANE-EE ignores names and dates; DANE-TA checks the chain, dates and names).
    public static partial class ScenarioCatalog
    {
        static readonly Phrase[] TlsaSteps =
        {
            T("The record for the certificate this probe was served from {ProbedFrom}: _{Port}._tcp.{Host}. IN TLSA {TlsaRecord}. It is what was observed on the path, not proven: a mismatch can also be an attack, so publish it only if it equals the record computed on the server itself.",
              "L'enregistrement du certificat présenté à cette sonde depuis {ProbedFrom} : _{Port}._tcp.{Host}. IN TLSA {TlsaRecord}. C'est ce qui a été observé sur le chemin, non une preuve : une non-correspondance peut aussi être une attaque ; ne le publiez donc que s'il est égal à l'enregistrement calculé sur le serveur lui-même."),
            T("Compute the record from the certificate the server uses now, on the server itself: openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 gives the data of a 3 1 1 record.",
              "Calculez l'enregistrement à partir du certificat que le serveur utilise maintenant, sur le serveur lui-même : openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 donne les données d'un enregistrement 3 1 1."),
            T("Before the next renewal, publish the new key's TLSA record beside the current one, and remove the old one only once the new certificate is in use.",
              "Avant le prochain renouvellement, publiez l'enregistrement TLSA de la nouvelle clé à côté de l'actuel, et ne retirez l'ancien qu'une fois le nouveau certificat en service."),
        };

        public static readonly Scenario DaneStartTlsNotSupported = new Scenario(Reason.DaneStartTlsNotSupported)
        {
            Family = CodeFamily.DaneStartTlsNotSupported,
            FamilyDefault = true,
            Cause = T("{Host} publishes DNSSEC-signed TLSA records, so Microsoft 365 must deliver to {Server} over TLS, but the server does not offer STARTTLS or its TLS handshake fails.",
                      "{Host} publie des enregistrements TLSA signés par DNSSEC : Microsoft 365 doit donc remettre le courrier à {Server} en TLS, mais le serveur ne propose pas STARTTLS ou sa négociation TLS échoue."),
            Fix = T("Enable STARTTLS on {Host} with the certificate its TLSA records describe; or, if DANE was not meant for this host, remove its TLSA records.",
                    "Activez STARTTLS sur {Host} avec le certificat que décrivent ses enregistrements TLSA ; ou, si DANE n'était pas voulu pour cet hôte, retirez ses enregistrements TLSA."),
            PartnerFix = T("Ask the partner to enable STARTTLS on {Host}: its TLSA records make TLS mandatory for Microsoft 365.",
                           "Demandez au partenaire d'activer STARTTLS sur {Host} : ses enregistrements TLSA rendent le TLS obligatoire pour Microsoft 365."),
            FromProbe = f => f.DaneEnforced && f.Dane == DaneStatus.NoTls,
            Evidence = Words(NoTokens, "starttls-not-supported", "must support TLS to receive mail"),
            Repair = new ManualRepair("EnableStartTls"),
        };

        public static readonly Scenario DaneCertificateExpired = new Scenario(Reason.DaneCertificateExpired)
        {
            Family = CodeFamily.DaneCertificateExpired,
            FamilyDefault = true,
            Cause = T("{Host} publishes a DANE-TA (usage 2) TLSA record that matches the chain of {Server}, but its certificate {Subject} expired on {NotAfter}.",
                      "{Host} publie un enregistrement TLSA DANE-TA (usage 2) qui correspond à la chaîne de {Server}, mais son certificat {Subject} a expiré le {NotAfter}."),
            Fix = T("Renew the certificate of {Host} under the same authority (or update the TLSA records first), and bind it to SMTP.",
                    "Renouvelez le certificat de {Host} auprès de la même autorité (ou mettez d'abord à jour les enregistrements TLSA), et liez-le au SMTP."),
            PartnerFix = T("Ask the partner to renew the certificate of {Host}: it expired on {NotAfter} and its TLSA records make Microsoft 365 check it.",
                           "Demandez au partenaire de renouveler le certificat de {Host} : il a expiré le {NotAfter} et ses enregistrements TLSA imposent à Microsoft 365 de le contrôler."),
            FromProbe = f => f.DaneEnforced && f.Dane == DaneStatus.Mismatch && f.DaneCertificateExpired,
            Evidence = Words(NoTokens, "certificate-expired", "Destination mail server's certificate is expired"),
            Repair = new ManualRepair("RenewCertificate", TlsaSteps),
        };

        public static readonly Scenario DaneCertificateHostMismatch = new Scenario(Reason.DaneCertificateHostMismatch)
        {
            Family = CodeFamily.DaneCertificateHostMismatch,
            FamilyDefault = true,
            Cause = T("{Host} publishes a DANE-TA (usage 2) TLSA record that matches the chain of {Server}, but its certificate {Subject} carries {Names}, not the host's name.",
                      "{Host} publie un enregistrement TLSA DANE-TA (usage 2) qui correspond à la chaîne de {Server}, mais son certificat {Subject} porte {Names}, et non le nom de l'hôte."),
            Fix = T("Install on {Host} a certificate that carries its own name, or publish a DANE-EE (3 1 1) record for the certificate it uses, which does not depend on names.",
                    "Installez sur {Host} un certificat qui porte son propre nom, ou publiez pour le certificat qu'il utilise un enregistrement DANE-EE (3 1 1), qui ne dépend pas des noms."),
            PartnerFix = T("Ask the partner for a certificate on {Host} that carries its name, or a 3 1 1 TLSA record for the one it uses.",
                           "Demandez au partenaire un certificat sur {Host} qui porte son nom, ou un enregistrement TLSA 3 1 1 pour celui qu'il utilise."),
            FromProbe = f => f.DaneEnforced && f.Dane == DaneStatus.Mismatch && f.DaneHostMismatch,
            Evidence = Words(NoTokens, "certificate-host-mismatch", @"matching the hostname \(DANE\)"),
            Repair = new ManualRepair("FixCertificateName", TlsaSteps),
        };

        public static readonly Scenario DaneTlsaMismatch = new Scenario(Reason.DaneTlsaMismatch)
        {
            Family = CodeFamily.DaneTlsaInvalid,
            FamilyDefault = true,
            Cause = T("The DNSSEC-signed TLSA records of {Host} match none of the certificates {Server} sent: most often a certificate renewed with a new key while the records kept the old one; it can also be an attack on the path.",
                      "Les enregistrements TLSA signés par DNSSEC de {Host} ne correspondent à aucun des certificats envoyés par {Server} : le plus souvent un certificat renouvelé avec une nouvelle clé alors que les enregistrements gardent l'ancienne ; ce peut aussi être une attaque sur le chemin."),
            Fix = T("Publish a TLSA record for the certificate {Host} uses now (3 1 1 is what Microsoft recommends), then remove the stale one.",
                    "Publiez un enregistrement TLSA pour le certificat qu'utilise maintenant {Host} (Microsoft recommande 3 1 1), puis retirez l'ancien."),
            PartnerFix = T("Ask the partner to update the TLSA records of {Host}: none matches the certificate it serves (seen from {ProbedFrom}, its record would be {TlsaRecord}; they should compute it on the server itself).",
                           "Demandez au partenaire de mettre à jour les enregistrements TLSA de {Host} : aucun ne correspond au certificat qu'il présente (vu depuis {ProbedFrom}, son enregistrement serait {TlsaRecord} ; à calculer sur le serveur lui-même)."),
            FromProbe = f => f.DaneEnforced && f.Dane == DaneStatus.Mismatch,
            // Postfix: "CA certificate verification failed for mx.contoso.com[203.0.113.5]:25: num=65:no matching DANE TLSA records".
            Evidence = Words(NoTokens, "tlsa-invalid", "failed DANE validation", "no matching DANE TLSA records", @"TLSA records? (?:do(?:es)? not|don't) match"),
            Repair = new ManualRepair("PublishTlsaRecord", TlsaSteps),
        };

        // The probe never predicts 4.7.324: Microsoft documents that Exchange Online reports broken DNSSEC as 4.4.312 today
        // (DnsServerFailure); evidence that says 4.7.324 is read as this scenario.
        public static readonly Scenario DaneDnssecInvalid = new Scenario(Reason.DaneDnssecInvalid)
        {
            Family = CodeFamily.DaneDnssecInvalid,
            FamilyDefault = true,
            Cause = T("The zone of {Host} is DNSSEC-signed, but its answers fail validation, so Microsoft 365 cannot trust its MX or TLSA records.",
                      "La zone de {Host} est signée par DNSSEC, mais ses réponses échouent à la validation : Microsoft 365 ne peut donc pas se fier à ses enregistrements MX ou TLSA."),
            Fix = T("Have your DNS host repair the DNSSEC signing of {Host} (expired signatures, a DS record at the parent that no longer matches the keys).",
                    "Faites réparer par votre hébergeur DNS la signature DNSSEC de {Host} (signatures expirées, enregistrement DS du parent qui ne correspond plus aux clés)."),
            PartnerFix = T("Ask the partner to have the DNSSEC signing of {Host} repaired.",
                           "Demandez au partenaire de faire réparer la signature DNSSEC de {Host}."),
            Evidence = Words(NoTokens, "dnssec-invalid", "returned invalid DNSSEC records"),
            Repair = new ManualRepair("FixDnssec"),
        };

        // MTA-STS (RFC 8461) as Exchange Online applies it: "If the destination domain supports MTA-STS but validation fails
        // while the policy mode is set to Enforce, Exchange Online queues the message" (MtaStsMode Opportunistic,
        // Set-OutboundConnector); None never checks it. For a smart host the policy is the smart host domain's ("For Outbound
        // connectors using smart hosts, we're performing the MTA-STS validation against the smart host domain", Enhancing mail
        // flow with MTA-STS, Microsoft Learn). DANE first: these hold only where DANE does not decide (RFC 8461 section 2).
        static readonly Phrase[] MtaStsSteps =
        {
            T("One line \"{MtaStsWildcardMx}\" instead covers every MX host exactly one label below that parent (not the parent itself, nor hosts two labels down: RFC 8461 section 4.1).",
              "Une seule ligne « {MtaStsWildcardMx} » couvre à la place tous les hôtes MX situés exactement un niveau sous ce parent (ni le parent lui-même, ni les hôtes deux niveaux plus bas : RFC 8461, section 4.1)."),
            T("Then publish a new id, for example: _mta-sts.{MtaStsDomain}. IN TXT \"v=STSv1; id={MtaStsNewId}\" (it is {MtaStsPolicyId} now). Senders fetch the policy again only when the id changes or their cached copy's max_age runs out, so without a new id they may keep the old policy until then (RFC 8461 sections 3.3 and 5.1).",
              "Publiez ensuite un nouvel id, par exemple : _mta-sts.{MtaStsDomain}. IN TXT « v=STSv1; id={MtaStsNewId} » (il vaut maintenant {MtaStsPolicyId}). Les expéditeurs ne relisent la stratégie que lorsque l'id change ou que le max_age de leur copie en cache expire : sans nouvel id, ils peuvent garder l'ancienne stratégie jusque-là (RFC 8461, sections 3.3 et 5.1)."),
        };

        // 4.4.8 only when no MX host of the domain matches: "MX hosts of <domain> failed MTA-STS validation" (NDR reference,
        // Microsoft Learn); a host the policy does not list, among others it does, is skipped (MtaStsMxNotListed).
        /// <summary>
        /// Checks again as Microsoft 365 meets the policy: a connector known to route by MX is probed by the recipient
        /// domain whose policy it is (probing its MX host as a smart host would check the host's own domain instead);
        /// otherwise the failing server again, as for every scenario.
        /// </summary>
        static PsCommand RecheckPolicyDomain(RepairContext c) =>
            c.Connector?.UseMXRecord == true && c.Input.MtaStsPolicyDomain != null
                ? new PsCommand("Test-ConnectorDelivery").Param("Domain", c.Input.MtaStsPolicyDomain).Param("ConnectorType", c.Connector.ConnectorType)
                : c.Reproduce();

        public static readonly Scenario MtaStsMxMismatch = new Scenario(Reason.MtaStsMxMismatch)
        {
            Family = CodeFamily.MtaStsMxMismatch,
            FamilyDefault = true,
            Cause = T("The MTA-STS policy of {MtaStsDomain} is in enforce mode and none of the domain's MX hosts, {Server} among them, matches its mx: lines: Microsoft 365 connects to none of them and holds the mail.",
                      "La stratégie MTA-STS de {MtaStsDomain} est en mode enforce et aucun des hôtes MX du domaine, dont {Server}, ne correspond à ses lignes mx: : Microsoft 365 ne se connecte à aucun d'eux et retient le courrier."),
            Fix = T("Add the line \"{MtaStsMx}\" to the policy at https://mta-sts.{MtaStsDomain}/.well-known/mta-sts.txt, beside the mx: lines already there.",
                    "Ajoutez la ligne « {MtaStsMx} » à la stratégie https://mta-sts.{MtaStsDomain}/.well-known/mta-sts.txt, à côté des lignes mx: existantes."),
            PartnerFix = T("Ask the partner to add \"{MtaStsMx}\" (or \"{MtaStsWildcardMx}\" for every host one label under that parent) to the MTA-STS policy of {MtaStsDomain}, then to change the id of its TXT record, for example _mta-sts.{MtaStsDomain}. IN TXT \"v=STSv1; id={MtaStsNewId}\" (it is {MtaStsPolicyId} now), so that senders fetch the policy again.",
                           "Demandez au partenaire d'ajouter « {MtaStsMx} » (ou « {MtaStsWildcardMx} » pour tous les hôtes un niveau sous ce parent) à la stratégie MTA-STS de {MtaStsDomain}, puis de changer l'id de son enregistrement TXT, par exemple _mta-sts.{MtaStsDomain}. IN TXT « v=STSv1; id={MtaStsNewId} » (il vaut maintenant {MtaStsPolicyId}), pour que les expéditeurs relisent la stratégie."),
            FromProbe = f => f.MtaStsEnforced && f.MtaSts == MtaStsStatus.MxMismatch && !f.MtaStsAnyMxMatches,
            Evidence = Words(NoTokens, @"MX hosts of\s+\S+\s+failed MTA-STS validation", "MX_HOSTS_MISMATCH"),
            Repair = new ManualRepair("FixMtaStsPolicy", MtaStsSteps, check: RecheckPolicyDomain),
        };

        public static readonly Scenario MtaStsMxNotListed = new Scenario(Reason.MtaStsMxNotListed)
        {
            Status = ProbeStatus.Warning,
            Label = T("MX host not listed in the MTA-STS policy", "hôte MX absent de la stratégie MTA-STS"),
            Cause = T("{Server} is an MX host of {MtaStsDomain}, but the domain's MTA-STS policy, in enforce mode, lists no mx: line it matches: Microsoft 365 skips it and delivers to the hosts the policy lists, so this host gets no mail from Microsoft 365.",
                      "{Server} est un hôte MX de {MtaStsDomain}, mais la stratégie MTA-STS du domaine, en mode enforce, ne contient aucune ligne mx: qui lui corresponde : Microsoft 365 l'ignore et remet aux hôtes que cite la stratégie ; cet hôte ne reçoit donc aucun courrier de Microsoft 365."),
            Fix = T("If {Host} should receive mail, add the line \"{MtaStsMx}\" to the policy at https://mta-sts.{MtaStsDomain}/.well-known/mta-sts.txt; if it should not, remove its MX record.",
                    "Si {Host} doit recevoir du courrier, ajoutez la ligne « {MtaStsMx} » à la stratégie https://mta-sts.{MtaStsDomain}/.well-known/mta-sts.txt ; sinon, retirez son enregistrement MX."),
            PartnerFix = T("Tell the partner that {Host} is not listed in the MTA-STS policy of {MtaStsDomain}: add \"{MtaStsMx}\" and change the id of _mta-sts.{MtaStsDomain} (it is {MtaStsPolicyId} now), or remove the MX record of {Host}.",
                           "Signalez au partenaire que {Host} n'est pas cité dans la stratégie MTA-STS de {MtaStsDomain} : ajouter « {MtaStsMx} » et changer l'id de _mta-sts.{MtaStsDomain} (il vaut maintenant {MtaStsPolicyId}), ou retirer l'enregistrement MX de {Host}."),
            FromProbe = f => f.MtaStsEnforced && f.MtaSts == MtaStsStatus.MxMismatch && f.MtaStsAnyMxMatches,
            Repair = new ManualRepair("FixMtaStsPolicy", MtaStsSteps, check: RecheckPolicyDomain),
        };

        // 4.7.5 "Remote certificate failed MTA-STS validation": "The destination mail server's certificate must chain to a trusted
        // root Certificate Authority and the Common Name or Subject Alternative Name must contain an entry for the host name in
        // the STS policy" (NDR reference, Microsoft Learn). A listed host that offers no TLS at all is judged here too: an
        // assumption, as Microsoft documents no other code for it.
        public static readonly Scenario MtaStsCertificateInvalid = new Scenario(Reason.MtaStsCertificateInvalid)
        {
            Family = CodeFamily.MtaStsCertificateInvalid,
            FamilyDefault = true,
            Cause = T("{MtaStsDomain} enforces MTA-STS, and {Server} fails its certificate check ({Problems}): the host must offer STARTTLS with a certificate that chains to a public root, is in date, and carries the host's name.",
                      "{MtaStsDomain} applique MTA-STS, et {Server} échoue à son contrôle de certificat ({Problems}) : l'hôte doit proposer STARTTLS avec un certificat qui remonte à une racine publique, est en cours de validité et porte le nom de l'hôte."),
            Fix = T("Install on {Host} a current certificate from a public certification authority that carries {Host} as a subject alternative name, and offer STARTTLS with it.",
                    "Installez sur {Host} un certificat valide d'une autorité de certification publique qui porte {Host} comme autre nom de l'objet, et proposez STARTTLS avec lui."),
            PartnerFix = T("Ask the partner for STARTTLS on {Host} with a public certificate that carries its name: their MTA-STS policy requires it ({Problems}).",
                           "Demandez au partenaire STARTTLS sur {Host} avec un certificat public qui porte son nom : sa stratégie MTA-STS l'exige ({Problems})."),
            FromProbe = f => f.MtaStsEnforced && f.MtaSts == MtaStsStatus.CertificateInvalid,
            Evidence = Words(NoTokens, "certificate failed MTA-STS validation"),
            Repair = new CertificateRepair(),
        };

        // RFC 8461 section 5: in testing mode a sender reports failures and still delivers.
        public static readonly Scenario MtaStsTesting = new Scenario(Reason.MtaStsTesting)
        {
            Status = ProbeStatus.Warning,
            Label = T("MTA-STS policy in testing mode fails", "la stratégie MTA-STS en mode testing échoue"),
            Cause = T("The MTA-STS policy of {MtaStsDomain} is in testing mode and {Server} fails it (its name matches no mx: line, or its certificate or TLS fails MTA-STS's check): Microsoft 365 still delivers, but once the policy is set to enforce it would hold the mail with {ForecastCode}.",
                      "La stratégie MTA-STS de {MtaStsDomain} est en mode testing et {Server} y échoue (son nom ne correspond à aucune ligne mx:, ou son certificat ou son TLS échoue au contrôle de MTA-STS) : Microsoft 365 remet quand même, mais une fois la stratégie passée en enforce il retiendrait le courrier avec {ForecastCode}."),
            Fix = T("Before setting the policy of {MtaStsDomain} to enforce, list {Host} in it (\"{MtaStsMx}\") and give it STARTTLS with a public certificate that carries its name.",
                    "Avant de passer la stratégie de {MtaStsDomain} en enforce, citez-y {Host} (« {MtaStsMx} ») et donnez-lui STARTTLS avec un certificat public qui porte son nom."),
            PartnerFix = T("Tell the partner that {Host} fails their MTA-STS policy, now in testing mode: Microsoft 365 would hold mail to {MtaStsDomain} once they switch it to enforce.",
                           "Signalez au partenaire que {Host} échoue à sa stratégie MTA-STS, en mode testing pour l'instant : Microsoft 365 retiendrait le courrier vers {MtaStsDomain} une fois celle-ci passée en enforce."),
            FromProbe = f => f.Reached && f.MtaStsChecked && f.MtaStsPolicyMode == "testing"
                             && (f.MtaSts == MtaStsStatus.MxMismatch || f.MtaSts == MtaStsStatus.CertificateInvalid),
            Repair = new ManualRepair("FixMtaStsPolicy", MtaStsSteps, check: RecheckPolicyDomain),
        };

        // RFC 8461 section 3.3: with no live policy and none cached, a sender delivers as if there were none; Exchange Online may
        // hold a cached copy (Microsoft does not document its cache), so the probe cannot tell what it enforces: a Warning.
        public static readonly Scenario MtaStsPolicyUnreachable = new Scenario(Reason.MtaStsPolicyUnreachable)
        {
            Status = ProbeStatus.Warning,
            Label = T("MTA-STS policy unreachable", "stratégie MTA-STS inaccessible"),
            Cause = T("{MtaStsDomain} publishes an _mta-sts TXT record (id {MtaStsPolicyId}), but its policy could not be fetched from https://mta-sts.{MtaStsDomain}/.well-known/mta-sts.txt. A sender with no cached copy delivers as if there were no policy; Exchange Online may still hold one it fetched earlier and apply it until its max_age runs out.",
                      "{MtaStsDomain} publie un enregistrement TXT _mta-sts (id {MtaStsPolicyId}), mais sa stratégie n'a pas pu être lue à https://mta-sts.{MtaStsDomain}/.well-known/mta-sts.txt. Un expéditeur sans copie en cache remet comme s'il n'y avait pas de stratégie ; Exchange Online peut encore en détenir une lue plus tôt et l'appliquer jusqu'à l'expiration de son max_age."),
            Fix = T("Serve the policy at https://mta-sts.{MtaStsDomain}/.well-known/mta-sts.txt over HTTPS with a public certificate for mta-sts.{MtaStsDomain}, answering 200 without a redirect; or remove the TXT record _mta-sts.{MtaStsDomain} if MTA-STS is no longer meant.",
                    "Servez la stratégie à https://mta-sts.{MtaStsDomain}/.well-known/mta-sts.txt en HTTPS avec un certificat public pour mta-sts.{MtaStsDomain}, avec une réponse 200 sans redirection ; ou retirez l'enregistrement TXT _mta-sts.{MtaStsDomain} si MTA-STS n'est plus voulu."),
            PartnerFix = T("Ask the partner to serve their MTA-STS policy at https://mta-sts.{MtaStsDomain}/.well-known/mta-sts.txt (HTTPS, a valid certificate for mta-sts.{MtaStsDomain}, status 200, no redirect), or to remove _mta-sts.{MtaStsDomain}.",
                           "Demandez au partenaire de servir sa stratégie MTA-STS à https://mta-sts.{MtaStsDomain}/.well-known/mta-sts.txt (HTTPS, un certificat valide pour mta-sts.{MtaStsDomain}, statut 200, sans redirection), ou de retirer _mta-sts.{MtaStsDomain}."),
            FromProbe = f => f.Reached && f.MtaStsChecked && f.MtaSts == MtaStsStatus.PolicyUnreachable,
            Repair = new ManualRepair("FixMtaStsPolicyHost"),
        };

        public static readonly Scenario DaneUnverified = new Scenario(Reason.DaneUnverified)
        {
            Status = ProbeStatus.Warning,
            Label = T("DANE not verifiable from here", "DANE invérifiable d'ici"),
            Cause = T("{Host} publishes TLSA records, but the DNS server this probe asked does not validate DNSSEC, so it cannot tell whether Microsoft 365 applies DANE to {Server}.",
                      "{Host} publie des enregistrements TLSA, mais le serveur DNS interrogé par cette sonde ne valide pas DNSSEC : elle ne peut donc pas dire si Microsoft 365 applique DANE à {Server}."),
            Fix = T("Probe again with -DnsServer set to a validating resolver reached over a path you trust.",
                    "Relancez la sonde avec -DnsServer réglé sur un résolveur validant, joint par un chemin de confiance."),
            FromProbe = f => f.Reached && f.DaneEnforced && f.Dane == DaneStatus.Unknown,
            Repair = new ManualRepair("ProbeWithValidatingResolver"),
        };

        // Microsoft: under Mandatory "Mail is queued if validation fails or the destination does not support SMTP DANE": the mail
        // waits, so the result is Failed; Microsoft documents no code for the second case, so none is given (alerts are keyed
        // by this Reason instead).
        public static readonly Scenario DaneNotAvailable = new Scenario(Reason.DaneNotAvailable)
        {
            Label = T("no DANE for a Mandatory connector", "pas de DANE pour un connecteur Mandatory"),
            Cause = T("{Connector} has SmtpDaneMode Mandatory, and {Server} has no usable DNSSEC-signed TLSA record: Microsoft 365 holds mail for a destination without DANE under that mode.",
                      "{Connector} a SmtpDaneMode Mandatory, et {Server} n'a aucun enregistrement TLSA utilisable signé par DNSSEC : Microsoft 365 retient le courrier vers une destination sans DANE dans ce mode."),
            Fix = T("Publish DNSSEC-signed TLSA records (3 1 1) for {Host}, or set SmtpDaneMode Opportunistic on {Connector} if DANE cannot be required of this destination.",
                    "Publiez des enregistrements TLSA (3 1 1) signés par DNSSEC pour {Host}, ou réglez SmtpDaneMode sur Opportunistic pour {Connector} si DANE ne peut être exigé de cette destination."),
            PartnerFix = T("Ask the partner whether {Host} will publish DNSSEC-signed TLSA records; until then, mail through {Connector} under Mandatory waits.",
                           "Demandez au partenaire si {Host} publiera des enregistrements TLSA signés par DNSSEC ; d'ici là, le courrier passant par {Connector} en mode Mandatory attend."),
            FromProbe = f => f.Reached && f.DaneMissingUnderMandatory,
            Repair = new ManualRepair("PublishTlsaRecord", TlsaSteps),
        };
    }
}
