<#
.SYNOPSIS
    Benchmarks (figures, not pass/fail): probe cost against Postfix beside posttls-finger and a minimal in-process
    STARTTLS probe, concurrency over 500 targets with 100 black-holed, Get-MailFlowAlert cold (a fresh session) and
    warm over generated trace reports, and start-up. Run with build.ps1 -Task Bench.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Root,
    [string] $Configuration = 'Release',
    [int] $Probes = 100,
    [int] $FingerRuns = 30
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $Root 'tests/Lab/Lab.psm1') -Force
$labDll = Join-Path $Root "tests/Lab/bin/$Configuration/net10.0/MailFlowIntel.Lab.dll"
& dotnet build (Join-Path $Root 'tests/Lab/MailFlowIntel.Lab.csproj') -c $Configuration --nologo -v q -clp:ErrorsOnly | Out-Null

function Median([double[]] $xs) { $s = $xs | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }

# A minimal STARTTLS probe: greeting, EHLO, STARTTLS, handshake, EHLO, QUIT, nothing else.
Add-Type -TypeDefinition @'
using System; using System.IO; using System.Net.Security; using System.Net.Sockets; using System.Text;
public static class MinimalProbe {
    static string Reply(Stream s) {
        var sb = new StringBuilder(); var b = new byte[1];
        while (true) { var line = new StringBuilder();
            while (s.Read(b, 0, 1) == 1 && b[0] != '\n') line.Append((char)b[0]);
            sb.Append(line); if (line.Length < 4 || line[3] != '-') return sb.ToString(); }
    }
    static void Send(Stream s, string c) { var b = Encoding.ASCII.GetBytes(c + "\r\n"); s.Write(b, 0, b.Length); }
    public static void Run(int port) {
        using var tcp = new TcpClient("127.0.0.1", port) { NoDelay = true };
        Stream s = tcp.GetStream();
        Reply(s); Send(s, "EHLO bench"); Reply(s); Send(s, "STARTTLS"); Reply(s);
        var ssl = new SslStream(s, false, (a, b, c, d) => true); ssl.AuthenticateAsClient("mx.lab.test");
        Send(ssl, "EHLO bench"); Reply(ssl); Send(ssl, "QUIT"); Reply(ssl);
    }
}
'@

$figures = [ordered]@{}
if (Test-Path /usr/sbin/postfix) {
    $pf = Start-MailFlowLab -LabDll $labDll -Mode postfix
    try {
        $p = $pf.Port
        Test-ConnectorDelivery -SmartHost 127.0.0.1 -Port $p -TlsSettings EncryptionOnly | Out-Null   # warm up
        $ours = foreach ($i in 1..$Probes) {
            $w = [Diagnostics.Stopwatch]::StartNew()
            $r = Test-ConnectorDelivery -SmartHost 127.0.0.1 -Port $p -TlsSettings EncryptionOnly
            $w.Elapsed.TotalMilliseconds
            if ($r.Status -eq 'Failed') { throw "Probe failed: $($r.Detail)" }
        }
        [MinimalProbe]::Run($p)
        $minimal = foreach ($i in 1..$Probes) { $w = [Diagnostics.Stopwatch]::StartNew(); [MinimalProbe]::Run($p); $w.Elapsed.TotalMilliseconds }
        $figures['Test-ConnectorDelivery median ms (STARTTLS, Postfix)'] = [math]::Round((Median $ours), 2)
        $figures['Minimal in-process STARTTLS probe median ms'] = [math]::Round((Median $minimal), 2)
        if (Test-Path /usr/sbin/posttls-finger) {
            $finger = foreach ($i in 1..$FingerRuns) {
                $w = [Diagnostics.Stopwatch]::StartNew()
                /usr/sbin/posttls-finger -c -l may "[127.0.0.1]:$p" *> $null
                $w.Elapsed.TotalMilliseconds
            }
            $figures['posttls-finger median ms'] = [math]::Round((Median $finger), 2)
        }
    }
    finally { Stop-MailFlowLab $pf }
}
else { Write-Warning 'Postfix is not installed: the probe-cost figures are skipped.' }

