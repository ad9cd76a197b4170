using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Catalog
{
    // 450 4.4.312 DNS query failed, 556 5.1.10 (Null MX), 554 5.4.14 (a loop back into Microsoft 365) and 550 5.4.310 (the
    // recipient's domain does not exist: the address, not a connector).
    public static partial class ScenarioCatalog
    {
        static PsCommand ResolveMx(RepairContext c) =>
            new PsCommand("Resolve-DnsName").Param("Name", c.Server).Param("Type", "MX").Switch("DnsOnly");

        static PsCommand ResolveA(RepairContext c) =>
            new PsCommand("Resolve-DnsName").Param("Name", c.Server).Param("Type", "A").Switch("DnsOnly");

        public static readonly Scenario DnsQueryFailed = new Scenario(Reason.DnsQueryFailed)
        {
            Generic = true,
            Family = CodeFamily.DnsQueryFailed,
            FamilyDefault = true,
            Cause = T("{^Sender} could not resolve {Host} in DNS; the evidence does not say why (a lapsed domain, a failing DNS host, or a recent MX change that has not reached every resolver).",
                      "{^Sender} n'a pas pu résoudre {Host} dans le DNS ; la preuve ne dit pas pourquoi (un domaine expiré, un hébergeur DNS défaillant, ou une modification MX récente pas encore propagée)."),
            Fix = T("Check the records of {Host} with your DNS host (MX for a domain, A or AAAA for a smart host) and that the domain's registration is current; Test-ConnectorDelivery tells which of these it is.",
                    "Vérifiez les enregistrements de {Host} avec votre hébergeur DNS (MX pour un domaine, A ou AAAA pour un hôte actif) et que l'enregistrement du domaine est à jour ; Test-ConnectorDelivery indique lequel de ces cas s'applique."),
            PartnerFix = T("Ask the partner to check the DNS records of {Host} with their DNS host.",
                           "Demandez au partenaire de vérifier les enregistrements DNS de {Host} auprès de son hébergeur DNS."),
            SenderFix = T("Check that {Sender} can resolve {Host} (Resolve-DnsName {Host}, run there): the DNS servers it uses must answer for public names (Exchange: those of its network adapter, or Set-TransportService -ExternalDNSServers; an internal copy of the zone must hold the public records too), and the name it routes to must be right (Exchange: the send connector's SmartHosts; Postfix: relayhost). If they answer and the name is right, the DNS host of {Host} must check its records.",
                          "Vérifiez que {Sender} sait résoudre {Host} (Resolve-DnsName {Host}, exécuté sur place) : les serveurs DNS qu'il utilise doivent répondre pour les noms publics (Exchange : ceux de sa carte réseau, ou Set-TransportService -ExternalDNSServers ; une copie interne de la zone doit aussi porter les enregistrements publics), et le nom vers lequel il achemine doit être juste (Exchange : les SmartHosts du connecteur d'envoi ; Postfix : relayhost). S'ils répondent et que le nom est juste, l'hébergeur DNS de {Host} doit vérifier ses enregistrements."),
            Evidence = Words(NoTokens, "DNS query failed", "Échec de la requête DNS", @"SMTPSEND\.DNS\.\w+", "DNS", "could not be resolved", "name resolution",
                "No such host", "11001", "MxLoopback"),
            Repair = new ManualRepair("FixDns", check: ResolveMx),
        };

        public static readonly Scenario DnsNameNotFound = new Scenario(Reason.DnsNameNotFound)
        {
            Family = CodeFamily.DnsQueryFailed,
            Label = T("name not found", "nom introuvable"),
            Cause = T("DNS says {Host} does not exist (NXDOMAIN), although its domain does: a typing error in the connector, or a record that was deleted.",
                      "Le DNS indique que {Host} n'existe pas (NXDOMAIN), alors que son domaine existe : une faute de frappe dans le connecteur, ou un enregistrement supprimé."),
            Fix = T("Correct the smart host of {Connector} if it is mistyped, or publish the missing record for {Host} with your DNS host.",
                    "Corrigez l'hôte actif de {Connector} s'il est mal saisi, ou publiez l'enregistrement manquant de {Host} chez votre hébergeur DNS."),
            PartnerFix = T("Ask the partner to publish the record for {Host}, or correct the name in {Connector} if it is wrong.",
                           "Demandez au partenaire de publier l'enregistrement de {Host}, ou corrigez le nom dans {Connector} s'il est erroné."),
            ProbeImplication = T("This probe asked this computer's DNS servers (or -DnsServer); Microsoft 365 asks public DNS, which gives the same answer unless those servers hold a copy of the zone of their own (split DNS: -PublicDnsServer tells).",
                                 "Cette sonde a interrogé les serveurs DNS de ce poste (ou -DnsServer) ; Microsoft 365 interroge le DNS public, qui donne la même réponse, sauf si ces serveurs détiennent leur propre copie de la zone (DNS fractionné : -PublicDnsServer le dit)."),
            SenderFix = T("Correct the name {Sender} routes to if it is mistyped (Exchange: the send connector's SmartHosts; Postfix: relayhost), or publish the missing record for {Host}. If public DNS knows the name, the DNS servers {Sender} uses answer otherwise (an internal copy of the zone, split DNS): give them the public record.",
                          "Corrigez le nom vers lequel {Sender} achemine s'il est mal saisi (Exchange : les SmartHosts du connecteur d'envoi ; Postfix : relayhost), ou publiez l'enregistrement manquant de {Host}. Si le DNS public connaît le nom, les serveurs DNS qu'utilise {Sender} répondent autrement (une copie interne de la zone, DNS fractionné) : donnez-leur l'enregistrement public."),
            FromProbe = f => f.Dns == DnsFault.NameNotFound,
            // Postfix: "Host or domain name not found. Name service error for name=mx.contoso.com type=A: Host not found".
            Evidence = Words(new[] { "NonExistentDomain" }, @"SMTPSEND\.DNS\.NonExistentDomain", "NXDOMAIN", "non-?existent domain", "DnsDomainDoesNotExist",
                @"Host not found(?!,\s*try again)"),
            Repair = new ManualRepair("FixDns", new[]
            {
                T("If the connector names the wrong host, correct its SmartHosts (Set-OutboundConnector -Identity <connector> -SmartHosts <host>).",
                  "Si le connecteur nomme le mauvais hôte, corrigez ses SmartHosts (Set-OutboundConnector -Identity <connecteur> -SmartHosts <hôte>)."),
            }, ResolveA),
        };

        public static readonly Scenario DnsDomainNotRegistered = new Scenario(Reason.DnsDomainNotRegistered)
        {
            Family = CodeFamily.DnsQueryFailed,
            Label = T("domain not registered", "domaine non enregistré"),
            Cause = T("Neither {Host} nor its registered domain exists in DNS: the domain's registration has lapsed, or the domain part of the name is mistyped.",
                      "Ni {Host} ni son domaine enregistré n'existent dans le DNS : l'enregistrement du domaine a expiré, ou la partie domaine du nom est mal saisie."),
            Fix = T("Renew the domain with your registrar (Microsoft 365 keeps retrying for 24 hours), or correct the name in {Connector}.",
                    "Renouvelez le domaine auprès de votre bureau d'enregistrement (Microsoft 365 réessaie pendant 24 heures), ou corrigez le nom dans {Connector}."),
            PartnerFix = T("Tell the partner that their domain no longer resolves (its registration may have lapsed).",
                           "Prévenez le partenaire que son domaine ne se résout plus (son enregistrement a peut-être expiré)."),
            ProbeImplication = T("This probe asked this computer's DNS servers (or -DnsServer); Microsoft 365 asks public DNS, which gives the same answer unless those servers hold a copy of the zone of their own (split DNS: -PublicDnsServer tells).",
                                 "Cette sonde a interrogé les serveurs DNS de ce poste (ou -DnsServer) ; Microsoft 365 interroge le DNS public, qui donne la même réponse, sauf si ces serveurs détiennent leur propre copie de la zone (DNS fractionné : -PublicDnsServer le dit)."),
            SenderFix = T("Renew the domain with its registrar if it is yours, or correct the name {Sender} routes to (Exchange: the send connector's SmartHosts and address spaces; Postfix: relayhost); if the domain is registered and public DNS knows it, check the DNS servers {Sender} uses.",
                          "Renouvelez le domaine auprès de son bureau d'enregistrement s'il est le vôtre, ou corrigez le nom vers lequel {Sender} achemine (Exchange : les SmartHosts et les espaces d'adressage du connecteur d'envoi ; Postfix : relayhost) ; si le domaine est enregistré et que le DNS public le connaît, vérifiez les serveurs DNS qu'utilise {Sender}."),
            FromProbe = f => f.Dns == DnsFault.DomainNotRegistered,
            Repair = new ManualRepair("RenewDomain", check: ResolveMx),
        };

        public static readonly Scenario DnsServerFailure = new Scenario(Reason.DnsServerFailure)
        {
            Family = CodeFamily.DnsQueryFailed,
            Label = T("DNS server failure", "défaillance du serveur DNS"),
            Cause = T("The DNS servers for {Host} failed to answer (SERVFAIL or REFUSED): the zone's DNS hosting is broken, or its DNSSEC signatures do not validate.",
                      "Les serveurs DNS de {Host} n'ont pas su répondre (SERVFAIL ou REFUSED) : l'hébergement DNS de la zone est défaillant, ou ses signatures DNSSEC ne se valident pas."),
            Fix = T("Have your DNS host repair the zone of {Host}: its name servers, and its DNSSEC signing if it is signed.",
                    "Faites réparer la zone de {Host} par votre hébergeur DNS : ses serveurs de noms, et sa signature DNSSEC si elle est signée."),
            PartnerFix = T("Ask the partner to have their DNS host repair the zone of {Host}.",
                           "Demandez au partenaire de faire réparer la zone de {Host} par son hébergeur DNS."),
            ProbeImplication = T("This probe asked this computer's DNS servers (or -DnsServer): the failure may be theirs rather than the zone's. Microsoft 365 asks public DNS: ask a public resolver (-DnsServer or -PublicDnsServer) to tell which.",
                                 "Cette sonde a interrogé les serveurs DNS de ce poste (ou -DnsServer) : l'échec peut venir d'eux plutôt que de la zone. Microsoft 365 interroge le DNS public : interrogez un résolveur public (-DnsServer ou -PublicDnsServer) pour les départager."),
            SenderFix = T("Check the DNS servers {Sender} uses first: they must reach the internet's DNS (forwarders or root hints) and validate DNSSEC correctly. If a public resolver fails for {Host} too, the zone is broken: its DNS host must repair it.",
                          "Vérifiez d'abord les serveurs DNS qu'utilise {Sender} : ils doivent atteindre le DNS d'Internet (redirecteurs ou indications de racine) et valider correctement DNSSEC. Si un résolveur public échoue aussi pour {Host}, la zone est cassée : son hébergeur DNS doit la réparer."),
            // A zone whose DNSSEC fails validation: Exchange Online reports 4/5.4.312 DNS query failed today, not 4.7.324
            // ("How SMTP DANE works", Microsoft Learn, known limitation).
            FromProbe = f => f.Dns == DnsFault.ServerFailure || (f.DaneEnforced && f.Dane == DaneStatus.Bogus),
            // Postfix: "... Name service error for name=contoso.com type=MX: Host not found, try again" (SERVFAIL or no answer).
            Evidence = Words(new[] { "ErrorRetry", "ServerFailure", "ErrorTimeout" }, @"SMTPSEND\.DNS\.(?:ErrorRetry|ServerFailure)", "SERVFAIL", "DNS server failure",
                "ServerFailure", "ErrorRetry", "ErrorTimeout", @"Host not found,\s*try again"),
            Repair = new ManualRepair("FixDnsHosting", check: ResolveMx),
        };

        public static readonly Scenario DnsNoAddress = new Scenario(Reason.DnsNoAddress)
        {
            Family = CodeFamily.DnsQueryFailed,
            Label = T("no address", "aucune adresse"),
            Cause = T("{Host} exists in DNS but has neither an MX record nor an A or AAAA record, so there is no address to deliver to.",
                      "{Host} existe dans le DNS mais n'a ni enregistrement MX ni enregistrement A ou AAAA : il n'y a aucune adresse où remettre le courrier."),
            Fix = T("Publish an A (or AAAA) record for {Host}, or MX records if it is a mail domain, with your DNS host.",
                    "Publiez un enregistrement A (ou AAAA) pour {Host}, ou des enregistrements MX s'il s'agit d'un domaine de messagerie, chez votre hébergeur DNS."),
            PartnerFix = T("Ask the partner to publish an A/AAAA or MX record for {Host}.",
                           "Demandez au partenaire de publier un enregistrement A/AAAA ou MX pour {Host}."),
            ProbeImplication = T("This probe asked this computer's DNS servers (or -DnsServer); Microsoft 365 asks public DNS, which gives the same answer unless those servers hold a copy of the zone of their own (split DNS: -PublicDnsServer tells).",
                                 "Cette sonde a interrogé les serveurs DNS de ce poste (ou -DnsServer) ; Microsoft 365 interroge le DNS public, qui donne la même réponse, sauf si ces serveurs détiennent leur propre copie de la zone (DNS fractionné : -PublicDnsServer le dit)."),
            FromProbe = f => f.Dns == DnsFault.NoAddress,
            Evidence = Words(NoTokens, @"has no (?:A|AAAA|MX|address) records?", @"no address records?"),
            Repair = new ManualRepair("AddAddressRecord", check: ResolveA),
        };

        public static readonly Scenario NullMx = new Scenario(Reason.NullMx)
        {
            Family = CodeFamily.NullMx,
            FamilyDefault = true,
            Cause = T("{Domain} publishes a Null MX record (MX 0 \".\", RFC 7505): it states that it accepts no mail at all.",
                      "{Domain} publie un enregistrement MX nul (MX 0 \".\", RFC 7505) : il déclare n'accepter aucun courrier."),
            Fix = T("If {Domain} should receive mail, replace its Null MX with real MX records; otherwise remove it from the recipient domains of {Connector}.",
                    "Si {Domain} doit recevoir du courrier, remplacez son MX nul par de vrais enregistrements MX ; sinon retirez-le des domaines destinataires de {Connector}."),
            PartnerFix = T("Check with the partner that {Domain} is the right domain: it declares that it takes no mail.",
                           "Vérifiez avec le partenaire que {Domain} est le bon domaine : il déclare n'accepter aucun courrier."),
            FromProbe = f => f.Dns == DnsFault.NullMx,
            Evidence = Words(NoTokens, "null MX", @"domain (?:does not|doesn't) accept (?:e-?)?mail"),
            Repair = new ManualRepair("ReviewNullMxDomain", check: ResolveMx),
        };

        // 5.4.310 is not 4.4.312: no connector's smart host failed to resolve, the recipient's own domain does not exist, and
        // Exchange Online bounces at once ("DNS domain contoso.com does not exist [Message=InfoDomainNonexistent]
        // [LastAttemptedServerName=contoso.com]"; its NDR asks the sender to contact the recipient, whose domain "isn't properly
        // registered at their domain registrar", and links go.microsoft.com/fwlink/?LinkId=389361). The sender must act.
        public static readonly Scenario RecipientDomainNotFound = new Scenario(Reason.RecipientDomainNotFound)
        {
            Family = CodeFamily.RecipientDomainNotFound,
            FamilyDefault = true,
            Who = Responsible.Sender,
            Cause = T("The recipient's domain {Domain} does not exist in DNS, so {Sender} returned the message to its sender at once (5.4.310 is final: no retry). The address is mistyped, or the domain's registration has lapsed; no connector and none of your servers is involved.",
                      "Le domaine du destinataire {Domain} n'existe pas dans le DNS : {Sender} a donc renvoyé le message à son expéditeur aussitôt (5.4.310 est définitif : pas de nouvel essai). L'adresse est mal saisie, ou l'enregistrement du domaine a expiré ; aucun connecteur ni aucun de vos serveurs n'est en cause."),
            Fix = T("Nothing to change on the connectors. Check the recipient address for a typing error in its domain and send again to the right address; if the address is right, tell the recipient by another channel that their domain {Domain} no longer resolves, so they renew or restore it with their registrar.",
                    "Rien à changer sur les connecteurs. Vérifiez que le domaine de l'adresse du destinataire n'est pas mal saisi et renvoyez à la bonne adresse ; si l'adresse est juste, prévenez le destinataire par un autre moyen que son domaine {Domain} ne se résout plus, pour qu'il le renouvelle ou le rétablisse auprès de son bureau d'enregistrement."),
            // Not "InfoDomainNonexistent" alone: Exchange Server writes it in its 4.4.0 next-hop DNS failures too (DnsNameNotFound).
            Evidence = Words(NoTokens, @"DNS domain\s+\S+\s+does not exist", "recipient's domain does not exist", "domaine du destinataire n'existe pas"),
            Repair = new ManualRepair("CorrectRecipientAddress", check: ResolveMx),
        };

        public static readonly Scenario LoopToMicrosoft365 = new Scenario(Reason.LoopToMicrosoft365)
        {
            Family = CodeFamily.MailLoop,
            FamilyDefault = true,
            Cause = T("{Connector} is an OnPremises connector, but its destination {Server} is Microsoft 365's own front door: mail would go round until the hop count runs out.",
                      "{Connector} est un connecteur OnPremises, mais sa destination {Server} est le point d'entrée de Microsoft 365 lui-même : le courrier tournerait en rond jusqu'à épuisement du nombre de tronçons."),
            Fix = T("Set the smart host of {Connector} to your on-premises server's own name or address (not a *.mail.protection.outlook.com host); if on-premises mail is retired, disable the connector.",
                    "Faites pointer l'hôte actif de {Connector} vers le nom ou l'adresse de votre serveur local (pas un hôte *.mail.protection.outlook.com) ; si la messagerie locale est retirée, désactivez le connecteur."),
            FromProbe = f => f.LoopToMicrosoft365,
            Evidence = Words(NoTokens, "Hop count exceeded", "possible mail loop", "Nombre de tronçons dépassé"),
            Repair = new ManualRepair("FixSmartHostLoop", check: c => new PsCommand($"Get-{c.Prefix}OutboundConnector").Param("Identity", c.ConnectorIdentity)
                .Pipe(new PsCommand("Format-List").Literal("Name, ConnectorType, SmartHosts, UseMXRecord"))),
        };
    }
}
