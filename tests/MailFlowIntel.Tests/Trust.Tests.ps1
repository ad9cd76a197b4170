# Trust as Microsoft 365 trusts (DESIGN.md 2c): a root only this computer trusts is private; roots given as parameters
# count as public for the verdict; the public root list comes from tools/Update-PublicRootList.ps1.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:Generator = Join-Path $env:MFI_ROOT 'tools/Update-PublicRootList.ps1'

    # A fresh pwsh of the same build, with the environment changes given (HOME: roots are read once per process, from
    # the user's store under $HOME on Linux). Returns its output lines; throws with them when it fails.
    function Invoke-ChildPwsh([string] $ScriptPath, [hashtable] $Environment, [string[]] $Arguments = @()) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $ScriptPath) + $Arguments) { $psi.ArgumentList.Add($a) }
        foreach ($e in $Environment.GetEnumerator()) { $psi.Environment[$e.Key] = $e.Value }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $p = [System.Diagnostics.Process]::Start($psi)
        $err = $p.StandardError.ReadToEndAsync()
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        if ($p.ExitCode -ne 0) { throw "The child pwsh failed ($($p.ExitCode)):`n$out`n$($err.Result)" }
        $out -split "`r?`n"
    }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
}

Describe 'A root this computer trusts that no public program lists' {
    It 'is PrivateRoot, a Warning RootNotInPublicProgram under CertificateValidation, and never a name -AdoptCertificateName adopts (the lab CA in the user''s trusted roots, not passed as -CertificateAuthority)' {
        if (-not $IsLinux) {
            Set-ItResult -Skipped -Because 'the user''s root store is placed under a HOME of its own, which is how .NET keeps it on Linux'
            return
        }
        $userHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory $userHome | Out-Null
        $child = Join-Path $TestDrive 'private-root.ps1'
        @'
param($Module, $CaPem, $Port, $DnsServer)
$ErrorActionPreference = 'Stop'
# The lab CA in this user's trusted roots ($HOME/.dotnet/corefx/cryptography/x509stores/root on Linux), as a policy would push an enterprise CA.
$store = [System.Security.Cryptography.X509Certificates.X509Store]::new('Root', 'CurrentUser')
$store.Open('ReadWrite')
$store.Add([System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem((Get-Content -Raw $CaPem)))
$store.Close()
Import-Module $Module

# Stand-ins for the Exchange Online cmdlets (see RepairConnectorConfig.Tests.ps1): an in-memory tenant, every Set recorded.
$global:ExoCalls = [System.Collections.Generic.List[string]]::new()
$global:Tenant = @{
    Connectors = @(@{ Identity = 'Lab TLS'; Name = 'Lab TLS'; ConnectorType = 'OnPremises'; Enabled = $true; UseMXRecord = $false
                      SmartHosts = [System.Collections.ArrayList]@('wrongname.lab.test'); RecipientDomains = [System.Collections.ArrayList]@('lab.test')
                      TlsSettings = 'DomainValidation'; TlsDomain = 'mx.lab.test' })
    Domains = @(@{ Identity = 'lab.test'; Name = 'lab.test'; DomainName = 'lab.test'; DomainType = 'Authoritative' }
                @{ Identity = 'example.test'; Name = 'example.test'; DomainName = 'example.test'; DomainType = 'Authoritative' })
}
function global:Get-OutboundConnector { [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
    $global:Tenant.Connectors | Where-Object { -not $Identity -or $_.Identity -eq $Identity } | ForEach-Object { [pscustomobject]$_ } }
function global:Set-OutboundConnector { [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string] $TlsDomain, [string] $TlsSettings, [bool] $Enabled, [string[]] $SmartHosts)
    $global:ExoCalls.Add("Set-OutboundConnector $Identity")
    $c = $global:Tenant.Connectors | Where-Object Identity -eq $Identity
    foreach ($p in 'TlsDomain', 'TlsSettings', 'Enabled', 'SmartHosts') { if ($PSBoundParameters.ContainsKey($p)) { $c[$p] = $PSBoundParameters[$p] } } }
function global:Get-AcceptedDomain { [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
    $global:Tenant.Domains | ForEach-Object { [pscustomobject]$_ } }
function global:Set-AcceptedDomain { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Mandatory)] [string] $Identity, [string] $DomainType)
    $global:ExoCalls.Add("Set-AcceptedDomain $Identity") }

$probe = @{ Port = [int]$Port; DnsServer = $DnsServer; TimeoutSec = 3 }
$ok = Test-ConnectorDelivery -SmartHost ok.lab.test -TlsSettings CertificateValidation @probe
$open = Test-ConnectorDelivery -SmartHost ok.lab.test -TlsSettings EncryptionOnly @probe
$mismatch = Get-OutboundConnector 'Lab TLS' | Test-ConnectorDelivery @probe
$adopt = @($mismatch | Repair-ConnectorConfig -AdoptCertificateName @probe -Confirm:$false)
$tlsDomainAfter = ($global:Tenant.Connectors | Where-Object Identity -eq 'Lab TLS').TlsDomain
# Control, same process and store: with the CA given as a parameter, the same name would be adopted (-WhatIf: nothing changes).
$control = @(Repair-ConnectorConfig -Connector 'Lab TLS' -Code 4.7.320 -Reason CertificateNameMismatch -AdoptCertificateName @probe -CertificateAuthority $CaPem -WhatIf)
[pscustomobject]@{
    Status = "$($ok.Status)"; Reason = "$($ok.Reason)"; Code = $ok.Code; Errors = $ok.CertificateErrors; Cause = $ok.Cause; Fix = $ok.Fix
    OpenStatus = "$($open.Status)"; OpenErrors = $open.CertificateErrors
    MismatchReason = "$($mismatch.Reason)"; MismatchErrors = $mismatch.CertificateErrors
    AdoptActions = ($adopt.Action -join ','); AdoptStatus = ($adopt.Status -join ','); AdoptRationale = ($adopt.Rationale -join ' ')
    SetCalls = $global:ExoCalls.Count; TlsDomainAfter = $tlsDomainAfter
    ControlSet = "$(($control | Where-Object Action -eq 'SetTlsDomain').Status)"
} | ConvertTo-Json -Compress
'@ | Set-Content -LiteralPath $child
        $out = Invoke-ChildPwsh $child @{ HOME = $userHome; POWERSHELL_TELEMETRY_OPTOUT = '1'; POWERSHELL_UPDATECHECK = 'Off' } `
            @($env:MFI_MODULE, $Lab.CertificateAuthority, [string]$Lab.Port, $Lab.DnsServer)
        $json = @($out | Where-Object { "$_".StartsWith('{') })[-1]
        $json | Should -Not -BeNullOrEmpty -Because ($out -join "`n")
        $seen = $json | ConvertFrom-Json
        # The root really is in that user's store, and nowhere else this test put it.
        Join-Path $userHome '.dotnet/corefx/cryptography/x509stores/root' | Should -Exist

        $seen.Errors | Should -Match '\bPrivateRoot\b'
        $seen.Errors | Should -Not -Match 'RootFromParameter'
        $seen.Status | Should -Be 'Warning'
        $seen.Reason | Should -Be 'RootNotInPublicProgram'
        $seen.Code | Should -BeNullOrEmpty
        $seen.Cause | Should -Match 'MailFlowIntel Lab CA'
        $seen.Fix | Should -Match 'public certification authority'
        # Only a note where the connector checks no chain.
        $seen.OpenStatus | Should -Be 'Succeeded'
        $seen.OpenErrors | Should -Match 'PrivateRoot'

        # The name mismatch itself is a certain failure; the name is still not adopted under a private root.
        $seen.MismatchReason | Should -Be 'CertificateNameMismatch'
        $seen.AdoptActions | Should -Not -Match 'SetTlsDomain'
        $seen.AdoptStatus | Should -Be 'Manual'
        $seen.AdoptRationale | Should -Match 'no public root program lists'
        $seen.SetCalls | Should -Be 0
        $seen.TlsDomainAfter | Should -Be 'mx.lab.test'
        $seen.ControlSet | Should -Be 'Planned'
    }
}

