# A connector as Exchange Online takes it: its smart hosts together, wildcard recipient domains, and whose server it is.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:Common = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; TimeoutSec = 2 }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
}

Describe 'A connector is one target' {
    It 'fails over from a refusing smart host to a healthy one: Failed, TargetStatus Succeeded, FailoverServer, a Low alert' {
        $c = New-LabConnector 'Two hosts' -SmartHosts 'refused.lab.test', 'ok.lab.test'
        $r = @($c | Test-ConnectorDelivery @Common)
        $r | Should -HaveCount 2
        $r[0].DestinationServer | Should -Be 'refused.lab.test'
        $r[0].Status | Should -Be 'Failed'
        $r[0].TargetStatus | Should -Be 'Succeeded'
        $r[0].FailoverServer | Should -Match '^ok\.lab\.test'
        $r[1].Status | Should -Be 'Succeeded'
        $alert = @($r | Get-MailFlowAlert)
        $alert | Should -HaveCount 1
        $alert[0].Severity | Should -Be 'Low'
        $alert[0].FailoverServer | Should -Match '^ok\.lab\.test'
    }

    It 'probes every smart host, as Exchange Online spreads mail over them: a healthy first host does not hide a refusing second one' {
        $c = New-LabConnector 'Healthy first' -SmartHosts 'ok.lab.test', 'refused.lab.test'
        $r = @($c | Test-ConnectorDelivery @Common)
        $r | Should -HaveCount 2
        ($r | Where-Object DestinationServer -eq 'refused.lab.test').FailoverServer | Should -Match '^ok\.lab\.test'
        $r.TargetStatus | Sort-Object -Unique | Should -Be 'Succeeded'
    }

    It 'writes one bool per connector with -Quiet: $true when one host takes the session, $false when none does, and the README gate fires' {
        @(New-LabConnector 'Two hosts' -SmartHosts 'refused.lab.test', 'ok.lab.test' | Test-ConnectorDelivery @Common -Quiet) | Should -Be @($true)
        $both = New-LabConnector 'Both refuse' -SmartHosts 'refused.lab.test', $Lab.Hosts.'refused.lab.test'
        @($both | Test-ConnectorDelivery @Common -Quiet) | Should -Be @($false)
        $fired = $false
        if (-not ($both | Test-ConnectorDelivery @Common -Quiet)) { $fired = $true }
        $fired | Should -BeTrue
    }

    It 'writes one bool per value given as a parameter' {
        @(Test-ConnectorDelivery -SmartHost 'refused.lab.test', 'ok.lab.test' @Common -Quiet) | Should -Be @($false, $true)
    }
}

Describe 'Wildcard recipient domains' {
    It 'probes *.partner.lab.test by the MX of partner.lab.test and says its subdomains were not probed' {
        $c = New-LabConnector 'Wild' -UseMX $true -Domains '*.partner.lab.test' -Type Partner
        $r = @($c | Test-ConnectorDelivery @Common)
        $r[0].Target | Should -Be '*.partner.lab.test'
        $r[0].DestinationServer | Should -Be 'ok.lab.test'
        $r[0].Status | Should -Not -Be 'NotTested'
        $r[0].Detail | Should -Match 'subdomains'
    }

    It 'leaves * alone NotTested' {
        $r = New-LabConnector 'Everything' -UseMX $true -Domains '*' | Test-ConnectorDelivery @Common
        $r.Status | Should -Be 'NotTested'
        $r.Reason | Should -Be 'WildcardDomain'
    }
}

Describe 'Whose server it is' {
    It 'makes a connector for every domain the admin''s, and says to act through the cloud gateway its host belongs to' {
        $c = New-LabConnector 'To gateway' -SmartHosts 'eu-smtp.lab-test.mimecast.com' -Type Partner -Domains '*'
        $r = $c | Test-ConnectorDelivery @Common
        $r.Code | Should -Be '450 4.4.316'
        $r.Responsible | Should -Be 'Admin'
        $r.Fix | Should -Match 'Mimecast'
        $r.Fix | Should -Not -Match 'nothing to change'
    }

    It 'keeps a connector for named domains the partner''s, even when its host is a cloud gateway' {
        $c = New-LabConnector 'To partner' -SmartHosts 'eu-smtp.lab-test.mimecast.com' -Type Partner -Domains 'fabrikam.com'
        $r = $c | Test-ConnectorDelivery @Common
        $r.Responsible | Should -Be 'Partner'
        $r.Fix | Should -Not -Match 'cloud gateway'
    }
}
