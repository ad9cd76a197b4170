using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Probing;
using MailFlowIntel.Core.Repair;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Repair-ConnectorConfig's orchestration in the engine, against a fake Exchange Online session: what is read, what is
    /// asked, what is changed and in which order, what a read-only session or an error leaves, and the organisation on
    /// every action.
    /// </summary>
    public sealed class RepairRunnerTests
    {
        const string Contoso = "Contoso on-premises";

        static FakeExchangeSession Tenant(bool readOnly = false, string prefix = "Cloud") =>
            new FakeExchangeSession(new ExchangeConnection { Organization = "contoso.onmicrosoft.com", TenantId = "3750b40b-a68b-4632-9fb3-5b1aff664079", Prefix = prefix }, readOnly)
                .WithConnector(Contoso, "OnPremises", true, new[] { "contoso.com", "sub.contoso.com" }, new[] { "mail.contoso.com" })
                .WithConnector("Fabrikam partner", "Partner", true, new[] { "fabrikam.com" }, new[] { "mx.fabrikam.com" })
                .WithDomain("contoso.com", "InternalRelay")
                .WithDomain("sub.contoso.com", "Authoritative")
                .WithDomain("contoso.onmicrosoft.com", "Authoritative", initial: true);

        // DNS for the checks -Decommissioned makes: contoso.com's MX is Exchange Online's front door, not the retired smart host.
        static readonly Lazy<MailFlowIntel.Lab.LabDns> Dns = new Lazy<MailFlowIntel.Lab.LabDns>(() => new MailFlowIntel.Lab.LabDns()
            .Mx("contoso.com", 0, "contoso-com.mail.protection.outlook.com").A("contoso-com.mail.protection.outlook.com", "127.0.0.99")
            .Mx("stillonprem.contoso.com", 10, "mail.contoso.com").A("mail.contoso.com", "127.0.0.98").Exists("contoso.com"));

        internal static ProbeOptions DnsOptions() => new ProbeOptions
        {
            DnsServers = new[] { new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Dns.Value.Port) }, Timeout = TimeSpan.FromSeconds(3),
        };

        static RepairRunner Runner(IExchangeSession session, IRepairHost host, bool decommissioned = true, bool force = false) =>
            new RepairRunner(session, new RepairOptions { Decommissioned = decommissioned, Force = force }, DnsOptions(), host, CancellationToken.None);

        static RepairInput Input(string connector = Contoso, string code = "450 4.4.316", string organization = null) =>
            new RepairInput { Code = code, Connector = connector, Organization = organization };

        /// <summary>The plan's steps, without the lines of the checks -Decommissioned makes first (tested on their own).</summary>
        static string[] Statuses(RecordingRepairHost host) =>
            host.Actions.Where(a => !a.Action.StartsWith("Check", StringComparison.Ordinal)).Select(a => a.Action + ":" + a.Status).ToArray();

        static List<RepairAction> Steps(RecordingRepairHost host) => host.Actions.Where(a => !a.Action.StartsWith("Check", StringComparison.Ordinal)).ToList();

        [Fact]
        public void A_writable_session_is_read_then_changed_in_order_under_its_prefix_and_every_action_carries_its_organisation()
        {
            FakeExchangeSession tenant = Tenant();
            var host = new RecordingRepairHost();
            Runner(tenant, host).Plan(Input());

            Assert.Empty(host.Errors);
            Assert.Equal(new[] { "DisableConnector:Applied", "SetAcceptedDomainAuthoritative:Applied", "SetAcceptedDomainAuthoritative:Skipped" }, Statuses(host));
            Assert.Equal(new[] { "Get-OutboundConnector Contoso on-premises", "Get-AcceptedDomain", "Get-Recipient", "Set-OutboundConnector Contoso on-premises", "Set-AcceptedDomain contoso.com" }, tenant.Calls);
            Assert.Equal(false, tenant.Value("OutboundConnector", Contoso, "Enabled"));
            Assert.Equal("Authoritative", tenant.Value("AcceptedDomain", "contoso.com", "DomainType"));
            Assert.StartsWith("Set-CloudOutboundConnector -Identity 'Contoso on-premises' -Enabled $false", Steps(host)[0].Command);
            Assert.Equal("Set-CloudAcceptedDomain -Identity 'contoso.com' -DomainType 'InternalRelay' -Confirm:$false", Steps(host)[1].RollbackCommand);
            Assert.All(host.Actions, a => Assert.Equal("contoso.onmicrosoft.com", a.Organization));
            Assert.Equal(2, host.Questions.Count);
        }

        [Fact]
        public void A_read_only_session_plans_from_the_tenants_real_values_asks_nothing_and_changes_nothing()
        {
            FakeExchangeSession tenant = Tenant(readOnly: true);
            var host = new RecordingRepairHost();
            RepairRunner runner = Runner(tenant, host);
            runner.ValidationRecipients = new[] { "probe@contoso.com" };
            runner.Plan(Input());

            Assert.Empty(host.Errors);
            Assert.Empty(host.Questions);
            Assert.DoesNotContain(tenant.Calls, c => !c.StartsWith("Get-", StringComparison.Ordinal));
            // The type and the domains come from the tenant: no step to confirm the type (as offline), the real DomainType in the rollback.
            Assert.Equal(new[] { "DisableConnector:Manual", "SetAcceptedDomainAuthoritative:Manual", "SetAcceptedDomainAuthoritative:Skipped", "ValidateConnector:Manual" }, Statuses(host));
            Assert.Contains("cannot change connectors", Steps(host)[0].Steps);
            Assert.Contains("Set-OutboundConnector", Steps(host)[0].Steps);
            Assert.Contains("cannot change accepted domains", Steps(host)[1].Steps);
            Assert.Equal("Set-CloudAcceptedDomain -Identity 'contoso.com' -DomainType 'InternalRelay' -Confirm:$false", Steps(host)[1].RollbackCommand);
            Assert.Equal(true, tenant.Value("OutboundConnector", Contoso, "Enabled"));
            Assert.All(host.Actions, a => Assert.Equal("contoso.onmicrosoft.com", a.Organization));
        }

        [Fact]
        public void A_read_only_session_says_so_in_French()
        {
            var host = new RecordingRepairHost();
            new RepairRunner(Tenant(readOnly: true), new RepairOptions { Decommissioned = true, Language = Catalog.Language.French }, DnsOptions(), host, CancellationToken.None)
                .Plan(Input());
            Assert.Contains("ne peut pas modifier les connecteurs", Steps(host)[0].Steps);
            Assert.Contains("ne peut pas modifier les domaines acceptés", Steps(host)[1].Steps);
        }

        [Theory]
        [InlineData(Consent.WhatIf, "Planned", "Planned", 2)]
        [InlineData(Consent.No, "Declined", "Declined", 1)]   // the domain waits for the connector: not even asked
        public void What_the_admin_answers_decides_and_nothing_is_changed(Consent answer, string first, string second, int questions)
        {
            FakeExchangeSession tenant = Tenant();
            var host = new RecordingRepairHost(answer, answer);
            Runner(tenant, host).Plan(Input());
            Assert.Equal(new[] { "DisableConnector:" + first, "SetAcceptedDomainAuthoritative:" + second, "SetAcceptedDomainAuthoritative:Skipped" }, Statuses(host));
            Assert.Equal(questions, host.Questions.Count);
            Assert.DoesNotContain(tenant.Calls, c => c.StartsWith("Set-", StringComparison.Ordinal));
        }

        [Fact]
        public void A_connector_Exchange_cannot_find_is_ConnectorNotFound_with_Exchanges_error_inside_and_the_next_input_goes_on()
        {
            FakeExchangeSession tenant = Tenant();
            var host = new RecordingRepairHost();
            RepairRunner runner = Runner(tenant, host, decommissioned: false);
            runner.Plan(Input("Nope"));
            runner.Plan(Input(Contoso, "450 4.4.312"));

            RepairError error = Assert.Single(host.Errors);
            Assert.Equal("ConnectorNotFound", error.Id);
            Assert.Equal("ObjectNotFound", error.Category);
            Assert.Equal("Nope", error.Target);
            KeyNotFoundException notFound = Assert.IsType<KeyNotFoundException>(error.Exception);
            Assert.True(Assert.IsType<ExchangeSessionException>(notFound.InnerException).IsNotFound);
            Assert.Contains(host.Actions, a => a.Action == "FixDns");
        }

        [Theory]
        [InlineData("PermissionDenied", "PermissionDenied")]
        [InlineData("NotSpecified", "ReadError")]
        public void Any_other_read_error_is_ConnectorNotReadable_with_Exchanges_category_when_it_gave_one(string exchangeCategory, string expected)
        {
            FakeExchangeSession tenant = Tenant();
            tenant.Failures["Get-OutboundConnector"] = new ExchangeSessionException("Get-CloudOutboundConnector", exchangeCategory, "ADOperationException", "X,Y", "Insufficient access rights.", new Exception("denied"), null);
            var host = new RecordingRepairHost();
            Runner(tenant, host).Plan(Input());
            RepairError error = Assert.Single(host.Errors);
            Assert.Equal("ConnectorNotReadable", error.Id);
            Assert.Equal(expected, error.Category);
            Assert.False(((ExchangeSessionException)error.Exception).IsNotFound);
            Assert.Empty(host.Actions);
        }

        [Fact]
        public void A_failed_change_is_RepairFailed_and_the_step_that_depends_on_it_is_not_made()
        {
            FakeExchangeSession tenant = Tenant();
            tenant.Failures["Set-OutboundConnector"] = new ExchangeSessionException("Set-CloudOutboundConnector", "NotSpecified", null, "X,Y", "Failed.", new Exception("boom"), null);
            var host = new RecordingRepairHost();
            Runner(tenant, host).Plan(Input());
            Assert.Equal(new[] { "DisableConnector:Failed", "SetAcceptedDomainAuthoritative:Failed", "SetAcceptedDomainAuthoritative:Skipped" }, Statuses(host));
            Assert.Contains("DisableConnector", Steps(host)[1].Detail);
            Assert.Equal("", Steps(host)[0].RollbackCommand);
            RepairError error = Assert.Single(host.Errors);
            Assert.Equal("RepairFailed", error.Id);
            Assert.Equal("InvalidOperation", error.Category);
            Assert.DoesNotContain("Set-AcceptedDomain contoso.com", tenant.Calls);
        }

        [Theory]
        [InlineData("fabrikam.onmicrosoft.com", false)]
        [InlineData("CONTOSO.onmicrosoft.com", true)]
        [InlineData("3750B40B-A68B-4632-9FB3-5B1AFF664079", true)]
        [InlineData("", true)]   // input from before Organization existed, or a probe without a session
        public void Input_from_another_organisation_is_left_alone(string organization, bool planned)
        {
            FakeExchangeSession tenant = Tenant();
            var host = new RecordingRepairHost();
            Runner(tenant, host).Plan(Input(organization: organization));
            Assert.Equal(planned, host.Actions.Count > 0);
            if (planned) return;
            Assert.Equal("OtherOrganization", Assert.Single(host.Errors).Id);
            Assert.Empty(tenant.Calls);
        }

        [Fact]
        public void Without_a_session_the_plan_is_for_a_person_and_carries_no_organisation()
        {
            var host = new RecordingRepairHost();
            var runner = new RepairRunner(null, new RepairOptions { Decommissioned = true, AcceptedDomains = new[] { "contoso.com" } }, new ProbeOptions(), host, CancellationToken.None);
            runner.Plan(Input(organization: "contoso.onmicrosoft.com"));
            Assert.Equal(new[] { "ConfirmOnPremisesConnector:Manual", "DisableConnector:Manual", "SetAcceptedDomainAuthoritative:Manual" }, Statuses(host));
            Assert.All(host.Actions, a => Assert.Equal("", a.Organization));
            Assert.Empty(host.Questions);
        }

        [Fact]
        public void Undo_replans_from_the_live_tenant_and_leaves_a_value_someone_changed_since()
        {
            FakeExchangeSession tenant = Tenant();
            var host = new RecordingRepairHost();
            RepairRunner runner = Runner(tenant, host);
            runner.Plan(Input());
            List<RepairAction> applied = host.Actions.Where(a => a.Status == RepairStatus.Applied).ToList();
            tenant.Domains.Single(d => (string)d["Identity"] == "contoso.com")["DomainType"] = "ExternalRelay";   // changed by someone since
            tenant.Calls.Clear();

            var undo = new RecordingRepairHost();
            RepairRunner back = Runner(tenant, undo);
            for (int i = applied.Count - 1; i >= 0; i--) back.Undo(applied[i]);

            Assert.Equal(new[] { "UndoSetAcceptedDomainAuthoritative:Skipped", "UndoDisableConnector:Applied" }, Statuses(undo));
            Assert.Contains("ExternalRelay", undo.Actions[0].Detail);
            Assert.Equal(new[] { "Get-AcceptedDomain", "Get-OutboundConnector Contoso on-premises", "Set-OutboundConnector Contoso on-premises" }, tenant.Calls);
            Assert.Equal(true, tenant.Value("OutboundConnector", Contoso, "Enabled"));
            Assert.All(undo.Actions, a => Assert.Equal("contoso.onmicrosoft.com", a.Organization));
        }

        [Fact]
        public void Undo_of_an_action_without_its_values_or_from_another_organisation_is_an_error_and_changes_nothing()
        {
            FakeExchangeSession tenant = Tenant();
            var host = new RecordingRepairHost();
            RepairRunner runner = Runner(tenant, host);
            runner.Undo(new RepairAction { Action = "DisableConnector", Target = Contoso, Setting = "Enabled", OldValue = "True", NewValue = null, Status = RepairStatus.Applied });
            runner.Undo(new RepairAction { Action = "DisableConnector", Target = Contoso, Setting = "Enabled", OldValue = "True", NewValue = "False", Status = RepairStatus.Applied, Organization = "fabrikam.onmicrosoft.com" });
            Assert.Equal(new[] { "NotUndoable", "OtherOrganization" }, host.Errors.Select(e => e.Id));
            Assert.Empty(host.Actions);
            Assert.Empty(tenant.Calls);
        }

        [Fact]
        public void The_same_failure_is_planned_once_a_resolved_alert_not_at_all_and_text_that_is_no_code_is_InvalidCode()
        {
            FakeExchangeSession tenant = Tenant();
            var host = new RecordingRepairHost();
            RepairRunner runner = Runner(tenant, host, decommissioned: false);
            runner.Plan(Input(Contoso, "450 4.4.312"));
            int planned = host.Actions.Count;
            runner.Plan(Input(Contoso, "4.4.312"));
            runner.Plan(new RepairInput { Code = "450 4.4.315", Connector = Contoso, Change = "Resolved" });
            runner.Plan(Input(Contoso, "hello"));
            Assert.Equal(planned, host.Actions.Count);
            RepairError error = Assert.Single(host.Errors);
            Assert.Equal("InvalidCode", error.Id);
            Assert.Equal("hello", error.Target);
        }

        [Fact]
        public void Validation_asks_Exchange_Online_once_per_connector_and_is_manual_without_the_cmdlet()
        {
            FakeExchangeSession tenant = Tenant();
            var host = new RecordingRepairHost();
            RepairRunner runner = Runner(tenant, host, decommissioned: false);
            runner.ValidationRecipients = new[] { "probe@contoso.com" };
            runner.Plan(Input(Contoso, "450 4.4.312"));
            runner.Plan(Input(Contoso, "450 4.4.315"));
            RepairAction validate = Assert.Single(host.Actions, a => a.Action == "ValidateConnector");
            Assert.Equal(RepairStatus.Applied, validate.Status);
            Assert.Contains("IsTaskSuccessful=True", validate.Detail);
            Assert.Equal("Validate-CloudOutboundConnector -Identity 'Contoso on-premises' -Recipients 'probe@contoso.com'", validate.Command);
            Assert.Single(tenant.Calls, c => c.StartsWith("Validate-", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(typeof(RepairTexts))]
        [InlineData(typeof(ExchangeSessions))]
        [InlineData(typeof(DecommissionTexts))]
        [InlineData(typeof(MailFlowIntel.Core.Routing.RoutingTexts))]
        public void The_format_texts_of_the_runner_and_the_session_take_the_same_arguments_in_both_languages(Type holder)
        {
            var phrases = holder.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic).Where(f => f.FieldType == typeof(Phrase)).ToList();
            Assert.NotEmpty(phrases);
            object[] args = { "a", "b", "c", "d", "e", "f" };
            foreach (FieldInfo f in phrases)
            {
                var phrase = (Phrase)f.GetValue(null);
                Assert.NotEqual(phrase.English, phrase.French);
                string[] english = Regex.Matches(phrase.English, @"\{\d\}").Cast<Match>().Select(m => m.Value).Distinct().OrderBy(v => v).ToArray();
                string[] french = Regex.Matches(phrase.French, @"\{\d\}").Cast<Match>().Select(m => m.Value).Distinct().OrderBy(v => v).ToArray();
                Assert.Equal(english, french);
                Assert.DoesNotContain("{", string.Format(System.Globalization.CultureInfo.InvariantCulture, phrase.English, args));
                Assert.DoesNotContain("{", string.Format(System.Globalization.CultureInfo.InvariantCulture, phrase.French, args));
            }
        }
    }
}
