# SMTP DANE through the shipped module, with the in-process lab as the far end: its DNS plays a validating resolver
# (AD for signed names when asked with DO) and serves TLSA records; a second lab DNS over the same records never sets AD.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:Common = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; TimeoutSec = 3 }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
}

Describe 'SMTP DANE in Test-ConnectorDelivery' {
    It 'reports DaneStatus <Status> for <HostName>' -ForEach @(
        @{ HostName = 'ok.lab.test'; Status = 'NotApplicable' }
        @{ HostName = 'dane-ok.lab.test'; Status = 'Valid' }
        @{ HostName = 'dane-ta.lab.test'; Status = 'Valid' }
        @{ HostName = 'dane-renewed.lab.test'; Status = 'Mismatch' }
        @{ HostName = 'dane-nostarttls.lab.test'; Status = 'NoTls' }
        @{ HostName = 'dane-expired.lab.test'; Status = 'Mismatch' }
        @{ HostName = 'dane-wrongname.lab.test'; Status = 'Mismatch' }
        @{ HostName = 'dane-unsigned.lab.test'; Status = 'NotApplicable' }
        @{ HostName = 'dane-bogus.lab.test'; Status = 'Bogus' }
        @{ HostName = 'dane-usage01.lab.test'; Status = 'Unusable' }
        @{ HostName = 'dane-usage01-nostarttls.lab.test'; Status = 'NoTls' }
    ) {
        $r = Test-ConnectorDelivery -SmartHost $HostName @Common
        $r | Should -HaveCount 1
        $r.DaneStatus | Should -Be $Status
        $r.SmtpDaneMode | Should -Be 'Opportunistic'
        # No record for a host without TLSA, nor from a SERVFAIL (bogus).
        if ($HostName -in 'ok.lab.test', 'dane-bogus.lab.test') { $r.TlsaRecords | Should -BeNullOrEmpty } else { $r.TlsaRecords | Should -Match '^[0-3] [01] [0-2] [0-9a-f]+' }
    }

    It 'names the matching 3 1 1 record, the one computed from the certificate the lab serves' {
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Lab.DaneEeCertificate)
        $sha = [System.Security.Cryptography.SHA256]::Create()
        try { $hash = $sha.ComputeHash($cert.PublicKey.ExportSubjectPublicKeyInfo()) } finally { $sha.Dispose() }
        $expected = '3 1 1 ' + (($hash | ForEach-Object { $_.ToString('x2') }) -join '')
        $r = Test-ConnectorDelivery -SmartHost dane-ok.lab.test @Common
        $r.TlsaMatched | Should -BeExactly $expected
        $r.CertificateThumbprint | Should -Be $cert.Thumbprint
        $r.Status | Should -Be 'Succeeded'
        # The renewed server's record is of the old key: nothing matches, and the served key's record is not it.
        $renewed = Test-ConnectorDelivery -SmartHost dane-renewed.lab.test @Common
        $renewed.TlsaMatched | Should -BeNullOrEmpty
        $renewed.TlsaRecords | Should -Not -Be $expected
    }

    It 'says Unknown through a resolver that never sets AD' {
        $r = Test-ConnectorDelivery -SmartHost dane-ok.lab.test -DnsServer $Lab.DnsServerNoAd -Port $Lab.Port -CertificateAuthority $Lab.CertificateAuthority -TimeoutSec 3
        $r.DaneStatus | Should -Be 'Unknown'
        $r.TlsaRecords | Should -Not -BeNullOrEmpty
        # Matched for information only: the records are not known to be authentic.
        $r.TlsaMatched | Should -Be $r.TlsaRecords
    }

    It 'treats a bogus TLSA answer as a DNS failure without connecting, unless SmtpDaneMode is None' {
        $r = Test-ConnectorDelivery -SmartHost dane-bogus.lab.test @Common
        $r.Code | Should -Be '450 4.4.312'
        $r.IPAddress | Should -BeNullOrEmpty
        $none = Test-ConnectorDelivery -SmartHost dane-bogus.lab.test -SmtpDaneMode None @Common
        $none.DaneStatus | Should -Be 'Bogus'
        $none.IPAddress | Should -Not -BeNullOrEmpty
        $none.SmtpDaneMode | Should -Be 'None'
    }

    It 'binds SmtpDaneMode from piped connectors, defaults to Opportunistic, and refuses an unknown value for that input only' {
        $in = @(
            New-LabConnector 'Mandatory' 'dane-ok.lab.test' -ConnectorType Partner -SmtpDaneMode 'Mandatory'
            New-LabConnector 'Off' 'dane-nostarttls.lab.test' -ConnectorType Partner -SmtpDaneMode 'none'
            New-LabConnector 'Unset' 'dane-ok.lab.test' -ConnectorType Partner -SmtpDaneMode $null
            New-LabConnector 'Bad' 'dane-ok.lab.test' -ConnectorType Partner -SmtpDaneMode 'Strict'
            [pscustomobject]@{ Name = 'Old shape'; SmartHosts = 'dane-ok.lab.test'; UseMXRecord = $false; Enabled = $true }
        )
        $r = $in | Test-ConnectorDelivery @Common -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Connector | Should -Be @('Mandatory', 'Off', 'Unset', 'Old shape')
        $r.SmtpDaneMode | Should -Be @('Mandatory', 'None', 'Opportunistic', 'Opportunistic')
        ($r | Where-Object Connector -eq 'Off').DaneStatus | Should -Be 'NoTls'
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSmtpDaneMode,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be 'Strict'
    }

    It 'completes -SmtpDaneMode with the values Set-OutboundConnector takes' {
        $c = TabExpansion2 -inputScript 'Test-ConnectorDelivery -SmtpDaneMode ' -cursorColumn 37
        $c.CompletionMatches.CompletionText | Should -Be @('Opportunistic', 'Mandatory', 'None')
        (TabExpansion2 -inputScript 'Test-ConnectorDelivery -SmtpDaneMode ma' -cursorColumn 39).CompletionMatches.CompletionText | Should -Be 'Mandatory'
    }

    It 'exports the DANE columns to CSV as plain values' {
        $path = Join-Path ([System.IO.Path]::GetTempPath()) ("mfi-dane-" + [guid]::NewGuid().ToString('N') + '.csv')
        try {
            Test-ConnectorDelivery -SmartHost dane-ok.lab.test, dane-renewed.lab.test, ok.lab.test @Common | Export-Csv -Path $path -NoTypeInformation
            $text = Get-Content -Raw $path
            $text | Should -Not -Match 'System\.'
            $rows = Import-Csv $path
            foreach ($column in 'SmtpDaneMode', 'DaneStatus', 'TlsaRecords', 'TlsaMatched') { $rows[0].PSObject.Properties.Name | Should -Contain $column }
            $rows.DaneStatus | Should -Be @('Valid', 'Mismatch', 'NotApplicable')
            $rows[0].TlsaMatched | Should -Match '^3 1 1 [0-9a-f]{64}$'
        }
        finally { Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue }
    }
}

