# Get-MailFlowAlert -Baseline/-BaselinePath: two runs of the lab, one fault fixed and another new between them.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:ProbeArgs = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; TimeoutSec = 3 }
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("mfi-baseline-" + [guid]::NewGuid())
    New-Item -ItemType Directory $Work | Out-Null

    # The same connector names in both runs, pointing at other lab hosts. Run 1: A refused, B busy (421), C fine, D drops after EHLO.
    $script:Run1 = @(
        New-LabConnector 'To A' 'refused.lab.test' CertificateValidation; New-LabConnector 'To B' 'busy.lab.test' CertificateValidation
        New-LabConnector 'To C' 'ok.lab.test' CertificateValidation; New-LabConnector 'To D' 'drop.lab.test' CertificateValidation
    ) | Test-ConnectorDelivery @ProbeArgs
    # Run 2: A was fixed (now points at a healthy server), B and D are still failing, C's server now has an expired certificate.
    $script:Run2 = @(
        New-LabConnector 'To A' 'ok.lab.test' CertificateValidation; New-LabConnector 'To B' 'busy.lab.test' CertificateValidation
        New-LabConnector 'To C' 'expired.lab.test' CertificateValidation; New-LabConnector 'To D' 'drop.lab.test' CertificateValidation
    ) | Test-ConnectorDelivery @ProbeArgs
    $script:Yesterday = @($Run1 | Get-MailFlowAlert)
    $script:Clixml = Join-Path $Work 'yesterday.xml'
    $script:Csv = Join-Path $Work 'yesterday.csv'
    $Yesterday | Export-Clixml $Clixml
    $Yesterday | Export-Csv $Csv -NoTypeInformation

    function Get-Changes { param($Alerts) @($Alerts | Sort-Object Connector | ForEach-Object { "$($_.Change)|$($_.Connector)|$($_.Code)|$($_.DestinationServer)" }) }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
    if ($script:Work) { Remove-Item -Recurse -Force $script:Work -ErrorAction SilentlyContinue }
}

