# Get-MailFlowEndpoint against a loopback stand-in for the Microsoft 365 IP address and URL web service, with a cache of
# its own (XDG_DATA_HOME points this user's local application data at a temporary folder).
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:SavedXdg = $env:XDG_DATA_HOME
    $script:Data = Join-Path ([IO.Path]::GetTempPath()) "mfi-endpoints-$([guid]::NewGuid())"
    New-Item -ItemType Directory $Data | Out-Null
    $env:XDG_DATA_HOME = $Data
    $script:Uri = $Lab.EndpointServiceUri
    function Get-Requests { @((Get-MailFlowLabDnsCount $Lab).EndpointRequests) }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
    $env:XDG_DATA_HOME = $script:SavedXdg
    Remove-Item -Recurse -Force $script:Data -ErrorAction SilentlyContinue
}

Describe 'Get-MailFlowEndpoint' {
    It 'gives the list shipped in the module, with a warning saying how old, when neither the service nor a cache answers' {
        Send-MailFlowLabLine $Lab 'endpoints-down'
        try { $e = @(Get-MailFlowEndpoint -Uri $Uri -Update -WarningVariable w -WarningAction SilentlyContinue) }
        finally { Send-MailFlowLabLine $Lab 'endpoints-up' }
        $e.Count | Should -BeGreaterThan 3
        $e.Source | Sort-Object -Unique | Should -Be 'Shipped'
        $w | Should -HaveCount 1
        $w[0] | Should -Match 'days'
    }

    It 'gives the live list with its version, mail endpoints only (Exchange, TCP 25), and writes the cache' {
        $e = @(Get-MailFlowEndpoint -Uri $Uri -Update)
        $e.Source | Sort-Object -Unique | Should -Be 'Live'
        $e.Version | Sort-Object -Unique | Should -Be '2026120100'
        $e.ForEach({ $_.Address }) | Should -Contain '40.92.0.0/15'
        $e.ForEach({ $_.Address }) | Should -Contain '*.mx.microsoft'
        $e.ForEach({ $_.Address }) | Should -Not -Contain '13.107.6.152/31'      # Exchange, but not TCP 25
        $e.ForEach({ $_.Address }) | Should -Not -Contain '*.sharepoint.com'
        ($e | Where-Object Address -eq '*.mx.microsoft').Kind | Should -Be 'Host'
        Get-ChildItem (Join-Path $Data 'MailFlowIntel') -Filter 'endpoints-worldwide.json' | Should -Not -BeNullOrEmpty
    }

    It 'answers from the cache, asking nothing, within the hour' {
        $before = (Get-Requests).Count
        $e = @(Get-MailFlowEndpoint -Uri $Uri)
        $e.Source | Sort-Object -Unique | Should -Be 'Cache'
        (Get-Requests).Count | Should -Be $before
    }

    It 'asks only the version with -Update when it is unchanged, and the list when it changed' {
        $before = (Get-Requests).Count
        $null = Get-MailFlowEndpoint -Uri $Uri -Update
        $asked = @(Get-Requests | Select-Object -Skip $before)
        $asked | Should -HaveCount 1
        $asked[0] | Should -Match '^/version/Worldwide\?ClientRequestId='

        Send-MailFlowLabLine $Lab 'endpoints-version 2026120200'
        $before = (Get-Requests).Count
        $e = @(Get-MailFlowEndpoint -Uri $Uri -Update)
        $asked = @(Get-Requests | Select-Object -Skip $before)
        $asked | Should -HaveCount 2
        $asked[1] | Should -Match '^/endpoints/Worldwide\?ClientRequestId='
        $e.Version | Sort-Object -Unique | Should -Be '2026120200'
        # One ClientRequestId for this machine, kept with the cache.
        @(Get-Requests | ForEach-Object { ($_ -split 'ClientRequestId=')[1] } | Sort-Object -Unique) | Should -HaveCount 1
    }

    It 'gives the cache with a warning when the service does not answer' {
        Send-MailFlowLabLine $Lab 'endpoints-down'
        try { $e = @(Get-MailFlowEndpoint -Uri $Uri -Update -WarningVariable w -WarningAction SilentlyContinue) }
        finally { Send-MailFlowLabLine $Lab 'endpoints-up' }
        $e.Source | Sort-Object -Unique | Should -Be 'Cache'
        $e.Version | Sort-Object -Unique | Should -Be '2026120200'
        $w | Should -HaveCount 1
    }

    It 'refuses plain http off this computer' {
        { Get-MailFlowEndpoint -Uri 'http://endpoints.example.com/' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidEndpointUri,MailFlowIntel.Commands.GetMailFlowEndpointCommand'
    }

    It 'lets a probe, its alerts and its repair plan read the cache only: the fix lists the cached ranges, and the service is asked nothing' {
        $cached = @(Get-MailFlowEndpoint -Uri $Uri | Where-Object Kind -eq 'Range' | Select-Object -ExpandProperty Address)
        $before = (Get-Requests).Count
        $r = Test-ConnectorDelivery -SmartHost refused.lab.test -Port $Lab.Port -DnsServer $Lab.DnsServer -TimeoutSec 2 -ConnectorType OnPremises -Connector 'To on-premises' -WarningAction SilentlyContinue
        $plan = @($r | Get-MailFlowAlert | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue)
        $steps = ($plan | Where-Object Action -eq 'AllowMicrosoft365OnPort25').Steps
        foreach ($range in $cached) { $steps | Should -Match ([regex]::Escape($range)) }
        (Get-Requests).Count | Should -Be $before
    }
}

Describe 'One verdict per connector and server across vantages' {
    It 'names BlockedForMicrosoft365 when the trace shows 4.4.316 and this computer gets through, with the cached ranges in the fix' {
        $cached = @(Get-MailFlowEndpoint -Uri $Uri | Where-Object Kind -eq 'Range' | Select-Object -ExpandProperty Address)
        $trace = foreach ($i in 1..3) {
            [pscustomobject]@{
                Date = [datetime]::UtcNow.AddMinutes(-5 * $i); Event = 'Defer'; MessageId = "<b$i@contoso.com>"; RecipientAddress = "u$i@contoso.com"
                Detail = 'Reason: [{LED=450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=ok.lab.test] [LastAttemptedIP=127.0.0.10:25]}]'
                Data = '<root><MEP Name="Connector" String="S:TenantOutboundConnectorCustomData=Name=To on-premises" /></root>'
            }
        }
        $probe = New-LabConnector 'To on-premises' 'ok.lab.test' | Test-ConnectorDelivery -Port $Lab.Port -DnsServer $Lab.DnsServer -CertificateAuthority $Lab.CertificateAuthority -TimeoutSec 2
        $probe.Status | Should -BeIn 'Succeeded', 'Warning'
        $alerts = @(@($trace) + @($probe) | Get-MailFlowAlert)
        $alerts | Should -HaveCount 1
        $alerts[0].Reason | Should -Match '^BlockedForMicrosoft365'
        $alerts[0].Code | Should -Be '450 4.4.316'
        "$($alerts[0].ObservedFrom)" | Should -Be 'ThisComputer, Microsoft365'
        "$($alerts[0].ProbeStatus)" | Should -BeIn 'Succeeded', 'Warning'
        foreach ($range in $cached) { $alerts[0].Fix | Should -Match ([regex]::Escape($range)) }
        $plan = @($alerts | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue)
        $plan.Action | Should -Contain 'AllowMicrosoft365Addresses'
    }
}
