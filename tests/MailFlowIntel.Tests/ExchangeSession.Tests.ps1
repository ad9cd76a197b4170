# The Exchange Online session as Repair-ConnectorConfig and Test-ConnectorDelivery find it (DESIGN.md 2d): stand-ins for
# the Exchange Online cmdlets only (functions of the same names over in-memory tenants, recording every call), in
# modules made like Connect-ExchangeOnline's (imported globally, under a -Prefix), and a stand-in Get-ConnectionInformation
# whose rows have the properties its Learn page lists.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    # -Decommissioned reads the MX of the domains it would change: the lab's DNS answers for contoso.com and fabrikam.com.
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $global:PSDefaultParameterValues['Repair-ConnectorConfig:DnsServer'] = $Lab.DnsServer

    # One connection's module: read cmdlets always, the Set- cmdlets unless its role is read-only. Calls are recorded as
    # "<tenant>: <cmdlet> <identity>", so a test sees which connection each went to.
    $script:ConnectionModule = {
        param([string] $TenantName, [bool] $ReadOnly)
        $script:TenantName = $TenantName
        function Get-OutboundConnector {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:ExoCalls.Add("${script:TenantName}: Get-OutboundConnector $Identity")
            $global:Tenants[$script:TenantName].Connectors | Where-Object { -not $Identity -or $_.Identity -eq $Identity -or $_.Name -eq $Identity } |
                ForEach-Object { [pscustomobject]$_ }
        }
        # The existence check -Decommissioned makes for mail users of a domain: none in these tenants.
        function Get-Recipient {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity, [string] $RecipientTypeDetails, [string] $Filter, $ResultSize)
            $global:ExoCalls.Add("${script:TenantName}: Get-Recipient $Identity")
        }
        function Get-AcceptedDomain {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:ExoCalls.Add("${script:TenantName}: Get-AcceptedDomain $Identity")
            $global:Tenants[$script:TenantName].Domains | Where-Object { -not $Identity -or $_.Identity -eq $Identity } | ForEach-Object { [pscustomobject]$_ }
        }
        if (-not $ReadOnly) {
            function Set-OutboundConnector {
                [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
                param([Parameter(Mandatory, Position = 0)] [string] $Identity, [bool] $Enabled, [string] $TlsDomain)
                if ($PSCmdlet.ShouldProcess($Identity, 'Set-OutboundConnector')) {
                    $global:ExoCalls.Add("${script:TenantName}: Set-OutboundConnector $Identity")
                    $c = $global:Tenants[$script:TenantName].Connectors | Where-Object { $_.Identity -eq $Identity }
                    foreach ($p in 'Enabled', 'TlsDomain') { if ($PSBoundParameters.ContainsKey($p)) { $c[$p] = $PSBoundParameters[$p] } }
                }
            }
            function Set-AcceptedDomain {
                [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
                param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string] $DomainType)
                if ($PSCmdlet.ShouldProcess($Identity, 'Set-AcceptedDomain')) {
                    $global:ExoCalls.Add("${script:TenantName}: Set-AcceptedDomain $Identity")
                    ($global:Tenants[$script:TenantName].Domains | Where-Object Identity -eq $Identity).DomainType = $DomainType
                }
            }
        }
        Export-ModuleMember -Function *
    }

    function New-Tenant([string] $Name) {
        @{
            Connectors = @(
                @{ Identity = "$Name on-premises"; Name = "$Name on-premises"; ConnectorType = 'OnPremises'; Enabled = $true; UseMXRecord = $false
                   SmartHosts = @("mail.$Name.com".ToLowerInvariant()); RecipientDomains = @("$Name.com".ToLowerInvariant(), "sub.$Name.com".ToLowerInvariant())
                   TlsSettings = $null; TlsDomain = $null; ConnectorSource = 'Default' }
            )
            Domains = @(
                @{ Identity = "$Name.com".ToLowerInvariant(); Name = "$Name.com".ToLowerInvariant(); DomainName = "$Name.com".ToLowerInvariant(); DomainType = 'InternalRelay'; InitialDomain = $false }
                @{ Identity = "sub.$Name.com".ToLowerInvariant(); Name = "sub.$Name.com".ToLowerInvariant(); DomainName = "sub.$Name.com".ToLowerInvariant(); DomainType = 'Authoritative'; InitialDomain = $false }
                @{ Identity = "$Name.onmicrosoft.com".ToLowerInvariant(); Name = "$Name.onmicrosoft.com".ToLowerInvariant(); DomainName = "$Name.onmicrosoft.com".ToLowerInvariant(); DomainType = 'Authoritative'; InitialDomain = $true }
            )
        }
    }

    function Reset-Session {
        Get-Module tmpEXO_*, tmpEXO*, ExchangeOnlineManagement | Remove-Module -Force
        $global:ExoCalls = [System.Collections.Generic.List[string]]::new()
        $global:Tenants = @{ Contoso = New-Tenant 'Contoso'; Fabrikam = New-Tenant 'Fabrikam' }
        $global:ConnectionRows = [System.Collections.Generic.List[object]]::new()
    }

    # Like Connect-ExchangeOnline: a module of the tenant's cmdlets imported globally under the prefix; with
    # -ConnectionInformation, also a row for the stand-in Get-ConnectionInformation.
    function Connect-Tenant([string] $Tenant, [string] $Prefix, [switch] $ReadOnly, [hashtable] $ConnectionInformation) {
        $module = "tmpEXO_$($Tenant.ToLowerInvariant()).k3j"
        $common = @{ Global = $true; Force = $true; DisableNameChecking = $true }
        if ($Prefix) { $common.Prefix = $Prefix }
        New-Module -Name $module -ScriptBlock $ConnectionModule -ArgumentList $Tenant, $ReadOnly.IsPresent | Import-Module @common
        if ($ConnectionInformation) {
            $row = [ordered]@{
                ConnectionId = [guid]::NewGuid().ToString(); State = 'Connected'; Id = $global:ConnectionRows.Count + 1
                Name = "ExchangeOnline_$($global:ConnectionRows.Count + 1)"; UserPrincipalName = "admin@$Tenant.onmicrosoft.com".ToLowerInvariant()
                ConnectionUri = 'https://outlook.office365.com'; AzureAdAuthorizationEndpointUri = 'https://login.microsoftonline.com/organizations'
                TokenExpiryTimeUTC = [datetimeoffset]::UtcNow.AddHours(1); CertificateAuthentication = $false
                # "The filename and path of the temporary data for the session" (Learn): a path whose leaf is the module's name.
                ModuleName = "C:\Users\admin\AppData\Local\Temp\$module"; ModulePrefix = $Prefix; Organization = ''; DelegatedOrganization = ''
                AppId = ''; PageSize = 1000; TenantID = ''; TokenStatus = 'Active'; ConnectionUsedForInbuiltCmdlets = $true; IsEopSession = $false
            }
            foreach ($k in $ConnectionInformation.Keys) { $row[$k] = $ConnectionInformation[$k] }
            $global:ConnectionRows.Add([pscustomobject]$row)
            Publish-ConnectionInformation
        }
    }

    # A Security & Compliance connection (Connect-IPPSSession): IsEopSession true. Its module here also holds a
    # Get-OutboundConnector, which Security & Compliance PowerShell does not have, so that a session that did not read
    # IsEopSession would find two connections.
    function Connect-Compliance {
        $module = 'tmpEXO_compliance.p2w'
        New-Module -Name $module -ScriptBlock {
            function Get-ComplianceSearch { $global:ExoCalls.Add('Compliance: Get-ComplianceSearch') }
            function Get-OutboundConnector { [CmdletBinding()] param($Identity) $global:ExoCalls.Add("Compliance: Get-OutboundConnector $Identity") }
            Export-ModuleMember -Function *
        } | Import-Module -Global -Force -DisableNameChecking
        $global:ConnectionRows.Add([pscustomobject][ordered]@{
            ConnectionId = [guid]::NewGuid().ToString(); State = 'Connected'; Id = $global:ConnectionRows.Count + 1
            Name = "ExchangeOnlineProtection_$($global:ConnectionRows.Count + 1)"; UserPrincipalName = 'admin@contoso.onmicrosoft.com'
            ConnectionUri = 'https://nam12b.ps.compliance.protection.outlook.com'; AzureAdAuthorizationEndpointUri = 'https://login.microsoftonline.com/organizations'
            TokenExpiryTimeUTC = [datetimeoffset]::UtcNow.AddHours(1); CertificateAuthentication = $false
            ModuleName = "/tmp/$module"; ModulePrefix = ''; Organization = ''; DelegatedOrganization = ''; AppId = ''; PageSize = 1000
            TenantID = '3750b40b-a68b-4632-9fb3-5b1aff664079'; TokenStatus = 'Active'; ConnectionUsedForInbuiltCmdlets = $false; IsEopSession = $true
        })
        Publish-ConnectionInformation
    }

    # Get-ConnectionInformation, in a module of the name Microsoft ships it in.
    function Publish-ConnectionInformation {
        if (Get-Module ExchangeOnlineManagement) { return }
        New-Module -Name ExchangeOnlineManagement -ScriptBlock {
            function Get-ConnectionInformation { [CmdletBinding()] param() $global:ConnectionRows }
            Export-ModuleMember -Function Get-ConnectionInformation
        } | Import-Module -Global -Force
    }

    $script:FabrikamId = 'B5C1D7E2-0F3A-4C9B-8D61-2A7E93F04C18'
    function Connect-TwoTenants {
        Connect-Tenant Contoso -Prefix Contoso -ConnectionInformation @{ Organization = 'contoso.onmicrosoft.com'; TenantID = '3750b40b-a68b-4632-9fb3-5b1aff664079' }
        Connect-Tenant Fabrikam -Prefix Fabrikam -ConnectionInformation @{ TenantID = $FabrikamId.ToLowerInvariant() }
    }

    function Get-Tenant([string] $Tenant) { $global:Tenants[$Tenant] }
}