Describe 'Changes against a baseline' {
    It 'starts from a first run with three faults' {
        $Yesterday | Should -HaveCount 3
        ($Yesterday | Sort-Object Connector).Connector | Should -Be @('To A', 'To B', 'To D')
        $Yesterday.Change | Select-Object -Unique | Should -Be 'None'
    }

    It 'gives one New, one Resolved and the rest Ongoing from a baseline given as <Name>' -ForEach @(
        @{ Name = 'objects'; Run = { $Run2 | Get-MailFlowAlert -Baseline $Yesterday } }
        @{ Name = 'objects from Import-Clixml'; Run = { $Run2 | Get-MailFlowAlert -Baseline (Import-Clixml $Clixml) } }
        @{ Name = 'rows from Import-Csv'; Run = { $Run2 | Get-MailFlowAlert -Baseline (Import-Csv $Csv) } }
        @{ Name = 'a Clixml path'; Run = { $Run2 | Get-MailFlowAlert -BaselinePath $Clixml } }
        @{ Name = 'a CSV path'; Run = { $Run2 | Get-MailFlowAlert -BaselinePath $Csv } }
    ) {
        $alerts = @(& $Run -ErrorVariable errs -WarningVariable warns)
        $errs | Should -BeNullOrEmpty
        $warns | Should -BeNullOrEmpty
        Get-Changes $alerts | Should -Be @(
            'Resolved|To A|450 4.4.316|refused.lab.test'
            'Ongoing|To B|450 4.4.317|busy.lab.test'
            'New|To C|450 4.7.320|expired.lab.test'
            'Ongoing|To D|450 4.4.318|drop.lab.test'
        )
        # What a scheduled script acts on.
        @($alerts | Where-Object Change -in 'New', 'Worse').Connector | Should -Be 'To C'
        $resolved = $alerts | Where-Object Change -eq 'Resolved'
        $resolved.Severity | Should -Be 'Medium'
        $resolved.PreviousMessageCount | Should -Be 0
        $resolved.Reason | Should -Be 'ConnectionRefused'
        ($alerts | Where-Object Change -eq 'New').PreviousMessageCount | Should -BeNullOrEmpty
    }

    It 'does not make an alert Worse from the new severity rule alone against a baseline saved before ExpiresFrom (<Name>)' -ForEach @(
        @{ Name = 'Clixml'; Save = { param($a, $p) $a | Export-Clixml $p } }
        @{ Name = 'CSV'; Save = { param($a, $p) $a | Export-Csv $p -NoTypeInformation } }
    ) {
        # 150 messages first deferred 23 hours ago: an hour left, High by the table; the older rule rated them Medium.
        $rows = foreach ($i in 1..150) {
            [pscustomobject]@{ Date = [datetime]::UtcNow.AddHours(-23); Event = 'Defer'; Action = $null
                Detail = 'Reason: [{LED=450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]}]'
                Data = '<root><MEP Name="Connector" String="S:TenantOutboundConnectorCustomData=Name=To E" /></root>'
                MessageId = "<m$i@contoso.com>"; MessageTraceId = [guid]::NewGuid(); RecipientAddress = "user$i@contoso.com" }
        }
        $today = $rows | Get-MailFlowAlert
        $today.Severity | Should -Be 'High'
        # Yesterday's alert as an older version wrote it: no ExpiresFrom column, Severity Medium.
        $old = $today | Select-Object * -ExcludeProperty ExpiresFrom | ForEach-Object { $_.Severity = 'Medium'; $_ }
        $oldPath = Join-Path $Work "older.$Name"
        & $Save $old $oldPath
        $a = $rows | Get-MailFlowAlert -BaselinePath $oldPath
        $a.Change | Should -Be 'Ongoing'
        $a.Severity | Should -Be 'High'
        $a.PreviousSeverity | Should -Be 'Medium'
        # The same alert saved by this version (with ExpiresFrom): a higher Severity is Worse again.
        $new = $today | Select-Object * | ForEach-Object { $_.Severity = 'Medium'; $_ }
        $newPath = Join-Path $Work "newer.$Name"
        & $Save $new $newPath
        ($rows | Get-MailFlowAlert -BaselinePath $newPath).Change | Should -Be 'Worse'
    }

    It 'leaves Change None without a baseline' {
        ($Run2 | Get-MailFlowAlert).Change | Select-Object -Unique | Should -Be 'None'
    }

    It 'makes every alert New against an empty baseline (<Name>)' -ForEach @(
        @{ Name = '$null, a first run'; Run = { $Run2 | Get-MailFlowAlert -Baseline $null } }
        @{ Name = 'Export-Clixml of no alerts'; Run = { $p = Join-Path $Work 'none.xml'; @() | Export-Clixml $p; $Run2 | Get-MailFlowAlert -BaselinePath $p } }
        @{ Name = 'Export-Csv of no alerts'; Run = { $p = Join-Path $Work 'none.csv'; @() | Export-Csv $p; $Run2 | Get-MailFlowAlert -BaselinePath $p } }
    ) {
        $alerts = @(& $Run -ErrorVariable errs)
        $errs | Should -BeNullOrEmpty
        $alerts | Should -HaveCount 3
        $alerts.Change | Select-Object -Unique | Should -Be 'New'
    }

    It 'takes its own output, Resolved alerts included, as the next baseline: the same run again is all Ongoing' {
        $today = Join-Path $Work 'today.xml'
        $Run2 | Get-MailFlowAlert -Baseline $Yesterday | Export-Clixml $today
        $next = @($Run2 | Get-MailFlowAlert -BaselinePath $today)
        Get-Changes $next | Should -Be @(
            'Ongoing|To B|450 4.4.317|busy.lab.test'
            'Ongoing|To C|450 4.7.320|expired.lab.test'
            'Ongoing|To D|450 4.4.318|drop.lab.test'
        )
    }
}