$lab = Start-MailFlowLab -LabDll $labDll
try {
    $targets = @(1..500 | ForEach-Object { if ($_ % 5 -eq 0) { 'blackhole.lab.test' } else { 'ok.lab.test' } })
    $common = @{ Port = $lab.Port; DnsServer = $lab.DnsServer; TimeoutSec = 1; CertificateAuthority = $lab.CertificateAuthority }
    $w = [Diagnostics.Stopwatch]::StartNew()
    $all = Test-ConnectorDelivery -SmartHost $targets -ThrottleLimit 100 @common
    $figures['500 targets (100 black-holed, timeout 1 s), ThrottleLimit 100, s'] = [math]::Round($w.Elapsed.TotalSeconds, 2)
    $figures['  of which timed out'] = @($all | Where-Object Code -eq '450 4.4.315').Count
    $w = [Diagnostics.Stopwatch]::StartNew()
    $null = Test-ConnectorDelivery -SmartHost $targets -ThrottleLimit 1 @common
    $figures['Same 500 targets one by one (ThrottleLimit 1), s'] = [math]::Round($w.Elapsed.TotalSeconds, 2)

    # 300 targets (the lab's healthy and faulty hosts, ten times over) while busy loops oversubscribe the CPU (two per
    # core), so DNS answers and timers come late as on a loaded server: how many targets got a result, and how many
    # were lost to a DNS server that seemed not to answer. Then the same through the relay that loses each question's
    # first UDP query.
    $names = @($lab.Hosts.PSObject.Properties.Name | Where-Object { $_ -like '*.lab.test' -and $_ -notlike 'v6*' } | Sort-Object | Select-Object -First 30)
    $fleet = @(1..10 | ForEach-Object { $names }) | ForEach-Object { $_ }
    $hogs = @(1..(2 * [Environment]::ProcessorCount) | ForEach-Object { [Diagnostics.Process]::Start('sh', '-c "while :; do :; done"') })
    try {
        foreach ($dns in @(@{ Name = 'lab DNS'; Server = $lab.DnsServer }, @{ Name = 'lossy DNS'; Server = $lab.DnsServerLossy })) {
            $fleetArgs = @{ Port = $lab.Port; DnsServer = $dns.Server; TimeoutSec = 3; CertificateAuthority = $lab.CertificateAuthority }
            $w = [Diagnostics.Stopwatch]::StartNew()
            $results = @(Test-ConnectorDelivery -SmartHost $fleet -ThrottleLimit 100 @fleetArgs -ErrorVariable fleetErrors -ErrorAction SilentlyContinue)
            $figures["300 targets under CPU oversubscription ($($dns.Name)), s"] = [math]::Round($w.Elapsed.TotalSeconds, 2)
            $unreachable = @($fleetErrors | Where-Object FullyQualifiedErrorId -like 'DnsServerUnreachable*').Count
            $figures["  ($($dns.Name)) targets answered of 300 (DnsServerUnreachable errors)"] = "$(300 - @($fleetErrors).Count) ($unreachable)"
        }
    }
    finally { $hogs | ForEach-Object { try { $_.Kill() } catch { } } }
}
finally { Stop-MailFlowLab $lab }

# Evidence: a 1,000,000-row report (50,000 messages, each deferred 20 times), grouped by Get-MailFlowAlert in a fresh
# session (the scheduled task's case: Import-Module and the first call), and by the plain PowerShell pipeline an admin
# would otherwise write. Cold and warm over 200,000 rows: tests/Bench/ColdStart.ps1, a fresh pwsh per run.
$report = Join-Path $Root 'out/bench-trace-1M.csv'
& (Join-Path $PSScriptRoot 'New-BenchTrace.ps1') -Path $report -Rows 1000000
$cold = & (Join-Path $PSScriptRoot 'ColdStart.ps1') -ModulePath $ModulePath -Root $Root -Rows 200000 -Runs 5
$figures['Import-Module, fresh session, median ms'] = $cold.ImportMs
$figures['Get-MailFlowAlert 200k rows cold (import + call), ms'] = $cold.ImportAndFirstMs
$figures['Get-MailFlowAlert 200k rows warm (2nd call), ms'] = $cold.WarmMs
$figures['  cold minus warm, ms'] = $cold.ColdOverWarmMs
$figures['  alerts'] = $cold.Alerts
$million = & (Join-Path $PSScriptRoot 'ColdStart.ps1') -ModulePath $ModulePath -Root $Root -Rows 1000000 -Runs 3 -ColdOnly
$figures['Get-MailFlowAlert 1M rows cold (import + call), s'] = [math]::Round($million.ImportAndFirstMs / 1000, 2)
$figures['  alerts / messages'] = $million.Alerts
[GC]::Collect()
$before = [GC]::GetTotalMemory($true)
$w = [Diagnostics.Stopwatch]::StartNew()
$plain = Import-Csv $report | Where-Object { $_.event_id -eq 'DEFER' } |
    Group-Object { [regex]::Match($_.recipient_status, '\d\.\d\.\d{3}').Value }, connector_id, { [regex]::Match($_.recipient_status, 'LastAttemptedServerName=([^\]]+)').Groups[1].Value } |
    ForEach-Object { [pscustomobject]@{ Name = $_.Name; Messages = @($_.Group.message_id | Sort-Object -Unique).Count } }
$figures['Import-Csv | Where-Object | Group-Object, same report, s'] = [math]::Round($w.Elapsed.TotalSeconds, 2)
$figures['  groups / messages'] = "$(@($plain).Count) / $(($plain | Measure-Object Messages -Sum).Sum)"

# Start-up: a bare pwsh against one that imports the module (the design aims at under 150 ms added).
$pwsh = { param($command) $w = [Diagnostics.Stopwatch]::StartNew(); & dotnet pwsh -NoProfile -NonInteractive -Command $command | Out-Null; $w.Elapsed.TotalMilliseconds }
Push-Location $Root
try {
    $null = & $pwsh '1'
    $bare = foreach ($i in 1..10) { & $pwsh '1' }
    $import = foreach ($i in 1..10) { & $pwsh "Import-Module '$ModulePath'" }
}
finally { Pop-Location }
$figures['pwsh start, median ms'] = [math]::Round((Median $bare), 0)
$figures['pwsh start + Import-Module MailFlowIntel, median ms'] = [math]::Round((Median $import), 0)

[pscustomobject]$figures | Format-List | Out-Host
