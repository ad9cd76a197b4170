# Pester tests against out/MailFlowIntel, the build that ships, with the in-process lab as the far end.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:Common = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; TimeoutSec = 3 }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
}

Describe 'Test-ConnectorDelivery from the shipped module' {
    It 'reports a healthy lab server as Succeeded with its certificate' {
        $r = Test-ConnectorDelivery -SmartHost ok.lab.test -TlsSettings DomainValidation @Common
        $r.Status | Should -Be 'Succeeded'
        $r.CertificateSubject | Should -Be 'CN=mx.lab.test'
        $r.TlsProtocol | Should -Match '^Tls1[23]$'
    }

    It 'names a server that speaks only TLS 1.0 and 1.1 TlsVersionUnsupported, from its ServerHello' {
        $r = Test-ConnectorDelivery -SmartHost oldtls.lab.test -TlsSettings EncryptionOnly @Common
        $r.Reason | Should -Be 'TlsVersionUnsupported'
        $r.Code | Should -Be '450 4.4.317'
        $r.Detail | Should -Match 'TLS 1\.1'
    }

    It 'reports a refused connection as 450 4.4.316 with cause and fix' {
        $r = Test-ConnectorDelivery -SmartHost refused.lab.test @Common
        $r.Code | Should -Be '450 4.4.316'
        $r.EnhancedStatusCode | Should -Be '4.4.316'
        $r.Title | Should -Be 'Connection refused'
        $r.Fix | Should -Match 'TCP 25'
    }

    It 'takes piped stand-in connectors: MX domains, a wildcard, a range, a disabled connector' {
        $connectors = @(
            New-LabConnector 'By MX' -UseMX $true -Domains 'contoso.lab.test', 'nomail.lab.test', '*.fabrikam.test'
            New-LabConnector 'Range' -SmartHosts '10.1.0.0/16'
            New-LabConnector 'Off' -SmartHosts 'ok.lab.test' -Enabled $false
            New-LabConnector 'Smart host' -SmartHosts 'busy.lab.test', 'ok.lab.test'
        )
        $r = $connectors | Test-ConnectorDelivery @Common
        ($r | Where-Object Connector -eq 'By MX' | Where-Object Target -eq 'contoso.lab.test').Code | Should -Be @('450 4.4.316', $null)
        ($r | Where-Object Target -eq 'nomail.lab.test').Code | Should -Be '556 5.1.10'
        # *.fabrikam.test covers fabrikam.test itself, probed by its MX: it does not exist.
        ($r | Where-Object Target -eq '*.fabrikam.test').Code | Should -Be '450 4.4.312'
        ($r | Where-Object Connector -eq 'Range').Status | Should -Be 'NotTested'
        ($r | Where-Object Connector -eq 'Off').Status | Should -Be 'NotTested'
        ($r | Where-Object Connector -eq 'Smart host').Code | Should -Be @('450 4.4.317', $null)
    }

    It 'gives malformed hosts an ErrorRecord and still probes the rest' {
        $r = Test-ConnectorDelivery -SmartHost 'bad host!', 'refused.lab.test', '-x.lab.test' @Common -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Code | Should -Be '450 4.4.316'
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTarget,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be 'bad host!'
    }

    It 'refuses an unknown TlsSettings value for that input only' {
        $in = @(
            [pscustomobject]@{ Name = 'Bad'; SmartHosts = 'ok.lab.test'; TlsSettings = 'Strict'; UseMXRecord = $false; Enabled = $true }
            [pscustomobject]@{ Name = 'Good'; SmartHosts = 'refused.lab.test'; TlsSettings = $null; UseMXRecord = $false; Enabled = $true }
        )
        $r = $in | Test-ConnectorDelivery @Common -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Connector | Should -Be 'Good'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTlsSettings,*'
    }

    It 'reports a silent DNS server as DnsServerUnreachable, not as 4.4.312' {
        $silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
        try {
            $port = $silent.Client.LocalEndPoint.Port
            $r = Test-ConnectorDelivery -SmartHost ok.lab.test -DnsServer "127.0.0.1:$port" -Port $Lab.Port -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'DnsServerUnreachable,*'
            $errs[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        }
        finally { $silent.Dispose() }
    }

    It 'returns one bool per target in input order with -Quiet' {
        $q = Test-ConnectorDelivery -SmartHost refused.lab.test, ok.lab.test, busy.lab.test -Quiet @Common
        $q | Should -HaveCount 3
        $q[0] | Should -BeOfType [bool]
        $q | Should -Be @($false, $true, $false)
    }

    It 'fails over like Microsoft 365: the failed first MX reads TargetStatus Succeeded, a Low alert naming the next host, -Quiet true' {
        $r = Test-ConnectorDelivery -SmartHost twomx.lab.test -TlsDomain mx.lab.test @Common
        $r | Should -HaveCount 2
        $r[0].Status | Should -Be 'Failed'
        $r[0].TargetStatus | Should -Be 'Succeeded'
        $r[1].DestinationServer | Should -Be 'ok.lab.test'
        $alert = $r | Get-MailFlowAlert
        $alert | Should -HaveCount 1
        $alert.Severity | Should -Be 'Low'
        $alert.FailoverServer | Should -Be 'ok.lab.test (127.0.0.10)'
        $alert.Cause | Should -Match 'fail over to ok\.lab\.test'
        Test-ConnectorDelivery -SmartHost twomx.lab.test -TlsDomain mx.lab.test -Quiet @Common | Should -BeExactly $true
        # A failure Microsoft 365 fails over from never drives an automatic change.
        $plan = $alert | Repair-ConnectorConfig -Connector 'Two MX' -Decommissioned -WhatIf -WarningAction SilentlyContinue
        $plan | Should -Not -BeNullOrEmpty
        $plan.Automatic | Should -Not -Contain $true
    }

    It 'reports an OnPremises connector whose smart host leads back to Microsoft 365 as a mail loop, and a Partner one as a probe' {
        $onPrem = New-LabConnector 'Loop' -SmartHosts 'loop.lab.test'
        $r = $onPrem | Test-ConnectorDelivery @Common
        $r.Code | Should -Be '554 5.4.14'
        $r.ConnectorType | Should -Be 'OnPremises'
        $r.DestinationServer | Should -Be 'lab-test.mail.protection.outlook.com'
        $partner = New-LabConnector 'Loop' -SmartHosts 'loop.lab.test'
        $partner.ConnectorType = 'Partner'
        ($partner | Test-ConnectorDelivery @Common).Code | Should -Not -Be '554 5.4.14'
    }

    It 'exports to CSV with no System. type name anywhere' {
        $csv = Join-Path $TestDrive 'r.csv'
        Test-ConnectorDelivery -SmartHost ok.lab.test, refused.lab.test, expired.lab.test -TlsSettings CertificateValidation -IncludeTranscript @Common |
            Export-Csv $csv -NoTypeInformation
        $text = Get-Content -Raw $csv
        $text | Should -Not -Match 'System\.'
        (Import-Csv $csv).Count | Should -Be 3
        (Import-Csv $csv)[0].Transcript | Should -Match 'EHLO'
    }

    It 'writes the SMTP conversation to the verbose stream, and to Transcript only when asked' {
        $out = Test-ConnectorDelivery -SmartHost ok.lab.test @Common -Verbose 4>&1
        $verbose = ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $verbose | Should -Match 'S: 220 ok\.lab\.test'
        $verbose | Should -Match 'C: EHLO mailflowintel\.probe'
        $verbose | Should -Match 'C: STARTTLS'
        $verbose | Should -Not -Match 'C: (DATA|BDAT)'
        ($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Transcript | Should -BeNullOrEmpty
    }

    It 'probes from the -SourceAddress it is given' {
        (Test-ConnectorDelivery -SmartHost ok.lab.test -SourceAddress 127.0.0.9 @Common).ProbedFrom | Should -Be '127.0.0.9'
    }

    It 'refuses a -SourceAddress that is not an IP address' {
        { Test-ConnectorDelivery -SmartHost ok.lab.test -SourceAddress 'nope' @Common -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidSourceAddress,MailFlowIntel.Commands.TestConnectorDeliveryCommand'
    }

    It 'reports progress while it waits on many targets' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($module, $port, $dns)
                Import-Module $module
                Test-ConnectorDelivery -SmartHost silent.lab.test, ok.lab.test, refused.lab.test -Port $port -DnsServer $dns -TimeoutSec 1
            }).AddArgument($env:MFI_MODULE).AddArgument($Lab.Port).AddArgument($Lab.DnsServer)
            $results = $ps.Invoke()
            $results.Count | Should -Be 3
            $ps.Streams.Progress.Count | Should -BeGreaterThan 0
            $ps.Streams.Progress[0].Activity | Should -Be 'Testing connector delivery'
            $ps.Streams.Progress[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }

    It 'round-trips through ConvertTo-Json' {
        $r = Test-ConnectorDelivery -SmartHost refused.lab.test @Common
        ($r | ConvertTo-Json | ConvertFrom-Json).Code | Should -Be '450 4.4.316'
    }
}

Describe 'Hard time bounds' {
    It 'cuts off a server that trickles one byte a second within TimeoutSec + 2 s' {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $r = Test-ConnectorDelivery -SmartHost trickle.lab.test -Port $Lab.Port -DnsServer $Lab.DnsServer -TimeoutSec 2
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 4
        $r.Code | Should -Be '450 4.4.315'
        $r.Stage | Should -Be 'Greeting'
    }

    It 'gives up on a black-holed address within TimeoutSec + 2 s' {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $r = Test-ConnectorDelivery -SmartHost blackhole.lab.test -Port $Lab.Port -DnsServer $Lab.DnsServer -TimeoutSec 2
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 4
        $r.Code | Should -Be '450 4.4.315'
        $r.Stage | Should -Be 'Connect'
    }

    It 'keeps a CRL server that never answers off the SMTP clock: no 4.4.315 for a healthy server, RevocationUnknown, within a loose bound' {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $r = Test-ConnectorDelivery -SmartHost crlhang.lab.test -TlsSettings CertificateValidation -Port $Lab.Port -DnsServer $Lab.DnsServer -CertificateAuthority $Lab.CertificateAuthority -TimeoutSec 2
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 12
        $r.Status | Should -Be 'Succeeded'
        $r.Code | Should -BeNullOrEmpty
        $r.CertificateErrors | Should -Match 'RevocationUnknown'
    }

    It 'stops a run over 50 black-holed targets within 2 s, reporting no timeout' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($module, $port, $dns)
                Import-Module $module
                Test-ConnectorDelivery -SmartHost (1..50 | ForEach-Object { 'blackhole.lab.test' }) -Port $port -DnsServer $dns -TimeoutSec 60 -ThrottleLimit 50
            }).AddArgument($env:MFI_MODULE).AddArgument($Lab.Port).AddArgument($Lab.DnsServer)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            Start-Sleep -Seconds 2
            $handle.IsCompleted | Should -BeFalse
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 2
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            # A cancelled probe is not a timeout: nothing was reported for the targets in flight.
            @($output | Where-Object Code -eq '450 4.4.315').Count | Should -Be 0
            $ps.Streams.Error.Count | Should -Be 0
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Help' {
    It 'describes every parameter of <Name> and has examples' -ForEach @(
        @{ Name = 'Test-ConnectorDelivery' }, @{ Name = 'Get-MailFlowAlert' }, @{ Name = 'Repair-ConnectorConfig' }, @{ Name = 'Export-MailFlowReport' }, @{ Name = 'Get-MailFlowEndpoint' }, @{ Name = 'Resolve-OutboundConnector' }
    ) {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $cmd = Get-Command $Name
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($name in $cmd.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $p = $help.parameters.parameter | Where-Object name -eq $name
            $p | Should -Not -BeNullOrEmpty -Because "$name needs help"
            ($p.description.Text -join '') | Should -Not -BeNullOrEmpty -Because "$name needs a description"
        }
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
    }

    It 'has a manifest that passes Test-ModuleManifest' {
        $m = Test-ModuleManifest (Join-Path $env:MFI_MODULE 'MailFlowIntel.psd1')
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $m.ExportedCmdlets.Keys | Should -Contain 'Test-ConnectorDelivery'
        $m.Version | Should -Not -Be '0.0.0'
    }
}

