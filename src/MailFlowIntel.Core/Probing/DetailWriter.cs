using System.Collections.Generic;
using System.Globalization;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// The Detail of a result: what the probe saw, in one or two plain sentences in the caller's language, made from the
    /// facts at the end (never during the session).
    /// </summary>
    internal static class DetailWriter
    {
        public static string Describe(ProbeFacts f, Scenario scenario, string recipient, string tlsProtocol, Language lang)
        {
            bool fr = lang == Language.French;
            string port = f.Port.ToString(CultureInfo.InvariantCulture);
            string seconds = f.TimeoutSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            string stage = f.Stage.ToString();
            string main;
            switch (scenario.Reason)
            {
                case Reason.DnsNameNotFound:
                case Reason.DnsDomainNotRegistered:
                    main = fr ? $"NXDOMAIN : {f.DnsName} n'existe pas." : $"NXDOMAIN: {f.DnsName} does not exist.";
                    if (scenario.Reason == Reason.DnsDomainNotRegistered)
                        main += fr ? " Son domaine enregistré n'existe pas non plus." : " Neither does its registered domain.";
                    break;
                case Reason.DnsServerFailure:
                    main = fr ? $"SERVFAIL : le serveur DNS n'a pas su répondre pour {f.DnsName}." : $"SERVFAIL: the DNS server failed to answer for {f.DnsName}.";
                    break;
                case Reason.DnsNoAddress:
                    main = fr ? $"{f.DnsName} n'a aucun enregistrement MX ni aucun enregistrement A ou AAAA." : $"{f.DnsName} has no MX record and no A or AAAA record.";
                    break;
                case Reason.NullMx:
                    main = fr ? $"{f.DnsName} publie un MX nul (MX 0 .) : il n'accepte aucun courrier." : $"{f.DnsName} publishes a Null MX (MX 0 .): it accepts no mail.";
                    break;
                case Reason.LoopToMicrosoft365:
                    main = fr ? "La destination est le point d'entrée de Microsoft 365 : rien n'a été connecté." : "The destination is Microsoft 365's own front door: nothing was connected to.";
                    break;
                case Reason.ConnectionRefused:
                    main = fr ? $"La connexion TCP au port {port} a été refusée (RST)." : $"TCP connection to port {port} was refused (RST).";
                    break;
                case Reason.ConnectTimedOut:
                    main = f.SocketError == null
                        ? (fr ? $"La connexion TCP au port {port} n'a pas eu de réponse en {seconds} s." : $"TCP connection to port {port} was not answered within {seconds} s.")
                        : (fr ? $"La connexion TCP au port {port} n'a pas eu de réponse ({f.SocketError} : hôte arrêté ou pare-feu qui ignore la connexion)."
                              : $"TCP connection to port {port} got no answer ({f.SocketError}: the host is down or a firewall drops the connection).");
                    break;
                case Reason.ProbeSideFault when f.EgressBlocked:
                    main = fr ? $"Cet ordinateur ne peut pas ouvrir le port TCP {port} vers Internet : la connexion a échoué ({f.SocketError ?? "pas de réponse"}) et la connexion de contrôle à {f.EgressCheckHost} aussi. Cela ne dit rien de ce serveur ni de ce que rencontre Microsoft 365."
                              : $"This computer cannot open TCP port {port} to the internet: the connection failed ({f.SocketError ?? "no answer"}) and so did the check connection to {f.EgressCheckHost}. This says nothing of the server, nor of what Microsoft 365 meets.";
                    break;
                case Reason.HairpinUnreachable:
                    main = fr ? $"Le DNS public mène à {f.PublicAddress}, qui n'a pas répondu depuis cet ordinateur sur le port {port} ; l'adresse donnée par le DNS de cet ordinateur ({f.PrivateAddress}) a répondu : NAT en épingle probable. Microsoft 365 se connecte depuis l'extérieur, ce que ce test ne voit pas."
                              : $"Public DNS leads to {f.PublicAddress}, which did not answer from this computer on port {port}; the address this computer's DNS gives ({f.PrivateAddress}) did: most likely a firewall without hairpin NAT. Microsoft 365 connects from outside, which this probe cannot see.";
                    break;
                case Reason.ProbeSideFault:
                    main = f.ConnectFault == SocketFault.NoRouteFromHere
                        ? (fr ? $"Ce poste n'a pas de route vers l'adresse ({f.SocketError}) : souvent le réseau de ce poste (pas de route IPv6, port 25 bloqué en sortie). Microsoft 365 peut très bien l'atteindre ; testez depuis un hôte qui le peut."
                              : $"This machine has no route to the address ({f.SocketError}): often this machine's own network (no IPv6 route, port 25 blocked on the way out). Microsoft 365 may well reach it; probe from a host that can.")
                        : (fr ? $"Ce poste n'a pas pu ouvrir la connexion ({f.SocketError}) : un problème du côté du test, pas du serveur."
                              : $"This machine could not open the connection ({f.SocketError}): a fault on the probing side, not of the server.");
                    break;
                case Reason.ServiceNotAvailable:
                case Reason.GreetingRejected:
                case Reason.EhloRejected:
                case Reason.StartTlsRefused:
                    string code = (f.RejectedCode ?? 0).ToString(CultureInfo.InvariantCulture);
                    main = f.ServerClosing
                        ? (fr ? $"Le serveur a répondu {code} à l'étape {stage} et fermé la connexion." : $"The server answered {code} at {stage} and closed the connection.")
                        : (fr ? $"Le serveur a répondu {code} à l'étape {stage}." : $"The server answered {code} at {stage}.");
                    break;
                case Reason.StartTlsNotOffered:
                    main = fr ? "Le connecteur exige le TLS mais le serveur ne propose pas STARTTLS." : "The connector requires TLS but the server does not offer STARTTLS.";
                    break;
                case Reason.StartTlsStripped:
                    main = fr ? "Le connecteur exige le TLS mais STARTTLS est masqué dans la réponse EHLO (XXXXXXXA) : un pare-feu qui inspecte le SMTP le cache."
                              : "The connector requires TLS but STARTTLS is masked in the server's EHLO reply (XXXXXXXA): a firewall inspecting SMTP hides it.";
                    break;
                case Reason.TlsVersionUnsupported:
                    string spoken = VersionWords(f.ServerTlsVersion);
                    main = fr ? $"Échec de la négociation TLS : le serveur ne propose aucune version de TLS à partir de 1.2 (à un client TLS 1.0 à 1.2, il a répondu en {spoken})."
                              : $"TLS negotiation failed: the server offers no TLS version from 1.2 up (to a TLS 1.0-1.2 client it answered with {spoken}).";
                    break;
                case Reason.TlsHandshakeFailed:
                    main = (fr ? "Échec de la négociation TLS : " : "TLS negotiation failed: ") + TlsFailureWords(f, fr) + ".";
                    break;
                case Reason.NotSmtp:
                    main = f.OverlongBytes > 0
                        ? (fr ? $"Le serveur a envoyé {f.OverlongBytes.ToString(CultureInfo.InvariantCulture)} octets sans fin de ligne à l'étape {stage} : aucune ligne de réponse SMTP ne dépasse 512 octets."
                              : $"The server sent {f.OverlongBytes.ToString(CultureInfo.InvariantCulture)} bytes without a line end at {stage}: no SMTP reply line is longer than 512 octets.")
                        : (fr ? $"La réponse du serveur à l'étape {stage} n'est pas du SMTP." : $"The server's reply at {stage} is not SMTP.");
                    break;
                case Reason.GreetingTimedOut:
                case Reason.ReplyTimedOut:
                    main = fr ? $"Aucune réponse complète en {seconds} s à l'étape {stage}." : $"No complete reply within {seconds} s at {stage}.";
                    break;
                case Reason.ClosedAbruptly:
                    main = f.Stage == ProbeStage.Greeting && f.ConnectFault == SocketFault.ClosedByPeer
                        ? (fr ? $"Le serveur a accepté la connexion TCP sur le port {port} puis l'a réinitialisée avant son accueil ({f.SocketError})."
                              : $"The server accepted the TCP connection on port {port} and reset it before its greeting ({f.SocketError}).")
                        : f.Reset
                            ? (fr ? $"Le serveur a réinitialisé la connexion à l'étape {stage}." : $"The server reset the connection at {stage}.")
                            : (fr ? $"Le serveur a fermé la connexion à l'étape {stage}." : $"The server closed the connection at {stage}.");
                    break;
                case Reason.MtaStsMxMismatch:
                case Reason.MtaStsMxNotListed:
                    main = fr ? $"La stratégie MTA-STS de {f.MtaStsPolicyDomain} (mode enforce) cite mx: {f.MtaStsMx} ; {Host(f)} ne correspond à aucune ligne : Microsoft 365 ne s'y connecte pas, et cette sonde non plus."
                              : $"The MTA-STS policy of {f.MtaStsPolicyDomain} (mode enforce) lists mx: {f.MtaStsMx}; {Host(f)} matches none of them: Microsoft 365 does not connect to it, and neither did this probe.";
                    if (scenario.Reason == Reason.MtaStsMxNotListed)
                        main += fr ? " Un autre hôte MX du domaine y figure." : " Another MX host of the domain is listed.";
                    break;
                case Reason.MtaStsCertificateInvalid:
                    main = (fr ? $"MTA-STS (stratégie de {f.MtaStsPolicyDomain}, mode enforce) : " : $"MTA-STS (policy of {f.MtaStsPolicyDomain}, mode enforce): ")
                         + MtaStsCertificateWords(f, fr) + ".";
                    break;
                case Reason.MtaStsTesting:
                    main = (fr ? $"La stratégie MTA-STS de {f.MtaStsPolicyDomain} est en mode testing : " : $"The MTA-STS policy of {f.MtaStsPolicyDomain} is in testing mode: ")
                         + (f.MtaSts == MtaStsStatus.MxMismatch
                             ? (fr ? $"{Host(f)} ne correspond à aucune de ses lignes mx: ({f.MtaStsMx})" : $"{Host(f)} matches none of its mx: lines ({f.MtaStsMx})")
                             : MtaStsCertificateWords(f, fr))
                         + (fr ? " ; la session a abouti (QUIT)." : "; the session went through (QUIT).");
                    break;
                case Reason.MtaStsPolicyUnreachable:
                    // The reason is the probe's own technical text (English), with the server's words cleaned.
                    main = fr ? $"Stratégie MTA-STS de {f.MtaStsPolicyDomain} non lue : {f.MtaStsFailure}. La session a abouti (QUIT)."
                              : $"MTA-STS policy of {f.MtaStsPolicyDomain} not fetched: {f.MtaStsFailure}. The session went through (QUIT).";
                    break;
                case Reason.RecipientRejected:
                case Reason.TlsRequiredByServer:
                    main = fr ? $"Le serveur a refusé {recipient}." : $"The server refused {recipient}.";
                    break;
                default:
                    if (f.CertificateRejected)
                    {
                        main = (fr ? "Échec de la validation du certificat (" : "Certificate validation failed (")
                             + CertificateReport.Describe(f.CheckedProblems).Replace("; ", ", ") + (fr ? ") pour '" : ") for '")
                             + Untrusted.Clean(f.Certificate?.Subject) + "'.";
                        if ((f.CheckedProblems & CertificateProblems.IncompleteChain) != 0 && f.Certificate != null)
                            main += fr ? $" Le serveur a envoyé {f.Certificate.PresentedCount} certificat(s), sans l'émetteur '{Untrusted.Clean(f.Certificate.MissingIssuer)}'."
                                       : $" The server sent {f.Certificate.PresentedCount} certificate(s) and not the issuer '{Untrusted.Clean(f.Certificate.MissingIssuer)}'.";
                    }
                    else if (recipient != null)
                        main = fr ? $"Le serveur a accepté {recipient} (aucun message n'a été envoyé)." : $"The server accepted {recipient} (no message was sent).";
                    else if (f.Reached)
                        main = tlsProtocol != null
                            ? (fr ? $"Connecté, STARTTLS en {tlsProtocol}, session terminée par QUIT." : $"Connected, STARTTLS with {tlsProtocol}, session ended with QUIT.")
                            : (fr ? "Connecté, session terminée par QUIT." : "Connected, session ended with QUIT.");
                    else main = null;
                    break;
            }
            var warnings = Warnings(f, fr);
            warnings.AddRange(DnsNotes(f, scenario.Reason, fr));
            if (f.Wildcard != null)
                warnings.Add(fr ? $"{f.Wildcard} couvre le domaine et ses sous-domaines (New-OutboundConnector, exemple 1) : le domaine a été testé par son MX ; ses sous-domaines, qui peuvent avoir leurs propres MX, ne l'ont pas été."
                                : $"{f.Wildcard} covers the domain and its subdomains (New-OutboundConnector, Example 1): the domain was probed by its MX; its subdomains, which may have MX records of their own, were not.");
            string cache = MtaStsCache(f, fr);
            if (cache != null) warnings.Add(cache);
            if (warnings.Count == 0) return main;
            return (main == null ? "" : main + " ") + string.Join(" ", warnings);
        }

        static string Host(ProbeFacts f) => f.MtaStsHost ?? (f.DnsName ?? "?");

        /// <summary>Why a host fails MTA-STS's certificate check: its problems by name, or no TLS at all.</summary>
        static string MtaStsCertificateWords(ProbeFacts f, bool fr)
        {
            if (f.MtaStsCertificateProblems != CertificateProblems.None)
                return (fr ? "le certificat échoue au contrôle de MTA-STS (" : "the certificate fails MTA-STS's check (")
                     + CertificateReport.Describe(f.MtaStsCertificateProblems).Replace("; ", ", ") + (fr ? ") pour '" : ") for '")
                     + Untrusted.Clean(f.Certificate?.Subject) + "'";
            if (!f.StartTlsOffered) return fr ? "le serveur ne propose pas STARTTLS, que la stratégie exige" : "the server does not offer STARTTLS, which the policy requires";
            return (fr ? "la négociation TLS a échoué : " : "the TLS handshake failed: ") + TlsFailureWords(f, fr);
        }

        /// <summary>
        /// Where a policy exists, what a fresh fetch cannot show: a sender keeps the policy it fetched until max_age runs out,
        /// and fetches again earlier only when the TXT id changes (RFC 8461 sections 3.3 and 5.1). Microsoft does not document
        /// Exchange Online's cache, so the sentence says "may".
        /// </summary>
        static string MtaStsCache(ProbeFacts f, bool fr)
        {
            if (!f.MtaStsChecked || f.MtaStsPolicyId == null) return null;
            string age = f.MtaStsMaxAge?.ToString(CultureInfo.InvariantCulture);
            return fr
                ? $"Exchange Online peut garder une stratégie MTA-STS déjà lue jusqu'à l'expiration de son max_age{(age != null ? $" ({age} s)" : "")} ou jusqu'à ce que l'id de _mta-sts.{f.MtaStsPolicyDomain} (actuellement {f.MtaStsPolicyId}) change : ce qu'il applique peut différer de cette lecture."
                : $"Exchange Online may keep an MTA-STS policy it fetched until its max_age{(age != null ? $" ({age} s)" : "")} runs out or the id of _mta-sts.{f.MtaStsPolicyDomain} (now {f.MtaStsPolicyId}) changes: what it enforces can differ from this fresh fetch.";
        }

        /// <summary>"TLS 1.1" for "Tls11", "SSL 3.0" for "Ssl3".</summary>
        static string VersionWords(string version) =>
            version == "Ssl3" ? "SSL 3.0" : version != null && version.StartsWith("Tls", System.StringComparison.Ordinal) && version.Length == 5
                ? "TLS " + version[3] + "." + version[4] : version ?? "?";

        static string TlsFailureWords(ProbeFacts f, bool fr)
        {
            switch (f.TlsFailure)
            {
                case TlsFailure.Closed:
                    return f.Reset
                        ? (fr ? "le serveur a réinitialisé la connexion pendant la négociation" : "the server reset the connection during the TLS handshake")
                        : (fr ? "le serveur a fermé la connexion pendant la négociation" : "the server closed the connection during the TLS handshake");
                default:
                    return Untrusted.Clean(f.TlsFailureMessage) ?? (fr ? "la négociation a échoué" : "the handshake failed");
            }
        }

        /// <summary>Where the address came from (DESIGN.md 2c), whatever the outcome: said after the main sentence.</summary>
        static IEnumerable<string> DnsNotes(ProbeFacts f, Reason reason, bool fr)
        {
            if (f.DnsView == DnsView.Split && reason != Reason.HairpinUnreachable)
                yield return fr ? $"DNS fractionné : le DNS de cet ordinateur donne {f.PrivateAddress}, le DNS public {f.PublicAddress} ; la sonde est allée à l'adresse publique, comme Exchange Online."
                                : $"Split DNS: this computer's DNS gives {f.PrivateAddress}, public DNS {f.PublicAddress}; the probe went to the public address, as Exchange Online does.";
            if (f.DnsView == DnsView.Private)
                yield return fr ? "Le DNS de cet ordinateur a donné une adresse privée : Microsoft 365 ne peut pas la joindre ; passez -PublicDnsServer pour tester l'adresse publique."
                                : "This computer's DNS gave a private address: Microsoft 365 cannot reach it; pass -PublicDnsServer to probe the public one.";
            if (f.PublicDnsUnreachable)
                yield return fr ? "Le serveur DNS public (-PublicDnsServer) n'a pas répondu : la réponse que voit Microsoft 365 est inconnue ; ce résultat suit le DNS de cet ordinateur."
                                : "The public DNS server (-PublicDnsServer) did not answer: the answer Microsoft 365 gets is unknown; this result follows this computer's DNS.";
        }

        /// <summary>What worked but deserves attention: said after the main sentence whatever the scenario.</summary>
        static List<string> Warnings(ProbeFacts f, bool fr)
        {
            var list = new List<string>();
            if (!f.Reached) return list;
            if (!f.StartTlsOffered && !f.Tls.RequiresTls())
                list.Add(f.StartTlsMasked
                    ? (fr ? "STARTTLS est masqué dans la réponse EHLO (XXXXXXXA) : Microsoft 365 remettrait sans chiffrement."
                          : "STARTTLS is masked in the server's EHLO reply (XXXXXXXA): Microsoft 365 would deliver without encryption.")
                    : (fr ? "Le serveur ne propose pas STARTTLS : Microsoft 365 remettrait sans chiffrement."
                          : "The server does not offer STARTTLS: Microsoft 365 would deliver without encryption."));
            if (f.Certificate != null && f.Certificate.Problems != CertificateProblems.None)
                list.Add(fr ? $"Le certificat a des problèmes que ce connecteur ne contrôle pas ({CertificateReport.Describe(f.Certificate.Problems).Replace("; ", ", ")}) ; un connecteur qui les contrôle échouerait avec 450 4.7.320."
                            : $"The certificate has problems this connector does not check ({CertificateReport.Describe(f.Certificate.Problems).Replace("; ", ", ")}); a validating connector would fail with 450 4.7.320.");
            if (f.Certificate != null) list.AddRange(RootWords(f.Certificate, fr));
            if (f.Certificate != null && (f.Certificate.Notes & CertificateNotes.ExpiresSoon) != 0)
                list.Add(fr ? $"Le certificat expire le {f.Certificate.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (dans moins de {CertificateCheck.ExpiryWarning.TotalDays:0} jours)."
                            : $"The certificate expires on {f.Certificate.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (within {CertificateCheck.ExpiryWarning.TotalDays:0} days).");
            return list;
        }

        /// <summary>Where the certificate's root is trusted (DESIGN.md 2c): a public list this computer lacks, a parameter, or this computer only.</summary>
        static IEnumerable<string> RootWords(CertificateReport c, bool fr)
        {
            string root = Untrusted.Clean(c.Root, 200);
            if ((c.Notes & CertificateNotes.PublicRootNotInstalled) != 0)
                yield return fr ? $"La racine '{root}' est dans la liste de {c.RootProgram} mais pas parmi les racines approuvées de cet ordinateur : la chaîne a été ancrée par la liste, comme le ferait Microsoft 365 (Windows télécharge ces racines à la demande ; un serveur où cette mise à jour est désactivée ne l'aurait pas)."
                                : $"The root '{root}' is in {c.RootProgram}'s list but not among this computer's trusted roots: the chain was anchored with the list, as Microsoft 365 would anchor it (Windows fetches such roots on demand; a server with that update turned off would not have it).";
            else if ((c.Notes & CertificateNotes.RootFromParameter) != 0)
                yield return fr ? $"La racine '{root}' n'est dans la liste d'aucun programme public ; elle n'a été approuvée ici que parce que -CertificateAuthority ou -TrustedRootList la donnait : Microsoft 365 approuve les racines publiques."
                                : $"The root '{root}' is in no public program's list; it was trusted here only because -CertificateAuthority or -TrustedRootList gave it: Microsoft 365 trusts public roots.";
            else if (c.RootNotInPublicProgram)
                yield return fr ? $"La racine '{root}' est approuvée par cet ordinateur mais n'est dans la liste d'aucun programme public : un connecteur qui valide les certificats échouerait très probablement chez Microsoft 365 (450 4.7.320)."
                                : $"The root '{root}' is trusted by this computer but is in no public program's list: a connector that validates certificates would most likely fail at Microsoft 365 (450 4.7.320).";
        }
    }
}
