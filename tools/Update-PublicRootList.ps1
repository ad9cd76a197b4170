<#
.SYNOPSIS
    Writes src/MailFlowIntel.Core/Catalog/PublicRoots.tsv: the roots of the public root programs, as the probe trusts them.
.DESCRIPTION
    Microsoft 365 trusts the roots of public root programs, not the roots of the computer that runs a probe (DESIGN.md 2c).
    This script writes, for each root, its program, its name, its subject and its SubjectPublicKeyInfo (DER, base64),
    with a line per program giving the list's date and source. The probe reads that file (embedded in
    MailFlowIntel.Core) to anchor a chain at a public root this computer lacks, and to call a root this computer trusts
    but no program lists private.

    Each program's block is rewritten only when its source is given; otherwise the block already in the file is kept,
    so a maintainer on Debian can refresh Mozilla's list and one on Windows can add Microsoft's, each with what they have.

    Mozilla: the certificates of Debian's ca-certificates package (/usr/share/ca-certificates/mozilla/*.crt), which
    holds the roots Mozilla trusts for server authentication. The package version and the date of its changelog's
    first entry are the list's source and date.

    Microsoft: the CCADB report of Microsoft's Trusted Root Program with PEM, downloaded by hand (this script never goes
    online):
        https://ccadb.my.salesforce-sites.com/microsoft/IncludedCACertificateReportForMSFTCSVPEM
    Rows whose "Microsoft Status" is Included and whose "Microsoft EKUs" hold Server Authentication are kept (roots
    marked NotBefore or Disabled are not: Microsoft no longer trusts them for new certificates). The report has no
    date of its own: -MicrosoftDate, else the file's last write time (UTC).
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Update-PublicRootList.ps1
    Refreshes Mozilla's block from this Debian computer's ca-certificates, keeping Microsoft's block as it is.
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Update-PublicRootList.ps1 -MicrosoftCsv ~/Downloads/IncludedCACertificateReportForMSFTCSVPEM.csv -MicrosoftDate 2026-03-01
    Adds (or refreshes) Microsoft's block from the CCADB report; Mozilla's block is refreshed too when Debian's folder is here.
