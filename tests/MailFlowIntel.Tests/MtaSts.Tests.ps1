# MTA-STS through the shipped module, with the in-process lab as the far end: its DNS serves the _mta-sts TXT records, and
# an HTTPS server on loopback serves the policies of mta-sts.<domain> (on -MtaStsPort: a lab cannot listen on 443).
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:Common = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; MtaStsPort = $Lab.MtaStsPort; TimeoutSec = 3 }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
}

Describe 'What Microsoft 365 would report for each MTA-STS case, under each MtaStsMode' {
    It '<Target> under <Mode>: <Status> <Code> <Reason>, MtaStsStatus <Sts>' -ForEach @(
        @{ Target = 'sts-enforce.lab.test'; Kind = 'Domain'; Mode = 'Opportunistic'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered'; Sts = 'Valid' }
        @{ Target = 'sts-enforce.lab.test'; Kind = 'Domain'; Mode = 'None'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered'; Sts = 'Valid' }
        @{ Target = 'sts-wild.lab.test'; Kind = 'Domain'; Mode = 'Opportunistic'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered'; Sts = 'Valid' }
        @{ Target = 'sts-mismatch.lab.test'; Kind = 'Domain'; Mode = 'Opportunistic'; Status = 'Failed'; Code = '450 4.4.8'; Reason = 'MtaStsMxMismatch'; Sts = 'MxMismatch' }
        @{ Target = 'sts-mismatch.lab.test'; Kind = 'Domain'; Mode = 'None'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered'; Sts = 'MxMismatch' }
        @{ Target = 'sts-testing.lab.test'; Kind = 'Domain'; Mode = 'Opportunistic'; Status = 'Warning'; Code = $null; Reason = 'MtaStsTesting'; Sts = 'MxMismatch' }
        @{ Target = 'sts-testing.lab.test'; Kind = 'Domain'; Mode = 'None'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered'; Sts = 'MxMismatch' }
        @{ Target = 'sts-unreachable.lab.test'; Kind = 'Domain'; Mode = 'Opportunistic'; Status = 'Warning'; Code = $null; Reason = 'MtaStsPolicyUnreachable'; Sts = 'PolicyUnreachable' }
        @{ Target = 'sts-unreachable.lab.test'; Kind = 'Domain'; Mode = 'None'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered'; Sts = 'PolicyUnreachable' }
        @{ Target = 'sts-redirect.lab.test'; Kind = 'Domain'; Mode = 'Opportunistic'; Status = 'Warning'; Code = $null; Reason = 'MtaStsPolicyUnreachable'; Sts = 'PolicyUnreachable' }
        @{ Target = 'sts-oversized.lab.test'; Kind = 'Domain'; Mode = 'Opportunistic'; Status = 'Warning'; Code = $null; Reason = 'MtaStsPolicyUnreachable'; Sts = 'PolicyUnreachable' }
        @{ Target = 'sts-badcert.lab.test'; Kind = 'Domain'; Mode = 'Opportunistic'; Status = 'Warning'; Code = $null; Reason = 'MtaStsPolicyUnreachable'; Sts = 'PolicyUnreachable' }
        @{ Target = 'sts-certfail.lab.test'; Kind = 'Domain'; Mode = 'Opportunistic'; Status = 'Failed'; Code = '450 4.7.5'; Reason = 'MtaStsCertificateInvalid'; Sts = 'CertificateInvalid' }
        @{ Target = 'sts-none.lab.test'; Kind = 'Domain'; Mode = 'Opportunistic'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered'; Sts = 'MxMismatch' }
        @{ Target = 'ok.lab.test'; Kind = 'SmartHost'; Mode = 'Opportunistic'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered'; Sts = 'NoPolicy' }
        # Smart hosts: checked against their own domain's policy (sts-relay.lab.test), which lists only smtp.sts-relay.lab.test.
        @{ Target = 'smtp.sts-relay.lab.test'; Kind = 'SmartHost'; Mode = 'Opportunistic'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered'; Sts = 'Valid' }
        @{ Target = 'other.sts-relay.lab.test'; Kind = 'SmartHost'; Mode = 'Opportunistic'; Status = 'Failed'; Code = '450 4.4.8'; Reason = 'MtaStsMxMismatch'; Sts = 'MxMismatch' }
        @{ Target = 'other.sts-relay.lab.test'; Kind = 'SmartHost'; Mode = 'None'; Status = 'Succeeded'; Code = $null; Reason = 'Delivered'; Sts = 'MxMismatch' }
    ) {
        $target = if ($Kind -eq 'Domain') { @{ Domain = $Target } } else { @{ SmartHost = $Target } }
        $r = @(Test-ConnectorDelivery @target -MtaStsMode $Mode @Common)
        $r | Should -HaveCount 1
        $r = $r[0]
        $r.Status | Should -Be $Status
        if ($Code) { $r.Code | Should -Be $Code } else { $r.Code | Should -BeNullOrEmpty }
        $r.Reason | Should -Be $Reason
        $r.MtaStsStatus | Should -Be $Sts
        $r.MtaStsMode | Should -Be $Mode
        if ($Sts -ne 'NoPolicy') { $r.MtaStsPolicyId | Should -Be $Lab.MtaStsId }
        if ($Status -ne 'Succeeded' -and $Reason -like 'MtaSts*') { $r.Cause | Should -Match 'MTA-STS' }
    }

    It 'checks a smart host against its own domain''s policy, not one of its own name' {
        $r = Test-ConnectorDelivery -SmartHost smtp.sts-relay.lab.test, other.sts-relay.lab.test @Common
        $r.MtaStsPolicyDomain | Should -Be @('sts-relay.lab.test', 'sts-relay.lab.test')
        $r.MtaStsPolicyMode | Should -Be @('enforce', 'enforce')
        # The unlisted smart host is not connected to, as Exchange Online would not connect to it.
        $r[1].IPAddress | Should -BeNullOrEmpty
        $r[1].Cause | Should -Match 'sts-relay\.lab\.test'
    }

    It 'skips an unlisted MX among listed ones: a Warning without connecting, and delivery through the listed one' {
        $r = Test-ConnectorDelivery -Domain sts-partial.lab.test @Common
        $r | Should -HaveCount 2
        $r[0].DestinationServer | Should -Be 'mx1.sts-partial.lab.test'
        $r[0].Status | Should -Be 'Warning'
        $r[0].Reason | Should -Be 'MtaStsMxNotListed'
        $r[0].MtaStsStatus | Should -Be 'MxMismatch'
        $r[0].IPAddress | Should -BeNullOrEmpty
        $r[1].DestinationServer | Should -Be 'mx2.sts-partial.lab.test'
        $r[1].Status | Should -Be 'Succeeded'
        $r.TargetStatus | Should -Be @('Succeeded', 'Succeeded')
    }

    It 'lets DANE decide where both apply, and MTA-STS when the connector checks no DANE' {
        $r = Test-ConnectorDelivery -Domain sts-dane.lab.test @Common
        $r.Code | Should -Be '450 4.7.323'
        $r.Reason | Should -Be 'DaneTlsaMismatch'
        $r.DaneStatus | Should -Be 'Mismatch'
        $r.MtaStsStatus | Should -Be 'MxMismatch'
        $noDane = Test-ConnectorDelivery -Domain sts-dane.lab.test -SmtpDaneMode None @Common
        $noDane.Code | Should -Be '450 4.4.8'
        $noDane.Reason | Should -Be 'MtaStsMxMismatch'
    }

    It 'says why a policy could not be fetched, and that Exchange Online may keep a cached policy' {
        (Test-ConnectorDelivery -Domain sts-redirect.lab.test @Common).Detail | Should -Match 'HTTP 301.*not follow'
        (Test-ConnectorDelivery -Domain sts-oversized.lab.test @Common).Detail | Should -Match 'larger than 64 KB'
        (Test-ConnectorDelivery -Domain sts-badcert.lab.test @Common).Detail | Should -Match 'SubjectMismatch'
        $ok = Test-ConnectorDelivery -Domain sts-enforce.lab.test @Common
        $ok.MtaStsMaxAge | Should -Be 604800
        $ok.Detail | Should -Match 'max_age \(604800 s\)'
        $ok.Detail | Should -Match ([regex]::Escape("_mta-sts.sts-enforce.lab.test (now $($Lab.MtaStsId))"))
    }

    It 'binds MtaStsMode from piped connectors, defaults to Opportunistic, and refuses an unknown value for that input only' {
        $in = @(
            New-LabConnector 'Off' 'other.sts-relay.lab.test' -ConnectorType Partner -SmtpDaneMode $null -MtaStsMode 'none'
            New-LabConnector 'Unset' 'other.sts-relay.lab.test' -ConnectorType Partner -SmtpDaneMode $null -MtaStsMode $null
            New-LabConnector 'Bad' 'other.sts-relay.lab.test' -ConnectorType Partner -SmtpDaneMode $null -MtaStsMode 'Mandatory'
            [pscustomobject]@{ Name = 'Old shape'; SmartHosts = 'other.sts-relay.lab.test'; UseMXRecord = $false; Enabled = $true }
        )
        $r = $in | Test-ConnectorDelivery @Common -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Connector | Should -Be @('Off', 'Unset', 'Old shape')
        $r.MtaStsMode | Should -Be @('None', 'Opportunistic', 'Opportunistic')
        $r.Status | Should -Be @('Succeeded', 'Failed', 'Failed')
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMtaStsMode,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be 'Mandatory'
    }

    It 'completes -MtaStsMode with the values Set-OutboundConnector takes' {
        $c = TabExpansion2 -inputScript 'Test-ConnectorDelivery -MtaStsMode ' -cursorColumn 35
        $c.CompletionMatches.CompletionText | Should -Be @('Opportunistic', 'None')
        (TabExpansion2 -inputScript 'Test-ConnectorDelivery -MtaStsMode n' -cursorColumn 36).CompletionMatches.CompletionText | Should -Be 'None'
    }

    It 'exports the MTA-STS columns to CSV as plain values' {
        $path = Join-Path ([System.IO.Path]::GetTempPath()) ("mfi-sts-" + [guid]::NewGuid().ToString('N') + '.csv')
        try {
            Test-ConnectorDelivery -Domain sts-enforce.lab.test, sts-mismatch.lab.test, sts-unreachable.lab.test @Common | Export-Csv -Path $path -NoTypeInformation
            $text = Get-Content -Raw $path
            $text | Should -Not -Match 'System\.'
            $rows = Import-Csv $path
            foreach ($column in 'MtaStsMode', 'MtaStsStatus', 'MtaStsPolicyDomain', 'MtaStsPolicyMode', 'MtaStsPolicyId', 'MtaStsMaxAge') {
                $rows[0].PSObject.Properties.Name | Should -Contain $column
            }
            $rows.MtaStsStatus | Should -Be @('Valid', 'MxMismatch', 'PolicyUnreachable')
            $rows.MtaStsPolicyMode | Should -Be @('enforce', 'enforce', 'absent')
            $rows.MtaStsMaxAge | Should -Be @('604800', '604800', '')
        }
        finally { Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue }
    }
}

Describe 'The mx: line to publish for a 4.4.8' {
    It 'prints, for <Who>, the mx: line that matches the probed host and the advice to change the TXT id' -ForEach @(
        # A recipient domain by MX: the partner's policy.
        @{ Who = 'the partner'; Probe = @{ Domain = 'sts-mismatch.lab.test' }; MxHost = 'mx.sts-mismatch.lab.test'; PolicyDomain = 'sts-mismatch.lab.test'; Responsible = 'Partner' }
        # The admin's own smart host, checked against its own domain's policy.
        @{ Who = 'the admin'; Probe = @{ SmartHost = 'other.sts-relay.lab.test'; ConnectorType = 'OnPremises' }; MxHost = 'other.sts-relay.lab.test'; PolicyDomain = 'sts-relay.lab.test'; Responsible = 'Admin' }
    ) {
        $r = Test-ConnectorDelivery @Probe @Common
        $r.Code | Should -Be '450 4.4.8'
        foreach ($via in @($r), @($r | Get-MailFlowAlert)) {
            $via[0].MtaStsPolicyDomain | Should -Be $PolicyDomain
            $via[0].MtaStsPolicyId | Should -Be $Lab.MtaStsId
            $plan = $via | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue
            $step = $plan | Where-Object Action -eq 'FixMtaStsPolicy'
            $step | Should -HaveCount 1
            $step.Responsible | Should -Be $Responsible
            $step.Automatic | Should -BeFalse
            $text = "$($step.Rationale) $($step.Steps)"
            $text | Should -Match ([regex]::Escape("mx: $MxHost"))
            $text | Should -Match ([regex]::Escape("mx: *.$PolicyDomain"))
            $text | Should -Match ([regex]::Escape("_mta-sts.$PolicyDomain. IN TXT"))
            $text | Should -Match 'v=STSv1; id=\d{14}Z'
            $text | Should -Match ([regex]::Escape("it is $($Lab.MtaStsId) now"))
            if ($Responsible -eq 'Admin') { $text | Should -Match ([regex]::Escape("https://mta-sts.$PolicyDomain/.well-known/mta-sts.txt")) }
        }
    }

    It 'never lowers MtaStsMode: no automatic step for any MTA-STS failure' {
        $results = @(Test-ConnectorDelivery -Domain sts-mismatch.lab.test, sts-certfail.lab.test @Common)
        $results.Code | Should -Be @('450 4.4.8', '450 4.7.5')
        $plan = $results | Repair-ConnectorConfig -ConnectorType OnPremises -Decommissioned -AdoptCertificateName -WhatIf -WarningAction SilentlyContinue
        $plan | Where-Object Automatic | Should -BeNullOrEmpty
        $plan.Command | Should -Not -Match 'MtaStsMode'
    }
}

Describe 'A policy in testing mode names the code enforce mode would give' {
    It 'says 450 4.4.8 for an MX the testing policy does not list, in ForecastCode and in the Cause' {
        $r = Test-ConnectorDelivery -Domain sts-testing.lab.test @Common
        $r.Reason | Should -Be 'MtaStsTesting'
        $r.Status | Should -Be 'Warning'
        $r.Code | Should -BeNullOrEmpty
        $r.ForecastCode | Should -Be '450 4.4.8'
        $r.Cause | Should -Match '450 4\.4\.8'
    }
}
