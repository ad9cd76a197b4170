# Repair-ConnectorConfig against stand-ins for the Exchange Online cmdlets: functions of the same names and
# parameters, in a module shaped like the one Connect-ExchangeOnline makes, changing an in-memory tenant and
# recording every call.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force
    Import-Module (Join-Path $env:MFI_ROOT 'tests/Lab/Lab.psm1') -Force
    $script:Lab = Start-MailFlowLab -LabDll $env:MFI_LAB
    $script:ProbeArgs = @{ Port = $Lab.Port; DnsServer = $Lab.DnsServer; CertificateAuthority = $Lab.CertificateAuthority; TimeoutSec = 3 }
    # -Decommissioned reads the MX of the domains it would change: the lab's DNS answers for the stand-in tenant's domains.
    $global:PSDefaultParameterValues['Repair-ConnectorConfig:DnsServer'] = $Lab.DnsServer

    # Exchange's own type for "not found", as an older remote session deserializes it (see ExchangeCommandException.cs).
    if (-not ('Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException' -as [type])) {
        Add-Type -TypeDefinition 'namespace Microsoft.Exchange.Configuration.Tasks { public class ManagementObjectNotFoundException : System.Exception { public ManagementObjectNotFoundException(string message) : base(message) { } } }'
    }
    $script:ExoServer = '[Server=XXXP123MB4539,RequestId=2dc2ddf5-5c7e-4a49-8993-a89a06f47264,TimeStamp=3/14/2026 10:00:00 AM]'

    $script:StandIn = {
        # "Not found" as Exchange writes it: category NotSpecified, in the tenant's language ($global:ExoLanguage), in one
        # of the shapes real sessions show ($global:ExoNotFoundShape; sources in ExchangeCommandException.cs):
        # Remoting: a plain exception, [FailureCategory=Cmdlet-ManagementObjectNotFoundException] in the id only;
        # Rest: Exchange's ManagementObjectNotFoundException, an id that does not name it (v3's Write-ErrorMessage);
        # Reason: a plain exception whose CategoryInfo.Reason alone names it (what a RemoteException carries).
        function New-ExoNotFound([string] $Identity, [string] $Task) {
            $message = if ($global:ExoLanguage -eq 'fr') { "Impossible d'effectuer l'opération, car l'objet '$Identity' est introuvable sur 'XXXP123.PROD.OUTLOOK.COM'." }
                       else { "The operation couldn't be performed because object '$Identity' couldn't be found on 'XXXP123.PROD.OUTLOOK.COM'." }
            $server = '[Server=XXXP123MB4539,RequestId=2dc2ddf5-5c7e-4a49-8993-a89a06f47264,TimeStamp=3/14/2026 10:00:00 AM]'
            switch ($global:ExoNotFoundShape) {
                'Rest' {
                    [System.Management.Automation.ErrorRecord]::new([Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException]::new($message),
                        "$server,Write-ErrorMessage", 'NotSpecified', $null)
                }
                'Reason' {
                    $r = [System.Management.Automation.ErrorRecord]::new([Exception]::new($message), "$server,Write-ErrorMessage", 'NotSpecified', $null)
                    $r.CategoryInfo.Reason = 'ManagementObjectNotFoundException'
                    $r
                }
                default {
                    [System.Management.Automation.ErrorRecord]::new([Exception]::new($message),
                        "$server [FailureCategory=Cmdlet-ManagementObjectNotFoundException] 7C1F4B2A,Microsoft.Exchange.Management.SystemConfigurationTasks.$Task", 'NotSpecified', $null)
                }
            }
        }
        # Any other failure a test asks for: $global:ExoFailure['Set-OutboundConnector'] = an ErrorRecord to write.
        function Write-ExoFailure([string] $Command, $Cmdlet) {
            if (-not $global:ExoFailure.ContainsKey($Command)) { return $false }
            $Cmdlet.WriteError($global:ExoFailure[$Command])
            $true
        }
        function Get-OutboundConnector {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:ExoCalls.Add("Get-OutboundConnector $Identity")
            if (Write-ExoFailure 'Get-OutboundConnector' $PSCmdlet) { return }
            $found = @($global:Tenant.Connectors | Where-Object { -not $Identity -or $_.Identity -eq $Identity -or $_.Name -eq $Identity })
            if ($Identity -and -not $found) { $PSCmdlet.WriteError((New-ExoNotFound $Identity 'GetOutboundConnector')); return }
            $found | ForEach-Object { [pscustomobject]$_ }
        }
        function Set-OutboundConnector {
            [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
            param([Parameter(Mandatory, Position = 0)] [string] $Identity, [bool] $Enabled, [string] $TlsDomain, [string] $TlsSettings, [string[]] $SmartHosts)
            if (Write-ExoFailure 'Set-OutboundConnector' $PSCmdlet) { return }
            $c = $global:Tenant.Connectors | Where-Object { $_.Identity -eq $Identity -or $_.Name -eq $Identity }
            if (-not $c) { $PSCmdlet.WriteError((New-ExoNotFound $Identity 'SetOutboundConnector')); return }
            if ($PSCmdlet.ShouldProcess($Identity, 'Set-OutboundConnector')) {
                $global:ExoCalls.Add("Set-OutboundConnector $Identity " + (($PSBoundParameters.GetEnumerator() | Where-Object Key -ne 'Identity' | ForEach-Object { "-$($_.Key) $($_.Value)" }) -join ' '))
                foreach ($p in 'Enabled', 'TlsDomain', 'TlsSettings', 'SmartHosts') { if ($PSBoundParameters.ContainsKey($p)) { $c[$p] = $PSBoundParameters[$p] } }
            }
        }
        function Get-AcceptedDomain {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:ExoCalls.Add("Get-AcceptedDomain $Identity")
            if (Write-ExoFailure 'Get-AcceptedDomain' $PSCmdlet) { return }
            $global:Tenant.Domains | Where-Object { -not $Identity -or $_.Identity -eq $Identity } | ForEach-Object { [pscustomobject]$_ }
        }
        function Set-AcceptedDomain {
            [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
            param([Parameter(Mandatory, Position = 0)] [string] $Identity, [ValidateSet('Authoritative', 'InternalRelay', 'ExternalRelay')] [string] $DomainType)
            if (Write-ExoFailure 'Set-AcceptedDomain' $PSCmdlet) { return }
            $d = $global:Tenant.Domains | Where-Object Identity -eq $Identity
            if (-not $d) { $PSCmdlet.WriteError((New-ExoNotFound $Identity 'SetAcceptedDomain')); return }
            if ($PSCmdlet.ShouldProcess($Identity, 'Set-AcceptedDomain')) {
                $global:ExoCalls.Add("Set-AcceptedDomain $Identity -DomainType $DomainType")
                $d.DomainType = $DomainType
            }
        }
        # The existence check -Decommissioned makes for mail users of a domain (-ResultSize 1), and a lookup by address.
        function Get-Recipient {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity, [string] $RecipientTypeDetails, [string] $Filter, $ResultSize)
            $global:ExoCalls.Add("Get-Recipient $Identity$Filter")
            @($global:Tenant.Recipients) | Where-Object { $_ -and $_.RecipientTypeDetails -eq $RecipientTypeDetails -and $Filter -match "'\*@(.+)'$" -and $_.PrimarySmtpAddress -like "*@$($Matches[1])" } |
                Select-Object -First 1 | ForEach-Object { [pscustomobject]$_ }
        }
        function Validate-OutboundConnector {
            [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
            param([Parameter(Mandatory)] [string] $Identity, [Parameter(Mandatory)] [string[]] $Recipients)
            if ($PSCmdlet.ShouldProcess($Identity, 'Validate-OutboundConnector')) {
                $global:ExoCalls.Add("Validate-OutboundConnector $Identity -Recipients $($Recipients -join ',')")
                [pscustomobject]@{ Identity = $Identity; IsTaskSuccessful = $true; TaskName = 'SendMail'; Details = 'Sent' }
            }
        }
        Export-ModuleMember -Function *
    }

    function Reset-Tenant {
        $global:ExoCalls = [System.Collections.Generic.List[string]]::new()
        $global:ExoFailure = @{}
        $global:ExoNotFoundShape = 'Remoting'
        $global:ExoLanguage = 'en'
        $global:Tenant = @{
            Recipients = @()
            Connectors = @(
                @{ Identity = 'Contoso on-premises'; Name = 'Contoso on-premises'; ConnectorType = 'OnPremises'; Enabled = $true; UseMXRecord = $false
                   SmartHosts = [System.Collections.ArrayList]@('mail.contoso.com'); RecipientDomains = [System.Collections.ArrayList]@('contoso.com', 'sub.contoso.com')
                   TlsSettings = $null; TlsDomain = $null; ConnectorSource = 'Default' }
                @{ Identity = 'Fabrikam partner'; Name = 'Fabrikam partner'; ConnectorType = 'Partner'; Enabled = $true; UseMXRecord = $false
                   SmartHosts = [System.Collections.ArrayList]@('mx.fabrikam.com'); RecipientDomains = [System.Collections.ArrayList]@('fabrikam.com')
                   TlsSettings = 'DomainValidation'; TlsDomain = 'mx.fabrikam.com'; ConnectorSource = 'Default' }
                @{ Identity = 'Lab TLS'; Name = 'Lab TLS'; ConnectorType = 'OnPremises'; Enabled = $true; UseMXRecord = $false
                   SmartHosts = [System.Collections.ArrayList]@('wrongname.lab.test'); RecipientDomains = [System.Collections.ArrayList]@('lab.test')
                   TlsSettings = 'DomainValidation'; TlsDomain = 'mx.lab.test'; ConnectorSource = 'Default' }
            )
            Domains = @(
                @{ Identity = 'contoso.com'; Name = 'contoso.com'; DomainName = 'contoso.com'; DomainType = 'InternalRelay' }
                @{ Identity = 'sub.contoso.com'; Name = 'sub.contoso.com'; DomainName = 'sub.contoso.com'; DomainType = 'Authoritative' }
                @{ Identity = 'lab.test'; Name = 'lab.test'; DomainName = 'lab.test'; DomainType = 'Authoritative' }
            )
        }
    }

    # Like Connect-ExchangeOnline: a temporary module on disk, imported globally, with an optional noun prefix.
    function Connect-StandIn([string] $Prefix) {
        Get-Module tmpEXO_* | Remove-Module -Force
        $name = 'tmpEXO_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive $name) -Force
        Set-Content (Join-Path $dir "$name.psm1") -Value $StandIn.ToString()
        $common = @{ Name = (Join-Path $dir "$name.psm1"); Global = $true; Force = $true; DisableNameChecking = $true }
        if ($Prefix) { Import-Module @common -Prefix $Prefix } else { Import-Module @common }
    }

    function Get-ConnectorState($Name) { $global:Tenant.Connectors | Where-Object Name -eq $Name }
    function Get-DomainType($Name) { ($global:Tenant.Domains | Where-Object DomainName -eq $Name).DomainType }
}

AfterAll {
    Get-Module tmpEXO_* | Remove-Module -Force
    Remove-Variable ExoFailure, ExoNotFoundShape, ExoLanguage -Scope Global -ErrorAction SilentlyContinue
    $global:PSDefaultParameterValues.Remove('Repair-ConnectorConfig:DnsServer')
    if ($script:Lab) { Stop-MailFlowLab $script:Lab }
}

Describe 'Repair-ConnectorConfig with the Exchange Online cmdlets in the session' {
    BeforeEach { Reset-Tenant; Connect-StandIn }

    It 'for 4.4.316 with -Decommissioned disables the on-premises connector, then makes its InternalRelay domain Authoritative' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $a.Action | Should -Be @('DisableConnector', 'SetAcceptedDomainAuthoritative', 'SetAcceptedDomainAuthoritative')
        $a.Status | Should -Be @('Applied', 'Applied', 'Skipped')   # sub.contoso.com is Authoritative already
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeFalse
        Get-DomainType 'contoso.com' | Should -Be 'Authoritative'
        # -Confirm:$false is passed, so the Exchange cmdlets do not ask a second time.
        $sets = @($global:ExoCalls | Where-Object { $_ -like 'Set-*' })
        $sets | Should -HaveCount 2
        $sets[0] | Should -BeLike 'Set-OutboundConnector Contoso on-premises *'
        $sets[0] | Should -Match '-Enabled False' 
        $sets[0] | Should -Match '-Confirm False'
        $sets[1] | Should -Be 'Set-AcceptedDomain contoso.com -DomainType Authoritative'
        $a[0].RollbackCommand | Should -Be "Set-OutboundConnector -Identity 'Contoso on-premises' -Enabled `$true -Confirm:`$false"
        $a[1].RollbackCommand | Should -Be "Set-AcceptedDomain -Identity 'contoso.com' -DomainType 'InternalRelay' -Confirm:`$false"
    }

    It 'restores the state before when the rollback commands are run' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $a | Where-Object Status -eq 'Applied' | ForEach-Object { Invoke-Expression $_.RollbackCommand }
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeTrue
        Get-DomainType 'contoso.com' | Should -Be 'InternalRelay'
    }

    It 'makes no Set call under -WhatIf and reports Planned' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -WhatIf | Where-Object Action -notlike 'Check*'
        ($a | Where-Object Automatic).Status | Should -Be @('Planned', 'Planned', 'Skipped')
        $global:ExoCalls | Where-Object { $_ -like 'Set-*' } | Should -BeNullOrEmpty
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeTrue
    }

    It 'reports Skipped on a second run after applying' {
        $null = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false
        $global:ExoCalls.Clear()
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $a.Status | Should -Be @('Skipped', 'Skipped', 'Skipped')
        $global:ExoCalls | Where-Object { $_ -like 'Set-*' } | Should -BeNullOrEmpty
    }

    It 'never disables a Partner connector, even with -Decommissioned' {
        $a = Repair-ConnectorConfig -Connector 'Fabrikam partner' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $a.Automatic | Should -Not -Contain $true
        $a[0].Status | Should -Be 'Manual'
        $a[0].Rationale | Should -Match 'partner'
        $a[0].Responsible | Should -Be 'Partner'
        # The partner's firewall is not the admin's: no list of Microsoft 365's ranges, but what to send them.
        $a[0].Steps | Should -Not -Match '40\.107\.0\.0/16'
        $a[0].Steps | Should -Match 'Test-ConnectorDelivery'
        (Get-ConnectorState 'Fabrikam partner').Enabled | Should -BeTrue
        $global:ExoCalls | Where-Object { $_ -like 'Set-*' } | Should -BeNullOrEmpty
    }

    It 'never switches contoso.com for a wildcard recipient domain *.contoso.com' {
        (Get-ConnectorState 'Contoso on-premises').RecipientDomains = [System.Collections.ArrayList]@('*.contoso.com')
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $a.Action | Should -Be @('DisableConnector', 'SetAcceptedDomainAuthoritative')
        # No accepted domain would change, so nothing is disabled either (the check before -Decommissioned acts).
        $a[0].Status | Should -Be 'Manual'
        $a[0].Steps | Should -Match 'nothing would change, so nothing is disabled'
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeTrue
        # *.contoso.com is the subdomains of contoso.com: no accepted domain is switched for it, the admin is told how to find one.
        $a[1].Status | Should -Be 'Manual'
        $a[1].Steps | Should -Match '\*\.contoso\.com stands for the subdomains of contoso\.com, never for contoso\.com itself'
        $a.Command | Should -Not -Match 'Set-AcceptedDomain'
        $global:ExoCalls | Where-Object { $_ -like 'Set-AcceptedDomain*' } | Should -BeNullOrEmpty
        Get-DomainType 'contoso.com' | Should -Be 'InternalRelay'
    }

    It 'without -Decommissioned plans the firewall rule for Microsoft 365 on TCP 25, naming the host and address' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -DestinationServer mail.contoso.com -LastAttemptedIP 203.0.113.5 -Confirm:$false
        $a.Status | Should -Be 'Manual'
        $a.Action | Should -Be 'AllowMicrosoft365OnPort25'
        $a.Steps | Should -Match 'mail\.contoso\.com \(203\.0\.113\.5\)'
        $a.Steps | Should -Match '40\.107\.0\.0/16'
        $a.Command | Should -Match '^Get-MailFlowEndpoint '
        $global:ExoCalls | Where-Object { $_ -like 'Set-*' } | Should -BeNullOrEmpty
    }

    It 'plans every scenario of a bare <Code> that the connector cannot rule out, each for this case' -ForEach @(
        @{ Code = '450 4.4.312'; Actions = 'RenewDomain', 'FixDns', 'FixDnsHosting', 'AddAddressRecord'; Match = 'Resolve-DnsName' }
        @{ Code = '4.4.315'; Actions = 'CheckServerReachable', 'CheckMailService', 'CheckMailService'; Match = 'Test-NetConnection' }
        @{ Code = '5.4.318'; Actions = @('CheckConnectionDrops'); Match = 'Transcript' }
        @{ Code = '451 4.7.500'; Actions = @('Investigate'); Match = 'Get-OutboundConnector' }
    ) {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code $Code -DestinationServer mail.contoso.com -Confirm:$false
        $a.Action | Should -Be $Actions
        $a.Status | ForEach-Object { $_ | Should -Be 'Manual' }
        $a.Automatic | Should -Not -Contain $true
        ($a.Command -join "`n") | Should -Match $Match
        $a.Steps | ForEach-Object { $_ | Should -Match 'mail\.contoso\.com' }
        $a.Reason | Should -Not -Contain 'None'
        $global:ExoCalls | Where-Object { $_ -like 'Set-*' } | Should -BeNullOrEmpty
    }

    It 'rules out the 4.4.317 scenarios the connector''s TlsSettings cannot produce' {
        # Contoso on-premises uses opportunistic TLS: "STARTTLS not offered" would only warn there.
        $open = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.317' -DestinationServer mail.contoso.com -Confirm:$false
        $open.Reason | Should -Not -Contain 'StartTlsNotOffered'
        $open.Reason | Should -Contain 'ServiceNotAvailable'
        $open.Reason | Should -Not -Contain 'CertificateExpired'
        # Lab TLS validates certificates and names: there a bare 4.4.317 may be a certificate failure as Exchange Online spells it.
        $strict = Repair-ConnectorConfig -Connector 'Lab TLS' -Code '450 4.4.317' -Confirm:$false
        $strict.Reason | Should -Contain 'StartTlsNotOffered'
        $strict.Reason | Should -Contain 'CertificateNameMismatch'
    }

    It 'plans the named scenario only when the input names one (-Reason)' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.317' -Reason ServiceNotAvailable -DestinationServer busy.contoso.com `
            -ServerResponse '421 4.3.2 Service not available' -Confirm:$false
        $a.Action | Should -Be 'CheckServerCapacity'
        $a.Reason | Should -Be 'ServiceNotAvailable'
        $a.Rationale | Should -Match '421 4\.3\.2 Service not available'
        $a.Steps | Should -Match 'MaxInboundConnection'
        $a.Steps | Should -Not -Match 'TLS'
    }

    It 'gives an ErrorRecord for a -Code that is no code in any spelling, and goes on' {
        $in = @(
            [pscustomobject]@{ Connector = 'Contoso on-premises'; Code = 'hello' }
            [pscustomobject]@{ Connector = 'Contoso on-premises'; Code = '450 4.4.316'; DestinationServer = 'mail.contoso.com' }
        )
        $a = $in | Repair-ConnectorConfig -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCode,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be 'hello'
        $errs[0].Exception.Message | Should -Match '450 4\.4\.316.*4\.4\.316.*550 5\.4\.316'
        $a.Action | Should -Be 'AllowMicrosoft365OnPort25'
    }

    It 'finds the cmdlets under a -Prefix and reports commands with it' {
        Connect-StandIn -Prefix 'Cloud'
        Get-Command Get-OutboundConnector -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $a[0].Status | Should -Be 'Applied'
        $a[0].Command | Should -BeLike 'Set-CloudOutboundConnector *'
        $a[1].RollbackCommand | Should -BeLike 'Set-CloudAcceptedDomain *'
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeFalse
    }

    It 'never calls an on-premises command of the same name' {
        $global:OnPremCalls = [System.Collections.Generic.List[string]]::new()
        $onPrem = New-Module -Name OnPremExchange -ScriptBlock {
            function Get-AcceptedDomain { [CmdletBinding()] param($Identity) $global:OnPremCalls.Add('Get-AcceptedDomain') }
            function Set-AcceptedDomain { [CmdletBinding(SupportsShouldProcess)] param($Identity, $DomainType) $global:OnPremCalls.Add('Set-AcceptedDomain') }
            Export-ModuleMember -Function *
        } | Import-Module -Global -Force -PassThru -DisableNameChecking
        try {
            Connect-StandIn -Prefix 'Cloud'
            $null = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false
            $global:OnPremCalls | Should -BeNullOrEmpty
            Get-DomainType 'contoso.com' | Should -Be 'Authoritative'
        }
        finally { Remove-Module OnPremExchange -Force }
    }

    It 'passes Succeeded probe results quietly' {
        $ok = [pscustomobject]@{ Connector = 'Contoso on-premises'; Code = $null; Status = 'Succeeded'; DestinationServer = 'mail.contoso.com' }
        $out = $ok | Repair-ConnectorConfig -Confirm:$false -Verbose 4>&1
        @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join ' ' | Should -Match 'Nothing to repair'
    }

    It 'says so for a connector Exchange cannot find (<Shape>, <Language>) and goes on' -ForEach @(
        @{ Shape = 'Remoting'; Language = 'en' }
        @{ Shape = 'Rest'; Language = 'en' }
        @{ Shape = 'Reason'; Language = 'en' }
        @{ Shape = 'Remoting'; Language = 'fr' }
        @{ Shape = 'Rest'; Language = 'fr' }
    ) {
        $global:ExoNotFoundShape = $Shape
        $global:ExoLanguage = $Language
        $in = @(
            [pscustomobject]@{ Connector = 'Nope'; Code = '450 4.4.316' }
            [pscustomobject]@{ Connector = 'Contoso on-premises'; Code = '450 4.4.312' }
        )
        $a = $in | Repair-ConnectorConfig -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $global:ExoCalls | Should -Contain 'Get-OutboundConnector Nope'
        $a.Action | Should -Contain 'FixDns'   # the next input is planned
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ConnectorNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'Nope'
        # Exchange's own error stays inside.
        $exchange = $errs[0].Exception.InnerException
        $exchange.GetType().Name | Should -Be 'ExchangeCommandException'
        $exchange.IsNotFound | Should -BeTrue
        $exchange.CommandName | Should -Be 'Get-OutboundConnector'
        $exchange.ExchangeCategory | Should -Be 'NotSpecified'
        $exchange.InnerException.Message | Should -Match ($(if ($Language -eq 'fr') { 'introuvable' } else { "couldn't be found" }))
    }

    It 'gives any other error of Get-OutboundConnector as ConnectorNotReadable with Exchange''s category and id, and goes on' {
        # An error that is no "not found" (after MicrosoftDocs/office-docs-powershell#6293), whose wording even says "not found".
        $id = "$ExoServer [FailureCategory=Cmdlet-ADOperationException] 276E34A1,Microsoft.Exchange.Management.SystemConfigurationTasks.GetOutboundConnector"
        $message = 'Active Directory operation failed on XXXP123.PROD.OUTLOOK.COM. This error is not retriable. Additional information: Insufficient access rights to perform the operation (role assignment not found).'
        $global:ExoFailure['Get-OutboundConnector'] = [System.Management.Automation.ErrorRecord]::new([Exception]::new($message), $id, 'PermissionDenied', 'Contoso on-premises')
        $in = @(
            [pscustomobject]@{ Connector = 'Contoso on-premises'; Code = '450 4.4.316' }
            [pscustomobject]@{ Code = '450 4.4.312'; DestinationServer = 'mail.contoso.com' }
        )
        $a = $in | Repair-ConnectorConfig -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $a.Action | Should -Contain 'FixDns'
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ConnectorNotReadable,*'
        $errs[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $errs[0].TargetObject | Should -Be 'Contoso on-premises'
        $e = $errs[0].Exception
        $e.IsNotFound | Should -BeFalse
        $e.ExchangeErrorId | Should -BeLike ([WildcardPattern]::Escape($id) + '*')   # WriteError adds ",<command>"
        $e.ExchangeCategory | Should -Be 'PermissionDenied'
        $e.ExchangeTargetObject | Should -Be 'Contoso on-premises'
        $e.InnerException.Message | Should -Be $message
        $e.Message | Should -Match ('^Get-OutboundConnector failed \(PermissionDenied: Exception, ' + [regex]::Escape($id) + '.*\): ' + [regex]::Escape($message) + '$')
    }

    It 'gives a failed Set- to the admin as RepairFailed with Exchange''s error inside (<Category>)' -ForEach @(
        @{ Category = 'PermissionDenied'; Ours = 'PermissionDenied' }
        @{ Category = 'NotSpecified'; Ours = 'InvalidOperation' }
    ) {
        $id = "$ExoServer [FailureCategory=Cmdlet-ADOperationException] 276E34A1,Microsoft.Exchange.Management.SystemConfigurationTasks.SetOutboundConnector"
        $message = 'Active Directory operation failed on XXXP123.PROD.OUTLOOK.COM. This error is not retriable. Additional information: Insufficient access rights to perform the operation.'
        $global:ExoFailure['Set-OutboundConnector'] = [System.Management.Automation.ErrorRecord]::new([Exception]::new($message), $id, $Category, 'Contoso on-premises')
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue | Where-Object Action -notlike 'Check*'
        $disable = $a | Where-Object Action -eq 'DisableConnector'
        $disable.Status | Should -Be 'Failed'
        $disable.Detail | Should -Match ([regex]::Escape('[FailureCategory=Cmdlet-ADOperationException]'))
        $disable.Detail | Should -Match 'Insufficient access rights'
        ($a | Where-Object Action -eq 'SetAcceptedDomainAuthoritative')[0].Status | Should -Be 'Failed'   # it waited on the disable
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeTrue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RepairFailed,*'
        $errs[0].CategoryInfo.Category | Should -Be $Ours
        $errs[0].TargetObject | Should -Be 'Contoso on-premises'
        $e = $errs[0].Exception
        $e.GetType().Name | Should -Be 'ExchangeCommandException'
        $e.CommandName | Should -Be 'Set-OutboundConnector'
        $e.ExchangeCategory | Should -Be $Category
        $e.ExchangeErrorId | Should -BeLike ([WildcardPattern]::Escape($id) + '*')   # WriteError adds ",<command>"
        $e.ExchangeError.CategoryInfo.Category | Should -Be $Category
        $e.IsNotFound | Should -BeFalse
        $e.InnerException.Message | Should -Be $message
        $e.Message | Should -Match ("^Set-OutboundConnector failed \($Category" + '.*' + [regex]::Escape($id) + '.*\): ' + [regex]::Escape($message) + '$')
    }

    It 'keeps Exchange''s error when the session''s $ErrorActionPreference turns it into a stop' {
        $global:ExoNotFoundShape = 'Rest'
        $in = @(
            [pscustomobject]@{ Connector = 'Nope'; Code = '450 4.4.316' }
            [pscustomobject]@{ Connector = 'Contoso on-premises'; Code = '450 4.4.312' }
        )
        $before = $global:ErrorActionPreference
        $global:ErrorActionPreference = 'Stop'   # the Exchange cmdlet's error is thrown, not written
        try { $a = $in | Repair-ConnectorConfig -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue }
        finally { $global:ErrorActionPreference = $before }
        $a.Action | Should -Contain 'FixDns'
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ConnectorNotFound,*'
        $errs[0].Exception.InnerException.IsNotFound | Should -BeTrue
    }

    It 'asks Exchange Online to validate the connector with -ValidationRecipient' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -ValidationRecipient probe@contoso.com -Confirm:$false
        ($a | Where-Object Action -eq 'ValidateConnector').Status | Should -Be 'Applied'
        $global:ExoCalls | Should -Contain 'Validate-OutboundConnector Contoso on-premises -Recipients probe@contoso.com'
        $null = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.315 -ValidationRecipient probe@contoso.com -WhatIf
        @($global:ExoCalls | Where-Object { $_ -like 'Validate-*' }).Count | Should -Be 1
    }
}

