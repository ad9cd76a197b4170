# Results, alerts and actions that cross sessions, jobs, files and JSON: what comes back is read as what went out.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    # Start-ThreadJob ships with PowerShell 7 (Microsoft.PowerShell.ThreadJob; ThreadJob before 7.5); autoloading may be off.
    Import-Module Microsoft.PowerShell.ThreadJob -ErrorAction SilentlyContinue
    if (-not (Get-Command Start-ThreadJob -ErrorAction SilentlyContinue)) { Import-Module ThreadJob }
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:ProbeArgs = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; TimeoutSec = 3 }
    $script:Hosts = 'refused.lab.test', 'busy.lab.test', 'expired.lab.test', 'ok.lab.test'
    $script:Live = @(Test-ConnectorDelivery -SmartHost $Hosts @ProbeArgs)
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("mfi-crossing-" + [guid]::NewGuid())
    New-Item -ItemType Directory $Work | Out-Null

    # What an alert is compared on: code, server, count, severity.
    function Get-AlertShape { param($Alerts) @($Alerts | Sort-Object Code, DestinationServer | ForEach-Object { "$($_.Code)|$($_.DestinationServer)|$($_.MessageCount)|$($_.Severity)|$($_.Reason)" }) }
    # What a plan is compared on: the action, its target and its command.
    function Get-PlanShape { param($Actions) @($Actions | Sort-Object Action, Target | ForEach-Object { "$($_.Action)|$($_.Target)|$($_.Reason)|$($_.Status)|$($_.Command)" }) }

    $script:LiveAlerts = Get-AlertShape ($Live | Get-MailFlowAlert)
    $script:LivePlan = Get-PlanShape ($Live | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue)

    # Forty deferred messages for one connector, as Get-MessageTraceDetailV2 rows.
    $script:Now = [datetime]::UtcNow
    $script:FortyRows = foreach ($i in 1..40) {
        [pscustomobject]@{
            Date = $Now.AddMinutes(-3 * $i); Event = 'Defer'; MessageId = "<m$i@contoso.com>"; RecipientAddress = "user$i@contoso.com"
            MessageTraceId = [guid]::NewGuid()
            Detail = 'Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]};{FQDN=mail.contoso.com};{IP=203.0.113.5}]'
            Data = '<root><MEP Name="Connector" String="S:TenantOutboundConnectorCustomData=Name=Outbound to on-premises" /></root>'
        }
    }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
    if ($script:Work) { Remove-Item -Recurse -Force $script:Work -ErrorAction SilentlyContinue }
}

Describe 'Probe results read back' {
    It 'gives failures to alert on (the lab has <_>)' -ForEach @('450 4.4.316', '450 4.4.317') {
        $LiveAlerts -join ' ' | Should -Match ([regex]::Escape($_))
    }

    It 'gives the same alerts and the same plan through Export-Clixml at <Name>' -ForEach @(
        @{ Name = 'the default depth'; Depth = $null }
        @{ Name = 'depth 1'; Depth = 1 }
    ) {
        $path = Join-Path $Work "results-$([guid]::NewGuid()).xml"
        if ($Depth) { $Live | Export-Clixml $path -Depth $Depth } else { $Live | Export-Clixml $path }
        $back = Import-Clixml $path
        $back[0].pstypenames[0] | Should -BeLike 'Deserialized.*'
        Get-AlertShape ($back | Get-MailFlowAlert) | Should -Be $LiveAlerts
        Get-PlanShape ($back | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue) | Should -Be $LivePlan
    }

    It 'gives the same alerts and the same plan from Start-Job' {
        $job = Start-Job -ScriptBlock {
            param($Module, $Hosts, $ProbeArgs)
            Import-Module $Module
            Test-ConnectorDelivery -SmartHost $Hosts @ProbeArgs
        } -ArgumentList $env:MFI_MODULE, $Hosts, $ProbeArgs
        $back = @($job | Wait-Job -Timeout 120 | Receive-Job)
        $job | Remove-Job -Force
        $back.Count | Should -Be $Live.Count
        Get-AlertShape ($back | Get-MailFlowAlert) | Should -Be $LiveAlerts
        Get-PlanShape ($back | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue) | Should -Be $LivePlan
    }

    It 'gives the same alerts and the same plan from Start-ThreadJob' {
        $job = Start-ThreadJob -ScriptBlock {
            param($Module, $Hosts, $ProbeArgs)
            Import-Module $Module
            Test-ConnectorDelivery -SmartHost $Hosts @ProbeArgs
        } -ArgumentList $env:MFI_MODULE, $Hosts, $ProbeArgs
        $back = @($job | Wait-Job -Timeout 120 | Receive-Job)
        $job | Remove-Job -Force
        Get-AlertShape ($back | Get-MailFlowAlert) | Should -Be $LiveAlerts
        Get-PlanShape ($back | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue) | Should -Be $LivePlan
    }

    It 'reads enums given as numbers (a deserialized enum, a JSON number)' {
        $failed = $Live | Where-Object Status -eq 'Failed' | Select-Object -First 1
        $row = $failed | Select-Object *
        $row.Status = [long]$failed.Status
        $row.Reason = [long]$failed.Reason
        $row.Responsible = [long]$failed.Responsible
        $row.TargetStatus = [long]$failed.TargetStatus
        $a = $row | Get-MailFlowAlert
        $a.Code | Should -Be $failed.Code
        $a.Reason | Should -Be "$($failed.Reason)"
        ($row | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue).Reason | Should -Contain $failed.Reason
    }

    It 'gives an ErrorRecord for a result of ours that cannot be read, and goes on with the next item' {
        $bad = $Live[0] | Select-Object *
        $bad.Status = 'Sideways'
        $good = $Live | Where-Object Status -eq 'Failed' | Select-Object -First 1
        $alerts = @($bad, $good | Get-MailFlowAlert -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnreadableInputObject*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].TargetObject.Status | Should -Be 'Sideways'
        $errs[0].Exception.Message | Should -Match 'Status'
        $alerts | Should -HaveCount 1
    }
}