Describe 'tools/Update-PublicRootList.ps1 and -TrustedRootList' {
    BeforeAll {
        # A folder shaped like Debian's /usr/share/ca-certificates/mozilla, holding the lab CA.
        $script:RootsDir = Join-Path $TestDrive 'mozilla'
        New-Item -ItemType Directory $RootsDir | Out-Null
        Copy-Item $Lab.CertificateAuthority (Join-Path $RootsDir 'MailFlowIntel_Lab_CA.crt')
        $script:ListPath = Join-Path $TestDrive 'roots.tsv'
        $script:Ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem((Get-Content -Raw $Lab.CertificateAuthority))
        $script:ProbeArgs = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; TimeoutSec = 3 }
    }

    It 'writes a list from a folder of roots that -TrustedRootList trusts: public for the verdict, the PrivateRoot note kept' {
        $null = & $Generator -Path $ListPath -MozillaDirectory $RootsDir -MozillaSource 'lab roots' -MozillaDate '2026-01-02' 6>&1
        $lines = Get-Content $ListPath
        $lines | Should -Contain "program`tMozilla`t2026-01-02`tlab roots"
        $root = @($lines | Where-Object { $_ -like "root`t*" })
        $root | Should -HaveCount 1
        $f = $root[0] -split "`t"
        $f[1] | Should -Be 'Mozilla'
        $f[2] | Should -Be 'MailFlowIntel Lab CA'
        [Convert]::FromBase64String($f[3]) | Should -Be $Ca.SubjectName.RawData
        [Convert]::FromBase64String($f[4]) | Should -Be $Ca.PublicKey.ExportSubjectPublicKeyInfo()

        $r = Test-ConnectorDelivery -SmartHost fullchain.lab.test -TlsSettings CertificateValidation -TrustedRootList $ListPath @ProbeArgs
        $r.Status | Should -Be 'Succeeded'
        $r.CertificateErrors | Should -Match 'PrivateRoot'
        $r.CertificateErrors | Should -Match 'RootFromParameter'
        # The same file as PEM certificates works the same way.
        $pem = Test-ConnectorDelivery -SmartHost ok.lab.test -TlsSettings DomainValidation -TlsDomain mx.lab.test -TrustedRootList $Lab.CertificateAuthority @ProbeArgs
        $pem.Status | Should -Be 'Succeeded'
        $pem.CertificateErrors | Should -Match 'RootFromParameter'
        # Without it the lab CA anchors nothing.
        (Test-ConnectorDelivery -SmartHost ok.lab.test -TlsSettings CertificateValidation @ProbeArgs).Code | Should -Be '450 4.7.320'
    }

    It 'adds Microsoft''s block from a CCADB report with PEM (Included, for Server Authentication) and keeps it when run without one' {
        $pemText = (Get-Content -Raw $Lab.CertificateAuthority).Trim()
        $sha256 = $Ca.GetCertHashString([System.Security.Cryptography.HashAlgorithmName]::SHA256)
        $csv = Join-Path $TestDrive 'msft.csv'
        @(
            [pscustomobject]@{ 'Microsoft Status' = 'Included'; 'CA Owner' = 'Lab'; 'CA Common Name or Certificate Name' = 'Lab Root (Microsoft)'; 'SHA-256 Fingerprint' = $sha256; 'Microsoft EKUs' = 'Server Authentication;Client Authentication'; 'PEM Info' = "'$pemText'" }
            [pscustomobject]@{ 'Microsoft Status' = 'Disabled'; 'CA Owner' = 'Old'; 'CA Common Name or Certificate Name' = 'Disabled Root'; 'SHA-256 Fingerprint' = $sha256; 'Microsoft EKUs' = 'Server Authentication'; 'PEM Info' = "'$pemText'" }
            [pscustomobject]@{ 'Microsoft Status' = 'Included'; 'CA Owner' = 'Code'; 'CA Common Name or Certificate Name' = 'Code Signing Root'; 'SHA-256 Fingerprint' = $sha256; 'Microsoft EKUs' = 'Code Signing'; 'PEM Info' = "'$pemText'" }
        ) | Export-Csv -LiteralPath $csv -NoTypeInformation
        $null = & $Generator -Path $ListPath -MozillaDirectory $RootsDir -MozillaSource 'lab roots' -MozillaDate '2026-01-02' -MicrosoftCsv $csv -MicrosoftDate '2026-03-01' 6>&1
        $lines = Get-Content $ListPath
        $lines | Should -Contain "program`tMicrosoft`t2026-03-01`tCCADB IncludedCACertificateReportForMSFTCSVPEM"
        @($lines | Where-Object { $_ -like "root`tMicrosoft`t*" }) | Should -HaveCount 1
        ($lines | Where-Object { $_ -like "root`tMicrosoft`t*" }) | Should -BeLike "root`tMicrosoft`tLab Root (Microsoft)`t*"

        # Run again with no report: Microsoft's block stays as it was.
        $null = & $Generator -Path $ListPath -MozillaDirectory $RootsDir -MozillaSource 'lab roots' -MozillaDate '2026-01-02' 6>&1
        (Get-Content $ListPath) | Should -Be $lines

        # A report without PEM (the plain CSV) is refused with the name of the one to download.
        $plain = Join-Path $TestDrive 'plain.csv'
        [pscustomobject]@{ 'Microsoft Status' = 'Included'; 'Microsoft EKUs' = 'Server Authentication' } | Export-Csv -LiteralPath $plain -NoTypeInformation
        { & $Generator -Path $ListPath -MozillaDirectory $RootsDir -MicrosoftCsv $plain 6>$null } | Should -Throw '*IncludedCACertificateReportForMSFTCSVPEM*'
    }

    It 'stops with InvalidTrustedRootList (InvalidData) for a file that is neither PEM nor the list, and for a missing one' {
        $bad = Join-Path $TestDrive 'bad.tsv'
        "root`tX`tname`tnot base64!`tAAAA" | Set-Content $bad
        $e = { Test-ConnectorDelivery -SmartHost ok.lab.test -TrustedRootList $bad @ProbeArgs } | Should -Throw -ErrorId 'InvalidTrustedRootList*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.Exception.Message | Should -Match 'line 1'
        { Test-ConnectorDelivery -SmartHost ok.lab.test -TrustedRootList (Join-Path $TestDrive 'none.pem') @ProbeArgs } | Should -Throw -ErrorId 'InvalidTrustedRootList*'
        { Repair-ConnectorConfig -Connector 'X' -Code 4.7.320 -TrustedRootList $bad -WhatIf } | Should -Throw -ErrorId 'InvalidTrustedRootList*'
    }
}
