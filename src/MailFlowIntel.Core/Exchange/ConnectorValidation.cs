using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Repair;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Exchange
{
    /// <summary>
    /// Microsoft 365's own test of a connector (Invoke-OutboundConnectorValidation): Validate-OutboundConnector, which
    /// connects to each smart host and sends a real test message to each recipient, run through the session, and what it
    /// writes turned into results seen from Microsoft 365 (DESIGN.md 2c).
    /// </summary>
    /// <remarks>
    /// <para>Microsoft's reference (learn.microsoft.com/powershell/module/exchangepowershell/validate-outboundconnector):
    /// parameters -Identity and -Recipients; "the email addresses need to be in the domain that's configured on the
    /// connector"; two tests, SMTP connectivity to each smart host and test messages to the recipients. It documents no
    /// output type, so every object is read generically (<see cref="ValidationTask"/>), and what is not understood is a
    /// Warning that carries the raw output, never a guess.</para>
    /// <para>Set-OutboundConnector -IsValidated and -LastValidationTimestamp (same reference) record a validation; this
    /// module writes them only after a run where every task succeeded (-MarkValidated).</para>
    /// </remarks>
    public sealed class ConnectorValidation
    {
        const string Noun = ExchangeTenant.OutboundConnector;
        const int DetailLength = 2048, RawLength = 4096;

        static readonly Phrase NoOutput = new Phrase("no output at all", "aucune sortie");

        /// <summary>The scenarios only a validation's output selects (neither a probe nor text evidence names them).</summary>
        public static IReadOnlyList<Scenario> OwnScenarios { get; } = new[] { ScenarioCatalog.ValidationTaskFailed, ScenarioCatalog.ValidationOutputNotUnderstood };

        readonly ExchangeTenant tenant;
        List<string> acceptedDomains;

        /// <param name="session">The Exchange Online session; required.</param>
        /// <param name="recipients">The validation recipients (addresses checked with <see cref="DomainOf"/>).</param>
        public ConnectorValidation(IExchangeSession session, IReadOnlyList<string> recipients, Language language)
        {
            tenant = new ExchangeTenant(session);
            Recipients = (recipients ?? Array.Empty<string>()).Select(r => r.Trim()).ToList();
            Language = language;
        }

        public IReadOnlyList<string> Recipients { get; }
        public Language Language { get; }
        public string Prefix => tenant.Prefix;

        /// <summary>The session holds Validate-OutboundConnector (its role may leave it out).</summary>
        public bool CanValidate => tenant.Session.Has("Validate", Noun);

        /// <summary>The session holds Set-OutboundConnector, which -MarkValidated needs.</summary>
        public bool CanMarkValidated => tenant.Session.Has("Set", Noun);

        /// <summary>
        /// The domain of an address as Validate-OutboundConnector takes it (local@domain, nothing around it); null when the
        /// text is not one.
        /// </summary>
        public static string DomainOf(string address)
        {
            string a = (address ?? "").Trim();
            int at = a.LastIndexOf('@');
            if (at <= 0 || at == a.Length - 1 || a.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '<' || c == '>' || c == ',' || c == ';')) return null;
            string domain = a.Substring(at + 1).TrimEnd('.');
            return domain.IndexOf('.') > 0 && Uri.CheckHostName(domain) == UriHostNameType.Dns ? domain.ToLowerInvariant() : null;
        }

        /// <summary>
        /// The connector with its domains: as given when they are known, else read from the tenant (Get-OutboundConnector).
        /// Null when Exchange Online has no such connector.
        /// </summary>
        /// <exception cref="ExchangeSessionException">Exchange Online could not be read (other than "not found").</exception>
        public ValidationTarget Complete(ValidationTarget target)
        {
            if (target == null || target.DomainsKnown) return target;
            try
            {
                IReadOnlyDictionary<string, object> o = tenant.Session.Invoke("Get", Noun,
                    new[] { new KeyValuePair<string, object>("Identity", target.IdentityForCall) }).FirstOrDefault();
                ValidationTarget read = o == null ? null : ValidationTarget.FromProperties(o);
                if (read != null) read.DomainsKnown = true;
                return read;
            }
            catch (ExchangeSessionException ex) when (ex.IsNotFound) { return null; }
        }

        /// <summary>
        /// The recipients that are not in the connector's domains (Microsoft's reference requires them there); with
        /// AllAcceptedDomains the tenant's accepted domains count too (read once). A connector that names no domain at all
        /// has none of the recipients.
        /// </summary>
        public IReadOnlyList<string> Outside(ValidationTarget target)
        {
            if (target.AllAcceptedDomains && acceptedDomains == null)
                acceptedDomains = tenant.ReadAcceptedDomains().Select(d => d.DomainName).ToList();
            return Recipients.Where(r => !target.Covers(DomainOf(r), acceptedDomains)).ToList();
        }

        /// <summary>The command that is run, as printed (every value quoted by <see cref="PsCommand"/>).</summary>
        public string ValidateCommand(ValidationTarget target) =>
            new PsCommand($"Validate-{Prefix}{Noun}").Param("Identity", target.IdentityForCall).Param("Recipients", Recipients).Render();

        /// <summary>The change -MarkValidated makes, as printed.</summary>
        public string MarkCommand(ValidationTarget target, DateTime atUtc) =>
            new PsCommand($"Set-{Prefix}{Noun}").Param("Identity", target.IdentityForCall).Param("IsValidated", true)
                .Param("LastValidationTimestamp", atUtc.ToString("o", CultureInfo.InvariantCulture)).Render();

        /// <summary>Runs Validate-OutboundConnector (Microsoft 365 sends the test messages) and reads what it writes.</summary>
        /// <exception cref="ExchangeSessionException">The cmdlet wrote or threw an error: no result, the error is the answer.</exception>
        public List<ConnectorDeliveryResult> Run(ValidationTarget target)
        {
            DateTime started = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            IReadOnlyList<IReadOnlyDictionary<string, object>> output = tenant.Session.Invoke("Validate", Noun, new[]
            {
                new KeyValuePair<string, object>("Identity", target.IdentityForCall),
                new KeyValuePair<string, object>("Recipients", Recipients.ToArray()),
            });
            return Read(output, target, Recipients, tenant.Connection.Name, started, clock.ElapsedMilliseconds, Language);
        }

        /// <summary>Set-OutboundConnector -IsValidated $true -LastValidationTimestamp (UTC): only after <see cref="FullySucceeded"/>.</summary>
        public void MarkValidated(ValidationTarget target, DateTime atUtc) =>
            tenant.Session.Invoke("Set", Noun, new[]
            {
                new KeyValuePair<string, object>("Identity", target.IdentityForCall),
                new KeyValuePair<string, object>("IsValidated", true),
                new KeyValuePair<string, object>("LastValidationTimestamp", DateTime.SpecifyKind(atUtc, DateTimeKind.Utc)),
            });

        /// <summary>Every task was understood and succeeded (at least one): the only run -MarkValidated records.</summary>
        public static bool FullySucceeded(IReadOnlyCollection<ConnectorDeliveryResult> results) =>
            results != null && results.Count > 0 && results.All(r => r.Status == ProbeStatus.Succeeded);

        /// <summary>
        /// Validate-OutboundConnector's output as results: one per task understood (Succeeded, or Failed with the code and
        /// scenario its text names, read as a trace row's text is), one Warning per object not understood (its raw output
        /// kept, cleaned), and one Warning when it wrote nothing. TargetStatus is the connector's overall outcome.
        /// </summary>
        public static List<ConnectorDeliveryResult> Read(IReadOnlyList<IReadOnlyDictionary<string, object>> output, ValidationTarget target,
            IReadOnlyList<string> recipients, string organization, DateTime startedUtc, long durationMs, Language language)
        {
            var results = new List<ConnectorDeliveryResult>();
            string[] itself = { target.Identity, target.Name };
            foreach (IReadOnlyDictionary<string, object> o in output ?? Array.Empty<IReadOnlyDictionary<string, object>>())
            {
                ValidationTask task = ValidationTask.Understand(o, itself);
                results.Add(task != null ? FromTask(task, target, language) : NotUnderstood(ValidationTask.Raw(o), target, language));
            }
            if (results.Count == 0) results.Add(NotUnderstood(NoOutput.In(language), target, language));
            ProbeStatus overall = results.Any(r => r.Status == ProbeStatus.Failed) ? ProbeStatus.Failed
                : results.Any(r => r.Status != ProbeStatus.Succeeded) ? ProbeStatus.Warning : ProbeStatus.Succeeded;
            string sent = Untrusted.Clean(string.Join("; ", recipients ?? Array.Empty<string>()), DetailLength);
            foreach (ConnectorDeliveryResult r in results)
            {
                r.TargetStatus = overall;
                r.Organization = organization ?? "";
                r.Recipient = sent;
                r.Timestamp = startedUtc;
                r.DurationMs = durationMs;
            }
            return results;
        }

        static ConnectorDeliveryResult FromTask(ValidationTask task, ValidationTarget target, Language language)
        {
            string all = string.Join("; ", task.Texts.Select(t => t.Key + "=" + t.Value));
            var record = new EvidenceRecord { Platform = EvidencePlatform.ExchangeOnline, ObservedFrom = ObservedFrom.Microsoft365, Source = "Validation" };
            string named = null;
            if (!task.Succeeded)
                foreach (KeyValuePair<string, string> t in task.Texts)
                    if (ReasonParser.Apply(t.Value, record)) { named = t.Value; break; }
            Scenario scenario = task.Succeeded ? ScenarioCatalog.Delivered : record.Scenario ?? ScenarioCatalog.ValidationTaskFailed;
            ConnectorDeliveryResult r = New(target);
            r.Status = task.Succeeded ? ProbeStatus.Succeeded : ProbeStatus.Failed;   // Microsoft 365's own verdict on the task
            r.DestinationServer = Untrusted.Clean(task.Host ?? record.DestinationServer);
            r.IPAddress = record.LastAttemptedIP;
            r.Target = r.DestinationServer ?? r.Target;
            if (scenario.Family != null)
            {
                r.Code = scenario.Family.Code;
                r.EnhancedStatusCode = scenario.Family.EnhancedStatusCode;
            }
            else if (scenario == ScenarioCatalog.Unrecognized)
            {
                r.Code = Untrusted.Clean(record.RawCode);
                r.EnhancedStatusCode = Untrusted.Clean(record.EnhancedCode);
            }
            r.ServerResponse = Untrusted.Clean(named ?? all);
            r.Detail = Untrusted.Clean(task.Name + (all.Length > 0 ? ": " + all : ""), DetailLength);
            Describe(r, scenario, Untrusted.Clean(task.Name + ": " + (named ?? all)), record.Detail, language);
            return r;
        }

        static ConnectorDeliveryResult NotUnderstood(string raw, ValidationTarget target, Language language)
        {
            ConnectorDeliveryResult r = New(target);
            r.Status = ProbeStatus.Warning;
            r.Detail = Untrusted.Clean(raw, RawLength);
            r.ServerResponse = Untrusted.Clean(raw);
            Describe(r, ScenarioCatalog.ValidationOutputNotUnderstood, r.ServerResponse, null, language);
            return r;
        }

        /// <summary>What every result of the connector shares: seen from Microsoft 365, not probed from this computer.</summary>
        static ConnectorDeliveryResult New(ValidationTarget target) => new ConnectorDeliveryResult
        {
            Connector = Untrusted.Clean(target.Label),
            ConnectorType = Untrusted.Clean(target.ConnectorType),   // a piped object may come from any file
            // The smart host Microsoft 365 validated, when the connector has only one; else the output must name it.
            Target = target.SmartHosts.Count == 1 ? Untrusted.Clean(target.SmartHosts[0]) : null,
            Port = 25,
            ObservedFrom = ObservedFrom.Microsoft365,
            ProbedFrom = "",
            ComputerName = "",
            Stage = ProbeStage.None,
            TlsSettings = Untrusted.Clean(target.TlsSettings),
            TlsDomain = Untrusted.Clean(target.TlsDomain),
            Responsible = ResponsibleFor(target),
        };

        static Responsible ResponsibleFor(ValidationTarget target)
        {
            if (target.RecipientDomains.Any(d => d.Trim() == "*")) return Responsible.Admin;   // the organisation's own gateway
            if (string.Equals(target.ConnectorType, "OnPremises", StringComparison.OrdinalIgnoreCase)) return Responsible.Admin;
            if (string.Equals(target.ConnectorType, "Partner", StringComparison.OrdinalIgnoreCase)) return Responsible.Partner;
            return Responsible.Unknown;
        }

        static void Describe(ConnectorDeliveryResult r, Scenario scenario, string reply, string problems, Language language)
        {
            if (scenario.Who is Responsible who) r.Responsible = who;
            r.Reason = scenario.Reason;
            var facts = new CaseFacts
            {
                Host = r.DestinationServer,
                Address = r.IPAddress,
                Port = r.Port,
                Reply = reply,
                Problems = Untrusted.Clean(problems),
                TlsSettings = r.TlsSettings,
                TlsDomain = r.TlsDomain,
                Connector = r.Connector,
                Domain = r.DestinationServer,
                Responsible = r.Responsible,
                ObservedFrom = ObservedFrom.Microsoft365,
            };
            r.Title = scenario.Title(language);
            r.Cause = scenario.CauseFor(language, facts);
            r.Fix = scenario.FixFor(language, facts);
        }
    }
}
