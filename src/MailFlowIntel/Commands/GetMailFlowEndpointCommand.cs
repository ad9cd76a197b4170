using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using MailFlowIntel.Core.Endpoints;

namespace MailFlowIntel.Commands
{
    /// <summary>
    /// The address ranges and hosts Exchange Online uses for mail (service area Exchange, TCP 25), from the Microsoft 365 IP
    /// address and URL web service, cached per user: the only cmdlet of the module that asks that service.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MailFlowEndpoint")]
    [OutputType("MailFlowIntel.MailFlowEndpoint")]
    public sealed class GetMailFlowEndpointCommand : PSCmdlet, IDisposable
    {
        [Parameter]
        public SwitchParameter Update { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri Uri { get; set; } = EndpointService.DefaultUri;

        [Parameter]
        [ValidateSet("Worldwide", "USGovDoD", "USGovGCCHigh", "China")]
        public string Instance { get; set; } = "Worldwide";

        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 30;

        readonly CancellationTokenSource cancel = new CancellationTokenSource();

        protected override void EndProcessing()
        {
            var language = MailFlowIntel.Core.Catalog.Languages.From(CultureInfo.CurrentUICulture);
            if (!EndpointService.IsAllowed(Uri))
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(string.Format(CultureInfo.InvariantCulture, Messages.EndpointUriNotAllowed.In(language), Uri)),
                    "InvalidEndpointUri", ErrorCategory.InvalidArgument, Uri));
                return;
            }
            string instance = Array.Find(EndpointService.Instances, i => string.Equals(i, Instance, StringComparison.OrdinalIgnoreCase));
            EndpointService.Outcome outcome = EndpointService.GetAsync(Uri, instance, Update.IsPresent, TimeSpan.FromSeconds(TimeoutSec), cancel.Token)
                .GetAwaiter().GetResult();
            string date = outcome.ListDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (outcome.Source == EndpointSource.Cache && outcome.Failure != null)
                WriteWarning(string.Format(CultureInfo.InvariantCulture, Messages.EndpointCacheUsed.In(language), outcome.Failure, date));
            else if (outcome.Source == EndpointSource.Shipped)
                WriteWarning(string.Format(CultureInfo.InvariantCulture, Messages.EndpointShippedUsed.In(language), outcome.Failure, date,
                    (int)(DateTime.UtcNow - outcome.ListDate).TotalDays));
            WriteVerbose(outcome.AskedVersion
                ? (outcome.FetchedData ? "The service's version changed: the list was fetched." : "The service's version is unchanged: the cached list stands.")
                : "The version was checked within the hour: the cached list stands (-Update asks again).");
            foreach (MailFlowEndpoint e in outcome.Endpoints) WriteObject(e);
        }

        protected override void StopProcessing() => cancel.Cancel();

        public void Dispose() => cancel.Dispose();
    }
}
