using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Probing;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>
    /// From a failure code and the connector's current state to a plan: the changes Exchange Online cmdlets can make
    /// (each with its rollback), and the steps only a person can take, spelled out for this case. It never lowers TLS.
    /// </summary>
    public static class RepairPlanner
    {
        public static List<PlannedStep> Plan(RepairInput input, ConnectorState connector, IReadOnlyList<AcceptedDomainState> acceptedDomains,
            RepairOptions options, FreshCertificate fresh)
        {
            var plan = new List<PlannedStep>();
            // Microsoft 365 failed over and delivered: a failure that queues nothing never drives an automatic change.
            if (input.FailoverServer != null) options = options.ManualOnly();
            FailureCode code = FailureCatalog.Find(input.Code);
            string connectorName = connector?.Name ?? input.Connector;
            string server = input.DestinationServer ?? connector?.SmartHosts.FirstOrDefault() ?? "the destination server";
            string address = input.LastAttemptedIP;
            bool partner = connector != null && !connector.IsOnPremises;

            if (code == FailureCatalog.ConnectionRefused)
            {
                if (options.Decommissioned && connector != null && (connector.IsOnPremises || connector.ConnectorType == null))
                    PlanDecommission(plan, input, connector, acceptedDomains, options);
                else
                {
                    string why = options.Decommissioned && partner
                        ? "The connector goes to a partner: it is never disabled automatically, even with -Decommissioned."
                        : null;
                    plan.Add(Manual(input, connectorName, "AllowMicrosoft365OnPort25", address ?? server,
                        why ?? $"{server} refused TCP 25: most often a firewall that does not admit Microsoft 365.",
                        partner ? PartnerSteps(server, "refuses connections on TCP 25 from Microsoft 365")
                                : Numbered(
                                    $"On the firewall in front of {Describe(server, address)}, allow inbound TCP 25 from Microsoft 365's Exchange Online ranges: {string.Join(", ", Microsoft365Network.ExchangeOnlineRanges)}.",
                                    "Keep the list current from Microsoft's endpoints service (the Command of this step prints it).",
                                    $"Check that the SMTP service on {server} is running and listening on TCP 25.",
                                    "If on-premises mail was retired on purpose, run this again with -Decommissioned to disable the connector and make the domains Authoritative."),
                        Microsoft365Network.EndpointsCommand));
                }
            }
            else if (code == FailureCatalog.DnsQueryFailed)
            {
                plan.Add(Manual(input, connectorName, "FixDns", server, $"The DNS lookup for {server} failed.",
                    partner ? PartnerSteps(server, "cannot be resolved in DNS")
                            : Numbered(
                                $"Look up the name as the internet sees it: Resolve-DnsName {server} -Type A, and -Type MX for a domain.",
                                "With your DNS host, restore the missing or failing records (A/AAAA for a smart host, MX for a domain); check that the domain registration has not lapsed.",
                                $"If the connector names the wrong host, correct it: Set-{options.Prefix}OutboundConnector -Identity {Q(connectorName)} -SmartHosts <host>."),
                    $"Resolve-DnsName -Name {Q(server)} -Type A -DnsOnly"));
            }
            else if (code == FailureCatalog.ConnectionTimedOut)
            {
                plan.Add(Manual(input, connectorName, "CheckServerReachable", address ?? server, $"{Describe(server, address)} did not answer on TCP 25 in time.",
                    partner ? PartnerSteps(server, "does not answer on TCP 25")
                            : Numbered(
                                $"Check that {server} is up and its SMTP service is running.",
                                $"Check that the firewall forwards TCP 25 from Microsoft 365's Exchange Online ranges to {Describe(server, address)} and does not silently drop it.",
                                $"Check that the connector's smart hosts hold the server's current address (after a change of internet provider they may not): Get-{options.Prefix}OutboundConnector -Identity {Q(connectorName)} | Format-List SmartHosts."),
                    $"Test-NetConnection -ComputerName {Q(address ?? server)} -Port 25"));
            }
            else if (code == FailureCatalog.CannotConnect)
            {
                plan.Add(Manual(input, connectorName, "CheckServerTls", server, $"{server} answered but did not let the session proceed{(input.Detail != null ? " (" + input.Detail + ")" : "")}.",
                    partner ? PartnerSteps(server, "rejects the session or cannot meet the connector's TLS requirement")
                            : Numbered(
                                $"On {server}, check the receive connector that Microsoft 365 reaches: it must answer 220 to the greeting and offer STARTTLS.",
                                "Enable TLS 1.2 on the server and bind a current certificate to SMTP.",
                                $"Compare with the connector's TLS setting ({connector?.TlsSettings ?? "unknown"}): keep it; fix the server rather than weakening the connector."),
                    Cmd("Test-ConnectorDelivery", ("SmartHost", server), ("TlsSettings", connector?.TlsSettings)) + " -Verbose"));
            }
            else if (code == FailureCatalog.ClosedAbruptly)
            {
                plan.Add(Manual(input, connectorName, "CheckConnectionDrops", server, $"The session with {server} was dropped before it was done.",
                    partner ? PartnerSteps(server, "drops the session")
                            : Numbered(
                                $"Turn off SMTP inspection (\"fixup\", \"ESMTP inspection\") on the firewall in front of {server}.",
                                $"Check the mail service on {server} for hangs, crashes or low resources.",
                                "Ask the network team to trace the path between Microsoft 365 and the server."),
                    $"Test-ConnectorDelivery -SmartHost {Q(server)} -IncludeTranscript | Select-Object -ExpandProperty Transcript"));
            }
            else if (code == FailureCatalog.CertificateValidationFailed)
            {
                PlanCertificate(plan, input, connector, acceptedDomains, options, fresh, server, partner);
            }
            else if (code == FailureCatalog.DomainAcceptsNoMail)
            {
                plan.Add(Manual(input, connectorName, "ReviewNullMxDomain", server, $"{server} publishes a Null MX: it accepts no mail.",
                    Numbered($"If {server} should receive mail, replace its Null MX with real MX records.",
                             $"Otherwise remove it from the connector's recipient domains: Set-{options.Prefix}OutboundConnector -Identity {Q(connectorName)} -RecipientDomains @{{Remove={Q(server)}}}."),
                    $"Resolve-DnsName -Name {Q(server)} -Type MX -DnsOnly"));
            }
            else
            {
                plan.Add(Manual(input, connectorName, "Investigate", server, $"{input.Code} is not one of the connector failure codes.",
                    Numbered($"Read the destination server's reply ({input.Detail ?? input.Code}) and its documentation.",
                             $"Look at the destination server ({server}) for the cause, or correct the connector if it is misconfigured."),
                    $"Get-{options.Prefix}OutboundConnector -Identity {Q(connectorName)} | Format-List"));
            }
            return plan;
        }

        static void PlanDecommission(List<PlannedStep> plan, RepairInput input, ConnectorState connector,
            IReadOnlyList<AcceptedDomainState> acceptedDomains, RepairOptions options)
        {
            string id = connector.Identity ?? connector.Name;
            // Read without Exchange Online, the connector's type is unknown: the admin must check it is OnPremises.
            string typeCheck = connector.ConnectorType == null
                ? $" Only for an OnPremises connector: check first with Get-{options.Prefix}OutboundConnector -Identity {Q(id)} | Select-Object ConnectorType; a Partner connector must not be disabled."
                : "";
            plan.Add(new PlannedStep
            {
                Action = Auto(input, connector.Name, "DisableConnector", connector.Name,
                    "The destination was retired on purpose (-Decommissioned): stop routing mail to it." + typeCheck,
                    Line(options, "OutboundConnector", ("Identity", id), ("Enabled", false)),
                    Line(options, "OutboundConnector", ("Identity", id), ("Enabled", true))),
                Change = new ExchangeChange("OutboundConnector", Params(("Identity", id), ("Enabled", false)), Params(("Identity", id), ("Enabled", true))),
                AlreadyDone = !connector.Enabled,
                Description = $"Disable outbound connector '{connector.Name}'",
            });
            int disable = plan.Count - 1;

            // The domains that mail through this connector: named by the admin, else the connector's recipient domains.
            IEnumerable<string> names = options.AcceptedDomains.Count > 0 ? options.AcceptedDomains : connector.RecipientDomains;
            var known = acceptedDomains ?? Array.Empty<AcceptedDomainState>();
            var domains = known
                .Where(d => names.Any(n => string.Equals(n.Trim().TrimStart('*', '.'), d.DomainName, StringComparison.OrdinalIgnoreCase)))
                .Where(d => !string.Equals(d.DomainType, "ExternalRelay", StringComparison.OrdinalIgnoreCase))   // only InternalRelay is switched
                .ToList();
            foreach (string missing in options.AcceptedDomains.Where(n => !known.Any(d => string.Equals(d.DomainName, n.Trim(), StringComparison.OrdinalIgnoreCase))))
                plan.Add(Manual(input, connector.Name, "AcceptedDomainNotFound", missing, $"{missing} is not an accepted domain of this organisation.",
                    Numbered($"Check the name: Get-{options.Prefix}AcceptedDomain lists the accepted domains."),
                    $"Get-{options.Prefix}AcceptedDomain"));
            foreach (AcceptedDomainState d in domains)
            {
                bool authoritative = string.Equals(d.DomainType, "Authoritative", StringComparison.OrdinalIgnoreCase);
                string did = d.Identity ?? d.DomainName;
                string before = d.DomainType ?? "InternalRelay";
                plan.Add(new PlannedStep
                {
                    Action = Auto(input, connector.Name, "SetAcceptedDomainAuthoritative", d.DomainName,
                        $"Mail for {d.DomainName} no longer goes on-premises: make Microsoft 365 authoritative so it rejects unknown recipients at once.",
                        Line(options, "AcceptedDomain", ("Identity", did), ("DomainType", "Authoritative")),
                        Line(options, "AcceptedDomain", ("Identity", did), ("DomainType", before)), dependsOn: "DisableConnector"),
                    Change = new ExchangeChange("AcceptedDomain", Params(("Identity", did), ("DomainType", "Authoritative")), Params(("Identity", did), ("DomainType", before))),
                    AlreadyDone = authoritative,
                    DependsOn = disable,
                    Description = $"Set accepted domain '{d.DomainName}' from {before} to Authoritative",
                });
            }
            if (domains.Count == 0)
                plan.Add(Manual(input, connector.Name, "SetAcceptedDomainAuthoritative", connector.Name,
                    "No accepted domain could be matched to this connector.",
                    Numbered($"Find the accepted domain that was relayed to the retired servers: Get-{options.Prefix}AcceptedDomain | Where-Object DomainType -eq InternalRelay.",
                             "Set it to Authoritative, or run this again with -AcceptedDomain <name>."),
                    $"Get-{options.Prefix}AcceptedDomain | Where-Object DomainType -eq 'InternalRelay'"));
        }

        static void PlanCertificate(List<PlannedStep> plan, RepairInput input, ConnectorState connector, IReadOnlyList<AcceptedDomainState> acceptedDomains,
            RepairOptions options, FreshCertificate fresh, string server, bool partner)
        {
            string connectorName = connector?.Name ?? input.Connector;
            string errors = fresh?.Errors ?? input.CertificateErrors ?? input.Detail ?? "";
            bool nameOnly = errors.IndexOf("SubjectMismatch", StringComparison.OrdinalIgnoreCase) >= 0
                            && (fresh == null || fresh.ValidAndTrusted);
            string seen = input.CertificateSubject != null
                ? $"the certificate {input.CertificateSubject} (names: {input.CertificateNames ?? "none"}{(input.CertificateNotAfter != null ? ", valid until " + input.CertificateNotAfter.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")})"
                : "a certificate";
            bool freshPasses = fresh != null && fresh.ValidAndTrusted && (fresh.Errors ?? "").IndexOf("SubjectMismatch", StringComparison.OrdinalIgnoreCase) < 0;
            if (options.AdoptCertificateName && freshPasses)
            {
                plan.Add(new PlannedStep
                {
                    Action = new RepairAction
                    {
                        Code = CodeOf(input), Connector = connectorName, Action = "SetTlsDomain", Target = connectorName, Automatic = true,
                        Status = RepairStatus.Skipped, RollbackCommand = "", DestinationServer = input.DestinationServer,
                        Reason = $"A fresh probe of {fresh.Host} shows a certificate that now passes the connector's check: nothing to change.",
                        Command = Cmd("Test-ConnectorDelivery", ("SmartHost", fresh.Host), ("TlsSettings", connector?.TlsSettings), ("TlsDomain", connector?.TlsDomain)),
                    },
                });
                return;
            }

            if (options.AdoptCertificateName && nameOnly && connector != null && fresh != null
                && string.Equals(connector.TlsSettings, "DomainValidation", StringComparison.OrdinalIgnoreCase))
            {
                string name = AdoptableName(fresh.Names, connector, acceptedDomains);
                if (name != null)
                {
                    string id = connector.Identity ?? connector.Name;
                    plan.Add(new PlannedStep
                    {
                        Action = Auto(input, connectorName, "SetTlsDomain", connectorName,
                            $"{fresh.Host} presents a valid, trusted certificate for {name}; the connector expects {connector.TlsDomain ?? "the smart host name"}."
                            + ((fresh.Errors ?? "").IndexOf("PrivateRoot", StringComparison.Ordinal) >= 0
                                ? " Note: it was trusted here only through -CertificateAuthority; Microsoft 365 trusts public roots only." : ""),
                            Line(options, "OutboundConnector", ("Identity", id), ("TlsDomain", name)),
                            Line(options, "OutboundConnector", ("Identity", id), ("TlsDomain", connector.TlsDomain))),
                        Change = new ExchangeChange("OutboundConnector", Params(("Identity", id), ("TlsDomain", name)), Params(("Identity", id), ("TlsDomain", connector.TlsDomain))),
                        AlreadyDone = string.Equals(connector.TlsDomain, name, StringComparison.OrdinalIgnoreCase),
                        Description = $"Set TlsDomain of outbound connector '{connectorName}' from '{connector.TlsDomain}' to '{name}'",
                    });
                    return;
                }
            }

            string why = !options.AdoptCertificateName ? ""
                : fresh == null && connector != null ? " The connector's smart hosts could not be probed again, so no name is adopted."
                : !nameOnly ? " The certificate is not valid and trusted, so its name is not adopted."
                : connector == null ? " The connector's settings could not be read."
                : !string.Equals(connector.TlsSettings, "DomainValidation", StringComparison.OrdinalIgnoreCase) ? " The connector does not check names (TlsSettings is not DomainValidation)."
                : " No name on the certificate lies inside the connector's recipient domains or the accepted domains.";
            plan.Add(Manual(input, connectorName, "ReplaceCertificate", server,
                $"{server} presented {seen}, which failed the connector's check ({(errors.Length > 0 ? errors : "certificate validation failed")}).{why}",
                partner ? PartnerSteps(server, $"presents a certificate that fails validation ({errors})")
                        : Numbered(
                            $"On {server}, install a certificate from a public certificate authority that is in date and carries {connector?.TlsDomain ?? server}.",
                            "Bind it to SMTP (Exchange Server: Enable-ExchangeCertificate -Services SMTP) and restart the transport service.",
                            $"Or, if the certificate is right and the connector expects the wrong name, correct TlsDomain: Set-{options.Prefix}OutboundConnector -Identity {Q(connectorName)} -TlsDomain <name on the certificate>"
                            + (options.AdoptCertificateName ? "." : " (or run this again with -AdoptCertificateName).")),
                Cmd("Test-ConnectorDelivery", ("SmartHost", server), ("TlsSettings", connector?.TlsSettings ?? "CertificateValidation"), ("TlsDomain", connector?.TlsDomain))));
        }

        /// <summary>A certificate name inside the connector's recipient domains or the organisation's accepted domains.</summary>
        static string AdoptableName(IReadOnlyList<string> names, ConnectorState connector, IReadOnlyList<AcceptedDomainState> accepted)
        {
            var allowed = connector.RecipientDomains.Select(d => d.Trim().TrimStart('*', '.'))
                .Concat((accepted ?? Array.Empty<AcceptedDomainState>()).Select(d => d.DomainName))
                .Where(d => !string.IsNullOrEmpty(d) && d != "*")
                .ToList();
            foreach (string name in names.OrderBy(n => n.StartsWith("*.", StringComparison.Ordinal) ? 1 : 0))
            {
                string bare = name.StartsWith("*.", StringComparison.Ordinal) ? name.Substring(2) : name;
                if (allowed.Any(d => bare.Equals(d, StringComparison.OrdinalIgnoreCase) || bare.EndsWith("." + d, StringComparison.OrdinalIgnoreCase)))
                    return name;
            }
            return null;
        }

        static PlannedStep Manual(RepairInput input, string connector, string action, string target, string reason, string steps, string command) =>
            new PlannedStep
            {
                Action = new RepairAction
                {
                    Code = CodeOf(input), Connector = connector, Action = action, Target = target, Automatic = false,
                    Status = RepairStatus.Manual, Command = command, RollbackCommand = "", Reason = reason, Steps = steps,
                    DestinationServer = input.DestinationServer,
                },
            };

        static RepairAction Auto(RepairInput input, string connector, string action, string target, string reason, string command, string rollback, string dependsOn = null) =>
            new RepairAction
            {
                Code = CodeOf(input), Connector = connector, Action = action, Target = target, Automatic = true,
                Status = RepairStatus.Planned, Command = command, RollbackCommand = rollback, Reason = reason, DependsOn = dependsOn,
                DestinationServer = input.DestinationServer,
            };

        static string CodeOf(RepairInput input) => FailureCatalog.Find(input.Code)?.Code ?? input.Code;

        static string PartnerSteps(string server, string what) => Numbered(
            $"{server} belongs to a partner and {what}: send them this result (code, server, address and time).",
            "Ask them to fix it on their side; Microsoft 365 keeps retrying for 24 hours before it returns the mail.");

        static string Describe(string server, string address) => address != null && address != server ? $"{server} ({address})" : server;

        static string Numbered(params string[] steps) => string.Join(" ", steps.Select((s, i) => $"{i + 1}. {s}"));

        static IDictionary<string, object> Params(params (string Name, object Value)[] ps) =>
            ps.ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);

        /// <summary>The exact command line: Set-{Prefix}{Noun} -Name 'value' -Flag $true.</summary>
        public static string Line(RepairOptions options, string noun, params (string Name, object Value)[] ps) =>
            $"Set-{options.Prefix}{noun} " + string.Join(" ", ps.Select(p => $"-{p.Name} {Literal(p.Value)}")) + " -Confirm:$false";

        /// <summary>A value as a single-quoted PowerShell literal: names from evidence can never break out of it.</summary>
        public static string Q(string value) => "'" + (value ?? "").Replace("'", "''").Replace("\u2018", "\u2018\u2018").Replace("\u2019", "\u2019\u2019")
            .Replace("\u201A", "\u201A\u201A").Replace("\u201B", "\u201B\u201B") + "'";

        /// <summary>A command line with the given parameters, leaving out the empty ones.</summary>
        static string Cmd(string head, params (string Name, string Value)[] ps) =>
            head + string.Concat(ps.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $" -{p.Name} {Q(p.Value)}"));

        static string Literal(object value)
        {
            switch (value)
            {
                case null: return "$null";
                case bool b: return b ? "$true" : "$false";
                default: return Q(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }
    }
}
