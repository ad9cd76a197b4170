<#
.SYNOPSIS
    Builds, tests, packages, demonstrates and benchmarks MailFlowIntel.
.EXAMPLE
    dotnet tool restore; dotnet pwsh -NoProfile -File ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'MailFlowIntel'
$ToolsOut = Join-Path $Out 'tools'

# The module ships these from Dependencies/ (an explicit allow-list: the build fails if one is missing).
# The System.* ones serve Windows PowerShell 5.1 only; PowerShell 7 uses its own.
$Dependencies = @(
    'MailFlowIntel.Core', 'DnsClient', 'MailKit', 'MimeKit', 'BouncyCastle.Cryptography', 'Microsoft.Bcl.Cryptography',
    'System.Buffers', 'System.Memory', 'System.Numerics.Vectors', 'System.Runtime.CompilerServices.Unsafe',
    'System.Threading.Tasks.Extensions', 'System.Formats.Asn1', 'System.Security.Cryptography.Pkcs', 'System.Text.Encoding.CodePages'
)
# Also for 5.1 only, from bin/netfx/: the .NET Framework file of a package whose netstandard2.0 file does not work there
# (see MailFlowIntel.csproj). tests/MailFlowIntel.Module.Tests checks that every reference among these files is answered.
$FrameworkDependencies = @('Microsoft.Win32.Registry')

function Invoke-Native([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Get-Version {
    ([xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
}

function Invoke-Build {
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $Root 'src/MailFlowIntel/MailFlowIntel.csproj') -c $Configuration --nologo -v q -clp:ErrorsOnly }
    $bin = Join-Path $Root "src/MailFlowIntel/bin/$Configuration/netstandard2.0"
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $deps = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'Dependencies')
    foreach ($culture in 'en-US', 'fr-FR') { New-Item -ItemType Directory -Force (Join-Path $ModuleOut $culture) | Out-Null }
    Copy-Item (Join-Path $bin 'MailFlowIntel.dll') $ModuleOut
    foreach ($name in $Dependencies) {
        $file = Join-Path $bin "$name.dll"
        if (-not (Test-Path $file)) { throw "Dependency $name.dll is missing from the build output ($bin)." }
        Copy-Item $file $deps
    }
    foreach ($name in $FrameworkDependencies) {
        $file = Join-Path $bin "netfx/$name.dll"
        if (-not (Test-Path $file)) { throw "Dependency $name.dll is missing from the build output ($bin/netfx)." }
        Copy-Item $file $deps
    }
    Copy-Item (Join-Path $Root 'src/MailFlowIntel/MailFlowIntel.Format.ps1xml') $ModuleOut
    # MAML help per UI culture (Get-Help picks fr-FR/ under a French culture, en-US/ otherwise).
    foreach ($culture in 'en-US', 'fr-FR') {
        Copy-Item (Join-Path $Root "src/MailFlowIntel/$culture/MailFlowIntel.dll-Help.xml") (Join-Path $ModuleOut $culture)
    }
    $manifest = Get-Content -Raw (Join-Path $Root 'MailFlowIntel.psd1')
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$(Get-Version)'"
    Set-Content -Path (Join-Path $ModuleOut 'MailFlowIntel.psd1') -Value $manifest -Encoding utf8
    Write-Host "Module $(Get-Version) laid out in $ModuleOut"
}

function Restore-TestTools {
    if (-not (Test-Path (Join-Path $ToolsOut 'pester'))) {
        Invoke-Native 'restore of test tools' { dotnet restore (Join-Path $Root 'tests/tools.proj') --packages $ToolsOut -v q }
    }
    Get-ChildItem (Join-Path $ToolsOut 'pester') -Directory | Sort-Object Name | Select-Object -Last 1 |
        ForEach-Object { Join-Path $_.FullName 'tools/Pester.psd1' }
}

function Invoke-XUnit {
    # The xunit projects: the engine's (MailFlowIntel.Core.Tests), the hosted one that drives the built module
    # through a runspace whose host answers prompts (MailFlowIntel.Hosted.Tests), and the cmdlet assembly's loading on
    # Windows PowerShell 5.1 (MailFlowIntel.Module.Tests). The last two read out/, so Build runs first.
    $results = Join-Path $Out 'TestResults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $projects = [ordered]@{
        'core.trx'   = 'tests/MailFlowIntel.Core.Tests/MailFlowIntel.Core.Tests.csproj'
        'hosted.trx' = 'tests/MailFlowIntel.Hosted.Tests/MailFlowIntel.Hosted.Tests.csproj'
        'module.trx' = 'tests/MailFlowIntel.Module.Tests/MailFlowIntel.Module.Tests.csproj'
    }
    foreach ($p in $projects.GetEnumerator()) {
        dotnet test (Join-Path $Root $p.Value) -c $Configuration --nologo `
            --logger "trx;LogFileName=$($p.Key)" --logger 'console;verbosity=normal' --results-directory $results | Out-Host
        if (-not (Get-ChildItem $results -Filter $p.Key -Recurse -ErrorAction SilentlyContinue)) {
            throw "xunit wrote no results for $($p.Value) (the test project did not build or run)."
        }
    }
    $sum = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($trx in Get-ChildItem $results -Filter *.trx -Recurse) {
        $c = ([xml](Get-Content -Raw $trx.FullName)).TestRun.ResultSummary.Counters
        $sum.Passed += [int]$c.passed
        $sum.Failed += [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        $sum.Skipped += [int]$c.total - [int]$c.executed
    }
    $sum
}

function Invoke-Pester5 {
    $pester = Restore-TestTools
    $counts = Join-Path $Out 'pester-counts.json'
    $script = @"
`$PSModuleAutoloadingPreference = 'None'
`$ProgressPreference = 'SilentlyContinue'
Import-Module Microsoft.PowerShell.Management, Microsoft.PowerShell.Utility
Import-Module '$pester'
`$env:MFI_MODULE = '$ModuleOut'
`$env:MFI_ROOT = '$Root'
`$env:MFI_TOOLS = '$ToolsOut'
`$env:MFI_LAB = '$(Join-Path $Root "tests/Lab/bin/$Configuration/net10.0/MailFlowIntel.Lab.dll")'
`$c = New-PesterConfiguration
`$c.Run.Path = '$(Join-Path $Root 'tests/MailFlowIntel.Tests')'
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Detailed'
`$r = Invoke-Pester -Configuration `$c
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount + `$r.NotRunCount } | ConvertTo-Json | Set-Content '$counts'
"@
    # A fresh pwsh against out/, the build that ships.
    dotnet pwsh -NoProfile -NonInteractive -Command $script | Out-Host
    if (-not (Test-Path $counts)) { throw 'Pester wrote no results.' }
    $r = Get-Content -Raw $counts | ConvertFrom-Json
    Remove-Item $counts
    [pscustomobject]@{ Passed = [int]$r.Passed; Failed = [int]$r.Failed; Skipped = [int]$r.Skipped }
}