Describe 'Change follows the vantage: only Microsoft 365 resolves what Microsoft 365 raised' {
    BeforeAll {
        # This run's probe of the connector and server below, from this computer: it takes the session.
        $script:Probe = @(New-LabConnector 'To on-premises' 'ok.lab.test' CertificateValidation | Test-ConnectorDelivery @ProbeArgs)
        $script:Server = $Probe[0].DestinationServer
        $data = '<root><MEP Name="CustomData" String="S:Microsoft.Exchange.Hygiene.TenantOutboundConnectorCustomData=Name=To on-premises;" /></root>'
        # Exchange Online's own trace, as Get-MessageTraceDetailV2 gives it: 40 messages deferred through that connector and server.
        $deferredAt = [datetime]::UtcNow.AddMinutes(-30)
        $script:Deferrals = foreach ($i in 1..40) {
            [pscustomobject]@{ Date = $deferredAt; Event = 'DEFER'; Action = $null
                Detail = "Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=$Server] [LastAttemptedIP=$($Probe[0].IPAddress):25]}]"
                Data = $data; MessageId = "<m$i@contoso.com>"; MessageTraceId = [guid]::NewGuid(); RecipientAddress = "user$i@contoso.com" }
        }
        # This run's trace of messages delivered through the connector since (SEND events), and no deferral.
        $script:Delivered = foreach ($i in 1..3) {
            [pscustomobject]@{ Date = [datetime]::UtcNow.AddMinutes(-5); Event = 'SEND'; Action = $null
                Detail = "Message sent to $Server using TLS1.2 with AES256"
                Data = $data; MessageId = "<d$i@contoso.com>"; MessageTraceId = [guid]::NewGuid(); RecipientAddress = "user$i@contoso.com" }
        }
        $script:Raised = @($Deferrals | Get-MailFlowAlert)
    }

    It 'raises one alert from Microsoft 365''s view for the 40 deferrals' {
        $Raised | Should -HaveCount 1
        $Raised[0].ObservedFrom | Should -Be 'Microsoft365'
        $Raised[0].MessageCount | Should -Be 40
        $Raised[0].DestinationServer | Should -Be $Server
        $Probe[0].Status | Should -Be 'Succeeded'
    }

    It 'leaves it Unverified after a successful probe of the same connector and server, and Resolved by deliveries (baseline saved with <Name>)' -ForEach @(
        @{ Name = 'Export-Clixml'; Save = { param($a, $p) $a | Export-Clixml $p } }
        @{ Name = 'Export-Csv'; Save = { param($a, $p) $a | Export-Csv $p -NoTypeInformation } }
    ) {
        $path = Join-Path $Work "m365-raised.$Name"
        & $Save $Raised $path

        $probed = @($Probe | Get-MailFlowAlert -BaselinePath $path -WarningVariable warns -Verbose 4>&1)
        $verbose = @($probed | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $probed = @($probed | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $probed | Should -HaveCount 1
        $probed[0].Change | Should -Be 'Unverified'
        $probed[0].Change | Should -Not -Be 'Resolved'
        $probed[0].PreviousMessageCount | Should -Be 40
        # What this run saw instead, in Detail: the probe's finding from this computer, and which view alone resolves it.
        $probed[0].Detail | Should -BeLike "Socket error code 10061 | Not verified: reachable from this computer ($($Probe[0].ComputerName)) at * UTC; only Microsoft 365's own view*"
        $warns | Should -BeNullOrEmpty
        @($verbose.Message -match 'Not claimed resolved.*reachable from this computer') | Should -HaveCount 1

        $resolved = @($Delivered | Get-MailFlowAlert -BaselinePath $path)
        $resolved | Should -HaveCount 1
        $resolved[0].Change | Should -Be 'Resolved'
        $resolved[0].Code | Should -Be '450 4.4.316'
        $resolved[0].MessageCount | Should -Be 40

        # Saved again as the next baseline, the Unverified alert carries its evidence's Detail, not the note.
        $next = Join-Path $Work "m365-unverified.$Name"
        & $Save $probed $next
        (@($Probe | Get-MailFlowAlert -BaselinePath $next)[0].Detail -split 'Not verified').Count | Should -Be 2
        (@($Delivered | Get-MailFlowAlert -BaselinePath $next)[0]).Change | Should -Be 'Resolved'
    }

    It 'resolves it through the README''s scheduled script, which pipes the watched connectors'' delivered trace rows' {
        # The script's lines from $baseline to Get-MailFlowAlert, as the README prints them.
        $readme = Get-Content -Raw (Join-Path $env:MFI_ROOT 'README.md')
        $lines = [regex]::Match($readme, '(?s)# C:\\Scripts\\Watch-MailFlow\.ps1.*?```').Value -split '\r?\n'
        $from = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l.StartsWith('$baseline = ') })
        $to = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l.StartsWith('$alerts = ') })
        $from | Should -BeGreaterOrEqual 0
        $to | Should -BeGreaterThan $from
        $path = Join-Path $Work 'watch-baseline.xml'
        $Raised | Export-Clixml $path
        (Get-Item $path).LastWriteTimeUtc = [datetime]::UtcNow.AddMinutes(-20)   # the previous run, 20 minutes ago
        $fragment = ($lines[$from..$to] -join "`n").Replace("'C:\Reports\alerts-baseline.xml'", "'$path'").Replace("'C:\Reports\tlsrpt'", "'$Work'")

        # Stand-ins for the Exchange Online cmdlets, recording their calls; the probe goes to the lab.
        $script:Calls = [System.Collections.Generic.List[string]]::new()
        function Get-OutboundConnector { New-LabConnector 'To on-premises' 'ok.lab.test' CertificateValidation -Domains 'contoso.com' }
        function Get-MessageTraceV2 {
            param([string[]] $Status, [datetime] $StartDate, [datetime] $EndDate, [int] $ResultSize)
            $script:Calls.Add("Get-MessageTraceV2 -Status $Status -ResultSize $ResultSize")
            if ($Status -contains 'Delivered') {
                foreach ($i in 1..5) { [pscustomobject]@{ Received = [datetime]::UtcNow.AddMinutes(-6); RecipientAddress = "user$i@contoso.com"; Status = 'Delivered'; MessageTraceId = [guid]::NewGuid(); MessageId = "<w$i@contoso.com>" } }
                [pscustomobject]@{ Received = [datetime]::UtcNow.AddMinutes(-6); RecipientAddress = 'someone@fabrikam.com'; Status = 'Delivered'; MessageTraceId = [guid]::NewGuid(); MessageId = '<f1@contoso.com>' }
            }
        }
        function Get-MessageTraceDetailV2 {
            param([Parameter(ValueFromPipelineByPropertyName)] [guid] $MessageTraceId, [Parameter(ValueFromPipelineByPropertyName)] [string] $RecipientAddress,
                  [Parameter(ValueFromPipelineByPropertyName)] [string] $MessageId, [string[]] $Event)
            process {
                $script:Calls.Add("Get-MessageTraceDetailV2 $RecipientAddress -Event $($Event -join ',')")
                [pscustomobject]@{ Date = [datetime]::UtcNow.AddMinutes(-5); Event = 'SEND'; Action = $null; Detail = "Message sent to $Server using TLS1.2 with AES256"
                    Data = '<root><MEP Name="CustomData" String="S:Microsoft.Exchange.Hygiene.TenantOutboundConnectorCustomData=Name=To on-premises;" /></root>'
                    MessageId = $MessageId; MessageTraceId = $MessageTraceId; RecipientAddress = $RecipientAddress }
            }
        }
        # Stand-ins for Microsoft Graph: the reports mailbox holds one of Microsoft's TLS reports, gzipped, as it arrives.
        function Connect-MgGraph { $script:Calls.Add('Connect-MgGraph') }
        function Get-MgUserMailFolderMessage { param($UserId, $MailFolderId, $Top, $Filter) $script:Calls.Add("Get-MgUserMailFolderMessage $UserId"); [pscustomobject]@{ Id = 'm1' } }
        function Get-MgUserMessageAttachment {
            param($UserId, $MessageId)
            $json = [IO.File]::ReadAllBytes((Join-Path $env:MFI_ROOT 'tests/MailFlowIntel.Core.Tests/Data/tlsrpt/microsoft-contoso.json'))
            $packed = [IO.MemoryStream]::new()
            $gz = [IO.Compression.GZipStream]::new($packed, [IO.Compression.CompressionLevel]::Optimal, $true); $gz.Write($json, 0, $json.Length); $gz.Dispose()
            [pscustomobject]@{ Name = 'microsoft.com!contoso.com!1!2.json.gz'; AdditionalProperties = @{ contentBytes = [Convert]::ToBase64String($packed.ToArray()) } }
        }
        $PSDefaultParameterValues['Test-ConnectorDelivery:Port'] = $Lab.Port
        $PSDefaultParameterValues['Test-ConnectorDelivery:DnsServer'] = $Lab.DnsServer
        $PSDefaultParameterValues['Test-ConnectorDelivery:CertificateAuthority'] = $Lab.CertificateAuthority
        try { . ([scriptblock]::Create($fragment)) }
        finally { foreach ($k in 'Port', 'DnsServer', 'CertificateAuthority') { $PSDefaultParameterValues.Remove("Test-ConnectorDelivery:$k") } }

        # The connector's alert, resolved by the delivered rows; and the TLS report's, Microsoft 365's view of the MX hosts.
        $resolved = @($alerts | Where-Object Connector -eq 'To on-premises')
        $resolved | Should -HaveCount 1
        $resolved[0].Change | Should -Be 'Resolved'
        $reported = @($alerts | Where-Object Source -eq 'TlsReport')
        $reported | Should -HaveCount 4
        $reported | ForEach-Object { "$($_.ObservedFrom)" | Should -Be 'Microsoft365' }
        # Bounded: three detail requests for the watched connector's domain, SEND and DELIVER only; none for fabrikam.com.
        @($Calls | Where-Object { $_ -like 'Get-MessageTraceDetailV2 *' } | Sort-Object) | Should -Be @(
            'Get-MessageTraceDetailV2 user1@contoso.com -Event SEND,DELIVER'
            'Get-MessageTraceDetailV2 user2@contoso.com -Event SEND,DELIVER'
            'Get-MessageTraceDetailV2 user3@contoso.com -Event SEND,DELIVER'
        )
        @($Calls | Where-Object { $_ -like 'Get-MessageTraceV2 *' }) | Should -Be @('Get-MessageTraceV2 -Status Pending -ResultSize 50', 'Get-MessageTraceV2 -Status Delivered -ResultSize 1000')
    }

    It 'keeps today''s rule for a baseline saved before ObservedFrom existed: the probe resolves it, as it did' {
        $old = $Raised | Select-Object * -ExcludeProperty ObservedFrom, ComputerName
        $path = Join-Path $Work 'm365-before-observedfrom.csv'
        $old | Export-Csv $path -NoTypeInformation
        (@($Probe | Get-MailFlowAlert -BaselinePath $path)[0]).Change | Should -Be 'Resolved'
        # The same deferrals again: Ongoing, not New, whatever the upgrade added.
        (@($Deferrals | Get-MailFlowAlert -BaselinePath $path)[0]).Change | Should -Be 'Ongoing'
    }
}

