using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;
using MailFlowIntel.Core.Routing;

namespace MailFlowIntel.Commands
{
    /// <summary>
    /// Where Exchange Online sends each recipient's mail, and why. A thin binder: the tenant is read once through the
    /// Exchange Online session, the engine's <see cref="RouteResolver"/> decides, and each route is written as an
    /// <see cref="OutboundRoute"/> whose properties Test-ConnectorDelivery binds.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "OutboundConnector")]
    [OutputType("MailFlowIntel.OutboundRoute")]
    public sealed class ResolveOutboundConnectorCommand : ExchangeCmdlet
    {
        /// <summary>The addresses; message trace rows bind by their RecipientAddress.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("RecipientAddress")]
        [ValidateNotNullOrEmpty]
        public string[] Recipient { get; set; }

        RouteResolver resolver;
        string organization = "";
        // Only reference-typed fields of the engine's types: a field of an engine enum would load the engine when
        // PowerShell lists the module's types at import, before the module's resolver can serve it.
        string notAnAddress;
        readonly HashSet<string> warned = new HashSet<string>(StringComparer.Ordinal);

        protected override void BeginProcessing()
        {
            Language language = Languages.From(CultureInfo.CurrentUICulture);   // once per call, on the pipeline thread
            notAnAddress = Messages.NotAnAddress.In(language);
            IExchangeSession session = FindExchangeSession();
            if (session == null)
                Terminate(new InvalidOperationException(Messages.ResolveNeedsExchangeOnline.In(language)), "ExchangeOnlineNotConnected", ErrorCategory.ConnectionError, null);
            organization = session.Connection.Name;
            var tenant = new ExchangeTenant(session);
            List<ConnectorState> connectors = null;
            List<AcceptedDomainState> domains = null;
            try
            {
                connectors = tenant.ReadConnectors();
                domains = tenant.ReadAcceptedDomains();
            }
            catch (Exception ex) when (ex is ExchangeSessionException || ex is InvalidOperationException)
            {
                Terminate(ex, "TenantNotReadable", ex is ExchangeSessionException e && Enum.TryParse(e.CategoryOr("ReadError"), out ErrorCategory c) ? c : ErrorCategory.ReadError, null);
            }
            // The rules matter only when a connector is scoped to them; a list that cannot be read is said, never taken as empty.
            List<TransportRuleState> rules = null;
            string rulesError = null;
            if (RouteResolver.NeedsRules(connectors))
            {
                if (!session.Has("Get", ExchangeTenant.TransportRule))
                    rulesError = string.Format(CultureInfo.InvariantCulture, Messages.RulesCmdletMissing.In(language), $"Get-{session.Connection.Prefix}TransportRule");
                else
                {
                    try { rules = tenant.ReadTransportRules(); }
                    catch (ExchangeSessionException ex) { rulesError = ex.Message; }
                }
            }
            Func<string, RecipientState> lookup = session.Has("Get", ExchangeTenant.Recipient) ? tenant.ReadRecipient : (Func<string, RecipientState>)null;
            resolver = new RouteResolver(connectors, domains, rules, rulesError, lookup, language);
        }

        protected override void ProcessRecord()
        {
            foreach (string address in Recipient)
            {
                if (!ProbeInputs.IsMailbox(address?.Trim()))
                {
                    WriteError(new ErrorRecord(new FormatException(string.Format(CultureInfo.InvariantCulture, notAnAddress, address)),
                        "InvalidRecipient", ErrorCategory.InvalidArgument, address));
                    continue;
                }
                var warnings = new List<string>();
                OutboundRoute route = resolver.Resolve(address, warnings);
                route.Organization = organization;
                foreach (string w in warnings) if (warned.Add(w)) WriteWarning(w);
                WriteObject(route);
            }
        }
    }
}