AfterAll {
    $global:PSDefaultParameterValues.Remove('Repair-ConnectorConfig:DnsServer')
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
    Get-Module tmpEXO_*, ExchangeOnlineManagement | Remove-Module -Force
    Remove-Variable ExoCalls, Tenants, ConnectionRows -Scope Global -ErrorAction SilentlyContinue
}

Describe 'A read-only Exchange Online session (its role gives Get- cmdlets only)' {
    BeforeEach { Reset-Session; Connect-Tenant Contoso -ReadOnly }

    It 'plans -Decommissioned from the tenant''s real values, calls no Set cmdlet, and says the session cannot change connectors' {
        # Set- commands outside the session's module (not Exchange Online's): never to be called either.
        $global:StrayCalls = [System.Collections.Generic.List[string]]::new()
        function global:Set-OutboundConnector { $global:StrayCalls.Add("Set-OutboundConnector $args") }
        function global:Set-AcceptedDomain { $global:StrayCalls.Add("Set-AcceptedDomain $args") }
        try {
            $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -ValidationRecipient probe@contoso.com -Confirm:$false -WarningVariable warn -WarningAction SilentlyContinue | Where-Object Action -notlike 'Check*'
        }
        finally { Remove-Item function:Set-OutboundConnector, function:Set-AcceptedDomain }
        # Read from the tenant: its type is known (no ConfirmOnPremisesConnector, as offline), its domains and their types too.
        $a.Action | Should -Be @('DisableConnector', 'SetAcceptedDomainAuthoritative', 'SetAcceptedDomainAuthoritative', 'ValidateConnector')
        $a.Status | Should -Be @('Manual', 'Manual', 'Skipped', 'Manual')
        $a[0].Steps | Should -Match 'This Exchange Online session cannot change connectors: its roles do not give it Set-OutboundConnector'
        $a[0].Steps | Should -Match 'Get-ManagementRole -Cmdlet Set-OutboundConnector'
        $a[1].Steps | Should -Match 'cannot change accepted domains'
        $a[0].Command | Should -Be "Set-OutboundConnector -Identity 'Contoso on-premises' -Enabled `$false -Confirm:`$false"
        $a[1].RollbackCommand | Should -Be "Set-AcceptedDomain -Identity 'contoso.com' -DomainType 'InternalRelay' -Confirm:`$false"   # the real DomainType
        $a[2].Detail | Should -Match 'Already as wanted'   # sub.contoso.com is Authoritative in the tenant
        $warn | Should -HaveCount 1
        $warn[0] | Should -Match 'can read connectors but not change them: Set-OutboundConnector is not in it'
        $global:ExoCalls | Should -Contain 'Contoso: Get-OutboundConnector Contoso on-premises'
        $global:ExoCalls | Should -Contain 'Contoso: Get-AcceptedDomain '
        $global:ExoCalls | Where-Object { $_ -notmatch ': Get-' } | Should -BeNullOrEmpty
        $global:StrayCalls | Should -BeNullOrEmpty
        (Get-Tenant Contoso).Connectors[0].Enabled | Should -BeTrue
    }

    It 'says so in French' {
        $ui = [cultureinfo]::CurrentUICulture
        try {
            [cultureinfo]::CurrentUICulture = 'fr-FR'
            $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false -WarningVariable warn -WarningAction SilentlyContinue | Where-Object Action -notlike 'Check*'
        }
        finally { [cultureinfo]::CurrentUICulture = $ui }
        $a[0].Steps | Should -Match 'Cette session Exchange Online ne peut pas modifier les connecteurs'
        $a[1].Steps | Should -Match 'ne peut pas modifier les domaines accept'
        $warn[0] | Should -Match 'peut lire les connecteurs mais pas les modifier'
    }

    It 'is still the session: Test-ConnectorDelivery reads the tenant''s initial domain through it for the egress check' {
        $r = Test-ConnectorDelivery -SmartHost 10.0.0.0/8
        $r.Status | Should -Be 'NotTested'
        $global:ExoCalls | Should -Be @('Contoso: Get-AcceptedDomain ')
    }
}

