# Resolve-OutboundConnector (issue 18, item 2) against a stand-in tenant: functions of the Exchange Online cmdlets' names
# in a module made like Connect-ExchangeOnline's, recording their calls; its routes piped into Test-ConnectorDelivery
# probe the lab's hosts.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:Probe = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; TimeoutSec = 3; WarningAction = 'SilentlyContinue' }

    $script:StandIn = {
        function Get-OutboundConnector {
            # As its Learn page says: without -IsTransportRuleScoped only the connectors not scoped to rules are listed.
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity, [bool] $IsTransportRuleScoped)
            $global:ExoCalls.Add("Get-OutboundConnector -IsTransportRuleScoped $IsTransportRuleScoped")
            $global:Tenant.Connectors | Where-Object { [bool]$_.IsTransportRuleScoped -eq $IsTransportRuleScoped } | ForEach-Object { [pscustomobject]$_ }
        }
        function Get-AcceptedDomain {
            [CmdletBinding()] param()
            $global:ExoCalls.Add('Get-AcceptedDomain')
            $global:Tenant.Domains | ForEach-Object { [pscustomobject]$_ }
        }
        function Get-Recipient {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:ExoCalls.Add("Get-Recipient $Identity")
            $r = $global:Tenant.Recipients | Where-Object PrimarySmtpAddress -eq $Identity
            if (-not $r) {
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([Exception]::new("The operation couldn't be performed because object '$Identity' couldn't be found."),
                    '[Server=X,RequestId=Y,TimeStamp=Z] [FailureCategory=Cmdlet-ManagementObjectNotFoundException] 2F4C8A1B,Microsoft.Exchange.Management.RecipientTasks.GetRecipient', 'NotSpecified', $Identity))
                return
            }
            [pscustomobject]$r
        }
        function Get-TransportRule {
            [CmdletBinding()] param()
            $global:ExoCalls.Add('Get-TransportRule')
            if ($global:RulesFail) { throw 'Get-TransportRule: access denied' }
            $global:Tenant.Rules | ForEach-Object { [pscustomobject]$_ }
        }
        Export-ModuleMember -Function *
    }

    function New-Connector([string] $Name, $Domains, [string] $SmartHost, [string] $Type = 'Partner', [bool] $Enabled = $true, [switch] $RuleScoped, [switch] $AllAccepted, [switch] $Centralized) {
        @{ Identity = $Name; Name = $Name; ConnectorType = $Type; Enabled = $Enabled; UseMXRecord = $false; SmartHosts = @($SmartHost); RecipientDomains = @($Domains)
           TlsSettings = $null; TlsDomain = $null; IsTransportRuleScoped = $RuleScoped.IsPresent; AllAcceptedDomains = $AllAccepted.IsPresent
           RouteAllMessagesViaOnPremises = $Centralized.IsPresent; ConnectorSource = 'Default' }
    }

    function Reset-Tenant {
        $global:ExoCalls = [System.Collections.Generic.List[string]]::new()
        $global:RulesFail = $false
        $global:Tenant = @{
            Connectors = @(
                New-Connector 'Fabrikam' 'fabrikam.com' 'ok.lab.test'
                New-Connector 'Fabrikam subdomains' '*.fabrikam.com' 'mx.lab.test'
                New-Connector 'Gateway' '*' 'implicit.lab.test'
                New-Connector 'Old sales' 'sales.fabrikam.com' 'refused.lab.test' -Enabled $false
                New-Connector 'Tailspin by rule' @() 'busy.lab.test' -RuleScoped
                New-Connector 'On-premises' @() 'notls.lab.test' -Type OnPremises -AllAccepted
                New-Connector 'Tie one' 'tie.com' 'ok.lab.test'
                New-Connector 'Tie two' 'tie.com' 'ok.lab.test'
            )
            Domains = @(
                @{ Identity = 'contoso.com'; DomainName = 'contoso.com'; DomainType = 'Authoritative'; InitialDomain = $false }
                @{ Identity = 'onprem.contoso.com'; DomainName = 'onprem.contoso.com'; DomainType = 'InternalRelay'; InitialDomain = $false }
            )
            Recipients = @(
                @{ PrimarySmtpAddress = 'user@contoso.com'; RecipientTypeDetails = 'UserMailbox'; ExternalEmailAddress = $null }
                @{ PrimarySmtpAddress = 'remote@contoso.com'; RecipientTypeDetails = 'MailUser'; ExternalEmailAddress = 'SMTP:remote@onprem.contoso.com' }
            )
            Rules = @(
                @{ Name = 'Route Tailspin'; State = 'Enabled'; Mode = 'Enforce'; Priority = 1; RouteMessageOutboundConnector = 'Tailspin by rule'
                   RecipientDomainIs = @('tailspin.com'); ExceptIfRecipientDomainIs = $null; SentToScope = 'NotInOrganization'; ExceptIfSentToScope = $null
                   FromMemberOf = $null; ExceptIfFromMemberOf = $null }
                # Disabled: it would take every message if it acted.
                @{ Name = 'Old catch-all'; State = 'Disabled'; Mode = 'Enforce'; Priority = 0; RouteMessageOutboundConnector = 'Tailspin by rule'
                   RecipientDomainIs = $null; ExceptIfRecipientDomainIs = $null; SentToScope = $null; ExceptIfSentToScope = $null; FromMemberOf = $null; ExceptIfFromMemberOf = $null }
            )
        }
        Get-Module tmpEXO_* | Remove-Module -Force
        New-Module -Name tmpEXO_routing -ScriptBlock $StandIn | Import-Module -Global -Force -DisableNameChecking
    }

    # The table of Resolve-OutboundConnector's help, example 1 (what Exchange Online does for each recipient here).
    $script:Table = @(
        @{ Recipient = 'a@fabrikam.com';           MatchedBy = 'RecipientDomain';    Connector = 'Fabrikam';            MatchedValue = 'fabrikam.com';   Host = 'ok.lab.test' }
        @{ Recipient = 'a@sub.fabrikam.com';       MatchedBy = 'RecipientDomain';    Connector = 'Fabrikam subdomains'; MatchedValue = '*.fabrikam.com'; Host = 'mx.lab.test' }
        @{ Recipient = 'a@sales.fabrikam.com';     MatchedBy = 'RecipientDomain';    Connector = 'Fabrikam subdomains'; MatchedValue = '*.fabrikam.com'; Host = 'mx.lab.test' }
        @{ Recipient = 'a@northwind.com';          MatchedBy = 'RecipientDomain';    Connector = 'Gateway';             MatchedValue = '*';              Host = 'implicit.lab.test' }
        @{ Recipient = 'a@tailspin.com';           MatchedBy = 'TransportRule';      Connector = 'Tailspin by rule';    MatchedValue = 'Route Tailspin'; Host = 'busy.lab.test' }
        @{ Recipient = 'user@contoso.com';         MatchedBy = 'Internal';           Connector = '';                    MatchedValue = '';               Host = $null }
        @{ Recipient = 'nobody@contoso.com';       MatchedBy = 'Rejected';           Connector = '';                    MatchedValue = '';               Host = $null }
        @{ Recipient = 'remote@contoso.com';       MatchedBy = 'MailUser';           Connector = 'On-premises';         MatchedValue = 'AllAcceptedDomains'; Host = 'notls.lab.test' }
        @{ Recipient = 'ghost@onprem.contoso.com'; MatchedBy = 'AllAcceptedDomains'; Connector = 'On-premises';         MatchedValue = '';               Host = 'notls.lab.test' }
        @{ Recipient = 'a@tie.com';                MatchedBy = 'Ambiguous';          Connector = '';                    MatchedValue = '';               Host = $null }
    )
}