Describe 'French and English' {
    BeforeAll {
        function Invoke-InCulture([string] $Culture, [scriptblock] $Script) {
            $ui = [cultureinfo]::CurrentUICulture; $thread = [System.Threading.Thread]::CurrentThread.CurrentUICulture
            $default = [cultureinfo]::DefaultThreadCurrentUICulture
            try {
                # The session's thread and the threads the probe's parallel workers run on.
                [System.Threading.Thread]::CurrentThread.CurrentUICulture = $Culture
                [cultureinfo]::CurrentUICulture = $Culture
                [cultureinfo]::DefaultThreadCurrentUICulture = $Culture
                & $Script
            }
            finally {
                [System.Threading.Thread]::CurrentThread.CurrentUICulture = $thread
                [cultureinfo]::CurrentUICulture = $ui
                [cultureinfo]::DefaultThreadCurrentUICulture = $default
            }
        }
        # Words only French writes, and words only English writes.
        $script:French = '\b(le|la|les|du|des|une?|est|pas|vers)\b'
        $script:English = '\b(the|is|not|with|from|and)\b'
    }

    It 'writes every Title, Cause and Fix of results, alerts and actions in <Culture> as <Language>' -ForEach @(
        @{ Culture = 'fr-FR'; Language = 'French' }
        @{ Culture = 'en-US'; Language = 'English' }
        @{ Culture = 'de-DE'; Language = 'English' }
    ) {
        $out = Invoke-InCulture $Culture {
            $r = Test-ConnectorDelivery -SmartHost refused.lab.test, busy.lab.test, expired.lab.test, notls.lab.test -TlsSettings CertificateValidation -ThrottleLimit 4 @Common
            $a = $r | Get-MailFlowAlert
            $p = $a | Repair-ConnectorConfig -WhatIf -WarningVariable w -WarningAction SilentlyContinue
            [pscustomobject]@{ Results = $r; Alerts = $a; Actions = $p; Warning = $w }
        }
        $out.Results | Should -HaveCount 4
        # Sentences carry the language's little words; titles are checked against Microsoft's own below.
        $texts = @($out.Results + $out.Alerts | ForEach-Object { $_.Cause; $_.Fix }) + @($out.Actions | ForEach-Object { $_.Rationale; $_.Steps }) + @($out.Warning | ForEach-Object Message)
        $texts | Where-Object { -not $_ } | Should -BeNullOrEmpty
        @($out.Results + $out.Alerts).Title | Where-Object { -not $_ } | Should -BeNullOrEmpty
        foreach ($t in $texts) {
            if ($Language -eq 'French') { $t | Should -Match $French; $t | Should -Not -Match '\bthe\b' }
            else { $t | Should -Match $English; $t | Should -Not -Match '\b(le|les|des)\b' }
        }
        $refused = $out.Results | Where-Object Target -eq 'refused.lab.test'
        $refused.Title | Should -Be $(if ($Language -eq 'French') { 'Connexion refusée' } else { 'Connection refused' })
        ($out.Results | Where-Object Target -eq 'expired.lab.test').Title |
            Should -Be $(if ($Language -eq 'French') { 'Échec de la validation du certificat : certificat expiré' } else { 'Certificate validation failed: certificate expired' })
        # Words change, facts do not: the same scenario and code whatever the language.
        $refused.Reason | Should -Be 'ConnectionRefused'
        $refused.Code | Should -Be '450 4.4.316'
    }

    It 'shows Get-Help in French under fr-FR and in English under en-US' -ForEach @(
        @{ Culture = 'fr-FR'; Pattern = 'connecteur' }
        @{ Culture = 'en-US'; Pattern = 'connector' }
    ) {
        $script = "[System.Threading.Thread]::CurrentThread.CurrentUICulture = '$Culture'; [cultureinfo]::CurrentUICulture = '$Culture'; Import-Module '$env:MFI_MODULE'; `$h = Get-Help Test-ConnectorDelivery -Full; `$h.Synopsis; (`$h.parameters.parameter | Where-Object name -eq 'TlsSettings').description.Text -join ' '"
        Push-Location $env:MFI_ROOT
        try { $text = dotnet pwsh -NoProfile -NonInteractive -Command $script } finally { Pop-Location }
        ($text -join ' ') | Should -Match $Pattern
        if ($Culture -eq 'fr-FR') { ($text -join ' ') | Should -Not -Match '\bthe\b' }
    }
}

