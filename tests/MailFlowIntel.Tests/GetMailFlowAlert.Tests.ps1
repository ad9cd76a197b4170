# Get-MailFlowAlert against out/MailFlowIntel: stand-ins for the Exchange cmdlets (same names, parameters and
# property names), files on disk, and Test-ConnectorDelivery over the lab.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:Now = [datetime]::UtcNow

    # Stand-in for Exchange Online's Get-MessageTraceV2: rows of deferred (Pending) messages.
    function Get-MessageTraceV2 {
        [CmdletBinding()]
        param([string] $Status, [datetime] $StartDate, [datetime] $EndDate, [string[]] $RecipientAddress)
        foreach ($i in 1..3) {
            [pscustomobject]@{
                PSTypeName = 'Deserialized.Microsoft.Exchange.Management.FfoReporting.MessageTraceV2'
                Received = $Now.AddHours(-2 - $i); SenderAddress = 'sender@contoso.com'; RecipientAddress = "user$i@contoso.com"
                Subject = "Report $i"; Status = 'Pending'; ToIP = $null; FromIP = '198.51.100.20'; Size = 1024
                MessageTraceId = [guid]::new("00000000-0000-0000-0000-00000000000$i"); MessageId = "<msg$i@contoso.com>"
            }
        }
    }

    # Stand-in for Get-MessageTraceDetailV2: several DEFER rows per message, the connector in Data.
    function Get-MessageTraceDetailV2 {
        [CmdletBinding()]
        param(
            [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [guid] $MessageTraceId,
            [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $RecipientAddress,
            [Parameter(ValueFromPipelineByPropertyName)] [string] $MessageId
        )
        process {
            foreach ($attempt in 1..4) {
                [pscustomobject]@{
                    Date = $Now.AddMinutes(-30 * $attempt); Event = 'Defer'; Action = $null
                    Detail = 'Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25] [XXXEUR01FT001.eop-EUR01.prod.protection.outlook.com]};{MSG=};{FQDN=mail.contoso.com};{IP=203.0.113.5};{LRT=}]. OutboundProxyTargetIP: 203.0.113.5. OutboundProxyTargetHostName: mail.contoso.com'
                    Data = '<root><MEP Name="Connector" String="S:TenantOutboundConnectorCustomData=Name=Outbound to on-premises" /></root>'
                    MessageId = $MessageId; MessageTraceId = $MessageTraceId; RecipientAddress = $RecipientAddress
                }
            }
        }
    }

    # Stand-in for Exchange Server's Get-Queue.
    function Get-Queue {
        [CmdletBinding()] param([string] $Server)
        [pscustomobject]@{ Identity = 'EX01\7'; DeliveryType = 'SmartHostConnectorDelivery'; NextHopDomain = 'smtp.fabrikam.com'; Status = 'Retry'
            MessageCount = 250; LastError = '451 4.4.0 Primary target IP address responded with: "Failed to connect. Winsock error code: 10060, Win32 error code: 10060." Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 198.51.100.9:25'
            FirstRetryTime = $Now.AddHours(-3); NextRetryTime = $Now.AddMinutes(1) }
        [pscustomobject]@{ Identity = 'EX01\8'; DeliveryType = 'SmtpRelayToRemoteAdSite'; NextHopDomain = 'site-b'; Status = 'Ready'
            MessageCount = 0; LastError = $null; FirstRetryTime = $null; NextRetryTime = $null }
    }
}

AfterAll { if ($script:Lab) { Stop-MailFlowLab $script:Lab } }

Describe 'Get-MailFlowAlert from stand-in Exchange output' {
    It 'groups Get-MessageTraceV2 | Get-MessageTraceDetailV2 into one alert, counting each message once' {
        $alerts = @(Get-MessageTraceV2 -Status Pending | Get-MessageTraceDetailV2 | Get-MailFlowAlert)
        $alerts | Should -HaveCount 1
        $a = $alerts[0]
        $a.Code | Should -Be '450 4.4.316'
        $a.Connector | Should -Be 'Outbound to on-premises'
        $a.DestinationServer | Should -Be 'mail.contoso.com'
        $a.LastAttemptedIP | Should -Be '203.0.113.5'
        $a.MessageCount | Should -Be 3
        $a.RecipientCount | Should -Be 3
        $a.EvidenceCount | Should -Be 12
        $a.Severity | Should -Be 'Medium'
        $a.Expired | Should -BeFalse
    }

    It 'counts ExpiresAt from Received when the Get-MessageTraceV2 rows come with their detail rows, in either order' {
        $trace = @(Get-MessageTraceV2 -Status Pending)
        $details = @($trace | Get-MessageTraceDetailV2)
        foreach ($rows in @((@($trace) + $details), ($details + @($trace)))) {
            $alerts = @($rows | Get-MailFlowAlert)
            # The Pending rows' messages are explained by their detail rows: no Pending alert beside the 4.4.316 one.
            $alerts | Should -HaveCount 1
            $a = $alerts[0]
            $a.Code | Should -Be '450 4.4.316'
            $a.MessageCount | Should -Be 3
            $a.ExpiresFrom | Should -Be 'Arrival'
            $a.ExpiresAt | Should -Be $Now.AddHours(-5).AddHours(24)   # the oldest Received, 5 hours ago
        }
        # The detail rows alone know only the first deferral, two hours ago, and say so.
        $alone = Get-MessageTraceV2 -Status Pending | Get-MessageTraceDetailV2 | Get-MailFlowAlert
        $alone.ExpiresFrom | Should -Be 'FirstDeferral'
        $alone.ExpiresAt | Should -Be $Now.AddHours(-2).AddHours(24)
        ($alone | Format-List -View MailFlowAlertList | Out-String) | Should -Match 'ExpiresFrom\s*:\s*FirstDeferral'
    }

    It 'joins a trace CSV and a detail CSV read by -Path the same way' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("mfi-join-" + [guid]::NewGuid())
        New-Item -ItemType Directory $dir | Out-Null
        try {
            $trace = @(Get-MessageTraceV2 -Status Pending)
            $trace | Get-MessageTraceDetailV2 | Export-Csv (Join-Path $dir 'detail.csv') -NoTypeInformation
            $trace | Export-Csv (Join-Path $dir 'trace.csv') -NoTypeInformation
            $a = Get-MailFlowAlert -Path (Join-Path $dir 'detail.csv'), (Join-Path $dir 'trace.csv')
            @($a) | Should -HaveCount 1
            $a.ExpiresFrom | Should -Be 'Arrival'
            # Export-Csv keeps whole seconds.
            [math]::Abs(($a.ExpiresAt - $Now.AddHours(19)).TotalSeconds) | Should -BeLessThan 1
        }
        finally { Remove-Item -Recurse -Force $dir }
    }

    It 'rates 150 messages an hour from expiry High and a failed probe of no message Medium' {
        $rows = foreach ($i in 1..150) {
            [pscustomobject]@{ Date = $Now.AddHours(-23); Event = 'Defer'; Action = $null
                Detail = 'Reason: [{LED=450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]'
                Data = '<root><MEP Name="Connector" String="S:TenantOutboundConnectorCustomData=Name=Outbound to on-premises" /></root>'
                MessageId = "<m$i@contoso.com>"; MessageTraceId = [guid]::NewGuid(); RecipientAddress = "user$i@contoso.com" }
        }
        $mail = $rows | Get-MailFlowAlert
        $mail.MessageCount | Should -Be 150
        $mail.Severity | Should -Be 'High'
        $probe = Test-ConnectorDelivery -SmartHost refused.lab.test -Port $Lab.Port -DnsServer $Lab.DnsServer -TimeoutSec 3 | Get-MailFlowAlert
        $probe.MessageCount | Should -Be 0
        $probe.Severity | Should -Be 'Medium'
    }

    It 'reads Exchange Server queues in the code the server wrote, with the scenario their Winsock error names' {
        $a = Get-Queue | Get-MailFlowAlert -Threshold 200 -Verbose 4>$null
        $a.Code | Should -Be '451 4.4.0'
        $a.EnhancedStatusCode | Should -Be '4.4.0'
        $a.Reason | Should -Be 'ConnectTimedOut'
        $a.RawCode | Should -BeNullOrEmpty
        $a.MessageCount | Should -Be 250
        $a.DestinationServer | Should -Be 'smtp.fabrikam.com'
        $a.LastAttemptedIP | Should -Be '198.51.100.9'
        $a.Severity | Should -Be 'High'
        $a.ExpiresAt | Should -Be $Now.AddHours(-3).AddDays(2)
    }

    It 'takes Test-ConnectorDelivery results over the lab' {
        $alerts = Test-ConnectorDelivery -SmartHost refused.lab.test, ok.lab.test, busy.lab.test -Port $Lab.Port -DnsServer $Lab.DnsServer -TimeoutSec 3 |
            Get-MailFlowAlert
        ($alerts.Code | Sort-Object) | Should -Be @('450 4.4.316', '450 4.4.317')
        ($alerts | Where-Object Code -eq '450 4.4.316').DestinationServer | Should -Be 'refused.lab.test'
        ($alerts | Where-Object Code -eq '450 4.4.316').LastAttemptedIP | Should -Be '127.0.0.11'
    }

    It 'filters by -Code in any spelling, -Connector with wildcards and -Since' {
        $rows = @(Get-MessageTraceV2 | Get-MessageTraceDetailV2) + @(Get-Queue)
        (@($rows | Get-MailFlowAlert -Code 5.4.316)).Code | Should -Be '450 4.4.316'
        # The queue's alert is found by the code of its scenario's family, and by the code the server wrote.
        (@($rows | Get-MailFlowAlert -Code '450 4.4.315')).Code | Should -Be '451 4.4.0'
        (@($rows | Get-MailFlowAlert -Code '4.4.0')).Reason | Should -Be 'ConnectTimedOut'
        @($rows | Get-MailFlowAlert -Connector 'Outbound*').Count | Should -Be 1
        @($rows | Get-MailFlowAlert -Since $Now.AddMinutes(-45)).EvidenceCount | Should -Be 3
    }

    It 'does not bind its filters from the pipeline' {
        $o = [pscustomobject]@{ Code = '450 4.4.317'; Connector = 'X'; Since = $Now.AddYears(1); LastError = '450 4.4.316 Connection refused'; NextHopDomain = 'a'; DeliveryType = 'x'; Identity = 'q'; MessageCount = 1 }
        $a = $o | Get-MailFlowAlert
        $a.Code | Should -Be '450 4.4.316'
    }

    It 'gives one alert per piece of evidence with -NoGroup' {
        @(Get-MessageTraceV2 | Get-MessageTraceDetailV2 | Get-MailFlowAlert -NoGroup).Count | Should -Be 12
    }

    It 'reads plain strings and hashtables' {
        $a = @('550 5.4.316 Message expired, connection refused(Socket error code 10061)', @{ LastError = '451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NonExistentDomain; nonexistent domain'; NextHopDomain = 'contoso.com'; DeliveryType = 'DnsConnectorDelivery'; Identity = 'EX01\3'; MessageCount = 2 }) |
            Get-MailFlowAlert
        ($a | Where-Object Code -eq '450 4.4.316').Expired | Should -BeTrue
        ($a | Where-Object Code -eq '451 4.4.0').Detail | Should -Be 'SMTPSEND.DNS.NonExistentDomain'   # the Exchange server's own code
    }
}