Describe 'Repair-ConnectorConfig -Undo: applied changes re-planned from the live tenant' {
    BeforeEach { Reset-Tenant; Connect-StandIn }

    It 'undoes a decommission through <Name>, the dependent step first, without running stored text' -ForEach @(
        @{ Name = 'the live actions'; Via = { param($a, $dir) $a } }
        @{ Name = 'Export-Clixml'; Via = { param($a, $dir) $p = Join-Path $dir 'actions.xml'; $a | Export-Clixml $p; Import-Clixml $p } }
        @{ Name = 'Export-Csv'; Via = { param($a, $dir) $p = Join-Path $dir 'actions.csv'; $a | Export-Csv $p; Import-Csv $p } }
    ) {
        $applied = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeFalse
        ($applied | Where-Object Action -eq 'DisableConnector').Setting | Should -Be 'Enabled'
        ($applied | Where-Object Action -eq 'DisableConnector').OldValue | Should -Be 'True'
        $global:ExoCalls.Clear()
        $back = & $Via $applied $TestDrive
        # Stored command text that would do harm if it were run: -Undo must not run it.
        foreach ($b in $back) { $b.RollbackCommand = 'Remove-Item -Recurse C:\'; $b.Command = 'Remove-Item -Recurse C:\' }
        $undo = @($back | Repair-ConnectorConfig -Undo -Confirm:$false)
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeTrue
        Get-DomainType 'contoso.com' | Should -Be 'InternalRelay'
        Get-DomainType 'sub.contoso.com' | Should -Be 'Authoritative'   # it was Skipped (already Authoritative): not touched
        $sets = @($global:ExoCalls | Where-Object { $_ -like 'Set-*' })
        $sets | Should -Be @('Set-AcceptedDomain contoso.com -DomainType InternalRelay', 'Set-OutboundConnector Contoso on-premises -Enabled True -Confirm False')
        ($undo | Where-Object Status -eq 'Applied').Action | Should -Be @('UndoSetAcceptedDomainAuthoritative', 'UndoDisableConnector')
        $undo.Command | Should -Not -Match 'Remove-Item'
    }

    It 'reports Skipped when the old value is already back, and makes no call' {
        $applied = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $null = $applied | Repair-ConnectorConfig -Undo -Confirm:$false
        $global:ExoCalls.Clear()
        $again = $applied | Repair-ConnectorConfig -Undo -Confirm:$false
        $again.Status | Should -Be @('Skipped', 'Skipped')
        $global:ExoCalls | Where-Object { $_ -like 'Set-*' } | Should -BeNullOrEmpty
    }

    It 'leaves a setting someone changed since as it is, and says so' {
        $applied = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        (Get-DomainType 'contoso.com') | Should -Be 'Authoritative'
        ($global:Tenant.Domains | Where-Object DomainName -eq 'contoso.com').DomainType = 'ExternalRelay'
        $global:ExoCalls.Clear()
        $undo = $applied | Repair-ConnectorConfig -Undo -Confirm:$false
        $domain = $undo | Where-Object Action -eq 'UndoSetAcceptedDomainAuthoritative'
        $domain.Status | Should -Be 'Skipped'
        $domain.Detail | Should -Match 'ExternalRelay'
        Get-DomainType 'contoso.com' | Should -Be 'ExternalRelay'
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeTrue
    }

    It 'plans the undo under -WhatIf and changes nothing' {
        $applied = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $global:ExoCalls.Clear()
        $undo = $applied | Repair-ConnectorConfig -Undo -WhatIf
        ($undo | Where-Object Action -like 'Undo*').Status | Should -Be @('Planned', 'Planned')
        $global:ExoCalls | Where-Object { $_ -like 'Set-*' } | Should -BeNullOrEmpty
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeFalse
    }

    It 'refuses -Undo with a repair option, and text piped without -Code' {
        { Repair-ConnectorConfig -Undo -Decommissioned -InputObject ([pscustomobject]@{ Status = 'Applied' }) -Confirm:$false } |
            Should -Throw -ErrorId 'UndoWithRepairOptions*'
        $null = '450 4.4.316' | Repair-ConnectorConfig -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'StringPiped*'
    }

    It 'gives NotUndoable for an action without Setting and goes on with the next' {
        $applied = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -Confirm:$false | Where-Object Action -notlike 'Check*'
        $old = $applied[1] | Select-Object * -ExcludeProperty Setting, OldValue, NewValue
        $undo = @($applied[0], $old | Repair-ConnectorConfig -Undo -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NotUndoable*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $undo.Action | Should -Be 'UndoDisableConnector'
        (Get-ConnectorState 'Contoso on-premises').Enabled | Should -BeTrue
    }
}

Describe 'Repair-ConnectorConfig on the lab (certificates)' {
    BeforeEach { Reset-Tenant; Connect-StandIn }

    It 'adopts a trusted certificate name inside the accepted domains only with -AdoptCertificateName' {
        $global:Tenant.Domains += @{ Identity = 'example.test'; Name = 'example.test'; DomainName = 'example.test'; DomainType = 'Authoritative' }
        $probe = Get-OutboundConnector 'Lab TLS' | Test-ConnectorDelivery @ProbeArgs
        $probe.Code | Should -Be '450 4.7.320'
        $probe.CertificateErrors | Should -Match 'SubjectMismatch'

        $manual = $probe | Repair-ConnectorConfig @ProbeArgs -Confirm:$false
        $manual.Action | Should -Be 'ReplaceCertificate'
        $manual.Status | Should -Be 'Manual'
        $manual.Reason | Should -Be 'CertificateNameMismatch'
        $manual.Rationale | Should -Match 'other\.example\.test'
        $manual.Rationale | Should -Match 'mx\.lab\.test'
        $manual.Steps | Should -Match 'Enable-ExchangeCertificate'
        $manual.Steps | Should -Match 'Hybrid Configuration Wizard'
        (Get-ConnectorState 'Lab TLS').TlsDomain | Should -Be 'mx.lab.test'

        $a = $probe | Repair-ConnectorConfig -AdoptCertificateName -Verify @ProbeArgs -Confirm:$false
        ($a | Where-Object Action -eq 'SetTlsDomain').Status | Should -Be 'Applied'
        (Get-ConnectorState 'Lab TLS').TlsDomain | Should -Be 'other.example.test'
        ($a | Where-Object Action -eq 'SetTlsDomain').RollbackCommand | Should -Match "-TlsDomain 'mx\.lab\.test'"
        ($a | Where-Object Action -eq 'SetTlsDomain').Rationale | Should -Match 'trusted here only through -CertificateAuthority'
        ($a | Where-Object Action -eq 'Verify').Status | Should -Be 'Applied'
        (Get-ConnectorState 'Lab TLS').TlsSettings | Should -Be 'DomainValidation'   # never lowered
        Invoke-Expression ($a | Where-Object Action -eq 'SetTlsDomain').RollbackCommand
        (Get-ConnectorState 'Lab TLS').TlsDomain | Should -Be 'mx.lab.test'   # the rollback restores the state before
    }

    It 'does not adopt a name outside the recipient and accepted domains' {
        $probe = Get-OutboundConnector 'Lab TLS' | Test-ConnectorDelivery @ProbeArgs
        $a = $probe | Repair-ConnectorConfig -AdoptCertificateName @ProbeArgs -Confirm:$false
        $a.Status | Should -Be 'Manual'
        $a.Rationale | Should -Match 'No name on the certificate'
        (Get-ConnectorState 'Lab TLS').TlsDomain | Should -Be 'mx.lab.test'
    }

    It 'does not adopt the name of an expired or untrusted certificate (<SmartHost>)' -ForEach @(
        @{ SmartHost = 'expired.lab.test' }, @{ SmartHost = 'selfsigned.lab.test' }
    ) {
        $c = Get-ConnectorState 'Lab TLS'
        $c.SmartHosts = [System.Collections.ArrayList]@($SmartHost)
        $c.TlsDomain = 'wrong.lab.test'
        $probe = Get-OutboundConnector 'Lab TLS' | Test-ConnectorDelivery @ProbeArgs
        $probe.Code | Should -Be '450 4.7.320'
        $a = $probe | Repair-ConnectorConfig -AdoptCertificateName @ProbeArgs -Confirm:$false
        $a.Action | Should -Be 'ReplaceCertificate'
        $a.Status | Should -Be 'Manual'
        # Not a name problem first (expired, or not from a trusted root): nothing to adopt, the certificate is the fix.
        $a.Reason | Should -BeIn 'CertificateExpired', 'CertificateUntrustedRoot'
        $a.Rationale | Should -Match 'expired|trust'
        (Get-ConnectorState 'Lab TLS').TlsDomain | Should -Be 'wrong.lab.test'
        $global:ExoCalls | Where-Object { $_ -like 'Set-*' } | Should -BeNullOrEmpty
    }
}

Describe 'One alert per fault, whatever spelled it' {
    BeforeEach { Reset-Tenant; Connect-StandIn }

    BeforeAll {
        # A message trace detail row as Get-MessageTraceDetailV2 writes it, for the connector 'Lab TLS'.
        function New-TraceRow([string] $Detail, [string] $Id) {
            [pscustomobject]@{
                Date = [datetime]::UtcNow.AddMinutes(-30); Event = 'Defer'; Action = 'Defer'; Detail = $Detail
                Data = '<root><MEP Name="ConnectorId" String="Lab TLS" /></root>'; MessageId = "<$Id@contoso.com>"
                MessageTraceId = [guid]::NewGuid(); RecipientAddress = 'someone@lab.test'
            }
        }
    }

    It 'groups a probe''s 450 4.7.320 and a trace row''s 450 4.4.317 [Message=UntrustedRoot] for one server into one alert, planned as a certificate fix' {
        $probe = Test-ConnectorDelivery -SmartHost selfsigned.lab.test -TlsSettings CertificateValidation -Connector 'Lab TLS' @ProbeArgs
        $probe.Code | Should -Be '450 4.7.320'
        $probe.Reason | Should -Be 'CertificateUntrustedRoot'
        $row = New-TraceRow "450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot] [LastAttemptedServerName=selfsigned.lab.test] [LastAttemptedIP=127.0.0.20:25]" 'm1'
        $alerts = @($probe; $row) | Get-MailFlowAlert
        $alerts | Should -HaveCount 1
        $alerts.Code | Should -Be '450 4.7.320'
        $alerts.Reason | Should -Be 'CertificateUntrustedRoot'
        $alerts.RawCode | Should -Match '450 4\.4\.317'
        $alerts.EvidenceCount | Should -Be 2
        $alerts.MessageCount | Should -Be 1
        # Either spelling of the code finds it.
        @(@($probe; $row) | Get-MailFlowAlert -Code 4.4.317).Count | Should -Be 1
        @(@($probe; $row) | Get-MailFlowAlert -Code 4.7.320).Count | Should -Be 1
        $plan = $alerts | Repair-ConnectorConfig -WhatIf
        $plan.Action | Should -Be 'ReplaceCertificate'
        $plan.Reason | Should -Be 'CertificateUntrustedRoot'
        $plan.Rationale | Should -Match 'selfsigned\.lab\.test'
    }

    It 'brings a 4.4.317 [Message=SubjectMismatch] trace row to -AdoptCertificateName, the name coming from a fresh probe' {
        $global:Tenant.Domains += @{ Identity = 'example.test'; Name = 'example.test'; DomainName = 'example.test'; DomainType = 'Authoritative' }
        $row = New-TraceRow "450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch Expected Subject: mx.lab.test. Presented Subject: CN=forged.example.test. Thumbprint: 00] [LastAttemptedServerName=wrongname.lab.test] [LastAttemptedIP=127.0.0.19:25]" 'm2'
        $alert = $row | Get-MailFlowAlert
        $alert.Reason | Should -Be 'CertificateNameMismatch'
        $alert.Code | Should -Be '450 4.7.320'
        $a = $alert | Repair-ConnectorConfig -AdoptCertificateName @ProbeArgs -Confirm:$false
        $set = $a | Where-Object Action -eq 'SetTlsDomain'
        $set.Status | Should -Be 'Applied'
        # The name the server really presents (other.example.test), never the one the evidence text claims (forged.example.test).
        (Get-ConnectorState 'Lab TLS').TlsDomain | Should -Be 'other.example.test'
    }

    It 'never adopts a name for a Partner connector' {
        $global:Tenant.Domains += @{ Identity = 'example.test'; Name = 'example.test'; DomainName = 'example.test'; DomainType = 'Authoritative' }
        (Get-ConnectorState 'Lab TLS').ConnectorType = 'Partner'
        $probe = Get-OutboundConnector 'Lab TLS' | Test-ConnectorDelivery @ProbeArgs
        $probe.Responsible | Should -Be 'Partner'
        $a = $probe | Repair-ConnectorConfig -AdoptCertificateName @ProbeArgs -Confirm:$false
        $a.Automatic | Should -Not -Contain $true
        $a.Rationale | Should -Match 'partner'
        (Get-ConnectorState 'Lab TLS').TlsDomain | Should -Be 'mx.lab.test'
    }

    It 'plans a refusing partner MX host as partner steps, with no list of Microsoft 365 ranges' {
        $r = Test-ConnectorDelivery -Domain contoso.lab.test @ProbeArgs
        $r[0].Responsible | Should -Be 'Partner'
        $plan = $r | Get-MailFlowAlert | Repair-ConnectorConfig -WhatIf
        $plan.Action | Should -Be 'AskPartnerToAcceptConnections'
        $plan.Steps | Should -Not -Match '40\.107'
        $plan.Steps | Should -Match 'Test-ConnectorDelivery -Domain|Test-ConnectorDelivery -SmartHost'
    }
}

Describe 'Commands no crafted name can break out of' {
    BeforeAll {
        $script:Evil = "Evil' + `$(Set-Variable Pwned 1 -Scope Global) + '‘x’‚y‛ ``n`$env:PATH" + "`n" + "Remove-Item C:\x; '"
        function Assert-Inert([string] $Line, [string] $Expected) {
            if (-not $Line) { return }
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($Line, [ref]$null, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because $Line
            # Nothing runs but the commands of the line itself: no $(...), no script block, no method call, no expandable string.
            $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.SubExpressionAst] -or $n -is [System.Management.Automation.Language.ScriptBlockExpressionAst] -or
                $n -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -or $n -is [System.Management.Automation.Language.ExpandableStringExpressionAst] }, $true) |
                Should -BeNullOrEmpty -Because $Line
            foreach ($c in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $c.Parent | Should -BeOfType [System.Management.Automation.Language.PipelineAst] -Because $Line
                $c.Parent.Parent.Parent | Should -BeOfType [System.Management.Automation.Language.ScriptBlockAst] -Because $Line
                $c.GetCommandName() | Should -Not -Match 'Remove-Item|Set-Variable' -Because $Line
            }
            if ($Expected) {
                # The -Identity argument evaluates to exactly the crafted name (it is now known to run nothing).
                $cmd = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | Select-Object -First 1
                $elements = @($cmd.CommandElements)
                $i = [array]::FindIndex($elements, [Predicate[object]] { param($e) $e -is [System.Management.Automation.Language.CommandParameterAst] -and $e.ParameterName -eq 'Identity' })
                if ($i -ge 0) { (& ([scriptblock]::Create('return ' + $elements[$i + 1].Extent.Text))) | Should -BeExactly $Expected }
            }
        }
    }
    BeforeEach {
        Reset-Tenant
        $global:Pwned = $null
        $c = $global:Tenant.Connectors | Where-Object Name -eq 'Contoso on-premises'
        $c.Identity = $Evil; $c.Name = $Evil
        $lab = $global:Tenant.Connectors | Where-Object Name -eq 'Lab TLS'
        $lab.Identity = $Evil + 'TLS'; $lab.Name = $Evil + 'TLS'
        $global:Tenant.Domains += @{ Identity = 'example.test'; Name = 'example.test'; DomainName = 'example.test'; DomainType = 'Authoritative' }
    }

    It 'quotes the crafted name in every Command and RollbackCommand of every action kind (<Case>)' -ForEach @(
        @{ Case = 'with Exchange Online' ; Connected = $true }
        @{ Case = 'without Exchange Online'; Connected = $false }
    ) {
        if ($Connected) { Connect-StandIn } else { Get-Module tmpEXO_* | Remove-Module -Force }
        $actions = [System.Collections.Generic.List[object]]::new()
        $common = @{ WhatIf = $true; WarningAction = 'SilentlyContinue'; ErrorAction = 'SilentlyContinue' }
        # Every scenario of the catalog (the enum is the engine's; a result carries its type).
        foreach ($reason in (Test-ConnectorDelivery -SmartHost 10.0.0.0/8).Reason.GetType().GetEnumNames()) {
            if ($reason -eq 'None') { continue }
            Repair-ConnectorConfig -Connector $Evil -ConnectorType OnPremises -Code '450 4.4.317' -Reason $reason -DestinationServer $Evil @common | ForEach-Object { $actions.Add($_) }
            Repair-ConnectorConfig -Connector $Evil -ConnectorType Partner -Code '450 4.4.317' -Reason $reason -DestinationServer $Evil @common | ForEach-Object { $actions.Add($_) }
        }
        Repair-ConnectorConfig -Connector $Evil -Code 4.4.316 -Decommissioned -AcceptedDomain contoso.com, "nope$Evil" -ValidationRecipient "a@b.c" @common | ForEach-Object { $actions.Add($_) }
        Repair-ConnectorConfig -Connector $Evil -ConnectorType OnPremises -Code 4.4.316 -Decommissioned -AcceptedDomain contoso.com @common | ForEach-Object { $actions.Add($_) }
        Repair-ConnectorConfig -Connector ($Evil + 'TLS') -Code 4.7.320 -Reason CertificateNameMismatch -AdoptCertificateName @ProbeArgs @common | ForEach-Object { $actions.Add($_) }
        Repair-ConnectorConfig -Connector $Evil -Code '451 4.7.500' -DestinationServer $Evil @common | ForEach-Object { $actions.Add($_) }
        $kinds = $actions.Action | Sort-Object -Unique
        $kinds.Count | Should -BeGreaterThan 15
        if ($Connected) { $kinds | Should -Contain 'DisableConnector'; $kinds | Should -Contain 'SetTlsDomain'; $kinds | Should -Contain 'ValidateConnector' }
        else { $kinds | Should -Contain 'ConfirmOnPremisesConnector' }
        foreach ($a in $actions) {
            Assert-Inert $a.Command
            Assert-Inert $a.RollbackCommand
            if ($a.Command -like 'Set-*OutboundConnector*') { Assert-Inert $a.Command ($Evil + $(if ($a.Action -eq 'SetTlsDomain') { 'TLS' } else { '' })) }
        }
        $global:Pwned | Should -BeNullOrEmpty
    }

    It 'keeps the crafted names inside their literals in every command of the offline plan, in order' {
        Get-Module tmpEXO_* | Remove-Module -Force
        $common = @{ WarningAction = 'SilentlyContinue'; Confirm = $false }
        $decommission = Repair-ConnectorConfig -Connector $Evil -Code 4.4.316 -Decommissioned -AcceptedDomain $Evil @common
        $decommission.Action | Should -Be @('ConfirmOnPremisesConnector', 'DisableConnector', 'SetAcceptedDomainAuthoritative')
        $adopt = Repair-ConnectorConfig -Connector ($Evil + 'TLS') -Code 4.7.320 -Reason CertificateNameMismatch -DestinationServer wrongname.lab.test -AdoptCertificateName @ProbeArgs @common
        $adopt.Action | Should -Be @('ConfirmConnectorSettings', 'SetTlsDomain')
        foreach ($a in @($decommission; $adopt)) {
            $a.Status | Should -Be 'Manual'
            $expected = if ($a.Target -eq ($Evil + 'TLS')) { $Evil + 'TLS' } else { $Evil }
            Assert-Inert $a.Command $expected
            Assert-Inert $a.RollbackCommand $expected
        }
        $global:Pwned | Should -BeNullOrEmpty
    }
}