Describe 'Several Exchange Online connections, as Get-ConnectionInformation lists them' {
    BeforeEach { Reset-Session }

    It 'stops with AmbiguousExchangeSession, listing each connection, when two are open and neither -Organization nor -Prefix picks one (<Command>)' -ForEach @(
        @{ Command = 'Repair-ConnectorConfig'; Run = { Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false } }
        @{ Command = 'Test-ConnectorDelivery'; Run = { Test-ConnectorDelivery -SmartHost 10.0.0.0/8 } }
    ) {
        Connect-TwoTenants
        $err = $null
        try { & $Run; throw 'no error' } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike "AmbiguousExchangeSession,*"
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -Match 'contoso\.onmicrosoft\.com \(prefix Contoso\)'
        $err.Exception.Message | Should -Match "$($FabrikamId.ToLowerInvariant()) \(prefix Fabrikam\)"
        $err.Exception.Message | Should -Match '-Organization.*-Prefix'
        @($err.TargetObject) | Should -HaveCount 2
        $global:ExoCalls | Should -BeNullOrEmpty   # nothing read, nothing changed
    }

    It '-Prefix Fabrikam picks the second connection: every call goes to its cmdlets, every action carries its TenantID' {
        Connect-TwoTenants
        $a = Repair-ConnectorConfig -Prefix Fabrikam -Connector 'Fabrikam on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $a.Status | Should -Be @('Applied', 'Applied', 'Skipped')
        $a[0].Command | Should -BeLike 'Set-FabrikamOutboundConnector *'
        $a.Organization | Sort-Object -Unique | Should -Be $FabrikamId.ToLowerInvariant()   # Organization empty in its row: its TenantID
        $global:ExoCalls | Should -Not -BeNullOrEmpty
        $global:ExoCalls | ForEach-Object { $_ | Should -BeLike 'Fabrikam: *' }
        (Get-Tenant Fabrikam).Connectors[0].Enabled | Should -BeFalse
        (Get-Tenant Contoso).Connectors[0].Enabled | Should -BeTrue
    }

    It '-Organization picks by Organization or TenantID, in any case, and -Undo goes back to the same tenant' {
        Connect-TwoTenants
        $a = Repair-ConnectorConfig -Organization CONTOSO.onmicrosoft.com -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $a.Organization | Sort-Object -Unique | Should -Be 'contoso.onmicrosoft.com'
        (Get-Tenant Contoso).Connectors[0].Enabled | Should -BeFalse
        $global:ExoCalls.Clear()
        $undo = $a | Repair-ConnectorConfig -Undo -Organization 3750B40B-A68B-4632-9FB3-5B1AFF664079 -Confirm:$false
        ($undo | Where-Object Status -eq 'Applied').Action | Should -Be @('UndoSetAcceptedDomainAuthoritative', 'UndoDisableConnector')
        (Get-Tenant Contoso).Connectors[0].Enabled | Should -BeTrue
        $global:ExoCalls | ForEach-Object { $_ | Should -BeLike 'Contoso: *' }
    }

    It 'leaves alone input that came from another organisation (OtherOrganization), and goes on' {
        Connect-TwoTenants
        $in = @(
            [pscustomobject]@{ Connector = 'Contoso on-premises'; Code = '450 4.4.316'; Organization = 'contoso.onmicrosoft.com' }
            [pscustomobject]@{ Connector = 'Fabrikam on-premises'; Code = '450 4.4.312'; Organization = $FabrikamId }
        )
        $a = $in | Repair-ConnectorConfig -Prefix Fabrikam -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OtherOrganization,*'
        $errs[0].Exception.Message | Should -Match "'contoso\.onmicrosoft\.com'"
        $a.Connector | Sort-Object -Unique | Should -Be 'Fabrikam on-premises'
        $global:ExoCalls | Should -Not -Contain 'Fabrikam: Get-OutboundConnector Contoso on-premises'
        # An applied action of the other tenant is not undone here either.
        $other = [pscustomobject]@{ Status = 'Applied'; Action = 'DisableConnector'; Target = 'Contoso on-premises'; Setting = 'Enabled'; OldValue = 'True'; NewValue = 'False'; Organization = 'contoso.onmicrosoft.com' }
        $undo = $other | Repair-ConnectorConfig -Undo -Prefix Fabrikam -Confirm:$false -ErrorVariable errs2 -ErrorAction SilentlyContinue
        $undo | Should -BeNullOrEmpty
        $errs2[0].FullyQualifiedErrorId | Should -BeLike 'OtherOrganization,*'
        $global:ExoCalls | Where-Object { $_ -like '*Set-*' } | Should -BeNullOrEmpty
    }

    It 'stops with ExchangeSessionNotFound when the pick matches no connection' {
        Connect-TwoTenants
        { Repair-ConnectorConfig -Prefix Northwind -Connector x -Code 4.4.316 -Confirm:$false } | Should -Throw -ErrorId 'ExchangeSessionNotFound*'
        { Test-ConnectorDelivery -Organization northwind.onmicrosoft.com -SmartHost 10.0.0.0/8 } | Should -Throw -ErrorId 'ExchangeSessionNotFound*'
        $global:ExoCalls | Should -BeNullOrEmpty
    }

    It 'uses one Exchange Online connection beside a Security & Compliance one without asking which' {
        Connect-Tenant Contoso -ConnectionInformation @{ Organization = 'contoso.onmicrosoft.com'; TenantID = '3750b40b-a68b-4632-9fb3-5b1aff664079' }
        Connect-Compliance   # imported last: its Get-OutboundConnector is the one a bare name would call
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $a.Status | Should -Be @('Applied', 'Applied', 'Skipped')
        $a.Organization | Sort-Object -Unique | Should -Be 'contoso.onmicrosoft.com'
        $global:ExoCalls | Should -Contain 'Contoso: Get-OutboundConnector Contoso on-premises'
        $global:ExoCalls | Where-Object { $_ -like 'Compliance:*' } | Should -BeNullOrEmpty
        (Get-Tenant Contoso).Connectors[0].Enabled | Should -BeFalse
    }

    It 'gives every Test-ConnectorDelivery result the organisation of the chosen connection, whose initial domain it reads' {
        Connect-TwoTenants
        $r = Test-ConnectorDelivery -SmartHost 10.0.0.0/8, 192.168.0.0/16 -Prefix Fabrikam
        $r | Should -HaveCount 2
        $r.Organization | Sort-Object -Unique | Should -Be $FabrikamId.ToLowerInvariant()
        $global:ExoCalls | Should -Be @('Fabrikam: Get-AcceptedDomain ')
    }
}

Describe 'Organization without a session' {
    BeforeEach { Reset-Session }

    It 'is empty on actions and results, in every format' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.312 -DestinationServer mail.contoso.com -WarningAction SilentlyContinue
        $r = Test-ConnectorDelivery -SmartHost 10.0.0.0/8
        @($a; $r).Organization | ForEach-Object { $_ | Should -BeExactly '' }
        ($a | ConvertTo-Csv -NoTypeInformation)[0] | Should -Match '"Organization"'
        ($r | ConvertTo-Csv -NoTypeInformation)[0] | Should -Match '"Organization"'
    }
}
