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

# A connector shaped like deserialized Get-OutboundConnector output (strings, ArrayLists, $null), as tests and the demo
# pipe it. SmtpDaneMode and MtaStsMode are there only when given, so the older shape without them stays testable.
function New-LabConnector {
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Position = 1)] $SmartHosts = @(),
        [Parameter(Position = 2)] $TlsSettings = $null,
        [Parameter(Position = 3)] $TlsDomain = $null,
        [Alias('Type')] [string] $ConnectorType = 'OnPremises',
        [bool] $UseMX = $false,
        $Domains = @(),
        [bool] $Enabled = $true,
        $SmtpDaneMode,
        $MtaStsMode
    )
    $c = [ordered]@{
        PSTypeName = 'Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.OutboundConnector'
        Name = $Name; Identity = $Name; Enabled = $Enabled; ConnectorType = $ConnectorType
        SmartHosts = [System.Collections.ArrayList]@($SmartHosts); UseMXRecord = $UseMX
        RecipientDomains = [System.Collections.ArrayList]@($Domains); TlsSettings = $TlsSettings; TlsDomain = $TlsDomain
    }
    if ($PSBoundParameters.ContainsKey('SmtpDaneMode')) { $c.SmtpDaneMode = $SmtpDaneMode }
    if ($PSBoundParameters.ContainsKey('MtaStsMode')) { $c.MtaStsMode = $MtaStsMode }
    [pscustomobject]$c
}

# How many queries each lab DNS server has answered so far: proof that a probe asked (or did not ask) a server.
function Get-MailFlowLabDnsCount {
    param([Parameter(Mandatory)] $Lab)
    $Lab.Process.StandardInput.WriteLine('counts')
    $Lab.Process.StandardInput.Flush()
    $Lab.Process.StandardOutput.ReadLine() | ConvertFrom-Json
}

# A line of control for the lab process ("endpoints-version 2026120200", "endpoints-down", "endpoints-up").
function Send-MailFlowLabLine {
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [string] $Line)
    $Lab.Process.StandardInput.WriteLine($Line)
    $Lab.Process.StandardInput.Flush()
}

Export-ModuleMember -Function Start-MailFlowLab, Stop-MailFlowLab, New-LabConnector, Get-MailFlowLabDnsCount, Send-MailFlowLabLine