AfterAll {
    Get-Module tmpEXO_* | Remove-Module -Force
    Remove-Variable ExoCalls, Tenant, RulesFail -Scope Global -ErrorAction SilentlyContinue
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
}

Describe 'Resolve-OutboundConnector' {
    BeforeEach { Reset-Tenant }

    It 'picks as the table of its help says for ten recipients' {
        $routes = @(Resolve-OutboundConnector -Recipient $Table.Recipient -WarningVariable warn -WarningAction SilentlyContinue)
        $routes | Should -HaveCount 10
        for ($i = 0; $i -lt $Table.Count; $i++) {
            $t = $Table[$i]; $r = $routes[$i]
            $r.Recipient | Should -Be $t.Recipient
            "$($r.MatchedBy)" | Should -Be $t.MatchedBy -Because $t.Recipient
            $r.Connector | Should -Be $t.Connector -Because $t.Recipient
            $r.MatchedValue | Should -Be $t.MatchedValue -Because $t.Recipient
        }
        # The why of the picks that are not plain.
        $routes[0].Candidates | Should -Be 'Fabrikam subdomains; Gateway'   # also matching, less specific
        $routes[0].Assumed | Should -BeTrue
        $routes[1].Because | Should -Match 'Assumed: the most specific match wins'
        $routes[2].Because | Should -Match 'Disabled connectors are never used: Old sales'
        $routes[4].RuleConditions | Should -Be 'SentToScope: NotInOrganization'
        $routes[4].Because | Should -Match "transport rule 'Route Tailspin' \(priority 1\) routes it through 'Tailspin by rule'"
        $routes[4].Because | Should -Match 'other conditions were not evaluated'
        $routes[5].RecipientType | Should -Be 'UserMailbox'
        $routes[6].Because | Should -Match 'Authoritative accepted domain: Exchange Online rejects'
        $routes[7].RoutedAddress | Should -Be 'remote@onprem.contoso.com'
        $routes[7].Domain | Should -Be 'onprem.contoso.com'
        $routes[7].Because | Should -Match 'ExternalEmailAddress is remote@onprem\.contoso\.com'
        $routes[8].Because | Should -Match "'On-premises' has AllAcceptedDomains"
        $routes[9].Candidates | Should -Be 'Tie one; Tie two'
        $warn | Should -HaveCount 1
        $warn[0] | Should -Match 'a@tie\.com: Several connectors match tie\.com equally \(Tie one; Tie two\)'
        # Read once: connectors twice (scoped and not), domains, rules; then one recipient lookup per address.
        @($global:ExoCalls | Where-Object { $_ -like 'Get-OutboundConnector*' }) | Should -Be @('Get-OutboundConnector -IsTransportRuleScoped False', 'Get-OutboundConnector -IsTransportRuleScoped True')
        @($global:ExoCalls | Where-Object { $_ -eq 'Get-TransportRule' }).Count | Should -Be 1
        @($global:ExoCalls | Where-Object { $_ -like 'Get-Recipient *' }).Count | Should -Be 10
    }

    It 'pipes into Test-ConnectorDelivery, which probes the lab host of each chosen path and nothing for the rest' {
        $routes = Resolve-OutboundConnector -Recipient $Table.Recipient -WarningAction SilentlyContinue
        $results = @($routes | Test-ConnectorDelivery @Probe)
        $results | Should -HaveCount 7
        $expected = $Table | Where-Object Host
        for ($i = 0; $i -lt $expected.Count; $i++) {
            $results[$i].DestinationServer | Should -Be $expected[$i].Host -Because $expected[$i].Recipient
            $results[$i].Connector | Should -Be $expected[$i].Connector
        }
        ($results | Where-Object DestinationServer -eq 'busy.lab.test').Code | Should -Be '450 4.4.317'
        $results.DestinationServer | Should -Not -Contain 'refused.lab.test'   # the disabled connector's host
        $verbose = $routes | Test-ConnectorDelivery @Probe -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose | Where-Object Message -like 'Nothing to probe for this route*').Count | Should -Be 3
    }

    It 'routes by MX when no connector matches, and the probe follows the domain''s MX' {
        $global:Tenant.Connectors = @(New-Connector 'Fabrikam' 'fabrikam.com' 'ok.lab.test')
        $route = Resolve-OutboundConnector a@partner.lab.test
        $route.MatchedBy | Should -Be 'MX'
        $route.Connector | Should -Be ''
        $route.UseMXRecord | Should -BeTrue
        $route.Because | Should -Match 'No enabled connector matches partner\.lab\.test'
        $r = @($route | Test-ConnectorDelivery @Probe)
        $r[0].Target | Should -Be 'partner.lab.test'
        $r[0].DestinationServer | Should -Be 'ok.lab.test'   # MX 10 of partner.lab.test
        $r[0].Status | Should -Be 'Succeeded'
    }

    It 'says when the transport rules cannot be read, never taking them as none' {
        $global:RulesFail = $true
        $route = Resolve-OutboundConnector a@tailspin.com -WarningVariable warn -WarningAction SilentlyContinue
        $route.MatchedBy | Should -Be 'RecipientDomain'
        $route.Connector | Should -Be 'Gateway'
        $route.Because | Should -Match 'The transport rules could not be read \(.*access denied.*\): a rule may send this message through a connector scoped to rules \(Tailspin by rule\)'
        $warn | Should -HaveCount 1
    }

    It 'reports centralized mail transport, and a connector needs no rules read when none is scoped to rules' {
        $global:Tenant.Connectors = @(
            New-Connector 'Fabrikam' 'fabrikam.com' 'ok.lab.test'
            New-Connector 'Hybrid' 'contoso.com' 'notls.lab.test' -Type OnPremises -Centralized
        )
        $route = Resolve-OutboundConnector a@fabrikam.com
        $route.CentralizedTransport | Should -Be 'Hybrid'
        $route.Because | Should -Match "Centralized mail transport is on \('Hybrid' has RouteAllMessagesViaOnPremises\)"
        $global:ExoCalls | Should -Not -Contain 'Get-TransportRule'
    }

    It 'keeps to scalars: CSV shows no type name and JSON names the enum' {
        $routes = Resolve-OutboundConnector -Recipient 'a@fabrikam.com', 'user@contoso.com'
        ($routes | ConvertTo-Csv -NoTypeInformation) -join "`n" | Should -Not -Match 'System\.'
        ($routes[0] | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json).MatchedBy | Should -Be 'RecipientDomain'
        $routes[0].Organization | Should -Be ''
    }

    It 'stops with ExchangeOnlineNotConnected without a session, and refuses a value that is no address' {
        Get-Module tmpEXO_* | Remove-Module -Force
        { Resolve-OutboundConnector a@fabrikam.com } | Should -Throw -ErrorId 'ExchangeOnlineNotConnected*'
        Reset-Tenant
        $null = Resolve-OutboundConnector 'not an address' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRecipient*'
    }

    It 'explains itself in French' {
        $ui = [cultureinfo]::CurrentUICulture
        try { [cultureinfo]::CurrentUICulture = 'fr-FR'; $route = Resolve-OutboundConnector nobody@contoso.com }
        finally { [cultureinfo]::CurrentUICulture = $ui }
        $route.Because | Should -Match 'Exchange Online rejette le message'
    }
}
