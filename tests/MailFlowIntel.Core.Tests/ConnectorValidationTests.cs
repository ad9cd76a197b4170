using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Exchange;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>
    /// Microsoft 365's connector validation read generically (Microsoft documents no output type for Validate-OutboundConnector):
    /// what counts as a task, how its text gives a code, what is a Warning with the raw output, and the checks before and
    /// after a run (the recipients' domains, -MarkValidated).
    /// </summary>
    public sealed class ConnectorValidationTests
    {
        static readonly string[] Recipients = { "probe@contoso.com" };
        const string Refused = "450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.25:25]";

        static ValidationTarget Contoso(string type = "OnPremises", params string[] smartHosts)
        {
            var t = new ValidationTarget { Identity = "Contoso on-premises", Name = "Contoso on-premises", ConnectorType = type, DomainsKnown = true };
            t.RecipientDomains.AddRange(new[] { "contoso.com", "*.sub.contoso.com" });
            t.SmartHosts.AddRange(smartHosts.Length > 0 ? smartHosts : new[] { "mail.contoso.com" });
            return t;
        }

        static IReadOnlyDictionary<string, object> Obj(params (string Key, object Value)[] properties) =>
            properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

        static List<ConnectorDeliveryResult> Read(params IReadOnlyDictionary<string, object>[] output) => Read(Language.English, output);

        static List<ConnectorDeliveryResult> Read(Language language, params IReadOnlyDictionary<string, object>[] output) =>
            ConnectorValidation.Read(output, Contoso(), Recipients, "contoso.onmicrosoft.com", new DateTime(2026, 3, 14, 10, 0, 0, DateTimeKind.Utc), 1200, language);

        [Fact]
        public void All_tasks_successful_are_Succeeded_results_seen_from_Microsoft_365()
        {
            List<ConnectorDeliveryResult> r = Read(
                Obj(("TaskName", "Validate connectivity to smart host"), ("IsTaskSuccessful", true), ("Details", "250 2.0.0 OK")),
                Obj(("TaskName", "Send test email"), ("IsTaskSuccessful", true), ("Details", "Sent to probe@contoso.com")));
            Assert.Equal(2, r.Count);
            foreach (ConnectorDeliveryResult x in r)
            {
                Assert.Equal(ProbeStatus.Succeeded, x.Status);
                Assert.Equal(ProbeStatus.Succeeded, x.TargetStatus);
                Assert.Equal(Reason.Delivered, x.Reason);
                Assert.Null(x.Code);
                Assert.Equal(ObservedFrom.Microsoft365, x.ObservedFrom);
                Assert.Equal("", x.ProbedFrom);   // observed by Microsoft 365, not probed from here
                Assert.Equal(ProbeStage.None, x.Stage);
                Assert.Equal("Contoso on-premises", x.Connector);
                Assert.Equal("contoso.onmicrosoft.com", x.Organization);
                Assert.Equal("probe@contoso.com", x.Recipient);
                Assert.Equal("mail.contoso.com", x.Target);   // the connector's one smart host
                Assert.Equal(Responsible.Admin, x.Responsible);
                Assert.Equal(1200, x.DurationMs);
            }
            Assert.Equal("Send test email: Details=Sent to probe@contoso.com", r[1].Detail);
            Assert.True(ConnectorValidation.FullySucceeded(r));
        }

        [Theory]
        [InlineData("Details")]
        [InlineData("Error")]
        [InlineData("ErrorMessage")]
        [InlineData("Output")]
        public void A_failed_task_with_4_4_316_in_any_text_property_is_a_Failed_4_4_316_result(string property)
        {
            List<ConnectorDeliveryResult> r = Read(
                Obj(("TaskName", "Validate connectivity to smart host"), ("IsTaskSuccessful", false), (property, Refused)),
                Obj(("TaskName", "Send test email"), ("IsTaskSuccessful", true), ("Details", "Skipped")));
            ConnectorDeliveryResult failed = r[0];
            Assert.Equal(ProbeStatus.Failed, failed.Status);
            Assert.Equal("450 4.4.316", failed.Code);
            Assert.Equal("4.4.316", failed.EnhancedStatusCode);
            Assert.Equal(Reason.ConnectionRefused, failed.Reason);
            Assert.Equal("mail.contoso.com", failed.DestinationServer);
            Assert.Equal("203.0.113.25", failed.IPAddress);
            Assert.Equal(Refused, failed.ServerResponse);
            Assert.StartsWith("Validate connectivity to smart host: ", failed.Detail);
            Assert.StartsWith("Microsoft 365's connection to mail.contoso.com (203.0.113.25) on port 25 was refused", failed.Cause);
            Assert.All(r, x => Assert.Equal(ProbeStatus.Failed, x.TargetStatus));
            Assert.False(ConnectorValidation.FullySucceeded(r));
        }

        [Fact]
        public void The_code_is_read_from_a_list_valued_text_property_and_flags_and_names_in_other_spellings()
        {
            // As a deserialized or re-imported object has them: the flag as text, the name as Name, the text as a list.
            List<ConnectorDeliveryResult> r = Read(Obj(("Name", "SmtpConnectivity"), ("WasSuccessful", "False"),
                ("Messages", new List<object> { "Attempt 1", "451 4.4.0 Primary target IP address responded with: 421 4.4.315 Connection timed out" })));
            Assert.Equal(ProbeStatus.Failed, r[0].Status);
            Assert.Equal("450 4.4.315", r[0].Code);
            Assert.Equal(Reason.ConnectTimedOut, r[0].Reason);
        }

        [Fact]
        public void A_smart_host_named_by_a_property_is_the_destination_and_Exchange_Onlines_own_servers_are_not()
        {
            List<ConnectorDeliveryResult> r = Read(
                Obj(("TaskName", "Connect"), ("IsTaskSuccessful", true), ("ServerName", "BN8PR12MB3345.namprd12.prod.outlook.com"), ("SmartHost", "mx2.contoso.com")),
                Obj(("TaskName", "Connect"), ("IsTaskSuccessful", true), ("ServerName", "BN8PR12MB3345.namprd12.prod.outlook.com")));
            Assert.Equal("mx2.contoso.com", r[0].DestinationServer);
            Assert.Equal("mx2.contoso.com", r[0].Target);
            Assert.Null(r[1].DestinationServer);
        }

        [Fact]
        public void A_failed_task_without_a_code_is_ValidationTaskFailed_and_a_code_outside_the_catalog_is_kept()
        {
            List<ConnectorDeliveryResult> r = Read(
                Obj(("TaskName", "Send test email"), ("IsTaskSuccessful", false), ("Details", "The test message could not be sent.")),
                Obj(("TaskName", "Send test email"), ("IsTaskSuccessful", false), ("Details", "550 5.7.1 Relay access denied")));
            Assert.Equal(ProbeStatus.Failed, r[0].Status);
            Assert.Equal(Reason.ValidationTaskFailed, r[0].Reason);
            Assert.Null(r[0].Code);
            Assert.Contains("The test message could not be sent.", r[0].Cause);
            Assert.Equal(Reason.Unrecognized, r[1].Reason);
            Assert.Equal("550 5.7.1", r[1].Code);
        }

        [Fact]
        public void Numbers_flags_and_the_connectors_own_name_are_never_read_for_a_code()
        {
            var target = Contoso();
            target.Name = target.Identity = "Relay 4.4.316";
            List<ConnectorDeliveryResult> r = ConnectorValidation.Read(new[]
            {
                Obj(("TaskName", "Connect"), ("IsTaskSuccessful", false), ("Identity", "Relay 4.4.316"), ("Attempts", 550), ("Retried", true)),
            }, target, Recipients, "", DateTime.UtcNow, 0, Language.English);
            Assert.Equal(Reason.ValidationTaskFailed, r[0].Reason);
            Assert.Null(r[0].Code);
        }

        public static IEnumerable<object[]> UnknownShapes() => new[]
        {
            new object[] { "no Success flag", Obj(("Result", "Validation completed"), ("Output", "Smart host mail.contoso.com: 450 4.4.316")), "Result=Validation completed; Output=Smart host mail.contoso.com: 450 4.4.316" },
            new object[] { "a flag but no name", Obj(("IsTaskSuccessful", false), ("Details", "failed")), "IsTaskSuccessful=False; Details=failed" },
            new object[] { "flags that disagree", Obj(("TaskName", "Connect"), ("IsTaskSuccessful", true), ("SendSuccess", false)), "TaskName=Connect; IsTaskSuccessful=True; SendSuccess=False" },
            new object[] { "a flag that is no boolean", Obj(("TaskName", "Connect"), ("SuccessRate", 0.5)), "TaskName=Connect; SuccessRate=0.5" },
            new object[] { "a bare line of text", Obj(("", "Validation succeeded for 2 of 3 hosts")), "Validation succeeded for 2 of 3 hosts" },
            new object[] { "nested tasks", Obj(("Identity", "Contoso on-premises"), ("Tasks", new List<object> { "@{Name=Connect; Ok=True}", "@{Name=Send; Ok=False}" })), "Identity=Contoso on-premises; Tasks=@{Name=Connect; Ok=True}; @{Name=Send; Ok=False}" },
        };

        [Theory]
        [MemberData(nameof(UnknownShapes))]
        public void A_shape_not_understood_is_a_Warning_carrying_the_raw_output_not_a_guess(string shape, IReadOnlyDictionary<string, object> output, string raw)
        {
            ConnectorDeliveryResult r = Read(output).Single();
            Assert.Equal(ProbeStatus.Warning, r.Status);
            Assert.Equal(ProbeStatus.Warning, r.TargetStatus);
            Assert.Equal(Reason.ValidationOutputNotUnderstood, r.Reason);
            Assert.Null(r.Code);   // even where the raw text holds one: no guess
            Assert.Equal(raw, r.Detail);
            Assert.Equal(raw, r.ServerResponse);
            Assert.Contains(raw, r.Cause);
            Assert.Equal(ObservedFrom.Microsoft365, r.ObservedFrom);
            Assert.False(ConnectorValidation.FullySucceeded(new[] { r }), shape);
        }

        [Fact]
        public void No_output_at_all_is_a_Warning_and_a_shape_not_understood_beside_a_success_makes_the_run_not_fully_successful()
        {
            ConnectorDeliveryResult none = Read().Single();
            Assert.Equal(Reason.ValidationOutputNotUnderstood, none.Reason);
            Assert.Contains("no output at all", none.Cause);
            List<ConnectorDeliveryResult> mixed = Read(Obj(("TaskName", "Connect"), ("IsTaskSuccessful", true)), Obj(("Note", "partly done")));
            Assert.Equal(new[] { ProbeStatus.Succeeded, ProbeStatus.Warning }, mixed.Select(x => x.Status));
            Assert.All(mixed, x => Assert.Equal(ProbeStatus.Warning, x.TargetStatus));
            Assert.False(ConnectorValidation.FullySucceeded(mixed));
        }

        [Fact]
        public void Hostile_text_is_cleaned_bounded_and_never_starts_a_formula()
        {
            string hostile = "=HYPERLINK(\"http://evil.example\")\r\n<script>alert(1)</script> " + Refused + new string('x', 10000);
            List<ConnectorDeliveryResult> r = Read(
                Obj(("TaskName", "=cmd|' /C calc'!A0"), ("IsTaskSuccessful", false), ("Details", hostile)),
                Obj(("Raw", hostile)));
            foreach (ConnectorDeliveryResult x in r)
                foreach (string text in new[] { x.Detail, x.ServerResponse, x.Cause, x.Fix, x.Connector })
                {
                    Assert.DoesNotContain('\r', text);
                    Assert.DoesNotContain('\n', text);
                    Assert.False("=+-@".IndexOf(text[0]) >= 0, text);
                    Assert.True(text.Length < 5000, $"{text.Length} characters");
                }
            Assert.StartsWith("'=cmd", r[0].Detail);
            Assert.StartsWith("'=HYPERLINK", r[0].ServerResponse);
            Assert.Contains("\\x0D\\x0A", r[0].ServerResponse);
            Assert.Equal("450 4.4.316", r[0].Code);
        }

        [Fact]
        public void Texts_follow_the_language_and_speak_of_Microsoft_365()
        {
            ConnectorDeliveryResult failed = Read(Language.French, Obj(("TaskName", "Send"), ("IsTaskSuccessful", false), ("Details", "no code here"))).Single();
            Assert.Equal("Échec d'une tâche de validation du connecteur", failed.Title);
            Assert.Contains("Microsoft 365 a validé Contoso on-premises", failed.Cause);
            ConnectorDeliveryResult odd = Read(Language.French, Obj(("Odd", "shape"))).Single();
            Assert.Contains("ce module ne comprend pas", odd.Cause);
            Assert.Contains("aucune sortie", Read(Language.French).Single().Cause);
        }

        [Theory]
        [InlineData("contoso.com", true)]
        [InlineData("CONTOSO.COM.", true)]
        [InlineData("sub.contoso.com", true)]      // *.sub.contoso.com covers the suffix itself
        [InlineData("a.b.sub.contoso.com", true)]
        [InlineData("other.contoso.com", false)]   // contoso.com alone covers only itself
        [InlineData("notcontoso.com", false)]
        [InlineData("fabrikam.com", false)]
        [InlineData(null, false)]
        public void A_recipient_domain_is_the_connectors_when_an_entry_covers_it(string domain, bool covered) =>
            Assert.Equal(covered, Contoso().Covers(domain, null));

        [Fact]
        public void Star_covers_every_domain_and_AllAcceptedDomains_adds_the_tenants_accepted_domains()
        {
            var all = new ValidationTarget { Identity = "Gateway" };
            all.RecipientDomains.Add("*");
            Assert.True(all.Covers("anything.example", null));
            var hybrid = new ValidationTarget { Identity = "Hybrid", AllAcceptedDomains = true };
            Assert.True(hybrid.Covers("contoso.com", new[] { "contoso.com" }));
            Assert.False(hybrid.Covers("fabrikam.com", new[] { "contoso.com" }));
            Assert.False(new ValidationTarget { Identity = "Rules only" }.Covers("contoso.com", new[] { "contoso.com" }));   // names no domain
        }

        [Theory]
        [InlineData("probe@contoso.com", "contoso.com")]
        [InlineData("  Probe@Sub.Contoso.com ", "sub.contoso.com")]
        [InlineData("probe@contoso", null)]
        [InlineData("contoso.com", null)]
        [InlineData("@contoso.com", null)]
        [InlineData("Probe <probe@contoso.com>", null)]
        [InlineData("a@contoso.com,b@contoso.com", null)]
        [InlineData("a@contoso.com\r\nBcc: x@evil.example", null)]
        public void A_recipient_is_one_bare_address(string address, string domain) =>
            Assert.Equal(domain, ConnectorValidation.DomainOf(address));

        static FakeExchangeSession Tenant() =>
            new FakeExchangeSession(new ExchangeConnection { Organization = "contoso.onmicrosoft.com", Prefix = "" })
                .WithConnector("Contoso on-premises", "OnPremises", true, new[] { "contoso.com" }, new[] { "mail.contoso.com" })
                .WithDomain("contoso.com", "InternalRelay").WithDomain("contoso.onmicrosoft.com", "Authoritative", initial: true);

        [Fact]
        public void A_connector_known_by_name_is_read_from_the_tenant_and_one_it_lacks_is_null()
        {
            FakeExchangeSession session = Tenant();
            var v = new ConnectorValidation(session, Recipients, Language.English);
            ValidationTarget read = v.Complete(ValidationTarget.Named("Contoso on-premises"));
            Assert.True(read.DomainsKnown);
            Assert.Equal(new[] { "contoso.com" }, read.RecipientDomains);
            Assert.Equal("OnPremises", read.ConnectorType);
            Assert.Null(v.Complete(ValidationTarget.Named("Nowhere")));
            Assert.Equal(new[] { "Get-OutboundConnector Contoso on-premises", "Get-OutboundConnector Nowhere" }, session.Calls);
        }

        [Fact]
        public void A_piped_connector_with_its_domains_is_not_read_again_and_a_result_or_alert_names_its_connector()
        {
            FakeExchangeSession session = Tenant();
            var v = new ConnectorValidation(session, Recipients, Language.English);
            ValidationTarget piped = ValidationTarget.FromProperties(Obj(("Identity", "Contoso on-premises"), ("Name", "Contoso on-premises"),
                ("RecipientDomains", new List<object> { "contoso.com" }), ("SmartHosts", new List<object> { "mail.contoso.com" }), ("AllAcceptedDomains", "False")));
            Assert.Same(piped, v.Complete(piped));
            Assert.Empty(session.Calls);
            ValidationTarget fromResult = ValidationTarget.FromProperties(Obj(("Connector", "Contoso on-premises"), ("Status", "Failed"), ("Code", "450 4.4.316")));
            Assert.Equal("Contoso on-premises", fromResult.IdentityForCall);
            Assert.False(fromResult.DomainsKnown);
            Assert.Null(ValidationTarget.FromProperties(Obj(("Status", "Failed"))));
        }

        [Fact]
        public void Outside_lists_the_recipients_not_in_the_connectors_domains_reading_accepted_domains_once_for_AllAcceptedDomains()
        {
            FakeExchangeSession session = Tenant();
            var v = new ConnectorValidation(session, new[] { "a@contoso.com", "b@fabrikam.com", "c@contoso.onmicrosoft.com" }, Language.English);
            Assert.Equal(new[] { "b@fabrikam.com", "c@contoso.onmicrosoft.com" }, v.Outside(Contoso()));
            var hybrid = new ValidationTarget { Identity = "Hybrid", AllAcceptedDomains = true, DomainsKnown = true };
            Assert.Equal(new[] { "b@fabrikam.com" }, v.Outside(hybrid));
            Assert.Equal(new[] { "b@fabrikam.com" }, v.Outside(hybrid));
            Assert.Equal(new[] { "Get-AcceptedDomain" }, session.Calls);
        }

        [Fact]
        public void Run_sends_Identity_and_Recipients_and_MarkValidated_sets_IsValidated_with_a_UTC_timestamp()
        {
            FakeExchangeSession session = Tenant();
            session.Validation = id => new[] { Obj(("TaskName", "Send test email"), ("IsTaskSuccessful", true)) };
            var v = new ConnectorValidation(session, Recipients, Language.English);
            List<ConnectorDeliveryResult> results = v.Run(Contoso());
            Assert.True(ConnectorValidation.FullySucceeded(results));
            Assert.Equal("Validate-OutboundConnector Contoso on-premises", session.Calls.Single());
            Assert.Equal(Recipients, (string[])session.Parameters[0]["Recipients"]);
            Assert.Equal("contoso.onmicrosoft.com", results[0].Organization);
            var at = new DateTime(2026, 3, 14, 10, 5, 0, DateTimeKind.Utc);
            v.MarkValidated(Contoso(), at);
            Assert.Equal(true, session.Value("OutboundConnector", "Contoso on-premises", "IsValidated"));
            var stamp = (DateTime)session.Value("OutboundConnector", "Contoso on-premises", "LastValidationTimestamp");
            Assert.Equal(at, stamp);
            Assert.Equal(DateTimeKind.Utc, stamp.Kind);
            Assert.Equal("Set-OutboundConnector -Identity 'Contoso on-premises' -IsValidated $true -LastValidationTimestamp '2026-03-14T10:05:00.0000000Z'", v.MarkCommand(Contoso(), at));
            Assert.Equal("Validate-OutboundConnector -Identity 'Contoso on-premises' -Recipients 'probe@contoso.com'", v.ValidateCommand(Contoso()));
        }

        [Fact]
        public void The_repairs_validation_step_reads_every_object_so_a_failed_second_task_fails_it()
        {
            FakeExchangeSession session = Tenant();
            session.Validation = id => new[]
            {
                Obj(("TaskName", "Connect"), ("IsTaskSuccessful", true)),
                Obj(("TaskName", "Send test email"), ("IsTaskSuccessful", false), ("Details", Refused)),
            };
            Assert.False(new ExchangeTenant(session).Validate("Contoso on-premises", Recipients, out string detail));
            Assert.Contains("Failed: Send test email: Details=450 4.4.316", detail);
            session.Validation = id => new[] { Obj(("Odd", "shape")) };
            Assert.True(new ExchangeTenant(session).Validate("Contoso on-premises", Recipients, out detail));   // not understood is no failure
            Assert.Equal("Warning: Odd=shape", detail);
        }

        [Fact]
        public void A_failed_validation_result_read_back_as_evidence_is_Microsoft_365s_view()
        {
            ConnectorDeliveryResult refused = Read(Obj(("TaskName", "Connect"), ("IsTaskSuccessful", false), ("Details", Refused))).Single();
            ConnectorDeliveryResult codeless = Read(Obj(("TaskName", "Send"), ("IsTaskSuccessful", false), ("Details", "could not send"))).Single();
            foreach (ConnectorDeliveryResult r in new[] { refused, codeless })
            {
                IReadOnlyDictionary<string, object> row = typeof(ConnectorDeliveryResult).GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.GetGetMethod() != null)
                    .ToDictionary(p => p.Name, p => p.GetValue(r) is Enum e ? (object)e.ToString() : p.GetValue(r), StringComparer.OrdinalIgnoreCase);
                EvidenceRecord e = RowInterpreter.Interpret(row, null, out string why);
                Assert.True(e != null, why);
                Assert.Equal(ObservedFrom.Microsoft365, e.ObservedFrom);
                Assert.Equal("Validation", e.Source);
                Assert.Equal(r.Reason, e.Scenario.Reason);
                Assert.Equal("Contoso on-premises", e.Connector);
            }
        }
    }
}
