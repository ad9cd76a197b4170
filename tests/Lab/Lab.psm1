# Starts and stops the in-process lab (tests/Lab) as a child process; used by the demo and the Pester tests.

function Start-MailFlowLab {
    param([Parameter(Mandatory)] [string] $LabDll, [string] $Mode)
    if (-not (Test-Path $LabDll)) { throw "The lab is not built: $LabDll (run build.ps1 -Task Test or Demo)." }
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet', "`"$LabDll`" $Mode")
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notlike 'READY *') { $process.Kill(); throw "The lab did not start: $line" }
    $lab = $line.Substring(6) | ConvertFrom-Json
    $lab | Add-Member -NotePropertyName Process -NotePropertyValue $process -PassThru
}

function Stop-MailFlowLab {
    param([Parameter(Mandatory)] $Lab)
    try { $Lab.Process.StandardInput.Close() } catch { }
    if (-not $Lab.Process.WaitForExit(5000)) { $Lab.Process.Kill() }
}

Export-ModuleMember -Function Start-MailFlowLab, Stop-MailFlowLab