Describe 'A run that could not look resolves nothing' {
    It 'resolves nothing when every probe was NotTested for a probing-side fault, and warns once' {
        # As Test-ConnectorDelivery writes its results on a host whose outbound port 25 is blocked (an Azure VM, a runbook).
        $blocked = $Run2 | Select-Object * | ForEach-Object {
            $_.Status = 'NotTested'; $_.TargetStatus = 'NotTested'; $_.Reason = 'ProbeSideFault'
            $_.Code = $null; $_.EnhancedStatusCode = $null; $_.Stage = 'Connect'
            $_
        }
        $alerts = @($blocked | Get-MailFlowAlert -Baseline $Yesterday -WarningVariable warns -WarningAction SilentlyContinue -Verbose 4>&1)
        $verbose = $alerts | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $alerts = $alerts | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        # Carried forward, not resolved: the next run compares with them still.
        $alerts.Change | Should -Be @('Unverified', 'Unverified', 'Unverified')
        ($alerts | Sort-Object Connector).PreviousMessageCount | Should -Be (($Yesterday | Sort-Object Connector).MessageCount)
        $warns | Should -HaveCount 1
        $warns[0].Message | Should -Match '^3 alert'
        @($verbose.Message -match 'Not claimed resolved.*ProbeSideFault') | Should -HaveCount 3
    }

    It 'resolves nothing when the DNS server did not answer (its error merged with 2>&1), though a probe of the connector succeeded' {
        $silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
        try {
            $dns = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"
            $failed = Test-ConnectorDelivery -SmartHost refused.lab.test -DnsServer $dns -Port $Lab.Port -TimeoutSec 1 2>&1
        }
        finally { $silent.Dispose() }
        $failed | Should -HaveCount 1
        $failed.FullyQualifiedErrorId | Should -BeLike 'DnsServerUnreachable,*'
        $fixedA = $Run2 | Where-Object Connector -eq 'To A'
        # Without the error, A's success resolves A's fault; with it, the run vouches for nothing.
        ($fixedA | Get-MailFlowAlert -Baseline $Yesterday | Where-Object Connector -eq 'To A').Change | Should -Be 'Resolved'
        $alerts = @(@($fixedA) + @($failed) | Get-MailFlowAlert -Baseline $Yesterday -WarningVariable warns -WarningAction SilentlyContinue)
        $alerts | Where-Object Change -eq 'Resolved' | Should -BeNullOrEmpty
        $alerts.Change | Sort-Object -Unique | Should -Be 'Unverified'
        $warns | Should -HaveCount 1
    }

    It 'resolves nothing in a run whose egress check failed, though the fixed connector''s probe succeeded' {
        # D's connect failed and so did the egress check (this computer cannot reach port 25 outside): A's success vouches for nothing.
        $egress = $Run2 | Select-Object * | ForEach-Object {
            if ($_.Connector -eq 'To D') { $_.Status = 'NotTested'; $_.Reason = 'ProbeSideFault'; $_.Code = $null; $_.EgressCheck = 'Failed' }
            $_
        }
        ($Run2 | Get-MailFlowAlert -Baseline $Yesterday | Where-Object Connector -eq 'To A').Change | Should -Be 'Resolved'
        $alerts = @($egress | Get-MailFlowAlert -Baseline $Yesterday -WarningVariable warns -WarningAction SilentlyContinue -Verbose 4>&1)
        $verbose = $alerts | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $alerts = $alerts | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        ($alerts | Where-Object Connector -eq 'To A').Change | Should -Be 'Unverified'
        $alerts | Where-Object Change -eq 'Resolved' | Should -BeNullOrEmpty
        $warns | Should -HaveCount 1
        @($verbose.Message -match 'EgressCheck Failed') | Should -Not -BeNullOrEmpty
    }

    It 'resolves nothing for a connector it did not probe' {
        $alerts = @($Run2 | Where-Object Connector -eq 'To C' | Get-MailFlowAlert -Baseline $Yesterday -WarningVariable warns)
        Get-Changes ($alerts | Where-Object Change -ne 'Unverified') | Should -Be @('New|To C|450 4.7.320|expired.lab.test')
        ($alerts | Where-Object Change -eq 'Unverified').Connector | Sort-Object | Should -Be @('To A', 'To B', 'To D')
        $warns | Should -BeNullOrEmpty
    }

    It 'carries an unverified alert into the next baseline, where it is Ongoing if the fault is still there' {
        $blocked = $Run2 | Where-Object Connector -ne 'To B'   # B not probed this time
        $middle = @($blocked | Get-MailFlowAlert -Baseline $Yesterday)
        ($middle | Where-Object Connector -eq 'To B').Change | Should -Be 'Unverified'
        $next = @($Run2 | Get-MailFlowAlert -Baseline $middle)
        ($next | Where-Object Connector -eq 'To B').Change | Should -Be 'Ongoing'
    }
}