#>
[CmdletBinding()]
param(
    # The file to write (and whose blocks are kept when their source is not given).
    [string] $Path = (Join-Path $PSScriptRoot '../src/MailFlowIntel.Core/Catalog/PublicRoots.tsv'),
    # Debian's folder of Mozilla's roots (PEM, one per file).
    [string] $MozillaDirectory = '/usr/share/ca-certificates/mozilla',
    # The source named in the file; by default the ca-certificates version dpkg-query reports.
    [string] $MozillaSource,
    # The list's date (yyyy-MM-dd); by default the date of the first entry of Debian's changelog.
    [string] $MozillaDate,
    # CCADB's IncludedCACertificateReportForMSFTCSVPEM report.
    [string] $MicrosoftCsv,
    [string] $MicrosoftDate
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

# The SubjectPublicKeyInfo exactly as the certificate encodes it (the probe compares these bytes with the server's chain),
# not as the platform would encode the key again.
function Get-SubjectPublicKeyInfo([byte[]] $Der) {
    $certificate = [System.Formats.Asn1.AsnReader]::new($Der, [System.Formats.Asn1.AsnEncodingRules]::DER).ReadSequence()
    $tbs = $certificate.ReadSequence()
    if ($tbs.PeekTag().HasSameClassAndValue([System.Formats.Asn1.Asn1Tag]::new([System.Formats.Asn1.TagClass]::ContextSpecific, 0))) { $null = $tbs.ReadEncodedValue() }   # version
    foreach ($field in 'serialNumber', 'signature', 'issuer', 'validity', 'subject') { $null = $tbs.ReadEncodedValue() }
    $tbs.ReadEncodedValue().ToArray()
}

function ConvertTo-Row([string] $Program, [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate, [string] $Name) {
    if (-not $Name) { $Name = $Certificate.GetNameInfo([System.Security.Cryptography.X509Certificates.X509NameType]::SimpleName, $false) }
    # A tab or line end in a name would break the line; none is expected, none is kept.
    $Name = ($Name -replace '[\t\r\n]', ' ').Trim()
    [pscustomobject]@{
        Program = $Program
        Name    = $Name
        Subject = [Convert]::ToBase64String($Certificate.SubjectName.RawData)
        Key     = [Convert]::ToBase64String((Get-SubjectPublicKeyInfo $Certificate.RawData))
    }
}

function Read-Existing([string] $File) {
    $programs = @{}
    $roots = [System.Collections.Generic.List[object]]::new()
    if (-not (Test-Path -LiteralPath $File)) { return $programs, $roots }
    foreach ($line in Get-Content -LiteralPath $File) {
        $f = $line -split "`t"
        if ($f[0] -eq 'program' -and $f.Count -ge 4) { $programs[$f[1]] = [pscustomobject]@{ Program = $f[1]; Date = $f[2]; Source = $f[3] } }
        elseif ($f[0] -eq 'root' -and $f.Count -ge 5) { $roots.Add([pscustomobject]@{ Program = $f[1]; Name = $f[2]; Subject = $f[3]; Key = $f[4] }) }
    }
    return $programs, $roots
}

function Get-DebianChangelogDate {
    $changelog = '/usr/share/doc/ca-certificates/changelog.gz'
    if (-not (Test-Path -LiteralPath $changelog)) { return $null }
    $stream = [System.IO.Compression.GZipStream]::new([System.IO.File]::OpenRead($changelog), [System.IO.Compression.CompressionMode]::Decompress)
    $reader = [System.IO.StreamReader]::new($stream)
    try {
        while ($null -ne ($line = $reader.ReadLine())) {
            # " -- Name <mail>  Fri, 13 Jun 2025 10:03:42 +0200": the first trailer line dates the newest entry.
            if ($line -match '^ -- .*>\s+(.+)$') {
                return [DateTimeOffset]::Parse($Matches[1], [cultureinfo]::InvariantCulture).UtcDateTime.ToString('yyyy-MM-dd')
            }
        }
    }
    finally { $reader.Dispose() }
    $null
}

function Read-Mozilla {
    $files = @(Get-ChildItem -LiteralPath $MozillaDirectory -Filter *.crt)
    if ($files.Count -eq 0) { throw "No certificate in $MozillaDirectory." }
    $source = $MozillaSource
    if (-not $source) {
        $version = if (Get-Command dpkg-query -ErrorAction SilentlyContinue) { dpkg-query -W -f '${Version}' ca-certificates 2>$null } else { $null }
        $source = if ($version) { "Debian ca-certificates $version" } else { "certificates in $MozillaDirectory" }
    }
    $date = $MozillaDate
    if (-not $date) { $date = Get-DebianChangelogDate }
    if (-not $date) { $date = ($files | Measure-Object LastWriteTimeUtc -Maximum).Maximum.ToString('yyyy-MM-dd') }
    $rows = foreach ($file in $files) {
        $pem = Get-Content -Raw -LiteralPath $file.FullName
        ConvertTo-Row 'Mozilla' ([System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($pem))
    }
    [pscustomobject]@{ Program = 'Mozilla'; Date = $date; Source = $source }, $rows
}

function Read-Microsoft {
    $table = @(Import-Csv -LiteralPath $MicrosoftCsv)
    if ($table.Count -eq 0) { throw "$MicrosoftCsv holds no row." }
    foreach ($column in 'Microsoft Status', 'Microsoft EKUs', 'PEM Info') {
        if ($column -notin $table[0].PSObject.Properties.Name) {
            throw "$MicrosoftCsv has no '$column' column: download the report with PEM (IncludedCACertificateReportForMSFTCSVPEM)."
        }
    }
    $date = $MicrosoftDate
    if (-not $date) { $date = (Get-Item -LiteralPath $MicrosoftCsv).LastWriteTimeUtc.ToString('yyyy-MM-dd') }
    $rows = foreach ($row in $table) {
        if ($row.'Microsoft Status' -ne 'Included' -or $row.'Microsoft EKUs' -notmatch 'Server Authentication') { continue }
        # CCADB wraps the PEM in single quotes.
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($row.'PEM Info'.Trim("'", ' '))
        $expected = if ($row.PSObject.Properties['SHA-256 Fingerprint']) { ($row.'SHA-256 Fingerprint' -replace '[^0-9A-Fa-f]', '') } else { '' }
        if ($expected -and $expected -ne $cert.GetCertHashString([System.Security.Cryptography.HashAlgorithmName]::SHA256)) {
            throw "The PEM of '$($row.'CA Common Name or Certificate Name')' does not match its SHA-256 fingerprint."
        }
        $name = if ($row.PSObject.Properties['CA Common Name or Certificate Name']) { $row.'CA Common Name or Certificate Name' } else { $null }
        ConvertTo-Row 'Microsoft' $cert $name
    }
    [pscustomobject]@{ Program = 'Microsoft'; Date = $date; Source = 'CCADB IncludedCACertificateReportForMSFTCSVPEM' }, $rows
}

$programs, $roots = Read-Existing $Path
$fresh = @{}
if (Test-Path -LiteralPath $MozillaDirectory) { $p, $r = Read-Mozilla; $programs['Mozilla'] = $p; $fresh['Mozilla'] = @($r) }
elseif (-not $programs.ContainsKey('Mozilla')) { throw "$MozillaDirectory does not exist and $Path holds no Mozilla block to keep." }
if ($MicrosoftCsv) { $p, $r = Read-Microsoft; $programs['Microsoft'] = $p; $fresh['Microsoft'] = @($r) }

$lines = [System.Collections.Generic.List[string]]::new()
$lines.Add('# The roots of the public root programs Microsoft 365 is held to (DESIGN.md 2c), one per line: program, name, subject')
$lines.Add('# (DER, base64) and SubjectPublicKeyInfo (DER, base64), tab-separated; a "program" line gives each list''s date and source.')
$lines.Add('# Written by tools/Update-PublicRootList.ps1 (its help says how to add Microsoft''s list); do not edit by hand.')
$written = @{}
foreach ($program in $programs.Keys | Sort-Object) {
    $p = $programs[$program]
    $lines.Add("program`t$($p.Program)`t$($p.Date)`t$($p.Source)")
    $rows = if ($fresh.ContainsKey($program)) { $fresh[$program] } else { $roots | Where-Object Program -eq $program }
    # One line per root: the same subject and key twice in a source (a root reissued with its old key) is one root.
    $unique = @($rows | Group-Object Subject, Key | ForEach-Object { $_.Group[0] } | Sort-Object Name, Key)
    foreach ($row in $unique) { $lines.Add("root`t$($row.Program)`t$($row.Name)`t$($row.Subject)`t$($row.Key)") }
    $written[$program] = $unique.Count
}
# LF line ends and UTF-8 without a BOM whatever the platform, so the file does not change with who ran the script.
[System.IO.File]::WriteAllText([System.IO.Path]::GetFullPath($Path), ($lines -join "`n") + "`n", [System.Text.UTF8Encoding]::new($false))
foreach ($program in $programs.Keys | Sort-Object) {
    $p = $programs[$program]
    Write-Host ("{0}: {1} roots ({2}, {3}){4}" -f $program, $written[$program], $p.Source, $p.Date, $(if ($fresh.ContainsKey($program)) { '' } else { ', kept' }))
}