Describe 'Dependency isolation' {
    It 'works in a session where other versions of MimeKit and BouncyCastle were loaded first' {
        $mime = Join-Path $env:MFI_TOOLS 'mimekit/4.18.0/lib/netstandard2.0/MimeKit.dll'
        $bc = Join-Path $env:MFI_TOOLS 'bouncycastle.cryptography/2.4.0/lib/netstandard2.0/BouncyCastle.Cryptography.dll'
        $mime, $bc | ForEach-Object { $_ | Should -Exist }
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$bc'
Add-Type -Path '$mime'
Import-Module '$env:MFI_MODULE'
`$r = Test-ConnectorDelivery -SmartHost ok.lab.test -TlsSettings DomainValidation -Port $($Lab.Port) -DnsServer $($Lab.DnsServer) -CertificateAuthority '$($Lab.CertificateAuthority)'
`$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'MimeKit', 'BouncyCastle.Cryptography' }
[pscustomobject]@{
    Status = [string]`$r.Status
    MimeKitCopies = @(`$loaded | Where-Object { `$_.GetName().Name -eq 'MimeKit' }).Count
    BouncyCastleVersions = (@(`$loaded | Where-Object { `$_.GetName().Name -eq 'BouncyCastle.Cryptography' } | ForEach-Object { `$_.GetName().Version.ToString() }) | Sort-Object -Unique) -join ','
    OursInPrivateContext = [bool]([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'MailKit' })) -ne [System.Runtime.Loader.AssemblyLoadContext]::Default)
} | ConvertTo-Json -Compress
"@
        Push-Location $env:MFI_ROOT
        try { $json = dotnet pwsh -NoProfile -NonInteractive -Command $script } finally { Pop-Location }
        $LASTEXITCODE | Should -Be 0 -Because ($json -join "`n")
        $o = ($json | Select-Object -Last 1) | ConvertFrom-Json
        $o.Status | Should -Be 'Succeeded'
        $o.MimeKitCopies | Should -Be 2      # theirs in the default context, ours in the private one
        $o.OursInPrivateContext | Should -BeTrue
    }
}

