<#
.SYNOPSIS
    The README demo: stand-in Exchange Online connectors, each pointing at one fault of the embedded lab,
    piped through Test-ConnectorDelivery as an admin would pipe Get-OutboundConnector, then into an HTML report
    (OutDir/demo-report.html, and a screenshot of it, demo-report.png, when chromium is installed).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] $Lab,
    [string] $OutDir = [IO.Path]::GetTempPath()
)
$ErrorActionPreference = 'Continue'
Import-Module $ModulePath -Force

$connectors = @(
    New-LabConnector 'Contoso on-premises'        'ok.lab.test'         'DomainValidation'      'mx.lab.test'
    New-LabConnector 'Retired Exchange'           'refused.lab.test'    $null                   $null
    New-LabConnector 'Firewalled smart host'      'blackhole.lab.test'  $null                   $null
    New-LabConnector 'Typo in smart host'         'missing.lab.test'    $null                   $null
    New-LabConnector 'DNS host failing'           'servfail.lab.test'   $null                   $null
    New-LabConnector 'Busy server'                'busy.lab.test'       $null                   $null
    New-LabConnector 'TLS required, none offered' 'notls.lab.test'      'EncryptionOnly'        $null
    New-LabConnector 'SMTP-inspecting firewall'   'drop.lab.test'       $null                   $null
    New-LabConnector 'Expired certificate'        'expired.lab.test'    'CertificateValidation' $null
    New-LabConnector 'Certificate name mismatch'  'wrongname.lab.test'  'DomainValidation'      'mx.lab.test'
    New-LabConnector 'Partner by MX'              @()                   $null                   $null -UseMX $true -Domains 'contoso.lab.test', 'nomail.lab.test', '*.fabrikam.test' -Type Partner
    New-LabConnector 'Partner relay, two MX'      'twomx.lab.test'      'EncryptionOnly'        $null -Type Partner
    New-LabConnector 'Leaf-only certificate'      'leafonly.lab.test'   'CertificateValidation' $null
    New-LabConnector 'Range of servers'           '10.20.0.0/24'        $null                   $null
    New-LabConnector 'Switched off'               'ok.lab.test'         $null                   $null -Enabled $false
)

Write-Host "`n== Get-OutboundConnector | Test-ConnectorDelivery (lab: port $($Lab.Port), DNS $($Lab.DnsServer)) ==`n"
$results = $connectors | Test-ConnectorDelivery -Port $Lab.Port -DnsServer $Lab.DnsServer -CertificateAuthority $Lab.CertificateAuthority -TimeoutSec 3 -ThrottleLimit 16
$results | Format-Table Connector, Target, IPAddress, Status, TargetStatus, Code, Reason -AutoSize | Out-Host

Write-Host "== Why, and what to do (first failure of each connector) ==`n"
$results | Where-Object Status -eq 'Failed' | Group-Object Connector | ForEach-Object { $_.Group[0] } |
    Format-List Connector, Code, Reason, Title, Cause, Fix | Out-Host

Write-Host "== A RCPT probe (no message is sent) ==`n"
Test-ConnectorDelivery -SmartHost ok.lab.test -Recipient someone@lab.test, nobody@lab.test -Port $Lab.Port -DnsServer $Lab.DnsServer -CertificateAuthority $Lab.CertificateAuthority |
    Format-Table Recipient, Status, ServerResponse -AutoSize | Out-Host

Write-Host "== Test-ConnectorDelivery | Get-MailFlowAlert: the failures as alerts ==`n"
$results | Get-MailFlowAlert | Format-Table Severity, Code, Reason, Connector, DestinationServer, LastAttemptedIP -AutoSize | Out-Host

Write-Host "== ... | Repair-ConnectorConfig -WhatIf: the plan (no Exchange Online session here, so every step is for a person) ==`n"
$results | Get-MailFlowAlert | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue |
    Format-Table Status, Reason, Connector, Action, Responsible, Target -AutoSize | Out-Host

Write-Host "== Evidence from a queue, a message trace and a bounced message ==`n"
@(
    'Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]'
    [pscustomobject]@{ Identity = 'EX01\7'; DeliveryType = 'SmartHostConnectorDelivery'; NextHopDomain = 'smtp.fabrikam.com'; Status = 'Retry'; MessageCount = 312
        LastError = '451 4.4.0 Primary target IP address responded with: "Failed to connect. Winsock error code: 10060, Win32 error code: 10060." Attempted failover to alternate host, but that did not succeed. The last endpoint attempted was 198.51.100.9:25'
        FirstRetryTime = [datetime]::UtcNow.AddHours(-3) }
    '550 5.4.317 Message expired, cannot connect to remote server'
) | Get-MailFlowAlert | Format-Table Severity, Code, RawCode, DestinationServer, MessageCount, ExpiresAt, Expired -AutoSize | Out-Host

$csv = Join-Path ([IO.Path]::GetTempPath()) 'mailflowintel-demo.csv'
$results | Export-Csv $csv -NoTypeInformation
Write-Host "Results exported to $csv ($((Import-Csv $csv).Count) rows)."

Write-Host "`n== Export-MailFlowReport: the results, the alerts against yesterday's run, and the plan, on one page ==`n"
# Yesterday, two connectors were different: 'Busy server' pointed at a server that refused, 'Typo in smart host' was fine.
$yesterday = @(
    $connectors | Where-Object Name -notin 'Busy server', 'Typo in smart host'
    New-LabConnector 'Busy server'        'refused.lab.test' $null $null
    New-LabConnector 'Typo in smart host' 'ok.lab.test'      $null $null
) | Test-ConnectorDelivery -Port $Lab.Port -DnsServer $Lab.DnsServer -CertificateAuthority $Lab.CertificateAuthority -TimeoutSec 3 -ThrottleLimit 16 |
    Get-MailFlowAlert
$alerts = $results | Get-MailFlowAlert -Baseline $yesterday
$alerts | Format-Table Change, Severity, Code, Reason, Connector -AutoSize | Out-Host
$plan = $alerts | Where-Object Change -ne 'Resolved' | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue
$report = @($results) + @($alerts) + @($plan) | Export-MailFlowReport -Path (Join-Path $OutDir 'demo-report.html') -Title 'Contoso mail flow (lab)' -PassThru
Write-Host "Report: $($report.FullName) ($([math]::Round($report.Length / 1KB)) KB)"

# A picture of it, taken by a headless browser when there is one (Debian: sudo apt-get install -y chromium).
$chromium = (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
if ($chromium) {
    $png = Join-Path $OutDir 'demo-report.png'
    $userData = Join-Path ([IO.Path]::GetTempPath()) ('mfi-chromium-' + [guid]::NewGuid())
    try {
        & $chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync `
            "--user-data-dir=$userData" --hide-scrollbars --window-size=1100,1500 "--screenshot=$png" ([System.Uri]::new($report.FullName)).AbsoluteUri 2>&1 | Out-Null
    }
    finally { Remove-Item -Recurse -Force $userData -ErrorAction SilentlyContinue }
    if (Test-Path $png) { Write-Host "Screenshot: $png" } else { Write-Host 'chromium wrote no screenshot.' }
}
else { Write-Host 'No chromium here for a screenshot (Debian: sudo apt-get install -y chromium).' }