Describe 'Alerts read back keep what they counted' {
    BeforeAll {
        $script:Forty = $FortyRows | Get-MailFlowAlert
    }

    It 'starts from one alert of 40 messages' {
        $Forty.MessageCount | Should -Be 40
        $Forty.RecipientCount | Should -Be 40
    }

    It 'keeps 40 messages, the recipients, the times and the severity through <Name>' -ForEach @(
        @{ Name = 'Export-Csv and -Path'; Via = { param($a, $dir) $p = Join-Path $dir 'a.csv'; $a | Export-Csv $p; Get-MailFlowAlert -Path $p } }
        @{ Name = 'Export-Csv and Import-Csv'; Via = { param($a, $dir) $p = Join-Path $dir 'b.csv'; $a | Export-Csv $p; Import-Csv $p | Get-MailFlowAlert } }
        @{ Name = 'Export-Clixml'; Via = { param($a, $dir) $p = Join-Path $dir 'a.xml'; $a | Export-Clixml $p; Import-Clixml $p | Get-MailFlowAlert } }
        @{ Name = 'the pipeline'; Via = { param($a, $dir) $a | Get-MailFlowAlert } }
    ) {
        $back = & $Via $Forty $Work
        $back | Should -HaveCount 1
        $back.MessageCount | Should -Be 40
        $back.RecipientCount | Should -Be 40
        $back.Severity | Should -Be $Forty.Severity
        $back.Code | Should -Be $Forty.Code
        $back.Connector | Should -Be $Forty.Connector
        $back.FirstSeen.ToString('s') | Should -Be $Forty.FirstSeen.ToString('s')
        $back.LastSeen.ToString('s') | Should -Be $Forty.LastSeen.ToString('s')
        $back.ExpiresAt.ToString('s') | Should -Be $Forty.ExpiresAt.ToString('s')
    }

    It 'adds new evidence for the same key to what the alert counted' {
        $one = [pscustomobject]@{
            Date = $Now; Event = 'Defer'; MessageId = '<new@contoso.com>'; RecipientAddress = 'late@contoso.com'
            Detail = $FortyRows[0].Detail; Data = $FortyRows[0].Data
        }
        $merged = @($Forty; $one) | Get-MailFlowAlert
        $merged | Should -HaveCount 1
        $merged.MessageCount | Should -Be 41
        $merged.RecipientCount | Should -Be 41
        $merged.FirstSeen | Should -Be $Forty.FirstSeen
        $merged.LastSeen | Should -Be $Now
    }

    It 'never lowers the severity it was read with' {
        $high = $Forty | Select-Object *
        $high.Severity = 'High'
        ($high | Get-MailFlowAlert).Severity | Should -Be 'High'
    }

    It 'gives an ErrorRecord naming the property for an alert of ours that cannot be read' {
        $bad = $Forty | Select-Object *
        $bad.MessageCount = 'forty'
        $null = $bad | Get-MailFlowAlert -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].Exception.Message | Should -Match 'MessageCount'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnreadableInputObject*'
    }

    It 'reports a broken row of an alert CSV and reads the rest of the file' {
        $p = Join-Path $Work 'broken.csv'
        @($Forty, ($Forty | Select-Object * | ForEach-Object { $_.Severity = 'Catastrophic'; $_.Connector = 'Other'; $_ })) | Export-Csv $p
        $alerts = @(Get-MailFlowAlert -Path $p -ErrorVariable errs -ErrorAction SilentlyContinue)
        $alerts | Should -HaveCount 1
        $alerts.MessageCount | Should -Be 40
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnreadableEvidenceRow*'
        $errs[0].Exception.Message | Should -Match 'row 2.*Severity'
    }
}