Describe 'Repair-ConnectorConfig without Exchange Online' {
    BeforeAll { Get-Module tmpEXO_* | Remove-Module -Force }

    It 'changes nothing, warns how to connect, and still gives the plan with runnable commands' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -WarningVariable warn -WarningAction SilentlyContinue | Where-Object Action -notlike 'Check*'
        $warn[0] | Should -Match 'Connect-ExchangeOnline'
        $a | Should -Not -BeNullOrEmpty
        $a.Status | Should -Not -Contain 'Applied'
        $a.Command | ForEach-Object { { [scriptblock]::Create($_) } | Should -Not -Throw }
        # The type is not known without Exchange Online: nothing is changed; the way to check it comes first, then the commands.
        $a[0].Action | Should -Be 'ConfirmOnPremisesConnector'
        $a.Status | Should -Be @('Manual', 'Manual', 'Manual')
        $a[0].Rationale | Should -Match 'OnPremises'
        $a[1].Command | Should -Be "Set-OutboundConnector -Identity 'Contoso on-premises' -Enabled `$false -Confirm:`$false"
        ($a | ConvertTo-Csv -NoTypeInformation) -join "`n" | Should -Not -Match 'System\.'
    }

    It 'lists, after the step that confirms the type, every command -Decommissioned would run, in order, each Manual' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -AcceptedDomain contoso.com, sub.contoso.com -ErrorVariable err -WarningAction SilentlyContinue | Where-Object Action -notlike 'Check*'
        $err | Should -BeNullOrEmpty
        $a.Action | Should -Be @('ConfirmOnPremisesConnector', 'DisableConnector', 'SetAcceptedDomainAuthoritative', 'SetAcceptedDomainAuthoritative')
        $a.Status | Should -Be @('Manual', 'Manual', 'Manual', 'Manual')
        $a.Automatic | Should -Not -Contain $true   # a person runs them, once the type is confirmed
        $a.Command | Should -Be @(
            "Get-OutboundConnector -Identity 'Contoso on-premises' | Select-Object Name, ConnectorType, Enabled, RecipientDomains"
            "Set-OutboundConnector -Identity 'Contoso on-premises' -Enabled `$false -Confirm:`$false"
            "Set-AcceptedDomain -Identity 'contoso.com' -DomainType 'Authoritative' -Confirm:`$false"
            "Set-AcceptedDomain -Identity 'sub.contoso.com' -DomainType 'Authoritative' -Confirm:`$false")
        $a.DependsOn | Should -Be @($null, 'ConfirmOnPremisesConnector', 'DisableConnector', 'DisableConnector')
        $a[1].Steps | Should -Match 'Only once Contoso on-premises is confirmed OnPremises'
        # The connector's rollback is known; a domain's DomainType is not, so it has none and says how to note it first.
        $a[1].RollbackCommand | Should -Be "Set-OutboundConnector -Identity 'Contoso on-premises' -Enabled `$true -Confirm:`$false"
        $a[2].RollbackCommand | Should -BeNullOrEmpty
        $a[2].Steps | Should -Match 'DomainType now is not known here, so there is no RollbackCommand'
        $a[2].Steps | Should -Match ([regex]::Escape("Get-AcceptedDomain -Identity 'contoso.com' | Select-Object DomainName, DomainType"))
        $a.Command + $a.RollbackCommand | Where-Object { $_ } | ForEach-Object { { [scriptblock]::Create($_) } | Should -Not -Throw }
    }

    It 'lists the connector''s recipient domains to switch when -AcceptedDomain does not name them' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -WarningAction SilentlyContinue | Where-Object Action -notlike 'Check*'
        $a.Action | Should -Be @('ConfirmOnPremisesConnector', 'DisableConnector', 'SetAcceptedDomainAuthoritative')
        $a[2].Command | Should -Be "Get-OutboundConnector -Identity 'Contoso on-premises' | Select-Object -ExpandProperty RecipientDomains"
        $a[2].Steps | Should -Match ([regex]::Escape("Set-AcceptedDomain -Identity '<domain>' -DomainType 'Authoritative' -Confirm:`$false"))
        $a[2].Steps | Should -Match 'never for contoso\.com itself'
        $a[2].DependsOn | Should -Be 'DisableConnector'
    }

    It 'says the same in French' {
        $ui = [cultureinfo]::CurrentUICulture
        try {
            [cultureinfo]::CurrentUICulture = 'fr-FR'
            $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -AcceptedDomain contoso.com -WarningAction SilentlyContinue | Where-Object Action -notlike 'Check*'
        }
        finally { [cultureinfo]::CurrentUICulture = $ui }
        $a.Action | Should -Be @('ConfirmOnPremisesConnector', 'DisableConnector', 'SetAcceptedDomainAuthoritative')
        $a[1].Steps | Should -Match 'Seulement une fois le type OnPremises de Contoso on-premises confirmé'
        $a[2].Steps | Should -Match "Son DomainType actuel n'est pas connu ici"
    }

    It 'lists, after the step that confirms the connector''s settings, the TlsDomain change -AdoptCertificateName would make' {
        $a = Repair-ConnectorConfig -Connector 'Lab TLS' -Code 4.7.320 -Reason CertificateNameMismatch -DestinationServer wrongname.lab.test -AdoptCertificateName @ProbeArgs -ErrorVariable err -WarningAction SilentlyContinue
        $err | Should -BeNullOrEmpty
        $a.Action | Should -Be @('ConfirmConnectorSettings', 'SetTlsDomain')
        $a.Status | Should -Be @('Manual', 'Manual')
        # The name comes from a fresh probe of the server (the lab's wrongname.lab.test presents other.example.test).
        $a.Command | Should -Be @(
            "Get-OutboundConnector -Identity 'Lab TLS' | Select-Object Name, ConnectorType, TlsSettings, TlsDomain, RecipientDomains"
            "Set-OutboundConnector -Identity 'Lab TLS' -TlsDomain 'other.example.test' -Confirm:`$false")
        $a[0].Steps | Should -Match 'TlsSettings is DomainValidation'
        $a[0].Steps | Should -Match 'other\.example\.test lies inside its recipient domains or the accepted domains'
        $a[1].DependsOn | Should -Be 'ConfirmConnectorSettings'
        $a[1].RollbackCommand | Should -BeNullOrEmpty   # its TlsDomain before is not known here
        $a[1].Steps | Should -Match 'TlsDomain before is not known here'
    }

    It 'adopts no name offline that lies outside the accepted domains named with -AcceptedDomain' {
        $a = Repair-ConnectorConfig -Connector 'Lab TLS' -Code 4.7.320 -Reason CertificateNameMismatch -DestinationServer wrongname.lab.test -AdoptCertificateName -AcceptedDomain lab.test @ProbeArgs -WarningAction SilentlyContinue
        $a.Action | Should -Be 'ReplaceCertificate'
        $a.Rationale | Should -Match 'No name on the certificate'
    }

    It 'calls no Set cmdlet of a session that has them without Get-OutboundConnector' {
        # Not an Exchange Online session (it is found through Get-OutboundConnector): these only record a call, should one come.
        $global:OfflineCalls = [System.Collections.Generic.List[string]]::new()
        function global:Set-OutboundConnector { $global:OfflineCalls.Add("Set-OutboundConnector $args") }
        function global:Set-AcceptedDomain { $global:OfflineCalls.Add("Set-AcceptedDomain $args") }
        try {
            $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -AcceptedDomain contoso.com -ConnectorType OnPremises -Confirm:$false -WarningAction SilentlyContinue | Where-Object Action -notlike 'Check*'
            $b = Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code 4.4.316 -Decommissioned -AcceptedDomain contoso.com -Confirm:$false -WarningAction SilentlyContinue
        }
        finally { Remove-Item function:Set-OutboundConnector, function:Set-AcceptedDomain }
        @($a; $b).Status | Should -Not -Contain 'Applied'
        $global:OfflineCalls | Should -BeNullOrEmpty
    }

    It 'plans the decommission as commands to run when the input says the connector is OnPremises' {
        $a = Repair-ConnectorConfig -Connector 'Contoso on-premises' -ConnectorType OnPremises -Code 4.4.316 -Decommissioned -AcceptedDomain contoso.com -WarningAction SilentlyContinue | Where-Object Action -notlike 'Check*'
        $disable = $a | Where-Object Action -eq 'DisableConnector'
        $disable.Status | Should -Be 'Manual'
        $disable.Automatic | Should -BeTrue
        $disable.Command | Should -Be "Set-OutboundConnector -Identity 'Contoso on-premises' -Enabled `$false -Confirm:`$false"
        ($a | Where-Object Action -eq 'SetAcceptedDomainAuthoritative').Command | Should -Be "Set-AcceptedDomain -Identity 'contoso.com' -DomainType 'Authoritative' -Confirm:`$false"
    }

    It 'quotes names from evidence so a crafted one cannot run code in a Command' {
        $evil = "x'+(Set-Variable -Name Pwned -Value 1 -Scope Global)+'"
        $a = Repair-ConnectorConfig -Connector "Contoso's connector" -Code 4.4.312 -DestinationServer $evil -WarningAction SilentlyContinue
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($a.Command, [ref]$null, [ref]$null)
        $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.SubExpressionAst] -or $args[0] -is [System.Management.Automation.Language.ParenExpressionAst] }, $true) | Should -BeNullOrEmpty
        @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)).Count | Should -Be 1
        $a.Command | Should -BeLike "*-Name 'x''+(Set-Variable*"
    }

    It 'closes the README chain on the lab: Test-ConnectorDelivery | Get-MailFlowAlert | Repair-ConnectorConfig -WhatIf' {
        $a = Test-ConnectorDelivery -SmartHost refused.lab.test, busy.lab.test, expired.lab.test -TlsSettings CertificateValidation @ProbeArgs |
            Get-MailFlowAlert | Repair-ConnectorConfig -WhatIf -WarningAction SilentlyContinue
        ($a.Code | Sort-Object) | Should -Be @('450 4.4.316', '450 4.4.317', '450 4.7.320')
        ($a | Where-Object Code -eq '450 4.4.316').Steps | Should -Match 'refused\.lab\.test \(127\.0\.0\.11\)'
    }
}
