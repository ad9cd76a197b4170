# Exchange Server evidence keeps Exchange Server's words (issue 18 item 7), through the built module: a stand-in Get-Queue
# row piped to Get-MailFlowAlert, then to Repair-ConnectorConfig with stand-ins for the Exchange Online cmdlets (functions
# of the same names in a module imported like Connect-ExchangeOnline's, recording every call); and a baseline written
# before this change.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    $script:Now = [datetime]::UtcNow
    $script:SendConnector = '0c4f3d6a-8b2e-4f1a-9d7c-5e6b8a9f0d12'

    # Exchange Server's Get-Queue: the hybrid send connector's queue toward Exchange Online, timing out.
    function Get-StandInQueue {
        [pscustomobject]@{ Identity = 'EX01\12'; DeliveryType = 'SmartHostConnectorDelivery'; NextHopDomain = 'contoso.mail.protection.outlook.com'
            NextHopConnector = $SendConnector; Status = 'Retry'; MessageCount = 40
            LastError = '441 4.4.1 Error encountered while communicating with primary target IP address: "Failed to connect. Winsock error code: 10060, Win32 error code: 10060." Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 203.0.113.10:25'
            FirstRetryTime = $Now.AddHours(-3); LastRetryTime = $Now.AddMinutes(-5); NextRetryTime = $Now.AddMinutes(5) }
    }

    $script:StandIn = {
        function Get-OutboundConnector {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:ExoCalls.Add("Get-OutboundConnector $Identity")
            $global:Connectors | Where-Object { -not $Identity -or $_.Identity -eq $Identity } | ForEach-Object { [pscustomobject]$_ }
        }
        function Set-OutboundConnector {
            [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
            param([Parameter(Mandatory, Position = 0)] [string] $Identity, [bool] $Enabled, [string] $TlsDomain)
            $global:ExoCalls.Add("Set-OutboundConnector $Identity")
        }
        function Get-AcceptedDomain {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:ExoCalls.Add("Get-AcceptedDomain $Identity")
            [pscustomobject]@{ Identity = 'contoso.com'; Name = 'contoso.com'; DomainName = 'contoso.com'; DomainType = 'InternalRelay'; InitialDomain = $false }
        }
        function Set-AcceptedDomain {
            [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
            param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string] $DomainType)
            $global:ExoCalls.Add("Set-AcceptedDomain $Identity")
        }
        function Validate-OutboundConnector {
            [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
            param([Parameter(Mandatory)] [string] $Identity, [Parameter(Mandatory)] [string[]] $Recipients)
            $global:ExoCalls.Add("Validate-OutboundConnector $Identity")
        }
        Export-ModuleMember -Function *
    }
    $global:Connectors = @(@{ Identity = 'Outbound to on-premises'; Name = 'Outbound to on-premises'; ConnectorType = 'OnPremises'; Enabled = $true
        UseMXRecord = $false; SmartHosts = @('mail.contoso.com'); RecipientDomains = @('contoso.com'); TlsSettings = $null; TlsDomain = $null })
    $name = 'tmpEXO_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $dir = New-Item -ItemType Directory (Join-Path $TestDrive $name) -Force
    Set-Content (Join-Path $dir "$name.psm1") -Value $StandIn.ToString()
    Import-Module (Join-Path $dir "$name.psm1") -Global -Force -DisableNameChecking
}

AfterAll {
    Get-Module tmpEXO_* | Remove-Module -Force
    Remove-Variable ExoCalls, Connectors -Scope Global -ErrorAction SilentlyContinue
}