Describe 'JSON shows words, not numbers' {
    It 'writes every enum of a <Name> as its name, without -EnumsAsStrings' -ForEach @(
        @{ Name = 'result'; Get = { $Live } }
        @{ Name = 'alert'; Get = { $Live | Get-MailFlowAlert } }
        @{ Name = 'repair action'; Get = { $Live | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue } }
    ) {
        $objects = @(& $Get)
        $objects.Count | Should -BeGreaterThan 0
        $json = $objects | ConvertTo-Json -Depth 2
        $parsed = $json | ConvertFrom-Json
        foreach ($o in $objects) {
            foreach ($p in $o.PSObject.Properties | Where-Object { $_.Value -is [enum] }) {
                $json | Should -Match ('"{0}":\s*"{1}"' -f $p.Name, $p.Value)
                $json | Should -Not -Match ('"{0}":\s*\d' -f $p.Name)
            }
        }
        @($parsed).Count | Should -Be $objects.Count
    }

    It 'shows "Status": "Failed" for a failed result' {
        ($Live | Where-Object Status -eq 'Failed' | Select-Object -First 1 | ConvertTo-Json) | Should -Match '"Status":\s*"Failed"'
    }

    It 'still compares with -eq ''Failed'' and sorts Severity Low < Medium < High' {
        @($Live | Where-Object Status -eq 'Failed').Count | Should -BeGreaterThan 0
        # The engine's types live in the module's own load context: reach them through an object.
        $severity = ($Live | Get-MailFlowAlert | Select-Object -First 1).Severity.GetType()
        $sorted = @('High', 'Low', 'Medium') | ForEach-Object { [enum]::Parse($severity, $_) } | Sort-Object
        ($sorted -join ',') | Should -Be 'Low,Medium,High'
    }
}

Describe 'Where a fact was seen travels with it (ObservedFrom)' {
    BeforeAll {
        # One alert from Microsoft 365's trace and this computer's probe of the same connector and server.
        $probe = $Live | Where-Object DestinationServer -eq 'refused.lab.test' | Select-Object -First 1
        $trace = foreach ($i in 1..3) {
            [pscustomobject]@{
                Date = $Now.AddMinutes(-3 * $i); Event = 'Defer'; MessageId = "<v$i@contoso.com>"; RecipientAddress = "user$i@contoso.com"
                Detail = 'Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=refused.lab.test] [LastAttemptedIP=127.0.0.11:25]}]'
                Data = '<root><MEP Name="Connector" String="S:TenantOutboundConnectorCustomData=Name=Refused" /></root>'
            }
        }
        $script:Mixed = @($trace) +
            @($probe | Select-Object *, @{ n = 'Connector'; e = { 'Refused' } } -ExcludeProperty Connector)
        $script:Both = @($Mixed | Get-MailFlowAlert | Where-Object DestinationServer -eq 'refused.lab.test')
    }

    It 'says ThisComputer and names the computer on every probe result' {
        $Live | ForEach-Object { "$($_.ObservedFrom)" } | Sort-Object -Unique | Should -Be 'ThisComputer'
        $Live | ForEach-Object { $_.ComputerName } | Sort-Object -Unique | Should -Be ([Environment]::MachineName)
    }

    It 'holds both views on an alert built from a trace and a probe' {
        $Both | Should -HaveCount 1
        "$($Both[0].ObservedFrom)" | Should -Be 'ThisComputer, Microsoft365'
    }

    It 'keeps both views through <Name>' -ForEach @(
        @{ Name = 'Export-Csv and Import-Csv'; Through = { param($a, $w) $p = Join-Path $w "v-$([guid]::NewGuid()).csv"; $a | Export-Csv $p -NoTypeInformation; Import-Csv $p } }
        @{ Name = 'Export-Clixml and Import-Clixml'; Through = { param($a, $w) $p = Join-Path $w "v-$([guid]::NewGuid()).xml"; $a | Export-Clixml $p; Import-Clixml $p } }
        @{ Name = 'ConvertTo-Json (by name) and ConvertFrom-Json'; Through = { param($a, $w) $j = $a | ConvertTo-Json; $j | Should -Match '"ObservedFrom":\s*"ThisComputer, Microsoft365"'; $j | ConvertFrom-Json } }
    ) {
        $back = & $Through $Both $Work
        # CSV and JSON carry the names; Clixml the enum's number, as for every enum of ours.
        "$(@($back)[0].ObservedFrom)" | Should -BeIn 'ThisComputer, Microsoft365', '3'
        "$(@($back | Get-MailFlowAlert)[0].ObservedFrom)" | Should -Be 'ThisComputer, Microsoft365'
    }

    It 'gives Exchange Server''s view to a Get-Queue row' {
        $q = [pscustomobject]@{ Identity = 'EX01\1234'; NextHopDomain = 'contoso.mail.protection.outlook.com'; DeliveryType = 'SmartHostConnectorDelivery'; Status = 'Retry'; MessageCount = 3; LastError = '451 4.4.0 Primary target IP address responded with: "421 4.4.2 Connection dropped."' }
        "$(($q | Get-MailFlowAlert).ObservedFrom)" | Should -Be 'ExchangeServer'
    }
}