Describe 'Get-MailFlowAlert from files' {
    BeforeAll {
        $script:Dir = Join-Path $TestDrive 'evidence'
        New-Item -ItemType Directory $Dir | Out-Null
        Get-MessageTraceV2 | Get-MessageTraceDetailV2 | Export-Csv (Join-Path $Dir 'trace.csv') -NoTypeInformation
        Get-Queue | Export-Csv (Join-Path $Dir 'queues.csv')
        Set-Content (Join-Path $Dir 'log.txt') -Value @('2026-11-27 10:00:00 deferred <q1@contoso.com> to user@fabrikam.com: 450 4.4.318 Connection was closed abruptly', 'nothing to see here')
        [IO.File]::WriteAllBytes((Join-Path $Dir 'picture.bin'), [byte[]](0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 74, 70, 73, 70, 0))
    }

    It 'reads CSV and text files found by -Path, and a binary file gives a clear error while the rest is read' {
        $alerts = Get-MailFlowAlert -Path (Join-Path $Dir '*') -ErrorVariable errs -ErrorAction SilentlyContinue
        ($alerts.Code | Sort-Object) | Should -Be @('450 4.4.316', '450 4.4.318', '451 4.4.0')
        ($alerts | Where-Object Code -eq '450 4.4.316').MessageCount | Should -Be 3
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEvidenceFile,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].Exception.Message | Should -Match 'picture\.bin'
    }

    It 'reads file objects piped from Get-ChildItem as files' {
        $alerts = Get-ChildItem $Dir -Filter *.csv | Get-MailFlowAlert
        ($alerts.Code | Sort-Object) | Should -Be @('450 4.4.316', '451 4.4.0')
    }

    It 'reads NDRs and delay notices (.eml) and names the code, recipients and expiry' {
        $ndr = Join-Path $env:MFI_ROOT 'tests/MailFlowIntel.Core.Tests/Data/ndr'
        $alerts = Get-ChildItem $ndr -Filter *.eml | Get-MailFlowAlert -AsOf ([datetime]'2026-01-01')
        $refused = $alerts | Where-Object Code -eq '450 4.4.316'
        $refused.Expired | Should -Contain $true
        ($alerts | Where-Object Code -eq '450 4.7.320').Detail | Should -Match 'SubjectMismatch'
        ($alerts | Where-Object Code -eq '550 5.7.708') | Should -Not -BeNullOrEmpty
        ($alerts.Source -join ';') | Should -Match 'Ndr'
        ($alerts.EvidenceFiles -join ';') | Should -Match 'expired-5\.4\.316-two-recipients\.eml'
    }

    It 'reports a folder given as a path as PathIsFolder' {
        $null = Get-MailFlowAlert -LiteralPath $Dir -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathIsFolder,*'
    }

    It 'reports a missing path as PathNotFound and goes on' {
        $a = Get-MailFlowAlert -LiteralPath (Join-Path $Dir 'nope.csv'), (Join-Path $Dir 'log.txt') -ErrorVariable errs -ErrorAction SilentlyContinue
        $a.Code | Should -Be '450 4.4.318'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
    }

    It 'exports to CSV with no System. type name and no formula cell' {
        $hostile = @('=cmd|'' /C calc''!A0 450 4.4.316 Connection refused to +1@evil.com', '@SUM(1+1) 550 5.7.708 Access denied')
        $csv = Join-Path $TestDrive 'alerts.csv'
        @(Get-MessageTraceV2 | Get-MessageTraceDetailV2) + $hostile | Get-MailFlowAlert | Export-Csv $csv -NoTypeInformation
        $text = Get-Content -Raw $csv
        $text | Should -Not -Match 'System\.'
        foreach ($row in Import-Csv $csv) {
            foreach ($p in $row.PSObject.Properties) { $p.Value | Should -Not -Match '^[=+\-@]' -Because "$($p.Name) must not start a formula" }
        }
    }
}

