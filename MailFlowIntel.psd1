@{
    RootModule           = 'MailFlowIntel.dll'
    # Stamped from Directory.Build.props by build.ps1; this source copy is not shipped as is.
    ModuleVersion        = '0.0.0'
    GUID                 = '5b0f6c3e-3f4d-4c0a-9a57-0c8a1b6d2e41'
    Author               = 'MailFlowIntel contributors'
    CompanyName          = 'MailFlowIntel'
    Copyright            = '(c) MailFlowIntel contributors. MIT licence.'
    Description          = 'Mail flow intelligence for Microsoft 365 outbound connectors: probe a smart host or MX the way Exchange Online does (DNS, TCP 25, SMTP, STARTTLS, certificate) and learn which 450 4.4.31x / 4.7.320 code it would report, why, and how to fix it, before mail queues.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('MailFlowIntel.Format.ps1xml')
    CmdletsToExport      = @('Test-ConnectorDelivery', 'Get-MailFlowAlert', 'Repair-ConnectorConfig', 'Export-MailFlowReport', 'Get-MailFlowEndpoint', 'Resolve-OutboundConnector',
                             'Invoke-OutboundConnectorValidation')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Exchange', 'ExchangeOnline', 'Microsoft365', 'Office365', 'EOP', 'SMTP', 'MailFlow', 'Connector', 'TLS', 'Diagnostics')
            ProjectUri = 'https://github.com/mailflowintel/MailFlowIntel'
            LicenseUri = 'https://github.com/mailflowintel/MailFlowIntel/blob/main/LICENSE'
            # Each release names its new output columns: an Export-Csv -Append file keeps its first header (README, "Upgrading: new columns").
            ReleaseNotes = @'
0.2.0
- New output columns; start a new CSV file after upgrading, or append with -Force knowing they are not kept:
  ConnectorDeliveryResult: ObservedFrom, ComputerName, EgressCheck, DnsView, PublicAddress, Organization.
  MailFlowAlert: SendConnectorId, ObservedFrom, ComputerName, ProbeStatus, ProbeCode, ExpiresFrom.
  RepairAction: Organization; Status may be Checked.
- New commands: Get-MailFlowEndpoint, Resolve-OutboundConnector, Invoke-OutboundConnectorValidation.
- Alerts from an Exchange server's queues show that server's own code (441 4.4.1) and keep their key: a baseline compares them Ongoing.
- Postfix logs are read: a log fed to every run gives New alerts in the first run after the upgrade.
See README.md, "Upgrading: new columns".
'@
        }
    }
}
