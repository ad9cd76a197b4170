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
    /// Invoke-OutboundConnectorValidation under -Confirm, in a hosted runspace whose host answers the prompts (Pester
    /// cannot): it sends real mail, so it asks per connector (ConfirmImpact Medium), and again before -MarkValidated writes.
    /// The stand-in Exchange Online cmdlets honour ShouldProcess themselves (ConfirmImpact High), so a call made without
    /// -Confirm:$false would prompt a second time and fail the test.
    /// </summary>
    public sealed class ValidationConfirmTests : IDisposable
    {
        const string Validate = "Invoke-OutboundConnectorValidation -Connector 'Contoso on-premises' -ValidationRecipient probe@contoso.com";

        const string StandIns = @"
$global:MfiCalls = [System.Collections.Generic.List[string]]::new()
$global:MfiConnector = [pscustomobject]@{ Identity = 'Contoso on-premises'; Name = 'Contoso on-premises'; ConnectorType = 'OnPremises'
    SmartHosts = @('mail.contoso.com'); RecipientDomains = @('contoso.com'); AllAcceptedDomains = $false; IsValidated = $false; LastValidationTimestamp = $null }
New-Module -Name tmpEXO_confirm -ScriptBlock {
    function Get-OutboundConnector {
        [CmdletBinding()] param([Parameter(Position = 0)] [string] $Identity)
        $global:MfiCalls.Add(""Get-OutboundConnector $Identity"")
        $global:MfiConnector.psobject.Copy()
    }
    function Validate-OutboundConnector {
        [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
        param([Parameter(Mandatory)] [string] $Identity, [Parameter(Mandatory)] [string[]] $Recipients)
        if ($PSCmdlet.ShouldProcess($Identity, 'Validate-OutboundConnector')) {
            $global:MfiCalls.Add(""Validate-OutboundConnector $Identity $($Recipients -join ',') -Confirm:$($PSBoundParameters['Confirm'])"")
            [pscustomobject]@{ TaskName = 'Send test email'; IsTaskSuccessful = $true; Details = 'Sent' }
        }
    }
    function Set-OutboundConnector {
        [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
        param([Parameter(Mandatory, Position = 0)] [string] $Identity, [bool] $IsValidated, [datetime] $LastValidationTimestamp)
        if ($PSCmdlet.ShouldProcess($Identity, 'Set-OutboundConnector')) {
            $global:MfiCalls.Add(""Set-OutboundConnector $Identity -IsValidated $IsValidated -Confirm:$($PSBoundParameters['Confirm'])"")
            $global:MfiConnector.IsValidated = $IsValidated
            $global:MfiConnector.LastValidationTimestamp = $LastValidationTimestamp
        }
    }
    Export-ModuleMember -Function *
} | Import-Module
";

        const string ValidatePrompt = "Microsoft 365 sends a real test message to each recipient: Validate-OutboundConnector -Identity 'Contoso on-premises' -Recipients 'probe@contoso.com'";
        const string MarkPrompt = "Record the validation on the connector: Set-OutboundConnector -Identity 'Contoso on-premises' -IsValidated $true -LastValidationTimestamp '";

        readonly ScriptedHost host = new ScriptedHost();
        readonly Runspace runspace;

        public ValidationConfirmTests()
        {
            runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
            try
            {
                runspace.Open();
                Run($"Import-Module '{BuiltModule().Replace("'", "''")}' -ErrorAction Stop");
                Run(StandIns);
            }
            catch
            {
                runspace.Dispose();
                throw;
            }
        }

        public void Dispose() => runspace.Dispose();

        static string BuiltModule()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "MailFlowIntel.PS.sln"))) continue;
                string manifest = Path.Combine(dir.FullName, "out", "MailFlowIntel", "MailFlowIntel.psd1");
                if (!File.Exists(manifest))
                    throw new InvalidOperationException($"The built module is missing ({manifest}). Build it first: dotnet pwsh -NoProfile -File build.ps1 -Task Build");
                return manifest;
            }
            throw new InvalidOperationException($"MailFlowIntel.PS.sln was not found above {AppContext.BaseDirectory}.");
        }

        Collection<PSObject> Run(string script)
        {
            using (PowerShell ps = PowerShell.Create())
            {
                ps.Runspace = runspace;
                ps.AddScript(script);
                Collection<PSObject> output;
                try { output = ps.Invoke(); }
                catch (Exception ex) { throw new Xunit.Sdk.XunitException($"Script threw {ex.GetType().Name}: {ex.Message}\nHost:\n{host.Output}"); }
                if (ps.Streams.Error.Count > 0)
                    throw new Xunit.Sdk.XunitException($"Script wrote errors:\n{string.Join("\n", ps.Streams.Error.Select(e => e.ToString()))}\nHost:\n{host.Output}");
                return output;
            }
        }

        List<string> Calls(string like) => Run($"$global:MfiCalls | Where-Object {{ $_ -like '{like}' }}").Select(o => o.ToString()).ToList();

        bool IsValidated() => (bool)Run("$global:MfiConnector.IsValidated").Single().BaseObject;

        static List<string> Statuses(IEnumerable<PSObject> output) =>
            output.Where(o => o.TypeNames.Any(t => t.EndsWith("ConnectorDeliveryResult", StringComparison.Ordinal))).Select(o => o.Properties["Status"].Value.ToString()).ToList();

        void AssertPrompts(params string[] expectedMessageParts)
        {
            Assert.True(host.Prompts.Count == expectedMessageParts.Length,
                $"Expected {expectedMessageParts.Length} prompt(s), got {host.Prompts.Count}:\n{string.Join("\n", host.Prompts)}\nHost:\n{host.Output}");
            for (int i = 0; i < expectedMessageParts.Length; i++) Assert.Contains(expectedMessageParts[i], host.Prompts[i].Message);
            Assert.Equal(0, host.UnansweredCount);
        }

        [Fact]
        public void WithoutConfirm_DefaultConfirmPreferenceHigh_ValidatesWithoutAsking()
        {
            Assert.Equal("High", Run("$ConfirmPreference").Single().ToString());
            Assert.Equal(new[] { "Succeeded" }, Statuses(Run(Validate)));
            AssertPrompts();
            Assert.Equal(new[] { "Validate-OutboundConnector Contoso on-premises probe@contoso.com -Confirm:False" }, Calls("Validate-*"));
        }

        [Fact]
        public void ConfirmPreferenceMedium_Asks_AndNoSendsNothing()
        {
            host.Answer(ScriptedHost.No);
            Assert.Empty(Statuses(Run("$ConfirmPreference = 'Medium'; " + Validate)));
            AssertPrompts(ValidatePrompt);
            Assert.Empty(Calls("Validate-*"));
        }

        [Fact]
        public void ConfirmYesThenNo_ValidatesButDoesNotMark()
        {
            host.Answer(ScriptedHost.Yes, ScriptedHost.No);
            Assert.Equal(new[] { "Succeeded" }, Statuses(Run(Validate + " -MarkValidated -Confirm")));
            AssertPrompts(ValidatePrompt, MarkPrompt);
            Assert.Single(Calls("Validate-*"));
            Assert.Empty(Calls("Set-*"));
            Assert.False(IsValidated());
        }

        [Fact]
        public void ConfirmYesYes_ValidatesAndMarks_AndTheExchangeCmdletsDoNotAskAgain()
        {
            host.Answer(ScriptedHost.Yes, ScriptedHost.Yes);
            Run(Validate + " -MarkValidated -Confirm");
            AssertPrompts(ValidatePrompt, MarkPrompt);
            Assert.Equal(new[] { "Set-OutboundConnector Contoso on-premises -IsValidated True -Confirm:False" }, Calls("Set-*"));
            Assert.True(IsValidated());
            Assert.Equal("Utc", Run("$global:MfiConnector.LastValidationTimestamp.Kind").Single().ToString());
        }
    }
}