Describe 'Baselines that cannot be read' {
    It 'gives BaselineItemNotAlert for an item that is not an alert, and compares with the rest' {
        $alerts = @($Run2 | Get-MailFlowAlert -Baseline @($Run1[0]; $Yesterday) -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'BaselineItemNotAlert,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].TargetObject.Connector | Should -Be $Run1[0].Connector
        @($alerts | Where-Object Change -eq 'Resolved') | Should -HaveCount 1
    }

    It 'gives UnreadableBaseline for an alert row that cannot be read, naming the file' {
        $bad = Join-Path $Work 'bad.csv'
        $rows = Import-Csv $Csv
        $rows[0].Severity = 'Sideways'
        $rows | Export-Csv $bad -NoTypeInformation
        $null = $Run2 | Get-MailFlowAlert -BaselinePath $bad -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnreadableBaseline,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].TargetObject | Should -Be $bad
        $errs[0].Exception.Message | Should -Match 'Severity'
    }

    It 'gives UnreadableBaseline for <Name>' -ForEach @(
        @{ Name = 'a broken Clixml file'; Text = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><TN' }
        @{ Name = 'a CSV of evidence, not alerts'; Text = "Date,Event,Detail,MessageId`n2026-01-01T00:00:00Z,Defer,450 4.4.316 Connection refused,<m@x>" }
    ) {
        $p = Join-Path $Work "bad-$([guid]::NewGuid()).txt"
        Set-Content -LiteralPath $p -Value $Text
        $alerts = @($Run2 | Get-MailFlowAlert -BaselinePath $p -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnreadableBaseline,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].TargetObject | Should -Be $p
        # Nothing read, nothing claimed resolved: every alert is New.
        $alerts.Change | Select-Object -Unique | Should -Be 'New'
    }

    It 'gives BaselineNotFound for a path that does not exist' {
        $p = Join-Path $Work 'missing.xml'
        $null = $Run2 | Get-MailFlowAlert -BaselinePath $p -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'BaselineNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses -Baseline with -NoGroup' {
        { $Run2 | Get-MailFlowAlert -NoGroup -Baseline $Yesterday } | Should -Throw -ErrorId 'BaselineWithNoGroup,MailFlowIntel.Commands.GetMailFlowAlertCommand'
    }
}

Describe 'Resolved alerts and repairs' {
    It 'plans nothing for an alert whose Change is Resolved, and plans the others' {
        $resolved = [pscustomobject]@{ Code = '450 4.4.316'; Connector = 'To A'; DestinationServer = 'refused.lab.test'; Change = 'Resolved'; Reason = 'ConnectionRefused' }
        $open = [pscustomobject]@{ Code = '450 4.4.316'; Connector = 'To B'; DestinationServer = 'busy.lab.test'; Change = 'New'; Reason = 'ConnectionRefused' }
        $plan = @($resolved, $open | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue)
        $plan.Count | Should -BeGreaterThan 0
        $plan.Connector | Sort-Object -Unique | Should -Be 'To B'
    }
}