Describe 'DANE and MTA-STS evidence' {
    It 'groups deferred and expired 4.7.323 rows for one connector into one DaneTlsaMismatch alert, planned as a TLSA record step' {
        $data = '<root><MEP Name="Connector" String="S:TenantOutboundConnectorCustomData=Name=To Fabrikam" /></root>'
        $rows = @(
            [pscustomobject]@{ Date = $Now.AddHours(-3); Event = 'Defer'; MessageId = '<d1@contoso.com>'; RecipientAddress = 'a@fabrikam.com'; Data = $data
                Detail = 'Reason: [{LED=450 4.7.323 tlsa-invalid: The domain failed DANE validation [LastAttemptedServerName=mx1.fabrikam.com]}]' }
            [pscustomobject]@{ Date = $Now.AddHours(-1); Event = 'Fail'; MessageId = '<d2@contoso.com>'; RecipientAddress = 'b@fabrikam.com'; Data = $data
                Detail = 'Reason: [{LED=550 5.7.323 tlsa-invalid: The domain failed DANE validation [LastAttemptedServerName=mx1.fabrikam.com]}]' }
        )
        $alert = $rows | Get-MailFlowAlert
        $alert | Should -HaveCount 1
        $alert.Code | Should -Be '450 4.7.323'
        $alert.Reason | Should -Be 'DaneTlsaMismatch'
        $alert.MessageCount | Should -Be 2
        $alert.Expired | Should -BeTrue
        $plan = $alert | Repair-ConnectorConfig -ConnectorType Partner -WhatIf -WarningAction SilentlyContinue
        $plan.Action | Should -Contain 'PublishTlsaRecord'
        $plan | Where-Object Automatic | Should -BeNullOrEmpty
    }

    It 'reads 4.7.5 as MTA-STS only beside the words MTA-STS' {
        (Get-MailFlowAlert -InputObject '451 4.7.5 Remote certificate failed MTA-STS validation. Reason: Expired').Reason | Should -Be 'MtaStsCertificateInvalid'
        (Get-MailFlowAlert -InputObject '454 4.7.5 Certificate validation failure, reason:untrustedroot').Reason | Should -Not -Be 'MtaStsCertificateInvalid'
    }
}

