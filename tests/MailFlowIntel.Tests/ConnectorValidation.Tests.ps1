# Invoke-OutboundConnectorValidation against stand-ins for the Exchange Online cmdlets only: functions of the same names
# and parameters (Validate-OutboundConnector -Identity -Recipients, Set-OutboundConnector -IsValidated
# -LastValidationTimestamp), in a module shaped like the one Connect-ExchangeOnline makes, recording every call. Microsoft
# documents no output type for Validate-OutboundConnector: the stand-in writes plausible shapes, chosen per connector.
BeforeAll {
    Import-Module $env:MFI_MODULE -Force

    # $Role: Full; ReadOnly (Get- cmdlets only); ValidateOnly (Validate- but not Set-OutboundConnector).
    $script:StandIn = {
        param([string] $Role)
        # "Not found" as ExchangeOnlineManagement v3 writes it: category NotSpecified, the type in the reason only.
        function New-ExoNotFound([string] $Identity) {
            $r = [System.Management.Automation.ErrorRecord]::new([Exception]::new("The operation couldn't be performed because object '$Identity' couldn't be found."),
                '[Server=XXXP123MB4539,RequestId=2dc2ddf5-5c7e-4a49-8993-a89a06f47264,TimeStamp=3/14/2026 10:00:00 AM],Write-ErrorMessage', 'NotSpecified', $null)
            $r.CategoryInfo.Reason = 'ManagementObjectNotFoundException'
            $r
        }
        function Get-OutboundConnector {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:ExoCalls.Add("Get-OutboundConnector $Identity")
            $found = @($global:Tenant.Connectors | Where-Object { -not $Identity -or $_.Identity -eq $Identity -or $_.Name -eq $Identity })
            if ($Identity -and -not $found) { $PSCmdlet.WriteError((New-ExoNotFound $Identity)); return }
            $found | ForEach-Object { [pscustomobject]$_ }
        }
        function Get-AcceptedDomain {
            [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
            $global:ExoCalls.Add("Get-AcceptedDomain $Identity")
            $global:Tenant.Domains | ForEach-Object { [pscustomobject]$_ }
        }
        if ($Role -ne 'ReadOnly') {
            function Validate-OutboundConnector {
                [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
                param([Parameter(Mandatory)] [string] $Identity, [Parameter(Mandatory)] [string[]] $Recipients)
                if ($PSCmdlet.ShouldProcess($Identity, 'Validate-OutboundConnector')) {
                    $global:ExoCalls.Add("Validate-OutboundConnector $Identity -Recipients $($Recipients -join ',')")
                    if ($global:ExoFailure.ContainsKey($Identity)) { $PSCmdlet.WriteError($global:ExoFailure[$Identity]); return }
                    & $global:Shapes[$global:ShapeOf[$Identity]] $Identity
                }
            }
        }
        if ($Role -eq 'Full') {
            function Set-OutboundConnector {
                [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
                param([Parameter(Mandatory, Position = 0)] [string] $Identity, [bool] $IsValidated, [datetime] $LastValidationTimestamp)
                if ($PSCmdlet.ShouldProcess($Identity, 'Set-OutboundConnector')) {
                    $global:ExoCalls.Add("Set-OutboundConnector $Identity -IsValidated $IsValidated -LastValidationTimestamp $($LastValidationTimestamp.Kind)")
                    $c = $global:Tenant.Connectors | Where-Object { $_.Identity -eq $Identity }
                    $c.IsValidated = $IsValidated
                    $c.LastValidationTimestamp = $LastValidationTimestamp
                }
            }
        }
        Export-ModuleMember -Function *
    }

    $script:Refused = '450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.25:25]'
    # Plausible shapes of Validate-OutboundConnector's output (Microsoft documents none).
    $global:Shapes = @{
        AllGood = {
            param($Identity)
            [pscustomobject]@{ Identity = $Identity; TaskName = 'Validate connectivity to smart host'; IsTaskSuccessful = $true; Details = 'Connected to mail.contoso.com' }
            [pscustomobject]@{ Identity = $Identity; TaskName = 'Send test email'; IsTaskSuccessful = $true; Details = 'Sent' }
        }
        Refused = {
            param($Identity)
            [pscustomobject]@{ Identity = $Identity; TaskName = 'Validate connectivity to smart host'; IsTaskSuccessful = $false; Error = $script:Refused }
            [pscustomobject]@{ Identity = $Identity; TaskName = 'Send test email'; IsTaskSuccessful = $true; Error = $null }
        }
        Unknown = {
            param($Identity)
            [pscustomobject]@{ Result = 'Completed'; Hosts = @([pscustomobject]@{ Host = 'mail.contoso.com'; Ok = $false }) }
            'Validation finished with 450 4.4.316 on one host'
        }
        Hostile = {
            param($Identity)
            [pscustomobject]@{ TaskName = '@SUM(1+1)'; IsTaskSuccessful = $false
                               Details = "=HYPERLINK(""http://evil.example"",""x"")`r`n<script>alert(1)</script> $script:Refused" }
        }
    }

    function Reset-Tenant {
        $global:ExoCalls = [System.Collections.Generic.List[string]]::new()
        $global:ExoFailure = @{}
        $global:ShapeOf = @{ 'Contoso on-premises' = 'AllGood'; 'Fabrikam partner' = 'AllGood'; 'Hybrid' = 'AllGood' }
        $global:Tenant = @{
            Connectors = @(
                @{ Identity = 'Contoso on-premises'; Name = 'Contoso on-premises'; ConnectorType = 'OnPremises'; Enabled = $true; UseMXRecord = $false
                   SmartHosts = @('mail.contoso.com'); RecipientDomains = @('contoso.com', '*.contoso.net'); AllAcceptedDomains = $false
                   TlsSettings = $null; TlsDomain = $null; IsValidated = $false; LastValidationTimestamp = $null }
                @{ Identity = 'Fabrikam partner'; Name = 'Fabrikam partner'; ConnectorType = 'Partner'; Enabled = $true; UseMXRecord = $false
                   SmartHosts = @('mx.fabrikam.com'); RecipientDomains = @('fabrikam.com'); AllAcceptedDomains = $false
                   TlsSettings = 'DomainValidation'; TlsDomain = 'mx.fabrikam.com'; IsValidated = $false; LastValidationTimestamp = $null }
                @{ Identity = 'Hybrid'; Name = 'Hybrid'; ConnectorType = 'OnPremises'; Enabled = $true; UseMXRecord = $false
                   SmartHosts = @('hybrid.contoso.com'); RecipientDomains = @(); AllAcceptedDomains = $true
                   TlsSettings = $null; TlsDomain = $null; IsValidated = $false; LastValidationTimestamp = $null }
            )
            Domains = @(
                @{ Identity = 'contoso.com'; Name = 'contoso.com'; DomainName = 'contoso.com'; DomainType = 'InternalRelay'; InitialDomain = $false }
                @{ Identity = 'contoso.onmicrosoft.com'; Name = 'contoso.onmicrosoft.com'; DomainName = 'contoso.onmicrosoft.com'; DomainType = 'Authoritative'; InitialDomain = $true }
            )
        }
    }

    # Like Connect-ExchangeOnline: a temporary module, imported globally, with an optional noun prefix.
    function Connect-StandIn([string] $Prefix, [string] $Role = 'Full') {
        Get-Module tmpEXO_* | Remove-Module -Force
        $name = 'tmpEXO_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $common = @{ Global = $true; Force = $true; DisableNameChecking = $true }
        if ($Prefix) { $common.Prefix = $Prefix }
        New-Module -Name $name -ScriptBlock $StandIn -ArgumentList $Role | Import-Module @common
    }

    function Get-Connector($Name) { $global:Tenant.Connectors | Where-Object Name -eq $Name }
    function Sent { @($global:ExoCalls | Where-Object { $_ -like 'Validate-*' -or $_ -like 'Set-*' }) }
}

AfterAll {
    Get-Module tmpEXO_* | Remove-Module -Force
    Remove-Variable ExoCalls, ExoFailure, Shapes, ShapeOf, Tenant -Scope Global -ErrorAction SilentlyContinue
}

Describe 'Invoke-OutboundConnectorValidation: what Validate-OutboundConnector reports' {
    BeforeEach { Reset-Tenant; Connect-StandIn }

    It 'gives Succeeded results, seen from Microsoft 365, when every task succeeded' {
        $r = Invoke-OutboundConnectorValidation -Connector 'Contoso on-premises' -ValidationRecipient probe@contoso.com, probe@mail.contoso.net
        $r | Should -HaveCount 2
        $r.Status | Should -Be @('Succeeded', 'Succeeded')
        $r.TargetStatus | Sort-Object -Unique | Should -Be 'Succeeded'
        $r.Reason | Sort-Object -Unique | Should -Be 'Delivered'
        $r.ObservedFrom | Sort-Object -Unique | Should -Be 'Microsoft365'
        $r.ProbedFrom | ForEach-Object { $_ | Should -BeExactly '' }   # Microsoft 365 saw it; nothing was probed from here
        $r.Connector | Sort-Object -Unique | Should -Be 'Contoso on-premises'
        $r.Recipient | Sort-Object -Unique | Should -Be 'probe@contoso.com; probe@mail.contoso.net'
        $r[0].Detail | Should -Be 'Validate connectivity to smart host: Details=Connected to mail.contoso.com'
        $r[0].GetType().FullName | Should -Be 'MailFlowIntel.ConnectorDeliveryResult'
        $global:ExoCalls | Should -Be @('Get-OutboundConnector Contoso on-premises', 'Validate-OutboundConnector Contoso on-premises -Recipients probe@contoso.com,probe@mail.contoso.net')
    }

    It 'gives a Failed 450 4.4.316 result when a failed task''s text property names it, through the evidence reading' {
        $global:ShapeOf['Contoso on-premises'] = 'Refused'
        $r = Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com
        $r | Should -HaveCount 2
        $failed = $r | Where-Object Status -eq 'Failed'
        $failed | Should -HaveCount 1
        $failed.Code | Should -Be '450 4.4.316'
        $failed.EnhancedStatusCode | Should -Be '4.4.316'
        $failed.Reason | Should -Be 'ConnectionRefused'
        $failed.Title | Should -Be 'Connection refused'
        $failed.DestinationServer | Should -Be 'mail.contoso.com'
        $failed.IPAddress | Should -Be '203.0.113.25'
        $failed.ServerResponse | Should -Be $Refused
        $failed.Cause | Should -Match "Microsoft 365's addresses"
        $failed.Responsible | Should -Be 'Admin'
        ($r | Where-Object Status -eq 'Succeeded').Reason | Should -Be 'Delivered'
        $r.TargetStatus | Sort-Object -Unique | Should -Be 'Failed'
    }

    It 'gives a Warning that carries the raw output for each object of a shape it does not understand, never a guessed code' {
        $global:ShapeOf['Contoso on-premises'] = 'Unknown'
        $r = Invoke-OutboundConnectorValidation -Connector 'Contoso on-premises' -ValidationRecipient probe@contoso.com
        $r | Should -HaveCount 2
        $r.Status | Should -Be @('Warning', 'Warning')
        $r.Reason | Sort-Object -Unique | Should -Be 'ValidationOutputNotUnderstood'
        $r.Code | Where-Object { $_ } | Should -BeNullOrEmpty
        $r[0].Detail | Should -Be 'Result=Completed; Hosts=@{Host=mail.contoso.com; Ok=False}'
        $r[1].Detail | Should -Be 'Validation finished with 450 4.4.316 on one host'
        $r[1].ServerResponse | Should -Be 'Validation finished with 450 4.4.316 on one host'
        $r[1].Cause | Should -Match 'does not understand'
    }

    It 'runs nothing under -WhatIf, -MarkValidated included' {
        $r = Invoke-OutboundConnectorValidation -Connector 'Contoso on-premises', 'Fabrikam partner' -ValidationRecipient probe@contoso.com -MarkValidated -WhatIf -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Sent | Should -BeNullOrEmpty
        (Get-Connector 'Contoso on-premises').IsValidated | Should -BeFalse
        $r = Get-OutboundConnector 'Contoso on-premises' | Invoke-OutboundConnectorValidation -ValidationRecipient probe@contoso.com -WhatIf
        $r | Should -BeNullOrEmpty
        Sent | Should -BeNullOrEmpty
    }

    It 'writes an ErrorRecord for a recipient outside the connector''s domains and sends nothing through that connector; the next connector goes on' {
        $r = Get-OutboundConnector | Where-Object Name -ne 'Hybrid' |
            Invoke-OutboundConnectorValidation -ValidationRecipient probe@contoso.com -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ValidationRecipientOutsideConnector,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be 'probe@contoso.com'
        $errs[0].Exception.Message | Should -Match "'Fabrikam partner' \(fabrikam\.com\)"
        $global:ExoCalls | Should -Not -Contain 'Validate-OutboundConnector Fabrikam partner -Recipients probe@contoso.com'
        $r.Connector | Sort-Object -Unique | Should -Be 'Contoso on-premises'
        $global:ExoCalls | Where-Object { $_ -like 'Validate-*' } | Should -Be @('Validate-OutboundConnector Contoso on-premises -Recipients probe@contoso.com')
    }

    It 'sends nothing at all when one of several recipients is outside, and names each one' {
        $null = Invoke-OutboundConnectorValidation 'Contoso on-premises' -ValidationRecipient probe@contoso.com, a@fabrikam.com, b@evil.example -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.TargetObject | Should -Be @('a@fabrikam.com', 'b@evil.example')
        Sent | Should -BeNullOrEmpty
    }

    It 'counts the tenant''s accepted domains as the domains of an AllAcceptedDomains connector' {
        $r = Invoke-OutboundConnectorValidation Hybrid -ValidationRecipient probe@contoso.com
        $r.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        $null = Invoke-OutboundConnectorValidation Hybrid -ValidationRecipient probe@fabrikam.com -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].Exception.Message | Should -Match 'AllAcceptedDomains'
        $global:ExoCalls | Where-Object { $_ -like 'Validate-*' } | Should -HaveCount 1
    }

    It 'validates each connector once, however many piped results or alerts name it' {
        $alerts = 1..3 | ForEach-Object { [pscustomobject]@{ Connector = 'Contoso on-premises'; Code = '450 4.4.316'; DestinationServer = "mail$_.contoso.com" } }
        $r = $alerts | Invoke-OutboundConnectorValidation -ValidationRecipient probe@contoso.com -Verbose 4>&1
        ($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'validated already' }) | Should -HaveCount 2
        $global:ExoCalls | Where-Object { $_ -like 'Validate-*' } | Should -HaveCount 1
    }

    It 'reports a connector Exchange Online does not have (ConnectorNotFound), and Exchange''s own error from Validate-OutboundConnector (ConnectorValidationFailed), and goes on' {
        $global:ExoFailure['Fabrikam partner'] = [System.Management.Automation.ErrorRecord]::new([Exception]::new('The smart host could not be reached.'),
            '[Server=XXXP123MB4539] [FailureCategory=Cmdlet-ValidationException] 1A2B,Microsoft.Exchange.Management.ValidateOutboundConnector', 'NotSpecified', $null)
        $r = 'Nowhere', 'Fabrikam partner', 'Contoso on-premises' | Invoke-OutboundConnectorValidation -ValidationRecipient probe@contoso.com, probe@fabrikam.com -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Should -Be @('ConnectorNotFound', 'ValidationRecipientOutsideConnector', 'ValidationRecipientOutsideConnector')
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $global:ExoCalls | Where-Object { $_ -like 'Validate-*' } | Should -BeNullOrEmpty
        # Exchange's error for one connector; the next one in the pipeline is still validated (Hybrid covers contoso.com).
        $global:ExoCalls.Clear()
        $global:ExoFailure['Contoso on-premises'] = $global:ExoFailure['Fabrikam partner']
        $r = 'Contoso on-premises', 'Hybrid' | Invoke-OutboundConnectorValidation -ValidationRecipient probe@contoso.com -ErrorVariable errs2 -ErrorAction SilentlyContinue
        $errs2 | Should -HaveCount 1
        $errs2[0].FullyQualifiedErrorId | Should -BeLike 'ConnectorValidationFailed,*'
        $errs2[0].Exception.GetType().Name | Should -Be 'ExchangeCommandException'
        $errs2[0].Exception.Message | Should -Match 'could not be reached'
        $r.Connector | Sort-Object -Unique | Should -Be 'Hybrid'
    }

    It 'finds the cmdlets under a -Prefix' {
        Connect-StandIn -Prefix Contoso
        $r = Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com -Prefix Contoso
        $r.Status | Should -Be @('Succeeded', 'Succeeded')
        Get-Command Validate-ContosoOutboundConnector | Should -Not -BeNullOrEmpty
    }
}

Describe 'Invoke-OutboundConnectorValidation -MarkValidated' {
    BeforeEach { Reset-Tenant; Connect-StandIn }

    It 'sets IsValidated and a UTC LastValidationTimestamp after a run where every task succeeded' {
        $before = [datetime]::UtcNow
        $null = Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com -MarkValidated -WarningVariable warn
        $warn | Should -BeNullOrEmpty
        $c = Get-Connector 'Contoso on-premises'
        $c.IsValidated | Should -BeTrue
        $c.LastValidationTimestamp.Kind | Should -Be 'Utc'
        $c.LastValidationTimestamp | Should -BeGreaterOrEqual $before.AddSeconds(-1)
        $c.LastValidationTimestamp | Should -BeLessOrEqual ([datetime]::UtcNow.AddSeconds(1))
        $global:ExoCalls[-1] | Should -Be 'Set-OutboundConnector Contoso on-premises -IsValidated True -LastValidationTimestamp Utc'
    }

    It 'leaves them alone, with a warning, after a run with a failed task (<Shape>)' -ForEach @(@{ Shape = 'Refused' }, @{ Shape = 'Unknown' }) {
        $global:ShapeOf['Contoso on-premises'] = $Shape
        $null = Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com -MarkValidated -WarningVariable warn -WarningAction SilentlyContinue
        $warn | Should -HaveCount 1
        $warn[0] | Should -Match 'was not marked validated'
        $global:ExoCalls | Where-Object { $_ -like 'Set-*' } | Should -BeNullOrEmpty
        (Get-Connector 'Contoso on-premises').IsValidated | Should -BeFalse
    }

    It 'is never written without -MarkValidated' {
        $null = Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com
        $global:ExoCalls | Where-Object { $_ -like 'Set-*' } | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-OutboundConnectorValidation stops before sending anything' {
    BeforeEach { Reset-Tenant }

    It 'without an Exchange Online session (ExchangeOnlineSessionRequired)' {
        Get-Module tmpEXO_* | Remove-Module -Force
        { Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com } | Should -Throw -ErrorId 'ExchangeOnlineSessionRequired*'
        $global:ExoCalls | Should -BeNullOrEmpty
    }

    It 'for a recipient that is not one bare address (InvalidValidationRecipient): <Label>' -ForEach @(
        @{ Label = 'no domain'; Address = 'probe' }
        @{ Label = 'a display name'; Address = 'Probe <probe@contoso.com>' }
        @{ Label = 'a line break'; Address = "probe@contoso.com`r`nBcc: x@evil.example" }
    ) {
        Connect-StandIn
        { Invoke-OutboundConnectorValidation 'Contoso on-premises' $Address } | Should -Throw -ErrorId 'InvalidValidationRecipient*'
        $global:ExoCalls | Should -BeNullOrEmpty
    }

    It 'in a session whose role lacks Validate-OutboundConnector, or Set-OutboundConnector for -MarkValidated' {
        Connect-StandIn -Role ReadOnly
        { Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com } | Should -Throw -ErrorId 'ValidateOutboundConnectorNotAvailable*'
        $global:ExoCalls | Should -BeNullOrEmpty
        Connect-StandIn -Role ValidateOnly
        { Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com -MarkValidated } | Should -Throw -ErrorId 'MarkValidatedNotAvailable*'
        $global:ExoCalls | Should -BeNullOrEmpty
        # Without -MarkValidated that role validates.
        (Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com).Status | Should -Be @('Succeeded', 'Succeeded')
    }
}

Describe 'Validation results as untrusted text, evidence and help' {
    BeforeEach { Reset-Tenant; Connect-StandIn }

    It 'keeps hostile output cleaned in CSV and HTML' {
        $global:ShapeOf['Contoso on-premises'] = 'Hostile'
        $r = Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com
        $r.Code | Should -Be '450 4.4.316'
        $csv = Join-Path $TestDrive 'validation.csv'
        $r | Export-Csv $csv -NoTypeInformation
        $text = Get-Content -Raw $csv
        $text | Should -Not -Match "`r`n<script>"            # no raw line break inside a cell
        $row = Import-Csv $csv
        $row.Detail | Should -BeLike "'@SUM(1+1): *"
        $row.ServerResponse | Should -BeLike "'=HYPERLINK(*\x0D\x0A<script>*"
        foreach ($p in $row.PSObject.Properties) { if ($p.Value) { $p.Value[0] | Should -Not -BeIn @('=', '+', '-', '@') -Because $p.Name } }
        $html = Join-Path $TestDrive 'validation.html'
        $null = $r | Export-MailFlowReport -Path $html
        $page = Get-Content -Raw $html
        $page | Should -Not -Match '<script>alert'
        $page | Should -Match '&lt;script&gt;alert'
    }

    It 'gives Get-MailFlowAlert an alert observed from Microsoft 365 for a failed task' {
        $global:ShapeOf['Contoso on-premises'] = 'Refused'
        $a = Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@contoso.com | Get-MailFlowAlert
        $a | Should -HaveCount 1
        $a.Code | Should -Be '450 4.4.316'
        $a.Connector | Should -Be 'Contoso on-premises'
        $a.ObservedFrom | Should -Be 'Microsoft365'
    }

    It 'writes its errors in French under fr-FR' {
        $ui = [cultureinfo]::CurrentUICulture
        try {
            [cultureinfo]::CurrentUICulture = 'fr-FR'
            $null = Invoke-OutboundConnectorValidation 'Contoso on-premises' probe@fabrikam.com -ErrorVariable errs -ErrorAction SilentlyContinue
            $global:ShapeOf['Fabrikam partner'] = 'Unknown'
            $r = Invoke-OutboundConnectorValidation 'Fabrikam partner' probe@fabrikam.com
        }
        finally { [cultureinfo]::CurrentUICulture = $ui }
        $errs[0].Exception.Message | Should -Match "n'est pas dans un domaine du connecteur"
        $r[0].Cause | Should -Match 'ce module ne comprend pas'
        $r[0].Title | Should -Be 'Sortie de la validation du connecteur non comprise'
    }

    It 'warns in its help against scheduling it and says what it assumes of the output' {
        foreach ($culture in 'en-US', 'fr-FR') {
            $script = "[System.Threading.Thread]::CurrentThread.CurrentUICulture = '$culture'; [cultureinfo]::CurrentUICulture = '$culture'; Import-Module '$env:MFI_MODULE'; Get-Help Invoke-OutboundConnectorValidation -Full | Out-String -Width 400"
            $text = ((dotnet pwsh -NoProfile -NonInteractive -Command $script) -join ' ') -replace '\s+', ' '   # lines wrap anywhere
            if ($culture -eq 'en-US') {
                $text | Should -Match 'Do not schedule'
                $text | Should -Match 'IsTaskSuccessful'
                $text | Should -Match 'validate-outboundconnector'
            }
            else {
                $text | Should -Match 'Ne planifiez pas'
                $text | Should -Match 'IsTaskSuccessful'
            }
        }
    }
}
