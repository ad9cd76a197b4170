using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;

namespace MailFlowIntel.Core.Catalog
{
    // What this computer's position explains (DESIGN.md 2c): Exchange Online resolves public DNS and connects from its own
    // addresses, so a private answer or a firewall that does not loop back says nothing of what Microsoft 365 meets. None of
    // these is a code Microsoft 365 would give.
    public static partial class ScenarioCatalog
    {
        public static readonly Scenario HairpinUnreachable = new Scenario(Reason.HairpinUnreachable)
        {
            Status = ProbeStatus.NotTested,
            Label = T("public address not reachable from inside", "adresse publique injoignable de l'intérieur"),
            Cause = T("Public DNS gives {Server} the address {PublicAddress}, which did not answer from this computer on port {Port}, while the address this computer's DNS gives ({PrivateAddress}) did: a firewall that does not loop inside traffic back to the public address (hairpin NAT). Microsoft 365 connects to {PublicAddress} from outside, which this computer cannot see.",
                      "Le DNS public donne à {Server} l'adresse {PublicAddress}, qui n'a pas répondu depuis cet ordinateur sur le port {Port}, alors que l'adresse donnée par le DNS de cet ordinateur ({PrivateAddress}) a répondu : un pare-feu qui ne renvoie pas le trafic interne vers l'adresse publique (NAT en épingle). Microsoft 365 se connecte à {PublicAddress} depuis l'extérieur, ce que cet ordinateur ne peut pas voir."),
            Fix = T("Probe {PublicAddress} from a host outside your network (a cloud VM that can open port {Port}), or check from Microsoft 365's side with Validate-OutboundConnector.",
                    "Testez {PublicAddress} depuis un hôte hors de votre réseau (une VM dans le cloud qui peut ouvrir le port {Port}), ou vérifiez du côté de Microsoft 365 avec Validate-OutboundConnector."),
            FromProbe = f => f.Hairpin,
            Repair = NothingToRepair.Instance,
        };

        public static readonly Scenario SplitDns = new Scenario(Reason.SplitDns)
        {
            Status = ProbeStatus.Warning,
            Label = T("split DNS", "DNS fractionné"),
            Cause = T("This computer's DNS gives {Server} the address {PrivateAddress}, public DNS gives {PublicAddress}: Exchange Online resolves public DNS, so this probe went to {PublicAddress}, as Microsoft 365 would.",
                      "Le DNS de cet ordinateur donne à {Server} l'adresse {PrivateAddress}, le DNS public donne {PublicAddress} : Exchange Online interroge le DNS public, cette sonde est donc allée à {PublicAddress}, comme le ferait Microsoft 365."),
            Fix = T("Make sure the public record of {Host} leads to the server meant to receive Microsoft 365's mail ({PublicAddress} now), and that it accepts Microsoft 365's addresses on port {Port}.",
                    "Vérifiez que l'enregistrement public de {Host} mène au serveur qui doit recevoir le courrier de Microsoft 365 ({PublicAddress} actuellement), et qu'il accepte les adresses de Microsoft 365 sur le port {Port}."),
            FromProbe = f => f.Reached && f.DnsView == DnsView.Split,
            Repair = new ManualRepair("CheckPublicDns"),
        };

        public static readonly Scenario PrivateAddress = new Scenario(Reason.PrivateAddress)
        {
            Status = ProbeStatus.Warning,
            Label = T("private address", "adresse privée"),
            Cause = T("This computer's DNS gives {Server} the private address {Address}, which Microsoft 365 cannot reach from the internet; Exchange Online resolves public DNS, whose answer this probe did not ask.",
                      "Le DNS de cet ordinateur donne à {Server} l'adresse privée {Address}, que Microsoft 365 ne peut pas joindre depuis Internet ; Exchange Online interroge le DNS public, dont cette sonde n'a pas demandé la réponse."),
            Fix = T("Probe again with -PublicDnsServer (a public resolver) to test the address Exchange Online connects to; publish a public record for {Host} if there is none.",
                    "Relancez la sonde avec -PublicDnsServer (un résolveur public) pour tester l'adresse à laquelle se connecte Exchange Online ; publiez un enregistrement public pour {Host} s'il n'y en a pas."),
            FromProbe = f => f.Reached && f.DnsView == DnsView.Private,
            Repair = new ManualRepair("ProbeWithPublicDns"),
        };
    }
}
