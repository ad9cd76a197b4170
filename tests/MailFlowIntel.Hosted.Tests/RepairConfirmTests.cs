using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Xunit;

namespace MailFlowIntel.Hosted.Tests
{
    /// <summary>
    /// Repair-ConnectorConfig under -Confirm, in a hosted runspace whose host answers the prompts (Pester cannot).
    /// The Exchange Online cmdlets are stand-ins in a dynamic module over an in-memory tenant; their Set-* honour
    /// ShouldProcess themselves, so a call made without -Confirm:$false would prompt a second time and fail the test.
    /// </summary>
    public sealed class RepairConfirmTests : IDisposable
    {
        // -Force: the stand-in tenant has no Get-Recipient, no ConnectorSource and no DNS (a closed port answers nothing),
        // so the checks before -Decommissioned cannot be answered; -Force goes over them and never over the confirmation,
        // which is what these tests are about.
        const string Repair = "Repair-ConnectorConfig -Connector 'Contoso on-premises' -Code '450 4.4.316' -Decommissioned -Force -DnsServer 127.0.0.1:9 -TimeoutSec 1";

        const string StandIns = @"
$global:MfiCalls = [System.Collections.Generic.List[object]]::new()
# Through a global script block, not a module-private helper: see ExchangeCmdletsRunInTheirOwnModuleScope.
$global:MfiLog = {
    param([string] $Name, $Bound)
    $p = [ordered]@{}
    foreach ($k in @($Bound.Keys | Sort-Object)) {
        $v = $Bound[$k]
        $p[$k] = if ($v -is [System.Management.Automation.SwitchParameter]) { $v.IsPresent } else { $v }
    }
    $global:MfiCalls.Add([pscustomobject]@{ Name = $Name; Parameters = $p })
}
$global:MfiTenant = @{
    Connectors = @(
        [pscustomobject]@{ Identity = 'Contoso on-premises'; Name = 'Contoso on-premises'; ConnectorType = 'OnPremises'; Enabled = $true
                           UseMXRecord = $false; SmartHosts = @('mail.contoso.com'); RecipientDomains = @('contoso.com'); TlsSettings = $null; TlsDomain = $null }
    )
    AcceptedDomains = @(
        [pscustomobject]@{ Identity = 'contoso.com'; Name = 'contoso.com'; DomainName = 'contoso.com'; DomainType = 'InternalRelay' }
        [pscustomobject]@{ Identity = 'fabrikam.com'; Name = 'fabrikam.com'; DomainName = 'fabrikam.com'; DomainType = 'Authoritative' }
    )
}
New-Module -Name tmpEXO_test -ScriptBlock {
    function Get-OutboundConnector {
        [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
        param([Parameter(Position = 0)] [string] $Identity)
        & $global:MfiLog 'Get-OutboundConnector' $PSBoundParameters
        $global:MfiTenant.Connectors | Where-Object { -not $Identity -or $_.Identity -eq $Identity -or $_.Name -eq $Identity } |
            ForEach-Object { $_.psobject.Copy() }
    }
    function Set-OutboundConnector {
        [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
        param([Parameter(Mandatory, Position = 0)] [string] $Identity, [bool] $Enabled, [string] $TlsDomain, [string] $TlsSettings)
        & $global:MfiLog 'Set-OutboundConnector' $PSBoundParameters
        $c = $global:MfiTenant.Connectors | Where-Object { $_.Identity -eq $Identity -or $_.Name -eq $Identity }
        if (-not $c) { Write-Error ""The operation couldn't be performed because object '$Identity' couldn't be found."" ; return }
        if ($PSCmdlet.ShouldProcess($Identity, 'Set-OutboundConnector')) {
            foreach ($k in 'Enabled', 'TlsDomain', 'TlsSettings') { if ($PSBoundParameters.ContainsKey($k)) { $c.$k = $PSBoundParameters[$k] } }
        }
    }
    function Get-AcceptedDomain {
        [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
        param([Parameter(Position = 0)] [string] $Identity)
        & $global:MfiLog 'Get-AcceptedDomain' $PSBoundParameters
        $global:MfiTenant.AcceptedDomains | Where-Object { -not $Identity -or $_.Identity -eq $Identity -or $_.DomainName -eq $Identity } |
            ForEach-Object { $_.psobject.Copy() }
    }
    function Set-AcceptedDomain {
        [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
        param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string] $DomainType)
        & $global:MfiLog 'Set-AcceptedDomain' $PSBoundParameters
        $d = $global:MfiTenant.AcceptedDomains | Where-Object { $_.Identity -eq $Identity -or $_.DomainName -eq $Identity }
        if (-not $d) { Write-Error ""The operation couldn't be performed because object '$Identity' couldn't be found."" ; return }
        if ($PSCmdlet.ShouldProcess($Identity, 'Set-AcceptedDomain')) {
            if ($PSBoundParameters.ContainsKey('DomainType')) { $d.DomainType = $DomainType }
        }
    }
    Export-ModuleMember -Function Get-OutboundConnector, Set-OutboundConnector, Get-AcceptedDomain, Set-AcceptedDomain
} | Import-Module
";

        readonly ScriptedHost host = new ScriptedHost();
        readonly Runspace runspace;

        public RepairConfirmTests()
        {
            string manifest = BuiltModule();
            runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
            try
            {
                runspace.Open();
                Run($"Import-Module '{manifest.Replace("'", "''")}' -ErrorAction Stop");
                Run(StandIns);
                Assert.Equal("tmpEXO_test", Run("(Get-Command Set-OutboundConnector).ModuleName").Single().ToString());
            }
            catch
            {
                runspace.Dispose();
                throw;
            }
        }

        public void Dispose() => runspace.Dispose();

        /// <summary>out/MailFlowIntel/MailFlowIntel.psd1 beside MailFlowIntel.PS.sln, found by walking up from the test binaries.</summary>
        static string BuiltModule()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "MailFlowIntel.PS.sln"))) continue;
                string manifest = Path.Combine(dir.FullName, "out", "MailFlowIntel", "MailFlowIntel.psd1");
                if (!File.Exists(manifest))
                    throw new InvalidOperationException(
                        $"The built module is missing ({manifest}). Build it first: cd {dir.FullName} && dotnet pwsh -NoProfile -File build.ps1 -Task Build");
                return manifest;
            }
            throw new InvalidOperationException(
                $"MailFlowIntel.PS.sln was not found above {AppContext.BaseDirectory}; cannot locate out/MailFlowIntel/MailFlowIntel.psd1 (run build.ps1 -Task Build in the repository root).");
        }

        /// <summary>Runs a script in the test runspace; any error fails the test, with the host's output for context.</summary>
        Collection<PSObject> Run(string script)
        {
            using (PowerShell ps = PowerShell.Create())
            {
                ps.Runspace = runspace;
                ps.AddScript(script);
                Collection<PSObject> output;
                try { output = ps.Invoke(); }
                catch (Exception ex)
                {
                    throw new Xunit.Sdk.XunitException($"Script threw {ex.GetType().Name}: {ex.Message}\nScript: {script.Trim()}\nHost:\n{host.Output}");
                }
                if (ps.Streams.Error.Count > 0)
                    throw new Xunit.Sdk.XunitException(
                        $"Script wrote errors:\n{string.Join("\n", ps.Streams.Error.Select(e => e.ToString()))}\nScript: {script.Trim()}\nHost:\n{host.Output}");
                return output;
            }
        }

        /// <summary>Runs Repair-ConnectorConfig; returns its RepairActions (read by property: the module's types are not referenced).</summary>
        List<PSObject> RunRepair(string switches = " -Confirm") =>
            Run(Repair + switches).Where(o => o.TypeNames.Any(t => t.EndsWith("RepairAction", StringComparison.Ordinal)))
                .Where(o => !(Prop(o, "Action") ?? "").StartsWith("Check", StringComparison.Ordinal)).ToList();   // the checks' lines: overridden

        static string Prop(PSObject o, string name) => o.Properties[name]?.Value?.ToString();

        static void AssertActions(List<PSObject> actions, params (string Action, string Target, string Status)[] expected) =>
            Assert.Equal(expected.Select(e => $"{e.Action} {e.Target} {e.Status}"),
                actions.Select(a => $"{Prop(a, "Action")} {Prop(a, "Target")} {Prop(a, "Status")}"));

        /// <summary>Every Set-* call as "Set-Noun -Name:value ..." (bound parameters, sorted).</summary>
        List<string> SetCalls() =>
            Run("$global:MfiCalls | Where-Object Name -like 'Set-*' | ForEach-Object { $_.Name + ' ' + (($_.Parameters.GetEnumerator() | ForEach-Object { '-' + $_.Key + ':' + $_.Value }) -join ' ') }")
                .Select(o => o.ToString()).ToList();

        bool ConnectorEnabled() => (bool)Run("$global:MfiTenant.Connectors[0].Enabled").Single().BaseObject;

        string DomainType(string name) => Run($"($global:MfiTenant.AcceptedDomains | Where-Object DomainName -eq '{name}').DomainType").Single().ToString();

        void AssertTenantUnchanged()
        {
            Assert.True(ConnectorEnabled());
            Assert.Equal("InternalRelay", DomainType("contoso.com"));
            Assert.Equal("Authoritative", DomainType("fabrikam.com"));
        }

        void AssertPrompts(params string[] expectedMessageParts)
        {
            Assert.True(host.Prompts.Count == expectedMessageParts.Length,
                $"Expected {expectedMessageParts.Length} prompt(s), got {host.Prompts.Count}:\n{string.Join("\n", host.Prompts)}\nHost:\n{host.Output}");
            for (int i = 0; i < expectedMessageParts.Length; i++)
            {
                Assert.Contains(expectedMessageParts[i], host.Prompts[i].Message);
                Assert.NotNull(host.Prompts[i].Answer);
            }
            Assert.Equal(0, host.UnansweredCount);
        }

        const string DisablePrompt = "Disable outbound connector 'Contoso on-premises'";
        const string DomainPrompt = "Set accepted domain 'contoso.com' from InternalRelay to Authoritative";

        [Fact]
        public void StandInSetCmdletsPromptOnTheirOwn_SoADoublePromptWouldShow()
        {
            // The guard behind every other test: called without -Confirm:$false, a stand-in Set-* asks by itself.
            host.Answer(ScriptedHost.No);
            Run("Set-OutboundConnector -Identity 'Contoso on-premises' -Enabled $false");
            Assert.Single(host.Prompts);
            AssertTenantUnchanged();
        }

        [Fact]
        public void ConfirmYesYes_AppliesBoth_AndTheRollbacksRestoreTheTenant()
        {
            host.Answer(ScriptedHost.Yes, ScriptedHost.Yes);
            List<PSObject> actions = RunRepair();

            AssertPrompts(DisablePrompt, DomainPrompt);
            Assert.Equal(new[]
            {
                "Set-OutboundConnector -Confirm:False -Enabled:False -Identity:Contoso on-premises",
                "Set-AcceptedDomain -Confirm:False -DomainType:Authoritative -Identity:contoso.com",
            }, SetCalls());
            Assert.False(ConnectorEnabled());
            Assert.Equal("Authoritative", DomainType("contoso.com"));
            Assert.Equal("Authoritative", DomainType("fabrikam.com"));
            AssertActions(actions,
                ("DisableConnector", "Contoso on-premises", "Applied"),
                ("SetAcceptedDomainAuthoritative", "contoso.com", "Applied"));

            // Each change says which checks -Force went over.
            Assert.StartsWith("Made with -Force over these checks:", Prop(actions[0], "Detail"));
            Assert.Contains("ConnectorSource", Prop(actions[1], "Detail"));

            string rollbackConnector = Prop(actions[0], "RollbackCommand");
            string rollbackDomain = Prop(actions[1], "RollbackCommand");
            Assert.Contains("Set-OutboundConnector", rollbackConnector);
            Assert.Contains("-Enabled $true", rollbackConnector);
            Assert.Contains("Set-AcceptedDomain", rollbackDomain);
            Assert.Contains("-DomainType 'InternalRelay'", rollbackDomain);

            // The rollback lines run as printed (they carry -Confirm:$false: no prompt) and restore the state before.
            Run(rollbackDomain);
            Run(rollbackConnector);
            Assert.Equal(2, host.Prompts.Count);
            AssertTenantUnchanged();
        }

        [Fact]
        public void ConfirmNo_DeclinesTheConnector_AndTheDependentDomainSwitchIsNotAsked()
        {
            host.Answer(ScriptedHost.No);
            List<PSObject> actions = RunRepair();

            AssertPrompts(DisablePrompt);
            Assert.Empty(SetCalls());
            AssertTenantUnchanged();
            AssertActions(actions,
                ("DisableConnector", "Contoso on-premises", "Declined"),
                ("SetAcceptedDomainAuthoritative", "contoso.com", "Declined"));
            Assert.Contains("DisableConnector", Prop(actions[1], "Detail"));
        }

        [Fact]
        public void ConfirmYesThenNo_DisablesTheConnector_LeavesTheDomain()
        {
            host.Answer(ScriptedHost.Yes, ScriptedHost.No);
            List<PSObject> actions = RunRepair();

            AssertPrompts(DisablePrompt, DomainPrompt);
            Assert.Equal(new[] { "Set-OutboundConnector -Confirm:False -Enabled:False -Identity:Contoso on-premises" }, SetCalls());
            Assert.False(ConnectorEnabled());
            Assert.Equal("InternalRelay", DomainType("contoso.com"));
            AssertActions(actions,
                ("DisableConnector", "Contoso on-premises", "Applied"),
                ("SetAcceptedDomainAuthoritative", "contoso.com", "Declined"));
        }

        [Fact]
        public void WithoutConfirm_DefaultConfirmPreferenceHigh_StillPrompts()
        {
            Assert.Equal("High", Run("$ConfirmPreference").Single().ToString());
            host.Answer(ScriptedHost.No);
            List<PSObject> actions = RunRepair(switches: "");

            AssertPrompts(DisablePrompt);
            Assert.Empty(SetCalls());
            AssertTenantUnchanged();
            AssertActions(actions,
                ("DisableConnector", "Contoso on-premises", "Declined"),
                ("SetAcceptedDomainAuthoritative", "contoso.com", "Declined"));
        }

        [Fact]
        public void SecondRunAfterApplying_PromptsNothing_ReportsSkipped()
        {
            host.Answer(ScriptedHost.Yes, ScriptedHost.Yes);
            RunRepair();
            Assert.Equal(2, host.Prompts.Count);
            Assert.Equal(2, SetCalls().Count);

            List<PSObject> again = RunRepair();

            Assert.Equal(2, host.Prompts.Count);     // no new prompt (an unexpected one would also have thrown)
            Assert.Equal(2, SetCalls().Count);       // no new Set call
            Assert.False(ConnectorEnabled());
            Assert.Equal("Authoritative", DomainType("contoso.com"));
            AssertActions(again,
                ("DisableConnector", "Contoso on-premises", "Skipped"),
                ("SetAcceptedDomainAuthoritative", "contoso.com", "Skipped"));
            Assert.All(again, a => Assert.Equal("", Prop(a, "RollbackCommand")));
        }

        /// <summary>
        /// The real tmpEXO_* module's functions lean on module-private helpers and $script: state. These stand-ins do the
        /// same: the cmdlet must run them in their own module's scope, or they cannot see their own helpers.
        /// </summary>
        const string ScopedStandIns = @"
