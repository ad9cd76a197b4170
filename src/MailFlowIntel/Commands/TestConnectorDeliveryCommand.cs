using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Probing;

namespace MailFlowIntel.Commands
{
    /// <summary>
    /// Reproduces Microsoft 365's delivery attempt through an outbound connector and says which code it would report.
    /// A thin layer: parameters become engine targets and options; engine results and faults become output and ErrorRecords.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "ConnectorDelivery")]
    [OutputType("MailFlowIntel.ConnectorDeliveryResult")]   // by name, so reflection here never loads the engine early
    [OutputType(typeof(bool))]
    public sealed class TestConnectorDeliveryCommand : ProbingCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("SmartHosts")]
        [AllowNull, AllowEmptyCollection]
        public string[] SmartHost { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("RecipientDomains")]
        [AllowNull, AllowEmptyCollection]
        public string[] Domain { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Identity", "Name")]
        [AllowNull, AllowEmptyString]
        public string Connector { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(ConnectorTypeCompleter))]
        public string ConnectorType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool UseMXRecord { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool Enabled { get; set; } = true;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(TlsSettingsCompleter))]
        public string TlsSettings { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string TlsDomain { get; set; }

        /// <summary>The connector's SmtpDaneMode; empty is Opportunistic, Exchange Online's default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(SmtpDaneModeCompleter))]
        public string SmtpDaneMode { get; set; } = "Opportunistic";

        /// <summary>The connector's MtaStsMode; empty is Opportunistic, Exchange Online's default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(MtaStsModeCompleter))]
        public string MtaStsMode { get; set; } = "Opportunistic";

        /// <summary>The HTTPS port of MTA-STS policy hosts: 443, as Exchange Online uses; another value only for a test lab.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int MtaStsPort { get; set; } = 443;

        /// <summary>
        /// A route from Resolve-OutboundConnector: Internal, Rejected and Ambiguous routes leave Exchange Online through
        /// no connector or MX, so there is nothing to probe (a verbose line says so).
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string MatchedBy { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Recipient { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string Sender { get; set; } = "";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string HeloName { get; set; } = "mailflowintel.probe";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SourceAddress { get; set; }

        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 16;

        [Parameter]
        public SwitchParameter IncludeTranscript { get; set; }

        [Parameter]
        public SwitchParameter Quiet { get; set; }

        sealed class Pending
        {
            public ProbeTarget Target;
            public Task<IReadOnlyList<ConnectorDeliveryResult>> Work;
            /// <summary>What -Quiet answers for: a piped connector (all its targets), or one -SmartHost or -Domain value.</summary>
            public QuietGroup Group;
        }

        sealed class QuietGroup
        {
            public int Remaining;
            public bool Delivers = true;
        }

        CancellationTokenSource cancel;
        DeliveryTester tester;
        SemaphoreSlim throttle;
        readonly Queue<Pending> pending = new Queue<Pending>();
        int started, finished;
        bool verbose;
        // What the run as a whole says of this computer's way out (DESIGN.md 2c), for one warning at the end.
        int egressPort, targetsSeen, targetsAllConnectFailed, targetsEgressBlocked;
        string egressHost;
        /// <summary>The Exchange Online organisation every result carries; empty without a session.</summary>
        string organization = "";

        protected override void BeginProcessing()
        {
            cancel = new CancellationTokenSource();
            throttle = new SemaphoreSlim(ThrottleLimit);
            verbose = MyInvocation.BoundParameters.TryGetValue("Verbose", out object v) ? ((SwitchParameter)v).IsPresent
                : GetVariableValue("VerbosePreference") is ActionPreference p && p != ActionPreference.SilentlyContinue;
            ProbeOptions options = BuildProbeOptions();
            MailFlowIntel.Core.Exchange.IExchangeSession session = FindExchangeSession();
            organization = session?.Connection.Name ?? "";
            if (options.EgressCheckHost == null) options.EgressCheckDomain = TenantInitialDomain(session);
            egressPort = options.Port;
            egressHost = options.EgressCheckHost ?? options.EgressCheckDomain;
            // Read once, here on the pipeline thread, so every parallel worker writes in the same language.
            options.Language = MailFlowIntel.Core.Catalog.Languages.From(System.Globalization.CultureInfo.CurrentUICulture);
            options.HeloName = HeloName;
            options.MtaStsPort = MtaStsPort;
            options.Sender = Sender ?? "";
            options.IncludeTranscript = IncludeTranscript.IsPresent || verbose;
            if (SourceAddress != null)
            {
                if (!IPAddress.TryParse(SourceAddress, out IPAddress source))
                    Terminate(new FormatException($"'{SourceAddress}' is not an IP address."), "InvalidSourceAddress", ErrorCategory.InvalidArgument, SourceAddress);
                else options.SourceAddress = source;
            }
            if (Recipient != null)
            {
                string bad = Recipient.FirstOrDefault(r => !ProbeInputs.IsMailbox(r));
                if (bad != null) Terminate(new FormatException($"'{bad}' is not an email address."), "InvalidRecipient", ErrorCategory.InvalidArgument, bad);
                options.Recipients = Recipient;
            }
            if (!string.IsNullOrEmpty(Sender) && !ProbeInputs.IsMailbox(Sender))
                Terminate(new FormatException($"'{Sender}' is not an email address."), "InvalidSender", ErrorCategory.InvalidArgument, Sender);
            tester = new DeliveryTester(options);
        }

        protected override void ProcessRecord()
        {
            if (Enum.TryParse(MatchedBy ?? "", true, out RouteMatch match) && (match == RouteMatch.Internal || match == RouteMatch.Rejected || match == RouteMatch.Ambiguous))
            {
                WriteVerbose($"Nothing to probe for this route ({match}): its mail leaves Exchange Online through no connector and no MX.");
                return;
            }
            List<ProbeTarget> targets = TargetsOfThisRecord().ToList();
            // -Quiet: one bool per piped connector (all of its targets must deliver), one per value given as a parameter.
            bool perConnector = MyInvocation.BoundParameters.ContainsKey(nameof(UseMXRecord));
            QuietGroup connector = perConnector ? new QuietGroup { Remaining = targets.Count } : null;
            foreach (ProbeTarget target in targets) Start(target, connector ?? new QuietGroup { Remaining = 1 });
            WriteFinished(block: false);
        }

        protected override void EndProcessing()
        {
            WriteFinished(block: true);
            WriteVantageWarnings();
            WriteProgress(new ProgressRecord(1, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        protected override void StopProcessing() => cancel?.Cancel();

        const string Activity = "Testing connector delivery";

        IEnumerable<ProbeTarget> TargetsOfThisRecord()
        {
            object item = (object)Connector ?? (object)SmartHost ?? Domain;
            TlsRequirement tls;
            try { tls = TlsRequirementParser.Parse(TlsSettings); }
            catch (FormatException ex)
            {
                WriteError(new ErrorRecord(ex, "InvalidTlsSettings", ErrorCategory.InvalidArgument, TlsSettings));
                yield break;
            }
            string daneMode;
            try { daneMode = ConnectorModes.NormalizeDane(SmtpDaneMode); }
            catch (FormatException ex)
            {
                WriteError(new ErrorRecord(ex, "InvalidSmtpDaneMode", ErrorCategory.InvalidArgument, SmtpDaneMode));
                yield break;
            }
            string stsMode;
            try { stsMode = ConnectorModes.NormalizeMtaSts(MtaStsMode); }
            catch (FormatException ex)
            {
                WriteError(new ErrorRecord(ex, "InvalidMtaStsMode", ErrorCategory.InvalidArgument, MtaStsMode));
                yield break;
            }
            string tlsDomain = string.IsNullOrWhiteSpace(TlsDomain) ? null : TlsDomain.Trim();
            string connectorType = string.IsNullOrWhiteSpace(ConnectorType) ? null : ConnectorType.Trim();
            if (connectorType != null && !ConnectorTypeCompleter.Names.Contains(connectorType, StringComparer.OrdinalIgnoreCase))
            {
                WriteError(new ErrorRecord(new FormatException($"'{connectorType}' is not a ConnectorType. Use OnPremises or Partner."),
                    "InvalidConnectorType", ErrorCategory.InvalidArgument, ConnectorType));
                yield break;
            }
            connectorType = ConnectorTypeCompleter.Names.FirstOrDefault(v => string.Equals(v, connectorType, StringComparison.OrdinalIgnoreCase));
            // A list joined into one string ("a; b", as output types and CSV files hold lists) is split again.
            string[] hosts = Split(SmartHost);
            string[] domains = Split(Domain);
            bool fromConnector = MyInvocation.BoundParameters.ContainsKey(nameof(UseMXRecord));
            // A connector for every domain (*) is the organisation's own gateway or relay, whatever its type.
            bool allDomains = fromConnector && domains.Any(d => d.Trim() == "*");

            if (!Enabled)
            {
                yield return new ProbeTarget { Connector = Connector, Text = Connector, Tls = tls, TlsDomain = tlsDomain, ConnectorType = connectorType,
                    NotTested = NotTestedKind.Disabled, SmtpDaneMode = daneMode, MtaStsMode = stsMode };
                yield break;
            }
            // A connector object says which list it routes by; bare parameters probe everything given.
            if (fromConnector) { if (UseMXRecord) hosts = Array.Empty<string>(); else domains = Array.Empty<string>(); }
            if (hosts.Length == 0 && domains.Length == 0)
            {
                WriteError(new ErrorRecord(new ArgumentException(
                    fromConnector && UseMXRecord ? "The connector routes by MX but has no RecipientDomains to probe."
                                                 : "Nothing to probe: give -SmartHost or -Domain, or pipe a connector with SmartHosts or RecipientDomains."),
                    "NoTarget", ErrorCategory.InvalidArgument, item));
                yield break;
            }
            if (fromConnector && hosts.Length > 1)
            {
                // A connector's smart hosts are one target (Exchange Online spreads mail over them and fails over).
                var members = new List<ProbeTarget>();
                foreach (string text in hosts)
                {
                    try
                    {
                        ProbeTarget member = TargetParser.Parse(text, TargetKind.SmartHost, Connector, tls, tlsDomain);
                        member.ConnectorType = connectorType;
                        member.SmtpDaneMode = daneMode;
                        member.MtaStsMode = stsMode;
                        member.AllDomains = allDomains;
                        members.Add(member);
                    }
                    catch (InvalidTargetException ex) { WriteError(new ErrorRecord(ex, "InvalidTarget", ErrorCategory.InvalidArgument, text)); }
                }
                if (members.Count == 0) yield break;
                var whole = new ProbeTarget { Connector = Connector, Text = string.Join(", ", members.Select(m => m.Text)), Kind = TargetKind.SmartHost,
                    Tls = tls, TlsDomain = tlsDomain, ConnectorType = connectorType, SmtpDaneMode = daneMode, MtaStsMode = stsMode, SmartHosts = members,
                    AllDomains = allDomains };
                yield return whole;
                yield break;
            }
            foreach (var (text, kind) in hosts.Select(h => (h, TargetKind.SmartHost)).Concat(domains.Select(d => (d, TargetKind.Domain))))
            {
                ProbeTarget target = null;
                try
                {
                    target = TargetParser.Parse(text, kind, Connector, tls, tlsDomain);
                    target.ConnectorType = connectorType;
                    target.SmtpDaneMode = daneMode;
                    target.MtaStsMode = stsMode;
                    target.AllDomains = allDomains && kind == TargetKind.SmartHost;
                }
                catch (InvalidTargetException ex)
                {
                    WriteError(new ErrorRecord(ex, "InvalidTarget", ErrorCategory.InvalidArgument, text));
                }
                if (target != null) yield return target;
            }
        }

        void Start(ProbeTarget target, QuietGroup group)
        {
            CancellationToken ct = cancel.Token;
            Task<IReadOnlyList<ConnectorDeliveryResult>> work = Task.Run(async () =>
            {
                await throttle.WaitAsync(ct).ConfigureAwait(false);
                try { return await tester.TestAsync(target, ct).ConfigureAwait(false); }
                finally { throttle.Release(); }
            }, ct);
            pending.Enqueue(new Pending { Target = target, Work = work, Group = group });
            started++;
        }

        /// <summary>Writes finished targets in input order; only this (pipeline) thread writes.</summary>
        void WriteFinished(bool block)
        {
            while (pending.Count > 0)
            {
                Pending head = pending.Peek();
                if (!block && !head.Work.IsCompleted) return;
                while (!head.Work.IsCompleted)
                {
                    if (Stopping) return;
                    ((IAsyncResult)head.Work).AsyncWaitHandle.WaitOne(250);   // unlike Task.Wait, never throws for a faulted task
                    if (started > 1)
                        WriteProgress(new ProgressRecord(1, Activity, $"{finished} of {started} targets done; waiting for {Describe(head.Target)}")
                        { PercentComplete = Math.Min(100, finished * 100 / started) });
                }
                pending.Dequeue();
                finished++;
                if (head.Work.IsCanceled || Stopping) return;
                if (head.Work.IsFaulted) { WriteFault(head.Target, head.Work.Exception.GetBaseException(), head.Group); continue; }
                WriteResults(head.Work.Result, head.Group);
            }
        }

        void WriteResults(IReadOnlyList<ConnectorDeliveryResult> results, QuietGroup group)
        {
            Tally(results);
            if (Quiet)
            {
                // Would Microsoft 365 deliver (after any failover)? One bool per group, once all its targets are done.
                ProbeStatus outcome = results.Count > 0 ? results[0].TargetStatus : ProbeStatus.Failed;
                AnswerQuietly(group, outcome == ProbeStatus.Succeeded || outcome == ProbeStatus.Warning);
                return;
            }
            foreach (ConnectorDeliveryResult r in results)
            {
                if (verbose && r.Transcript != null) WriteVerbose($"{r.DestinationServer} [{r.IPAddress}]:{r.Port}\n{r.Transcript.TrimEnd()}");
                if (!IncludeTranscript) r.Transcript = null;
                r.Organization = organization;
                WriteObject(r);
            }
        }

        void AnswerQuietly(QuietGroup group, bool delivers)
        {
            group.Delivers &= delivers;
            if (--group.Remaining == 0) WriteObject(group.Delivers);
        }

        void WriteFault(ProbeTarget target, Exception ex, QuietGroup group)
        {
            switch (ex)
            {
                case OperationCanceledException _: return;
                case DnsServerUnreachableException _:
                    WriteError(new ErrorRecord(ex, "DnsServerUnreachable", ErrorCategory.ResourceUnavailable, target.Text));
                    break;
                case ProbeSetupException _:
                    WriteError(new ErrorRecord(ex, "ProbeSetupFailed", ErrorCategory.InvalidArgument, target.Text));
                    break;
                default:
                    WriteError(new ErrorRecord(ex, "ProbeFailed", ErrorCategory.NotSpecified, target.Text));
                    break;
            }
            if (Quiet) AnswerQuietly(group, false);
        }

        void Tally(IReadOnlyList<ConnectorDeliveryResult> results)
        {
            if (results.Count == 0 || results.All(r => r.Status == ProbeStatus.NotTested && r.EgressCheck == EgressCheck.NotRun)) return;
            targetsSeen++;
            if (results.Any(r => r.EgressCheck == EgressCheck.Failed && r.Reason == MailFlowIntel.Reason.ProbeSideFault)) targetsEgressBlocked++;
            if (results.All(r => r.Stage == ProbeStage.Connect && (r.Reason == MailFlowIntel.Reason.ConnectTimedOut || r.Reason == MailFlowIntel.Reason.ConnectionRefused
                                                                   || r.Reason == MailFlowIntel.Reason.ProbeSideFault)))
                targetsAllConnectFailed++;
        }

        /// <summary>One warning for the run, never a code: this computer's way out, and public DNS, as far as the run shows them.</summary>
        void WriteVantageWarnings()
        {
            var language = MailFlowIntel.Core.Catalog.Languages.From(System.Globalization.CultureInfo.CurrentUICulture);
            string port = egressPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (targetsEgressBlocked > 0)
                WriteWarning(string.Format(System.Globalization.CultureInfo.InvariantCulture, Messages.EgressBlocked.In(language), port, egressHost, targetsEgressBlocked));
            else if (egressHost == null && targetsSeen > 0 && targetsAllConnectFailed == targetsSeen)
                WriteWarning(string.Format(System.Globalization.CultureInfo.InvariantCulture, Messages.EveryConnectFailed.In(language), port));
            if (tester?.PublicDnsUnreachable == true) WriteWarning(Messages.PublicDnsUnreachable.In(language));
        }

        static string[] Split(string[] values) =>
            (values ?? Array.Empty<string>()).Where(s => s != null)
                .SelectMany(s => s.IndexOf(';') < 0 ? new[] { s } : s.Split(';').Select(p => p.Trim()).Where(p => p.Length > 0)).ToArray();

        static string Describe(ProbeTarget t) => string.IsNullOrEmpty(t.Connector) ? t.Text : $"{t.Text} ({t.Connector})";

    }
}