Describe 'What Microsoft 365 would report for each DANE case, under each SmtpDaneMode' {
    It '<HostName> under <Mode>: <Status> <Code> <Reason>' -ForEach @(
        @{ HostName = 'dane-ok.lab.test'; Mode = 'Opportunistic'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered' }
        @{ HostName = 'dane-ta.lab.test'; Mode = 'Mandatory'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered' }
        @{ HostName = 'dane-renewed.lab.test'; Mode = 'Opportunistic'; Status = 'Failed'; Code = '450 4.7.323'; Reason = 'DaneTlsaMismatch' }
        @{ HostName = 'dane-renewed.lab.test'; Mode = 'Mandatory'; Status = 'Failed'; Code = '450 4.7.323'; Reason = 'DaneTlsaMismatch' }
        @{ HostName = 'dane-renewed.lab.test'; Mode = 'None'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered' }
        @{ HostName = 'dane-nostarttls.lab.test'; Mode = 'Opportunistic'; Status = 'Failed'; Code = '450 4.7.321'; Reason = 'DaneStartTlsNotSupported' }
        @{ HostName = 'dane-nostarttls.lab.test'; Mode = 'None'; Status = 'Warning'; Code = $null; Reason = 'OpportunisticTlsFailed' }
        @{ HostName = 'dane-usage01-nostarttls.lab.test'; Mode = 'Opportunistic'; Status = 'Failed'; Code = '450 4.7.321'; Reason = 'DaneStartTlsNotSupported' }
        @{ HostName = 'dane-expired.lab.test'; Mode = 'Opportunistic'; Status = 'Failed'; Code = '450 4.7.322'; Reason = 'DaneCertificateExpired' }
        @{ HostName = 'dane-wrongname.lab.test'; Mode = 'Opportunistic'; Status = 'Failed'; Code = '450 4.7.325'; Reason = 'DaneCertificateHostMismatch' }
        @{ HostName = 'dane-unsigned.lab.test'; Mode = 'Opportunistic'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered' }
        @{ HostName = 'dane-unsigned.lab.test'; Mode = 'Mandatory'; Status = 'Failed'; Code = $null; Reason = 'DaneNotAvailable' }
        @{ HostName = 'ok.lab.test'; Mode = 'Mandatory'; Status = 'Failed'; Code = $null; Reason = 'DaneNotAvailable' }
        @{ HostName = 'dane-usage01.lab.test'; Mode = 'Opportunistic'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered' }
        @{ HostName = 'dane-bogus.lab.test'; Mode = 'Opportunistic'; Status = 'Failed'; Code = '450 4.4.312'; Reason = 'DnsServerFailure' }
    ) {
        $r = @(Test-ConnectorDelivery -SmartHost $HostName -SmtpDaneMode $Mode @Common)[0]
        $r.Status | Should -Be $Status
        if ($Code) { $r.Code | Should -Be $Code } else { $r.Code | Should -BeNullOrEmpty }
        $r.Reason | Should -Be $Reason
        if ($Status -ne 'Succeeded') { $r.Cause | Should -Match ([regex]::Escape($HostName)) }
    }

    It 'says Unknown through a resolver that never validates: a Warning that names -DnsServer' {
        $args2 = $Common.Clone(); $args2.DnsServer = $Lab.DnsServerNoAd
        $r = Test-ConnectorDelivery -SmartHost dane-renewed.lab.test @args2
        $r.DaneStatus | Should -Be 'Unknown'
        $r.Status | Should -Be 'Warning'
        $r.Reason | Should -Be 'DaneUnverified'
        $r.Fix | Should -Match '-DnsServer'
    }

    It 'keeps the DANE code when the connector also validates certificates (DANE replaces 4.7.320)' {
        $r = Test-ConnectorDelivery -SmartHost dane-renewed.lab.test -TlsSettings DomainValidation -TlsDomain dane-renewed.lab.test @Common
        $r.Code | Should -Be '450 4.7.323'
    }

    It 'alerts on a DANE failure with its Reason and plans the TLSA step for the partner' {
        $r = Test-ConnectorDelivery -SmartHost dane-renewed.lab.test -ConnectorType Partner @Common
        $alert = $r | Get-MailFlowAlert
        $alert.Code | Should -Be '450 4.7.323'
        $alert.Reason | Should -Be 'DaneTlsaMismatch'
        $plan = $r | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue
        $plan.Action | Should -Contain 'PublishTlsaRecord'
        $plan.Responsible | Should -Contain 'Partner'
    }
}

Describe 'The TLSA record to publish after a renewal' {
    It 'prints, for a TLSA mismatch, the 3 1 1 record of the certificate the server serves now, labelled as observed from ProbedFrom' {
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Lab.DaneEeCertificate)
        $sha = [System.Security.Cryptography.SHA256]::Create()
        try { $hash = $sha.ComputeHash($cert.PublicKey.ExportSubjectPublicKeyInfo()) } finally { $sha.Dispose() }
        $expected = '3 1 1 ' + (($hash | ForEach-Object { $_.ToString('x2') }) -join '')

        $r = Test-ConnectorDelivery -SmartHost dane-renewed.lab.test @Common
        $r.CertificateThumbprint | Should -Be $cert.Thumbprint   # the record below is computed from this very certificate
        $r.ObservedTlsaRecord | Should -BeExactly $expected
        $r.TlsaRecords | Should -Not -Match ([regex]::Escape($expected.Substring(6)))

        foreach ($via in @($r), @($r | Get-MailFlowAlert)) {
            $plan = $via | Repair-ConnectorConfig -ConnectorType OnPremises -WhatIf -WarningAction SilentlyContinue
            $step = $plan | Where-Object Action -eq 'PublishTlsaRecord'
            $step | Should -HaveCount 1
            $step.Steps | Should -Match ([regex]::Escape("_25._tcp.dane-renewed.lab.test. IN TLSA $expected"))
            $step.Steps | Should -Match ([regex]::Escape($r.ProbedFrom))
            $step.Steps | Should -Match 'openssl'
            $step.Automatic | Should -BeFalse
        }
        $partner = $r | Repair-ConnectorConfig -ConnectorType Partner -WhatIf -WarningAction SilentlyContinue | Where-Object Action -eq 'PublishTlsaRecord'
        ($partner.Rationale + ' ' + $partner.Steps) | Should -Match ([regex]::Escape($expected))
    }

    It 'never lowers SmtpDaneMode: no automatic step for any DANE failure' {
        $results = 'dane-renewed.lab.test', 'dane-nostarttls.lab.test', 'dane-expired.lab.test', 'dane-wrongname.lab.test' |
            ForEach-Object { Test-ConnectorDelivery -SmartHost $_ @Common }
        $plan = $results | Repair-ConnectorConfig -ConnectorType OnPremises -Decommissioned -AdoptCertificateName -WhatIf -WarningAction SilentlyContinue
        $plan | Where-Object Automatic | Should -BeNullOrEmpty
        $plan.Command | Should -Not -Match 'SmtpDaneMode'
    }
}

Describe 'SmtpDaneMode Mandatory toward a destination without usable DANE' {
    It 'fails a host without DANE, with no code, and moves on to the next MX that has it' {
        $r = @(Test-ConnectorDelivery -Domain dane-mixed.lab.test -SmtpDaneMode Mandatory @Common)
        $r | Should -HaveCount 2
        $r[0].DestinationServer | Should -Be 'ok.lab.test'
        $r[0].Status | Should -Be 'Failed'
        $r[0].Reason | Should -Be 'DaneNotAvailable'
        $r[0].Code | Should -BeNullOrEmpty
        $r[0].FailoverServer | Should -Match 'dane-ok\.lab\.test'
        $r[1].DestinationServer | Should -Be 'dane-ok.lab.test'
        $r[1].Status | Should -Be 'Succeeded'
        $r.TargetStatus | Sort-Object -Unique | Should -Be 'Succeeded'
    }

    It 'gives an alert keyed by its Reason, which survives a CSV, and a plan with the partner''s step' {
        $connector = New-LabConnector 'To partner' -SmartHosts 'dane-unsigned.lab.test' -Type Partner -SmtpDaneMode Mandatory
        $r = $connector | Test-ConnectorDelivery @Common
        $r.Status | Should -Be 'Failed'
        $r.TargetStatus | Should -Be 'Failed'
        $alert = @($r | Get-MailFlowAlert)
        $alert | Should -HaveCount 1
        $alert[0].Code | Should -BeNullOrEmpty
        $alert[0].Reason | Should -Be 'DaneNotAvailable'
        $alert[0].Connector | Should -Be 'To partner'
        $path = Join-Path ([IO.Path]::GetTempPath()) "mfi-dane-$([guid]::NewGuid()).csv"
        try {
            $alert | Export-Csv $path -NoTypeInformation
            $back = @(Import-Csv $path | Get-MailFlowAlert -ErrorAction Stop)
            $back | Should -HaveCount 1
            $back[0].Reason | Should -Be 'DaneNotAvailable'
        }
        finally { Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue }
        $plan = @($alert | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue)
        $plan | Should -HaveCount 1
        $plan[0].Action | Should -Be 'PublishTlsaRecord'
        $plan[0].Status | Should -Be 'Manual'
        $plan[0].Steps | Should -Match 'partner'
        $plan[0].Steps | Should -Match 'dane-unsigned\.lab\.test'
    }
}
