using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Catalog
{
    // What only the comparison of two vantages of one connector and server names (DESIGN.md 2c): Microsoft 365's evidence
    // beside a probe from this computer. None comes from a probe or from evidence alone.
    public static partial class ScenarioCatalog
    {
        static readonly Phrase[] AllowMicrosoft365Steps =
        {
            T("On the firewall or proxy in front of {Host}, allow inbound TCP {Port} from Microsoft 365's Exchange Online ranges (Get-MailFlowEndpoint's list): {Ranges}.",
              "Sur le pare-feu ou le proxy devant {Host}, autorisez le TCP {Port} entrant depuis les plages d'Exchange Online de Microsoft 365 (la liste de Get-MailFlowEndpoint) : {Ranges}."),
            T("On {Host}, check the receive connector that takes Microsoft 365's connections (Get-ReceiveConnector: RemoteIPRanges, PermissionGroups, TlsCertificateName): it must admit those ranges and present the certificate the connector checks.",
              "Sur {Host}, vérifiez le connecteur de réception qui prend les connexions de Microsoft 365 (Get-ReceiveConnector : RemoteIPRanges, PermissionGroups, TlsCertificateName) : il doit admettre ces plages et présenter le certificat que contrôle le connecteur."),
            T("Check that public DNS gives {Host} the address your own network reaches (Test-ConnectorDelivery -PublicDnsServer).",
              "Vérifiez que le DNS public donne à {Host} l'adresse que joint votre réseau (Test-ConnectorDelivery -PublicDnsServer)."),
        };

        public static readonly Scenario BlockedForMicrosoft365 = new Scenario(Reason.BlockedForMicrosoft365)
        {
            FromComparison = true,
            Label = T("blocked for Microsoft 365 only", "bloqué pour Microsoft 365 seulement"),
            Cause = T("Microsoft 365 reports {Code} for {Server} through {Connector}, yet {ProbeFinding}: something on the way treats Microsoft 365's addresses differently (a firewall or proxy that admits your network but not Microsoft 365's ranges, a receive connector scoped to other addresses, split DNS, or another certificate on the connector Microsoft 365 lands on).",
                      "Microsoft 365 signale {Code} pour {Server} par {Connector}, alors que {ProbeFinding} : quelque chose sur le chemin traite les adresses de Microsoft 365 autrement (un pare-feu ou un proxy qui admet votre réseau mais pas les plages de Microsoft 365, un connecteur de réception limité à d'autres adresses, un DNS fractionné, ou un autre certificat sur le connecteur où arrive Microsoft 365)."),
            Fix = T("Let Microsoft 365's own addresses reach {Host} on TCP {Port} as your network does: allow its Exchange Online ranges ({Ranges}) on the firewall or proxy in front of it, and check the receive connector that takes them.",
                    "Laissez les adresses de Microsoft 365 joindre {Host} sur le TCP {Port} comme le fait votre réseau : autorisez ses plages d'Exchange Online ({Ranges}) sur le pare-feu ou le proxy devant lui, et vérifiez le connecteur de réception qui les prend."),
            PartnerFix = T("Ask the partner to let Microsoft 365's addresses reach {Host} on TCP {Port}: it answers other senders but not Microsoft 365 ({Code}).",
                           "Demandez au partenaire de laisser les adresses de Microsoft 365 joindre {Host} sur le TCP {Port} : il répond à d'autres expéditeurs mais pas à Microsoft 365 ({Code})."),
            Repair = new ManualRepair("AllowMicrosoft365Addresses", AllowMicrosoft365Steps),
        };

        public static readonly Scenario BlockedForThisComputer = new Scenario(Reason.BlockedForThisComputer)
        {
            FromComparison = true,
            Status = ProbeStatus.Warning,
            Label = T("blocked for this computer only", "bloqué pour cet ordinateur seulement"),
            Cause = T("This computer could not deliver to {Server} ({ProbeFinding}), while Microsoft 365 delivers through {Connector} in this run: the fault is on this computer's path (its firewall, its proxy, port 25 blocked on the way out), not in the mail flow.",
                      "Cet ordinateur n'a pas pu remettre à {Server} ({ProbeFinding}), alors que Microsoft 365 remet par {Connector} dans cette exécution : le problème est sur le chemin de cet ordinateur (son pare-feu, son proxy, le port 25 bloqué en sortie), pas dans le flux de messagerie."),
            Fix = T("Nothing to change for Microsoft 365's mail. To probe from a place that means more, run Test-ConnectorDelivery outside the corporate firewall, with -EgressCheckHost.",
                    "Rien à modifier pour le courrier de Microsoft 365. Pour tester d'un endroit plus parlant, lancez Test-ConnectorDelivery hors du pare-feu de l'entreprise, avec -EgressCheckHost."),
            Repair = NothingToRepair.Instance,
        };

        public static readonly Scenario DifferentCertificateForMicrosoft365 = new Scenario(Reason.DifferentCertificateForMicrosoft365)
        {
            FromComparison = true,
            Label = T("another certificate for Microsoft 365", "un autre certificat pour Microsoft 365"),
            Cause = T("Microsoft 365 names the certificate {ReportedCertificate} for {Server}, while this computer was served {Subject} (thumbprint {Thumbprint}): the connector Microsoft 365 lands on presents another certificate (a receive connector scoped to Microsoft 365's addresses, or a device in front of it).",
                      "Microsoft 365 nomme le certificat {ReportedCertificate} pour {Server}, alors que cet ordinateur a reçu {Subject} (empreinte {Thumbprint}) : le connecteur où arrive Microsoft 365 présente un autre certificat (un connecteur de réception limité aux adresses de Microsoft 365, ou un équipement devant lui)."),
            Fix = T("On {Host}, find the receive connector that takes Microsoft 365's addresses (Get-ReceiveConnector: RemoteIPRanges, TlsCertificateName) and bind to it the certificate this computer was served, or a current one that carries {TlsDomain}.",
                    "Sur {Host}, trouvez le connecteur de réception qui prend les adresses de Microsoft 365 (Get-ReceiveConnector : RemoteIPRanges, TlsCertificateName) et liez-lui le certificat reçu par cet ordinateur, ou un certificat valide qui porte {TlsDomain}."),
            PartnerFix = T("Tell the partner that {Host} shows Microsoft 365 another certificate ({ReportedCertificate}) than other senders ({Subject}).",
                           "Signalez au partenaire que {Host} montre à Microsoft 365 un autre certificat ({ReportedCertificate}) qu'aux autres expéditeurs ({Subject})."),
            Repair = new ManualRepair("BindCertificateForMicrosoft365"),
        };
    }
}