Describe 'Files written in any culture' {
    BeforeAll {
        # Deferred messages on 13 March: a day above 12 settles the order of every date in the file.
        $script:March = [datetime]::new(2026, 3, 13, 9, 0, 0, [DateTimeKind]::Utc)
        $script:MarchRows = foreach ($i in 1..40) {
            [pscustomobject]@{
                Date = $March.AddMinutes(3 * $i); Event = 'Defer'; MessageId = "<c$i@contoso.com>"; RecipientAddress = "user$i@contoso.com"
                Detail = $FortyRows[0].Detail; Data = $FortyRows[0].Data
            }
        }
        $script:MarchAlert = $MarchRows | Get-MailFlowAlert -AsOf $March.AddHours(2)
        function Use-Culture([string] $Name, [scriptblock] $Script) {
            $saved = [cultureinfo]::CurrentCulture
            try { [cultureinfo]::CurrentCulture = [cultureinfo]::GetCultureInfo($Name); & $Script }
            finally { [cultureinfo]::CurrentCulture = $saved }
        }
        function Get-Shape($Alert) { '{0}|{1}|{2}|{3}|{4:s}|{5:s}|{6:s}' -f $Alert.Code, $Alert.Connector, $Alert.DestinationServer, $Alert.MessageCount, $Alert.FirstSeen, $Alert.LastSeen, $Alert.ExpiresAt }
        $script:Expected = Get-Shape $MarchAlert
    }

    It 'starts from 40 messages first seen on 13 March' {
        $MarchAlert.MessageCount | Should -Be 40
        $MarchAlert.FirstSeen.ToString('s') | Should -Be '2026-03-13T09:03:00'
    }

    It 'reads back <What> written by Export-Csv <Mode> under <Writer> the same under en-US, fr-FR and de-DE' -ForEach @(
        foreach ($writer in 'en-US', 'fr-FR', 'de-DE') { foreach ($mode in '', '-UseCulture') { foreach ($what in 'trace rows', 'the alert') {
            @{ Writer = $writer; Mode = $mode; What = $what } } } }
    ) {
        $path = Join-Path $Work ("{0}-{1}-{2}.csv" -f $Writer, ($Mode -replace '-'), ($What -replace ' '))
        $objects = if ($What -eq 'trace rows') { $MarchRows } else { $MarchAlert }
        Use-Culture $Writer { if ($Mode) { $objects | Export-Csv $path -UseCulture } else { $objects | Export-Csv $path } }
        $text = Get-Content -Raw $path
        if ($Mode -and $Writer -ne 'en-US') { $text | Should -Match '";"' } else { $text | Should -Match '","' }
        foreach ($reader in 'en-US', 'fr-FR', 'de-DE') {
            $back = Use-Culture $reader { @(Get-MailFlowAlert -Path $path -AsOf $March.AddHours(2) -ErrorAction Stop) }
            $back | Should -HaveCount 1 -Because "read under $reader"
            Get-Shape $back[0] | Should -Be $Expected -Because "read under $reader"
            $viaImport = Use-Culture $reader { @(Import-Csv $path -Delimiter ($(if ($Mode -and $Writer -ne 'en-US') { ';' } else { ',' })) | Get-MailFlowAlert -AsOf $March.AddHours(2) -ErrorAction Stop) }
            Get-Shape $viaImport[0] | Should -Be $Expected -Because "Import-Csv under $reader"
        }
    }

    It 'reads a semicolon CSV dated 13/03/2026 as 13 March' {
        $path = Join-Path $Work 'excel-fr.csv'
        @(
            'Date;Event;Detail;MessageId;RecipientAddress'
            '13/03/2026 10:00:00;Defer;"450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com]";<x1@contoso.com>;a@contoso.com'
            '13/03/2026 11:30:00;Defer;"450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com]";<x2@contoso.com>;b@contoso.com'
        ) | Set-Content $path
        $a = Get-MailFlowAlert -Path $path -AsOf '2026-03-13T12:00:00Z'
        $a.MessageCount | Should -Be 2
        $a.FirstSeen.ToString('s') | Should -Be '2026-03-13T10:00:00'
        $a.Code | Should -Be '450 4.4.316'
    }

    It 'reads 03/04/2026 as <Expected> with -Culture <Culture>, whatever the session''s culture' -ForEach @(
        @{ Culture = 'en-US'; Expected = '2026-03-04T10:00:00' }
        @{ Culture = 'fr-FR'; Expected = '2026-04-03T10:00:00' }
    ) {
        $path = Join-Path $Work "ambiguous-$Culture.csv"
        @('Date,Event,Detail,MessageId', '03/04/2026 10:00:00,Defer,"450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com]",<a@contoso.com>') | Set-Content $path
        foreach ($session in 'en-US', 'de-DE', 'fr-FR') {
            $a = Use-Culture $session { Get-MailFlowAlert -Path $path -Culture $Culture -AsOf '2026-05-01' }
            $a.FirstSeen.ToString('s') | Should -Be $Expected -Because "session culture $session"
        }
    }

    It 'gives an ErrorRecord for a row whose day and month cannot be told apart, naming -Culture, and reads the rest' {
        $path = Join-Path $Work 'undecidable.csv'
        @(
            'Date,Event,Detail,MessageId'
            '03/04/2026,Defer,"450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com]",<u1@contoso.com>'
            '2026-04-05T10:00:00Z,Defer,"450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com]",<u2@contoso.com>'
        ) | Set-Content $path
        $a = Use-Culture 'de-DE' { Get-MailFlowAlert -Path $path -AsOf '2026-04-05T12:00:00Z' -ErrorVariable global:CultureErrs -ErrorAction SilentlyContinue }
        $errs = $global:CultureErrs
        $a.MessageCount | Should -Be 1
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnreadableEvidenceRow*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].Exception.Message | Should -Match 'row 1.*-Culture'
    }

    It 'gives an ErrorRecord for a piped row whose date cannot be decided, and takes the next row' {
        $rows = @(
            [pscustomobject]@{ Date = '03/04/2026'; Event = 'Defer'; Detail = '450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com]'; MessageId = '<p1@x>' }
            [pscustomobject]@{ Date = '2026-04-05T10:00:00Z'; Event = 'Defer'; Detail = '450 4.4.316 Connection refused [LastAttemptedServerName=mail.contoso.com]'; MessageId = '<p2@x>' }
        )
        $a = Use-Culture 'de-DE' { $rows | Get-MailFlowAlert -AsOf '2026-04-05T12:00:00Z' -ErrorVariable global:CultureErrs -ErrorAction SilentlyContinue }
        $errs = $global:CultureErrs
        $a.MessageCount | Should -Be 1
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnreadableInputObject*'
        $errs[0].TargetObject.MessageId | Should -Be '<p1@x>'
    }

    It 'writes Title, Cause and Fix in the UI language whatever -Culture says' {
        $path = Join-Path $Work 'ambiguous-en-US.csv'
        $saved = [cultureinfo]::CurrentUICulture
        try {
            [cultureinfo]::CurrentUICulture = 'en-US'
            (Get-MailFlowAlert -Path $path -Culture fr-FR -AsOf '2026-05-01').Title | Should -Be (Get-MailFlowAlert -Path $path -AsOf '2026-05-01' -Culture en-US).Title
            (Get-MailFlowAlert -Path $path -Culture fr-FR -AsOf '2026-05-01').Title | Should -Not -Match 'refusée'
        }
        finally { [cultureinfo]::CurrentUICulture = $saved }
    }
}