function Invoke-Test {
    Invoke-Build
    $x = Invoke-XUnit
    $p = Invoke-Pester5
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped" -f $x.Passed, $x.Failed, $x.Skipped)
    Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $p.Passed, $p.Failed, $p.Skipped)
    $failed = $x.Failed + $p.Failed
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f ($x.Passed + $p.Passed), $failed, ($x.Skipped + $p.Skipped))
    if ($failed -gt 0) { exit 1 }
}

function Start-Lab {
    Invoke-Native 'lab build' { dotnet build (Join-Path $Root 'tests/Lab/MailFlowIntel.Lab.csproj') -c $Configuration --nologo -v q -clp:ErrorsOnly }
    Import-Module (Join-Path $Root 'tests/Lab/Lab.psm1') -Force
    Start-MailFlowLab -LabDll (Join-Path $Root "tests/Lab/bin/$Configuration/net10.0/MailFlowIntel.Lab.dll")
}

function Invoke-Demo {
    Invoke-Build
    $lab = Start-Lab
    try {
        & (Join-Path $Root 'tests/Lab/Demo.ps1') -ModulePath $ModuleOut -Lab $lab -OutDir $Out
    }
    finally { Stop-MailFlowLab $lab }
}

function Invoke-Package {
    Invoke-Build
    $feed = Join-Path $Out 'packages'
    if (Test-Path $feed) { Remove-Item $feed -Recurse -Force }
    New-Item -ItemType Directory $feed | Out-Null
    $repo = 'MailFlowIntelLocal' + [guid]::NewGuid().ToString('N').Substring(0, 6)
    Register-PSResourceRepository -Name $repo -Uri $feed -Trusted
    try {
        Publish-PSResource -Path $ModuleOut -Repository $repo
        $nupkg = Get-ChildItem $feed -Filter *.nupkg | Select-Object -First 1
        Write-Host "Package: $($nupkg.FullName)"
        # Prove it installs and runs from the feed.
        $saved = Join-Path $Out 'saved'
        if (Test-Path $saved) { Remove-Item $saved -Recurse -Force }
        New-Item -ItemType Directory $saved | Out-Null
        Save-PSResource -Name MailFlowIntel -Repository $repo -Path $saved -TrustRepository
        $check = "Import-Module '$saved/MailFlowIntel'; (Get-Command Test-ConnectorDelivery).Name; (Test-ConnectorDelivery -SmartHost 10.0.0.0/8).Status"
        Invoke-Native 'import of the saved package' { dotnet pwsh -NoProfile -NonInteractive -Command $check }
    }
    finally { Unregister-PSResourceRepository -Name $repo }
}

function Invoke-Bench {
    Invoke-Build
    & (Join-Path $Root 'tests/Bench/Bench.ps1') -ModulePath $ModuleOut -Root $Root -Configuration $Configuration
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
}
