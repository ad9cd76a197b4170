# Test-ConnectorDelivery in several runspaces of one process (ForEach-Object -Parallel, Start-ThreadJob, runspaces of
# our own) and in several processes (Start-Job) at once: the right results everywhere, and MailKit and the engine
# loaded once per process, in the module's one private load context, even after a Remove-Module and an Import-Module
# in another runspace. Network: the lab on loopback only.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    # Start-ThreadJob ships with PowerShell 7 (Microsoft.PowerShell.ThreadJob; ThreadJob before 7.5); autoloading may be off.
    Import-Module Microsoft.PowerShell.ThreadJob -ErrorAction SilentlyContinue
    if (-not (Get-Command Start-ThreadJob -ErrorAction SilentlyContinue)) { Import-Module ThreadJob }
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:Module = $env:MFI_MODULE
    $script:ProbeArgs = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; TimeoutSec = 3 }
    $script:Hosts = 'ok.lab.test', 'refused.lab.test'

    # What every runspace and job runs, as text (a script block is bound to the runspace that made it): imports the
    # module unless this runspace has it, waits for the others when given a barrier, probes one host that takes the
    # message and one that refuses, and tells what it saw and what this process has loaded, in every load context.
    $script:ProbeText = @'
param($Module, $Hosts, $ProbeArgs, $Barrier)
if (-not (Get-Module MailFlowIntel)) { Import-Module $Module }
$together = if ($Barrier) { $Barrier.SignalAndWait([TimeSpan]::FromSeconds(60)) } else { $true }
$errs = @()
$results = @()
try { $results = @(Test-ConnectorDelivery -SmartHost $Hosts @ProbeArgs -ErrorVariable +errs -ErrorAction SilentlyContinue) }
catch { $errs += $_ }
$contexts = [System.Runtime.Loader.AssemblyLoadContext]::All
[pscustomobject]@{
    Shape    = [string[]]@($results | ForEach-Object { "$($_.DestinationServer)|$($_.Status)|$($_.Code)|$($_.Reason)" })
    Errors   = [string[]]@($errs | ForEach-Object { "$_" })
    Together = $together
    MailKit  = @($contexts | ForEach-Object { $_.Assemblies } | Where-Object { $_.GetName().Name -eq 'MailKit' }).Count
    Core     = @($contexts | ForEach-Object { $_.Assemblies } | Where-Object { $_.GetName().Name -eq 'MailFlowIntel.Core' }).Count
    Contexts = @($contexts | Where-Object { $_.GetType().FullName -like 'MailFlowIntel.*' }).Count
    Process  = $PID
}
'@

    function Get-LoadedCount([string] $Name) {
        @([System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object { $_.Assemblies } | Where-Object { $_.GetName().Name -eq $Name }).Count
    }
    function Get-OurContextCount { @([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.GetType().FullName -like 'MailFlowIntel.*' }).Count }

    # Every probe, wherever it ran, is compared with this one from the test's own runspace.
    $script:Expected = & ([scriptblock]::Create($ProbeText)) $Module $Hosts $ProbeArgs $null

    function Assert-Probe($Result, [string] $Where) {
        $Result.Errors | Should -BeNullOrEmpty -Because "the probe in $Where gives no error"
        @($Result.Shape) | Should -Be $Expected.Shape -Because "the probe in $Where sees what the test's runspace sees"
        $Result.Together | Should -BeTrue -Because "every runspace of $Where reached the starting line (60 s guard)"
        $Result.MailKit | Should -Be 1 -Because "MailKit is loaded once in the process of $Where"
        $Result.Core | Should -Be 1 -Because "the engine is loaded once in the process of $Where"
        $Result.Contexts | Should -Be 1 -Because "the process of $Where has one private load context"
    }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
}