Remove-Module tmpEXO_test
New-Module -Name tmpEXO_scoped -ScriptBlock {
    $script:Tenant = $global:MfiTenant
    function Find-TenantObject([string] $Kind, [string] $Identity) {
        $script:Tenant[$Kind] | Where-Object { -not $Identity -or $_.Identity -eq $Identity -or $_.Name -eq $Identity }
    }
    function Get-OutboundConnector {
        [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
        param([Parameter(Position = 0)] [string] $Identity)
        Find-TenantObject Connectors $Identity | ForEach-Object { $_.psobject.Copy() }
    }
    function Set-OutboundConnector {
        [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
        param([Parameter(Mandatory, Position = 0)] [string] $Identity, [bool] $Enabled)
        & $global:MfiLog 'Set-OutboundConnector' $PSBoundParameters
        if ($PSCmdlet.ShouldProcess($Identity, 'Set-OutboundConnector')) { (Find-TenantObject Connectors $Identity).Enabled = $Enabled }
    }
    function Get-AcceptedDomain {
        [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
        param([Parameter(Position = 0)] [string] $Identity)
        Find-TenantObject AcceptedDomains $Identity | ForEach-Object { $_.psobject.Copy() }
    }
    function Set-AcceptedDomain {
        [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
        param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string] $DomainType)
        & $global:MfiLog 'Set-AcceptedDomain' $PSBoundParameters
        if ($PSCmdlet.ShouldProcess($Identity, 'Set-AcceptedDomain')) { (Find-TenantObject AcceptedDomains $Identity).DomainType = $DomainType }
    }
    Export-ModuleMember -Function Get-OutboundConnector, Set-OutboundConnector, Get-AcceptedDomain, Set-AcceptedDomain
} | Import-Module
";

        [Fact]
        public void ExchangeCmdletsRunInTheirOwnModuleScope()
        {
            Run(ScopedStandIns);
            Assert.Equal("tmpEXO_scoped", Run("(Get-Command Get-OutboundConnector).ModuleName").Single().ToString());
            Assert.Single(Run("Get-OutboundConnector -Identity 'Contoso on-premises'"));   // the stand-ins work when called normally

            host.Answer(ScriptedHost.Yes, ScriptedHost.Yes);
            List<PSObject> actions = RunRepair();

            AssertPrompts(DisablePrompt, DomainPrompt);
            Assert.Equal(2, SetCalls().Count);
            Assert.False(ConnectorEnabled());
            Assert.Equal("Authoritative", DomainType("contoso.com"));
            AssertActions(actions,
                ("DisableConnector", "Contoso on-premises", "Applied"),
                ("SetAcceptedDomainAuthoritative", "contoso.com", "Applied"));
        }
    }
}
