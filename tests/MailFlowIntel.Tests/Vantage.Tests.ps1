# What a probe from this computer can and cannot tell (DESIGN.md 2c), through the shipped module and the lab.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:Common = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; TimeoutSec = 2 }
}

AfterAll {
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
}

Describe 'The egress check: this computer''s own way out before a server is blamed' {
    It 'makes every never-answering target NotTested (ProbeSideFault) with one warning naming the port, when the check host does not answer either' {
        $targets = 'blackhole.lab.test', 'hairpin.lab.test', 'blackhole.lab.test'
        $r = @(Test-ConnectorDelivery -SmartHost $targets @Common -EgressCheckHost $Lab.Hosts.'blackhole.lab.test' -ThrottleLimit 3 -WarningVariable warnings -WarningAction SilentlyContinue)
        $r | Should -HaveCount 3
        $r.Status | Sort-Object -Unique | Should -Be 'NotTested'
        $r.Reason | Sort-Object -Unique | Should -Be 'ProbeSideFault'
        $r.EgressCheck | Sort-Object -Unique | Should -Be 'Failed'
        $r | Where-Object Code -eq '450 4.4.315' | Should -BeNullOrEmpty
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -Match "TCP port $($Lab.Port)"
    }

    It 'gives 450 4.4.315 as before when the check host answers' {
        $r = @(Test-ConnectorDelivery -SmartHost blackhole.lab.test @Common -EgressCheckHost ok.lab.test -WarningVariable warnings -WarningAction SilentlyContinue)
        $r.Code | Should -Be '450 4.4.315'
        $r.EgressCheck | Should -Be 'Passed'
        $warnings | Should -HaveCount 0
    }

    It 'warns, without a check host, when every target failed at connect' {
        $r = @(Test-ConnectorDelivery -SmartHost refused.lab.test, blackhole.lab.test @Common -WarningVariable warnings -WarningAction SilentlyContinue)
        $r.EgressCheck | Sort-Object -Unique | Should -Be 'NotRun'
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -Match '-EgressCheckHost'
    }

    It 'refuses a check host that is neither a name nor an address' {
        { Test-ConnectorDelivery -SmartHost ok.lab.test @Common -EgressCheckHost 'not a host!' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidEgressCheckHost,MailFlowIntel.Commands.TestConnectorDeliveryCommand'
    }
}

Describe 'DNS as Microsoft 365 sees it (-PublicDnsServer)' {
    It 'goes where public DNS leads and says Split when this computer''s DNS answers otherwise' {
        $r = Test-ConnectorDelivery -SmartHost split.lab.test -Port $Lab.Port -DnsServer $Lab.DnsServerInside -PublicDnsServer $Lab.DnsServer -CertificateAuthority $Lab.CertificateAuthority -TimeoutSec 2
        $r.DnsView | Should -Be 'Split'
        $r.Reason | Should -Be 'SplitDns'
        $r.IPAddress | Should -Be $Lab.Hosts.'ok.lab.test'
        $r.PublicAddress | Should -Be $Lab.Hosts.'ok.lab.test'
        ($r | ConvertTo-Csv -NoTypeInformation)[0] | Should -Match '"DnsView".*"PublicAddress"'
    }

    It 'says a public address that does not answer from inside, while the inside one does, is hairpin: NotTested, no code' {
        $r = Test-ConnectorDelivery -SmartHost hairpin.lab.test -Port $Lab.Port -DnsServer $Lab.DnsServerInside -PublicDnsServer $Lab.DnsServer -TimeoutSec 2
        $r.Status | Should -Be 'NotTested'
        $r.Reason | Should -Be 'HairpinUnreachable'
        $r.Code | Should -BeNullOrEmpty
    }

    It 'says DnsView Private for a private answer and asks no other DNS server (in a network namespace of its own)' {
        if (-not (Get-Command unshare -ErrorAction SilentlyContinue) -or ((id -u) -ne '0')) {
            if ($env:CI -eq 'true') { throw 'This test needs root and unshare (util-linux) to make a network namespace.' }
            Set-ItResult -Skipped -Because 'it needs root and unshare (util-linux: apt-get install -y util-linux) for a network namespace'
            return
        }
        # In a namespace of its own, the lab binds the inside view's private address on its own loopback: the probe reaches
        # 10.0.0.5 there and nowhere else. The public-DNS server of the lab must get no query.
        $child = Join-Path ([IO.Path]::GetTempPath()) "mfi-netns-$([guid]::NewGuid()).ps1"
        @'
param($Module, $LabPsm, $LabDll)
$ErrorActionPreference = 'Stop'
Import-Module $Module
Import-Module $LabPsm
$lab = Start-MailFlowLab -LabDll $LabDll
try {
    $before = Get-MailFlowLabDnsCount $lab
    $r = Test-ConnectorDelivery -SmartHost split.lab.test -Port $lab.Port -DnsServer $lab.DnsServerInside -CertificateAuthority $lab.CertificateAuthority -TimeoutSec 3 -WarningAction SilentlyContinue
    $after = Get-MailFlowLabDnsCount $lab
    [pscustomobject]@{ DnsView = "$($r.DnsView)"; Reason = "$($r.Reason)"; Status = "$($r.Status)"; IPAddress = $r.IPAddress; Detail = $r.Detail
        PublicQueries = $after.Dns - $before.Dns; InsideQueries = $after.DnsInside - $before.DnsInside } | ConvertTo-Json -Compress
}
finally { Stop-MailFlowLab $lab }
'@ | Set-Content -LiteralPath $child
        try {
            $labPsm = Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1'
            $out = unshare -n sh -c "ip link set lo up && ip addr add 10.0.0.5/32 dev lo && exec dotnet pwsh -NoProfile -NonInteractive -File '$child' '$($env:MFI_MODULE)' '$labPsm' '$($env:MFI_LAB)'" 2>&1
            $json = @($out | Where-Object { "$_".StartsWith('{') })[-1]
            $json | Should -Not -BeNullOrEmpty -Because ($out -join "`n")
            $seen = $json | ConvertFrom-Json
            $seen.IPAddress | Should -Be '10.0.0.5'
            $seen.DnsView | Should -Be 'Private'
            $seen.Reason | Should -Be 'PrivateAddress'
            $seen.Status | Should -Be 'Warning'
            $seen.Detail | Should -Match '-PublicDnsServer'
            $seen.PublicQueries | Should -Be 0
            $seen.InsideQueries | Should -BeGreaterThan 0
        }
        finally { Remove-Item -LiteralPath $child -ErrorAction SilentlyContinue }
    }
}
