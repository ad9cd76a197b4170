# SMTP TLS reports (RFC 8460) read by Get-MailFlowAlert from the shipped module: files, a mail message, piped text.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    $script:Data = Join-Path $env:MFI_ROOT 'tests/MailFlowIntel.Core.Tests/Data/tlsrpt'
    function New-Gzip([byte[]] $Bytes, [string] $Path) {
        $out = [IO.File]::Create($Path)
        try { $gz = [IO.Compression.GZipStream]::new($out, [IO.Compression.CompressionLevel]::Optimal); $gz.Write($Bytes, 0, $Bytes.Length); $gz.Dispose() }
        finally { $out.Dispose() }
    }
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "mfi-tlsrpt-$([guid]::NewGuid())"
    New-Item -ItemType Directory $Dir | Out-Null
    $ms = [IO.File]::ReadAllBytes((Join-Path $Data 'microsoft-contoso.json'))
    Copy-Item (Join-Path $Data 'google-fabrikam.json') (Join-Path $Dir 'google.json')
    New-Gzip $ms (Join-Path $Dir 'microsoft.json.gz')
    # A mail message carrying the gzip, as Microsoft sends its reports.
    $packed = [IO.File]::ReadAllBytes((Join-Path $Dir 'microsoft.json.gz'))
    $eml = "From: tlsrpt-noreply@microsoft.com`r`nTo: tls@contoso.com`r`nSubject: Report Domain: contoso.com`r`nMIME-Version: 1.0`r`nContent-Type: multipart/report; report-type=`"tlsrpt`"; boundary=`"b`"`r`n`r`n--b`r`nContent-Type: text/plain`r`n`r`nreport`r`n--b`r`nContent-Type: application/tlsrpt+gzip`r`nContent-Transfer-Encoding: base64`r`n`r`n" +
        [Convert]::ToBase64String($packed, 'InsertLineBreaks') + "`r`n--b--`r`n"
    New-Item -ItemType Directory (Join-Path $Dir 'mail') | Out-Null
    [IO.File]::WriteAllText((Join-Path $Dir 'mail/report.eml'), $eml)
    # The bad ones: a gzip cut in half, JSON that is no report, a bomb (64 MB of zeros).
    [IO.File]::WriteAllBytes((Join-Path $Dir 'cut.json.gz'), $packed[0..($packed.Length / 2)])
    [IO.File]::WriteAllText((Join-Path $Dir 'other.json'), '{"policies": 1, "date-range": 2}')
    New-Gzip ([byte[]]::new(64MB)) (Join-Path $Dir 'bomb.json.gz')
}

AfterAll { Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue }

Describe 'SMTP TLS reports as evidence' {
    It 'reads Microsoft''s (gzip), another sender''s (JSON) and a mail message carrying one; each bad file is one error and the rest still count' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $alerts = @(Get-MailFlowAlert -Path (Join-Path $Dir '*.json*'), (Join-Path $Dir 'mail/report.eml') -ErrorVariable errs -ErrorAction SilentlyContinue)
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
        $errs | Should -HaveCount 3
        $errs.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'InvalidEvidenceFile,MailFlowIntel.Commands.GetMailFlowAlertCommand'
        foreach ($bad in 'bomb.json.gz', 'cut.json.gz', 'other.json') { @($errs | Where-Object { $_.Exception.Message -match [regex]::Escape($bad) }) | Should -HaveCount 1 }
        # The gzip and the message say the same: one alert per host and failure, their sessions added.
        $mail = $alerts | Where-Object DestinationServer -eq 'mail.contoso.com'
        $mail.Code | Should -Be '450 4.7.5'
        $mail.MessageCount | Should -Be 24
        "$($mail.ObservedFrom)" | Should -Be 'Microsoft365'
        $mail.Connector | Should -BeNullOrEmpty
        $mail.Source | Should -Be 'TlsReport'
        ($alerts | Where-Object DestinationServer -eq 'backup.contoso.com').Code | Should -Be '450 4.4.8'
        ($alerts | Where-Object DestinationServer -eq 'mx1.contoso.net').Reason | Should -Be 'DnsServerFailure'
        $google = $alerts | Where-Object DestinationServer -eq 'mx1.fabrikam.com'
        ($google.ObservedFrom | ForEach-Object { "$_" } | Sort-Object -Unique) | Should -Be 'OtherMta'
    }

    It 'reads a report piped as text, and keeps its hostile text safe in CSV' {
        $alerts = @(Get-Content -Raw (Join-Path $Data 'google-fabrikam.json') | Get-MailFlowAlert)
        $alerts | Should -HaveCount 2
        $csv = $alerts | ConvertTo-Csv -NoTypeInformation
        ($csv -join "`n") | Should -Match 'script'
        ($csv | Select-Object -Skip 1) | ForEach-Object { $_ | Should -Not -Match '(^|,)"[=+\-@]' }
    }
}

Describe 'A later report resolves what an earlier one raised' {
    BeforeAll {
        $script:Clean = @'
{ "organization-name": "Microsoft Corporation", "contact-info": "tlsrpt-noreply@microsoft.com", "report-id": "2",
  "date-range": { "start-datetime": "2026-12-08T00:00:00Z", "end-datetime": "2026-12-08T23:59:59Z" },
  "policies": [ { "policy": { "policy-type": "sts", "policy-domain": "contoso.com",
                              "policy-string": [ "version: STSv1", "mode: enforce", "mx: mail.contoso.com", "max_age: 604800" ] },
                  "summary": { "total-successful-session-count": 300, "total-failure-session-count": 0 } } ] }
'@
        $script:Baseline = Join-Path $Dir 'baseline.xml'
        Get-MailFlowAlert -Path (Join-Path $Data 'microsoft-contoso.json') | Export-Clixml $Baseline
    }

    It 'gives no alert for a report of successes alone' {
        @($Clean | Get-MailFlowAlert) | Should -HaveCount 0
    }

    It 'resolves the alert of a host that a later Microsoft report shows without failure' {
        $changed = @($Clean | Get-MailFlowAlert -BaselinePath $Baseline -WarningAction SilentlyContinue)
        ($changed | Where-Object DestinationServer -eq 'mail.contoso.com').Change | Should -Be 'Resolved'
        # A host under another policy domain is not spoken of by this report.
        ($changed | Where-Object DestinationServer -eq 'mx1.contoso.net').Change | Should -Not -Be 'Resolved'
    }

    It 'does not resolve Microsoft 365''s alert by another sender''s clean report' {
        $other = $Clean -replace 'Microsoft Corporation', 'Google Inc.'
        $changed = @($other | Get-MailFlowAlert -BaselinePath $Baseline -WarningAction SilentlyContinue)
        ($changed | Where-Object DestinationServer -eq 'mail.contoso.com').Change | Should -Not -Be 'Resolved'
    }
}