Describe 'Postfix log lines' {
    BeforeAll {
        # Postfix 3.x smtp(8) lines: a connect attempt and its status, TLS required but not offered, a delivery (not evidence),
        # and a DANE mismatch whose status line only says the certificate was not verified.
        $script:PostfixLines = @(
            'Dec 08 01:46:08 relay1 postfix/smtp[23289]: connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection timed out'
            'Dec 08 01:46:08 relay1 postfix/smtp[23289]: 498ABB201F7: to=<user@contoso.com>, relay=none, delay=3, delays=0/0/3/0, dsn=4.4.1, status=deferred (connect to contoso-com.mail.protection.outlook.com[52.101.68.10]:25: Connection timed out)'
            'Dec 08 01:46:09 relay1 postfix/smtp[23290]: 5A1B2C3D4E5: to=<other@contoso.com>, relay=contoso-com.mail.protection.outlook.com[52.101.68.11]:25, delay=0.2, delays=0.1/0/0.1/0, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host contoso-com.mail.protection.outlook.com[52.101.68.11])'
            'Dec 08 01:46:10 relay1 postfix/smtp[23291]: 6B2C3D4E5F6: to=<user@contoso.com>, relay=contoso-com.mail.protection.outlook.com[52.101.68.10]:25, delay=3, delays=0/0/2/1, dsn=2.6.0, status=sent (250 2.6.0 Queued mail for delivery)'
            '2026-12-08T01:47:55.106201+00:00 mail2 postfix/smtp[16549]: CA certificate verification failed for mail.fabrikam.com[192.0.2.81]:25: num=65:no matching DANE TLSA records'
            '2026-12-08T01:47:55.108315+00:00 mail2 postfix/smtp[16549]: CB91A11607FF: to=<a@fabrikam.com>, relay=mail.fabrikam.com[192.0.2.81]:25, delay=0.37, delays=0.21/0.07/0.09/0, dsn=4.7.5, status=deferred (Server certificate not verified)'
        )

        function script:Assert-PostfixAlerts($alerts) {
            $alerts | Should -HaveCount 3
            $timeout = $alerts | Where-Object Code -eq '450 4.4.315'
            $timeout.Reason | Should -Be 'ConnectTimedOut'
            $timeout.ObservedFrom | Should -Be 'OtherMta'
            $timeout.Source | Should -Be 'PostfixLog'
            $timeout.DestinationServer | Should -Be 'contoso-com.mail.protection.outlook.com'
            $timeout.LastAttemptedIP | Should -Be '52.101.68.10'
            $timeout.Detail | Should -BeLike 'Postfix on relay1: connect to contoso-com.mail.protection.outlook.com*Connection timed out'
            $timeout.MessageCount | Should -Be 1
            $timeout.Recipients | Should -Be 'user@contoso.com'

            $tls = $alerts | Where-Object Code -eq '450 4.4.317'
            $tls.Reason | Should -Be 'StartTlsNotOffered'
            $tls.ObservedFrom | Should -Be 'OtherMta'
            $tls.DestinationServer | Should -Be 'contoso-com.mail.protection.outlook.com'
            $tls.Detail | Should -BeLike 'Postfix on relay1: TLS is required, but was not offered*'

            $dane = $alerts | Where-Object Code -eq '450 4.7.323'
            $dane.Reason | Should -Be 'DaneTlsaMismatch'
            $dane.ObservedFrom | Should -Be 'OtherMta'
            $dane.DestinationServer | Should -Be 'mail.fabrikam.com'
            $dane.Detail | Should -BeLike 'Postfix on mail2: *'
            $dane.MessageCount | Should -Be 1
            $dane.LastSeen | Should -Be ([datetime]::new(2026, 12, 8, 1, 47, 55, [DateTimeKind]::Utc).AddTicks(1083150))
        }
    }

    It 'reads piped Postfix client lines as another MTA''s view, each fault with the code Microsoft 365 gives for it' {
        Assert-PostfixAlerts @($PostfixLines | Get-MailFlowAlert)
    }

    It 'reads a Postfix log file given by -Path the same way' {
        $file = Join-Path $TestDrive 'mail.log'
        Set-Content -LiteralPath $file -Value $PostfixLines
        $alerts = @(Get-MailFlowAlert -Path $file)
        Assert-PostfixAlerts $alerts
        $alerts.EvidenceFiles | Sort-Object -Unique | Should -Be 'mail.log'
    }
}