Describe 'Test-ConnectorDelivery in several runspaces and jobs at once' {
    It 'probes in the test''s runspace: one host takes the message, one refuses' {
        $Expected.Errors | Should -BeNullOrEmpty
        $Expected.Shape | Should -Be @('ok.lab.test|Succeeded||Delivered', 'refused.lab.test|Failed|450 4.4.316|ConnectionRefused')
    }

    It 'probes right from four ForEach-Object -Parallel runspaces and two Start-ThreadJob jobs at once, loading MailKit and the engine once' {
        $barrier = [System.Threading.Barrier]::new(6)
        $jobs = @(1..2 | ForEach-Object {
            Start-ThreadJob -ScriptBlock {
                param($Text, $Module, $Hosts, $ProbeArgs, $Barrier)
                & ([scriptblock]::Create($Text)) $Module $Hosts $ProbeArgs $Barrier
            } -ArgumentList $ProbeText, $Module, $Hosts, $ProbeArgs, $barrier
        })
        try {
            $parallel = @(1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                & ([scriptblock]::Create($using:ProbeText)) $using:Module $using:Hosts $using:ProbeArgs $using:barrier
            })
            $threaded = @($jobs | Wait-Job -Timeout 120 | Receive-Job)
        }
        finally { $jobs | Remove-Job -Force }

        $parallel | Should -HaveCount 4
        $threaded | Should -HaveCount 2
        foreach ($r in $parallel) { Assert-Probe $r 'a ForEach-Object -Parallel runspace' }
        foreach ($r in $threaded) { Assert-Probe $r 'a thread job' }
        @($parallel + $threaded).Process | Select-Object -Unique | Should -Be $PID
        Get-LoadedCount 'MailKit' | Should -Be 1
        Get-LoadedCount 'MailFlowIntel.Core' | Should -Be 1
        Get-OurContextCount | Should -Be 1
    }

    It 'keeps probing right in one runspace after another removes and imports the module again' {
        $a = [powershell]::Create()
        $b = [powershell]::Create()
        try {
            $null = $b.AddScript('param($Module) Import-Module $Module').AddArgument($Module).Invoke()
            $null = $a.AddScript('param($Module) Import-Module $Module; Remove-Module MailFlowIntel; Import-Module $Module').AddArgument($Module).Invoke()
            $a.Streams.Error | Should -BeNullOrEmpty
            $b.Commands.Clear()
            $fromB = $b.AddScript($ProbeText).AddArgument($Module).AddArgument($Hosts).AddArgument($ProbeArgs).AddArgument($null).Invoke()
            $a.Commands.Clear()
            $fromA = $a.AddScript($ProbeText).AddArgument($Module).AddArgument($Hosts).AddArgument($ProbeArgs).AddArgument($null).Invoke()
        }
        finally { $a.Dispose(); $b.Dispose() }
        Assert-Probe $fromB[0] 'the runspace that kept the module'
        Assert-Probe $fromA[0] 'the runspace that imported it again'
        Assert-Probe (& ([scriptblock]::Create($ProbeText)) $Module $Hosts $ProbeArgs $null) 'the test''s runspace'
        Get-LoadedCount 'MailKit' | Should -Be 1
        Get-OurContextCount | Should -Be 1
    }

    It 'probes right from two Start-Job processes at once, three runspaces each loading the module together, MailKit once in each' {
        $jobs = @(1..2 | ForEach-Object {
            Start-Job -ScriptBlock {
                param($Text, $Module, $Hosts, $ProbeArgs)
                # A fresh process: the three runspaces load the module and its dependencies for the first time together.
                # What they need comes through the pipeline: Start-Job would take a nested $using: as its own.
                $work = @{ Text = $Text; Module = $Module; Hosts = $Hosts; ProbeArgs = $ProbeArgs; Barrier = [System.Threading.Barrier]::new(3) }
                1..3 | ForEach-Object { $work } | ForEach-Object -ThrottleLimit 3 -Parallel {
                    & ([scriptblock]::Create($_.Text)) $_.Module $_.Hosts $_.ProbeArgs $_.Barrier
                }
            } -ArgumentList $ProbeText, $Module, $Hosts, $ProbeArgs
        })
        try { $back = @($jobs | Wait-Job -Timeout 120 | Receive-Job) }
        finally { $jobs | Remove-Job -Force }

        $back | Should -HaveCount 6
        foreach ($r in $back) { Assert-Probe $r 'a Start-Job' }
        $processes = @($back.Process | Select-Object -Unique)
        $processes | Should -HaveCount 2
        $processes | Should -Not -Contain $PID
    }

    It 'keeps the module working in a fresh process when another runspace removes it before the first probe' {
        # Nothing of the engine is loaded yet in a new process, so a runspace that kept the module still needs the
        # resolver after another runspace's Remove-Module.
        $job = Start-Job -ScriptBlock {
            param($Text, $Module, $Hosts, $ProbeArgs)
            $kept = [powershell]::Create()
            $null = $kept.AddScript('param($Module) Import-Module $Module').AddArgument($Module).Invoke()
            Import-Module $Module
            Remove-Module MailFlowIntel
            $kept.Commands.Clear()
            $kept.AddScript($Text).AddArgument($Module).AddArgument($Hosts).AddArgument($ProbeArgs).AddArgument($null).Invoke()
            $kept.Dispose()
            & ([scriptblock]::Create($Text)) $Module $Hosts $ProbeArgs $null   # imports it again
        } -ArgumentList $ProbeText, $Module, $Hosts, $ProbeArgs
        try { $back = @($job | Wait-Job -Timeout 120 | Receive-Job) }
        finally { $job | Remove-Job -Force }

        $back | Should -HaveCount 2
        Assert-Probe $back[0] 'the runspace that kept the module'
        Assert-Probe $back[1] 'the runspace that removed and imported it again'
    }
}
