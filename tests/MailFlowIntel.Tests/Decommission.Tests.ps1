# Repair-ConnectorConfig -Decommissioned checks before it acts (issue 18, item 5), against a stand-in tenant: functions
# of the Exchange Online cmdlets' names that record their calls, in a module made like Connect-ExchangeOnline's, and the
# lab's DNS for the tenant's MX records. Each check is a line of the plan; one that finds on-premises mail in use, or
# cannot be answered, leaves a manual plan and no Set call; -Force makes the changes and says what it overrode.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:Dns = @{ DnsServer = $Lab.DnsServer; TimeoutSec = 3 }

    $script:StandIn = {
        function Get-OutboundConnector {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:ExoCalls.Add("Get-OutboundConnector $Identity")
            $found = @($global:Tenant.Connectors | Where-Object { -not $Identity -or $_.Identity -eq $Identity })
            if ($Identity -and -not $found) { Write-Error "The operation couldn't be performed because object '$Identity' couldn't be found."; return }
            $found | ForEach-Object { [pscustomobject]$_ }
        }
        function Set-OutboundConnector {
            [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')] param([Parameter(Mandatory)] [string] $Identity, [bool] $Enabled)
            if ($PSCmdlet.ShouldProcess($Identity)) {
                $global:ExoCalls.Add("Set-OutboundConnector $Identity -Enabled $Enabled")
                ($global:Tenant.Connectors | Where-Object Identity -eq $Identity).Enabled = $Enabled
            }
        }
        function Get-AcceptedDomain {
            [CmdletBinding()] param()
            $global:ExoCalls.Add('Get-AcceptedDomain')
            $global:Tenant.Domains | ForEach-Object { [pscustomobject]$_ }
        }
        function Set-AcceptedDomain {
            [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')] param([Parameter(Mandatory)] [string] $Identity, [string] $DomainType)
            if ($PSCmdlet.ShouldProcess($Identity)) {
                $global:ExoCalls.Add("Set-AcceptedDomain $Identity -DomainType $DomainType")
                ($global:Tenant.Domains | Where-Object Identity -eq $Identity).DomainType = $DomainType
            }
        }
        function Get-Recipient {
            [CmdletBinding()] param([string] $Identity, [string] $RecipientTypeDetails, [string] $Filter, $ResultSize)
            $global:ExoCalls.Add("Get-Recipient -RecipientTypeDetails $RecipientTypeDetails -Filter $Filter -ResultSize $ResultSize")
            $domain = if ($Filter -match "'\*@(.+)'$") { $Matches[1] }
            @($global:Tenant.Recipients | Where-Object { $_.RecipientTypeDetails -eq $RecipientTypeDetails -and $_.PrimarySmtpAddress -like "*@$domain" }) |
                Select-Object -First $ResultSize | ForEach-Object { [pscustomobject]$_ }
        }
        Export-ModuleMember -Function *
    }

    function Reset-Tenant([string[]] $RecipientDomains = @('contoso.com'), [string] $ConnectorSource = 'Default') {
        $global:ExoCalls = [System.Collections.Generic.List[string]]::new()
        $global:Tenant = @{
            Connectors = @(@{ Identity = 'Contoso on-premises'; Name = 'Contoso on-premises'; ConnectorType = 'OnPremises'; Enabled = $true; UseMXRecord = $false
                              SmartHosts = @('mail.contoso.com'); RecipientDomains = $RecipientDomains; TlsSettings = $null; TlsDomain = $null; ConnectorSource = $ConnectorSource })
            Domains = @(
                @{ Identity = 'contoso.com'; Name = 'contoso.com'; DomainName = 'contoso.com'; DomainType = 'InternalRelay' }
                @{ Identity = 'onprem.contoso.com'; Name = 'onprem.contoso.com'; DomainName = 'onprem.contoso.com'; DomainType = 'InternalRelay' }
            )
            Recipients = @()
        }
        Get-Module tmpEXO_* | Remove-Module -Force
        New-Module -Name tmpEXO_decommission -ScriptBlock $StandIn | Import-Module -Global -Force -DisableNameChecking
    }

    function Get-Sets { @($global:ExoCalls | Where-Object { $_ -like 'Set-*' }) }
    function Get-Line($Plan, [string] $Action) { $Plan | Where-Object Action -eq $Action }

    # Each case leaves a manual plan whose changes name why, and makes no Set call.
    function Assert-Held($Plan, [string] $Check, [string] $Because) {
        (Get-Line $Plan $Check).Status | Should -Be 'Manual'
        (Get-Line $Plan $Check).Detail | Should -Match $Because
        $disable = Get-Line $Plan 'DisableConnector'
        $disable.Status | Should -Be 'Manual'
        $disable.Automatic | Should -BeFalse
        $disable.Steps | Should -Match 'Not made: a check before -Decommissioned'
        $disable.Steps | Should -Match $Because
        Get-Sets | Should -BeNullOrEmpty
        ($global:Tenant.Connectors[0]).Enabled | Should -BeTrue
    }
}

AfterAll {
    Get-Module tmpEXO_* | Remove-Module -Force
    Remove-Variable ExoCalls, Tenant -Scope Global -ErrorAction SilentlyContinue
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
}

Describe 'Repair-ConnectorConfig -Decommissioned checks before it acts' {
    It 'makes the changes when every check passes, each check a Checked line saying what it found' {
        Reset-Tenant
        $plan = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned @Dns -Confirm:$false
        $plan.Action | Should -Be @('CheckAcceptedDomains', 'CheckMx', 'CheckMailUsers', 'CheckConnectorSource', 'CheckObservedFrom', 'DisableConnector', 'SetAcceptedDomainAuthoritative')
        ($plan | Where-Object Action -like 'Check*').Status | Sort-Object -Unique | Should -Be 'Checked'
        (Get-Line $plan 'CheckMx').Detail | Should -Match 'contoso-com\.mail\.protection\.outlook\.com'
        (Get-Line $plan 'DisableConnector').Status | Should -Be 'Applied'
        Get-Sets | Should -Be @('Set-OutboundConnector Contoso on-premises -Enabled False', 'Set-AcceptedDomain contoso.com -DomainType Authoritative')
        # The mail user check asks whether one exists, never for the list.
        $global:ExoCalls | Should -Contain "Get-Recipient -RecipientTypeDetails MailUser -Filter EmailAddresses -like '*@contoso.com' -ResultSize 1"
    }

    It 'holds the plan when no accepted domain matches the connector' {
        Reset-Tenant -RecipientDomains 'retired.contoso.com'
        $plan = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned @Dns -Confirm:$false
        Assert-Held $plan 'CheckAcceptedDomains' 'No accepted domain of this organisation matches the recipient domains of Contoso on-premises \(retired\.contoso\.com\)'
    }

    It 'holds the plan while a mail user of the domain remains' {
        Reset-Tenant
        $global:Tenant.Recipients = @(@{ PrimarySmtpAddress = 'still.here@contoso.com'; RecipientTypeDetails = 'MailUser'; ExternalEmailAddress = 'SMTP:still.here@contoso.com' })
        $plan = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned @Dns -Confirm:$false
        Assert-Held $plan 'CheckMailUsers' 'A mail user of contoso\.com exists \(still\.here@contoso\.com\)'
    }

    It 'holds the plan while the domain''s MX is the connector''s smart host' {
        Reset-Tenant -RecipientDomains 'onprem.contoso.com'
        $plan = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned @Dns -Confirm:$false
        Assert-Held $plan 'CheckMx' 'The MX of onprem\.contoso\.com is mail\.contoso\.com, a smart host of Contoso on-premises: internet mail for onprem\.contoso\.com still goes on-premises'
    }

    It 'holds the plan when the MX cannot be read (no DNS answer)' {
        Reset-Tenant
        $silent = @{ DnsServer = '127.0.0.1:9'; TimeoutSec = 1 }   # nothing answers there
        $plan = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned @silent -Confirm:$false
        Assert-Held $plan 'CheckMx' 'The MX of contoso\.com could not be read'
    }

    It 'holds the plan for a connector made by the Hybrid Configuration Wizard' {
        Reset-Tenant -ConnectorSource 'HybridWizard'
        $plan = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned @Dns -Confirm:$false
        Assert-Held $plan 'CheckConnectorSource' 'made by the Hybrid Configuration Wizard \(ConnectorSource HybridWizard\)'
    }

    It 'holds the plan for a refusal only this computer''s probe saw, and acts on one Microsoft 365 saw' {
        Reset-Tenant
        $probe = Test-ConnectorDelivery -SmartHost refused.lab.test -Connector 'Contoso on-premises' -Port $Lab.Port @Dns -WarningAction SilentlyContinue
        $probe.Code | Should -Be '450 4.4.316'
        $probe.ObservedFrom | Should -Be 'ThisComputer'
        $plan = $probe | Repair-ConnectorConfig -Decommissioned @Dns -Confirm:$false
        Assert-Held $plan 'CheckObservedFrom' 'seen only from this computer'

        # The same refusal in Microsoft 365's own message trace: its view decides.
        $row = [pscustomobject]@{
            Date = [datetime]::UtcNow.AddMinutes(-30); Event = 'Defer'; Action = 'Defer'; MessageId = '<m1@contoso.com>'; MessageTraceId = [guid]::NewGuid()
            Detail = '450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.5:25]'
            Data = '<root><MEP Name="ConnectorId" String="Contoso on-premises" /></root>'; RecipientAddress = 'someone@contoso.com'
        }
        $alert = $row | Get-MailFlowAlert
        $alert.ObservedFrom | Should -Match 'Microsoft365'
        $plan = $alert | Repair-ConnectorConfig -Decommissioned @Dns -Confirm:$false
        (Get-Line $plan 'CheckObservedFrom').Status | Should -Be 'Checked'
        (Get-Line $plan 'DisableConnector').Status | Should -Be 'Applied'
    }

    It '-Force applies over the checks, records on each change what it overrode, and still goes through ShouldProcess' {
        Reset-Tenant -ConnectorSource 'HybridWizard'
        $global:Tenant.Recipients = @(@{ PrimarySmtpAddress = 'still.here@contoso.com'; RecipientTypeDetails = 'MailUser' })
        $whatIf = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned -Force @Dns -WhatIf
        (Get-Line $whatIf 'DisableConnector').Status | Should -Be 'Planned'   # -Force never bypasses the confirmation or -WhatIf
        Get-Sets | Should -BeNullOrEmpty

        $plan = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned -Force @Dns -Confirm:$false
        foreach ($change in 'DisableConnector', 'SetAcceptedDomainAuthoritative') {
            (Get-Line $plan $change).Status | Should -Be 'Applied'
            (Get-Line $plan $change).Detail | Should -Match '^Made with -Force over these checks: .*still\.here@contoso\.com.*Hybrid Configuration Wizard'
        }
        (Get-Line $plan 'CheckMailUsers').Status | Should -Be 'Checked'
        (Get-Line $plan 'CheckMailUsers').Detail | Should -Match 'Overridden by -Force\.$'
        Get-Sets | Should -Be @('Set-OutboundConnector Contoso on-premises -Enabled False', 'Set-AcceptedDomain contoso.com -DomainType Authoritative')
    }

    It 'never changes contoso.com for *.contoso.com, not even with -Force' {
        Reset-Tenant -RecipientDomains '*.contoso.com'
        $plan = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned @Dns -Confirm:$false
        Assert-Held $plan 'CheckAcceptedDomains' '\*\.contoso\.com never changes contoso\.com'

        $forced = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned -Force @Dns -Confirm:$false
        (Get-Line $forced 'DisableConnector').Status | Should -Be 'Applied'
        (Get-Line $forced 'DisableConnector').Detail | Should -Match 'nothing would change, so nothing is disabled'
        Get-Sets | Where-Object { $_ -like 'Set-AcceptedDomain*' } | Should -BeNullOrEmpty
        ($global:Tenant.Domains | Where-Object DomainName -eq 'contoso.com').DomainType | Should -Be 'InternalRelay'
    }
}