Describe 'A Get-Queue row toward Exchange Online that times out' {
    BeforeEach { $global:ExoCalls = [System.Collections.Generic.List[string]]::new() }

    It 'gives an alert in Exchange Server''s words: its own code, the scenario, a fix on the on-premises side' {
        $a = Get-StandInQueue | Get-MailFlowAlert
        $a | Should -HaveCount 1
        "$($a.ObservedFrom)" | Should -Be 'ExchangeServer'
        $a.Code | Should -Be '441 4.4.1'
        $a.EnhancedStatusCode | Should -Be '4.4.1'
        $a.Reason | Should -Be 'ConnectTimedOut'
        $a.Title | Should -Be 'Connection timed out'
        $a.RawCode | Should -BeNullOrEmpty
        $a.Connector | Should -Be $SendConnector
        $a.Fix | Should -Match 'the Exchange server''s network'
        $a.Fix | Should -Match 'Test-NetConnection -ComputerName contoso\.mail\.protection\.outlook\.com -Port 25'
        "$($a.Cause) $($a.Fix)" | Should -Not -Match 'Microsoft 365'
    }

    It 'is planned by Repair-ConnectorConfig -WhatIf on the on-premises side, with no Exchange Online change, even with -Decommissioned' {
        $actions = @(Get-StandInQueue | Get-MailFlowAlert | Repair-ConnectorConfig -Decommissioned -WhatIf -WarningAction SilentlyContinue)
        $actions | Should -HaveCount 1
        $actions[0].Action | Should -Be 'CheckSendingServer'
        "$($actions[0].Status)" | Should -Be 'Manual'
        $actions[0].Automatic | Should -BeFalse
        $actions[0].Code | Should -Be '441 4.4.1'
        $actions[0].Steps | Should -Match '-Decommissioned disables an Exchange Online connector'
        $actions[0].Steps | Should -Match ([regex]::Escape("Get-SendConnector -Identity '$SendConnector'"))
        "$($actions[0].Steps) $($actions[0].Command)" | Should -Not -Match 'Set-OutboundConnector|Set-AcceptedDomain'
        # Nothing asked of Exchange Online at all: the queue's next hop is an Exchange Server send connector.
        $global:ExoCalls | Should -BeNullOrEmpty

        # The stand-in session is there: a refusal of Microsoft 365's own connector is read from it.
        $null = Repair-ConnectorConfig -Connector 'Outbound to on-premises' -Code '450 4.4.316' -WhatIf -WarningAction SilentlyContinue
        $global:ExoCalls | Should -Contain 'Get-OutboundConnector Outbound to on-premises'
    }

    It 'is planned the same from an alert read back from CSV (ObservedFrom as text) and from Clixml' {
        $csv = Join-Path $TestDrive 'queue-alerts.csv'
        Get-StandInQueue | Get-MailFlowAlert | Export-Csv $csv -NoTypeInformation
        $fromCsv = @(Import-Csv $csv | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue)
        $xml = Join-Path $TestDrive 'queue-alerts.xml'
        Get-StandInQueue | Get-MailFlowAlert | Export-Clixml $xml
        $fromXml = @(Import-Clixml $xml | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue)
        foreach ($a in $fromCsv + $fromXml) { $a.Action | Should -Be 'CheckSendingServer' }
        $global:ExoCalls | Should -BeNullOrEmpty
    }

    It 'compares with a baseline written before this change as Ongoing, never New or Resolved' {
        # The alert as the version before wrote it: Microsoft 365's code for the family, the server's own in RawCode.
        $old = Get-StandInQueue | Get-MailFlowAlert
        $old.Code = '450 4.4.315'
        $old.EnhancedStatusCode = '4.4.315'
        $old.RawCode = '441 4.4.1'
        $path = Join-Path $TestDrive 'old-baseline.xml'
        $old | Export-Clixml $path
        $now = @(Get-StandInQueue | Get-MailFlowAlert -BaselinePath $path)
        $now | Should -HaveCount 1
        "$($now[0].Change)" | Should -Be 'Ongoing'
        $now[0].Code | Should -Be '441 4.4.1'
    }
}