Describe 'Packaging' {
    It 'publishes a .nupkg to a local folder repository that Save-PSResource installs, imports and runs' {
        $feed = Join-Path $TestDrive 'feed'
        $saved = Join-Path $TestDrive 'saved'
        New-Item -ItemType Directory $feed, $saved | Out-Null
        $repo = 'MfiTest' + [guid]::NewGuid().ToString('N').Substring(0, 6)
        Import-Module Microsoft.PowerShell.PSResourceGet
        Register-PSResourceRepository -Name $repo -Uri $feed -Trusted
        try {
            Publish-PSResource -Path $env:MFI_MODULE -Repository $repo
            Get-ChildItem $feed -Filter 'MailFlowIntel.*.nupkg' | Should -HaveCount 1
            Save-PSResource -Name MailFlowIntel -Repository $repo -Path $saved -TrustRepository
            $check = "Import-Module '$saved/MailFlowIntel'; (Test-ConnectorDelivery -SmartHost refused.lab.test -Port $($Lab.Port) -DnsServer $($Lab.DnsServer)).Code"
            Push-Location $env:MFI_ROOT
            try { $code = dotnet pwsh -NoProfile -NonInteractive -Command $check } finally { Pop-Location }
            $code | Select-Object -Last 1 | Should -Be '450 4.4.316'
        }
        finally { Unregister-PSResourceRepository -Name $repo }
    }
}

Describe 'A DNS server that loses packets' {
    It 'gives every target of a 30-target run its result, none DnsServerUnreachable, when each question''s first query is lost' {
        # The relay loses the first UDP query for every question; the probe asks again within each step.
        $names = @($Lab.Hosts.PSObject.Properties.Name | Where-Object { $_ -like '*.lab.test' -and $_ -notlike 'v6*' -and $_ -ne 'dane-bogus.lab.test' } | Sort-Object | Select-Object -First 30)
        $names | Should -HaveCount 30
        $lossy = $Common.Clone(); $lossy.DnsServer = $Lab.DnsServerLossy
        $r = @(Test-ConnectorDelivery -SmartHost $names @lossy -ThrottleLimit 30 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -HaveCount 0
        @($r.Target | Sort-Object -Unique) | Should -HaveCount 30
        $r | Where-Object Reason -like 'Dns*' | Should -BeNullOrEmpty
    }
}
