<#
.SYNOPSIS
    Cold and warm Get-MailFlowAlert (figures, not pass/fail). Each run is a fresh pwsh process that times, from the
    inside: Import-Module alone, the first Get-MailFlowAlert on the report, and a second call (warm). Medians over -Runs.
    Prints the medians and returns them as an object.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/Bench/ColdStart.ps1 -ModulePath out/MailFlowIntel -Root . -Rows 200000
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Root,
    [int] $Rows = 200000,
    [int] $Runs = 7,
    # Only the first call in each process (no warm call): for the big report, where the cold figure is the one asked.
    [switch] $ColdOnly
)
$ErrorActionPreference = 'Stop'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'   # as build.ps1 sets it: the timed sessions send nothing
$ModulePath = (Resolve-Path $ModulePath).Path
$report = Join-Path $Root ("out/bench-trace-{0}.csv" -f $(if ($Rows % 1000000 -eq 0) { "$($Rows / 1000000)M" } else { "$($Rows / 1000)k" }))
& (Join-Path $PSScriptRoot 'New-BenchTrace.ps1') -Path $report -Rows $Rows

function Median([double[]] $xs) { $s = $xs | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }

# Runs in the child: one line of JSON with the three times in ms and the alert count.
$child = @'
$w = [Diagnostics.Stopwatch]::StartNew()
Import-Module '{0}'
$import = $w.Elapsed.TotalMilliseconds
$a = Get-MailFlowAlert -LiteralPath '{1}'
$first = $w.Elapsed.TotalMilliseconds
$warm = 0
if (-not ${2}) {{ $w.Restart(); $b = Get-MailFlowAlert -LiteralPath '{1}'; $warm = $w.Elapsed.TotalMilliseconds }}
[pscustomobject]@{{ Import = $import; First = $first; Warm = $warm; Alerts = @($a).Count; Messages = ($a | Measure-Object MessageCount -Sum).Sum }} | ConvertTo-Json -Compress
'@ -f $ModulePath.Replace("'", "''"), $report.Replace("'", "''"), $(if ($ColdOnly) { 'true' } else { 'false' })

Push-Location $Root   # where the tool manifest names pwsh
try {
    $samples = foreach ($i in 1..$Runs) {
        $json = & dotnet pwsh -NoProfile -NonInteractive -Command $child
        if ($LASTEXITCODE -ne 0) { throw "The timed pwsh failed: $json" }
        $json | ConvertFrom-Json
    }
}
finally { Pop-Location }
$result = [pscustomobject]@{
    Rows              = $Rows
    Runs              = $Runs
    ImportMs          = [math]::Round((Median $samples.Import), 0)
    ImportAndFirstMs  = [math]::Round((Median $samples.First), 0)
    FirstCallMs       = [math]::Round((Median ($samples | ForEach-Object { $_.First - $_.Import })), 0)
    WarmMs            = if ($ColdOnly) { $null } else { [math]::Round((Median $samples.Warm), 0) }
    ColdOverWarmMs    = if ($ColdOnly) { $null } else { [math]::Round((Median ($samples | ForEach-Object { $_.First - $_.Warm })), 0) }
    Alerts            = "$(@($samples)[0].Alerts) alerts, $(@($samples)[0].Messages) messages"
}
$result