Describe 'The next hop''s GUID named by Get-SendConnector, where the Exchange Management Shell offers it' {
    BeforeAll {
        # Stand-in for Exchange Server's Get-SendConnector: knows one connector, records every call.
        function global:Get-SendConnector {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:SendConnectorCalls.Add($Identity)
            if ($Identity -ne $SendConnector) { Write-Error "The operation couldn't be performed because object '$Identity' couldn't be found." -Category ObjectNotFound; return }
            [pscustomobject]@{ Identity = 'Outbound to Office 365 - 7f3b'; Name = 'Outbound to Office 365 - 7f3b'; Guid = [guid]$SendConnector }
        }
        function Get-NamedQueues {
            Get-StandInQueue
            $q = Get-StandInQueue; $q.Identity = 'EX02\7'; $q
        }
    }
    AfterAll { Remove-Item function:Get-SendConnector -ErrorAction SilentlyContinue }
    BeforeEach { $global:SendConnectorCalls = [System.Collections.Generic.List[string]]::new() }

    It 'shows the send connector''s name, keeps the GUID in SendConnectorId, and asks once per GUID' {
        $a = @(Get-NamedQueues | Get-MailFlowAlert)
        $a | Should -HaveCount 1
        $a[0].Connector | Should -Be 'Outbound to Office 365 - 7f3b'
        $a[0].SendConnectorId | Should -Be $SendConnector
        $a[0].MessageCount | Should -Be 80
        @($global:SendConnectorCalls) | Should -Be @($SendConnector)
    }

    It 'keeps the GUID, with no error, for a connector Get-SendConnector does not find' {
        $q = Get-StandInQueue; $q.NextHopConnector = '11111111-2222-3333-4444-555555555555'
        $a = $q | Get-MailFlowAlert -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $a.Connector | Should -Be '11111111-2222-3333-4444-555555555555'
        $a.SendConnectorId | Should -BeNullOrEmpty
        @($global:SendConnectorCalls) | Should -Be @('11111111-2222-3333-4444-555555555555')
    }

    It 'picks the alert by either the name or the GUID with -Connector' {
        @(Get-NamedQueues | Get-MailFlowAlert -Connector 'Outbound to Office 365*') | Should -HaveCount 1
        @(Get-NamedQueues | Get-MailFlowAlert -Connector $SendConnector) | Should -HaveCount 1
        @(Get-NamedQueues | Get-MailFlowAlert -Connector 'Other*') | Should -HaveCount 0
    }

    It 'compares Ongoing with a baseline named by GUID (a run without Get-SendConnector), and the reverse, through CSV' {
        $byGuid = Join-Path $TestDrive 'by-guid.csv'
        $byName = Join-Path $TestDrive 'by-name.csv'
        Get-NamedQueues | Get-MailFlowAlert | Export-Csv $byName -NoTypeInformation
        Remove-Item function:Get-SendConnector
        try {
            Get-NamedQueues | Get-MailFlowAlert | Export-Csv $byGuid -NoTypeInformation
            (Import-Csv $byGuid).Connector | Should -Be $SendConnector
            # A run that cannot name it, against a baseline that did: the same alert.
            $cmp = @(Get-NamedQueues | Get-MailFlowAlert -BaselinePath $byName)
            $cmp | Should -HaveCount 1
            "$($cmp[0].Change)" | Should -Be 'Ongoing'
        }
        finally {
            ${function:global:Get-SendConnector} = { param([string] $Identity) $global:SendConnectorCalls.Add($Identity)
                [pscustomobject]@{ Name = 'Outbound to Office 365 - 7f3b' } }
        }
        $cmp = @(Get-NamedQueues | Get-MailFlowAlert -BaselinePath $byGuid)
        $cmp | Should -HaveCount 1
        "$($cmp[0].Change)" | Should -Be 'Ongoing'
        $cmp[0].Connector | Should -Be 'Outbound to Office 365 - 7f3b'
        # Read back by name, it is still keyed and planned by its GUID's connector on the Exchange server's side.
        $back = Import-Csv $byName
        $back.SendConnectorId | Should -Be $SendConnector
        $plan = @($back | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue)
        $plan[0].Action | Should -Be 'CheckSendingServer'
        $plan[0].Steps | Should -Match ([regex]::Escape("Get-SendConnector -Identity 'Outbound to Office 365 - 7f3b'"))
    }

    It 'resolves the baseline alert once its queues are gone, under the name' {
        $byName = Join-Path $TestDrive 'resolved-by-name.xml'
        Get-NamedQueues | Get-MailFlowAlert | Export-Clixml $byName
        # The same queues, emptied: Status Ready, no LastError.
        $empty = Get-NamedQueues | ForEach-Object { $_.Status = 'Ready'; $_.LastError = ''; $_.MessageCount = 0; $_ }
        $cmp = @($empty | Get-MailFlowAlert -BaselinePath $byName)
        $cmp | Should -HaveCount 1
        "$($cmp[0].Change)" | Should -Be 'Resolved'
        $cmp[0].Connector | Should -Be 'Outbound to Office 365 - 7f3b'
    }
}
