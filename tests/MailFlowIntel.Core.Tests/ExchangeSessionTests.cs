using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Catalog;
using MailFlowIntel.Core.Exchange;
using MailFlowIntel.Core.Repair;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>Choosing the Exchange Online connection, naming it, and reading its objects and errors (DESIGN.md 2d).</summary>
    public sealed class ExchangeSessionTests
    {
        static FakeExchangeSession Session(string organization, string tenantId, string prefix, string delegated = "") =>
            new FakeExchangeSession(new ExchangeConnection { Organization = organization, TenantId = tenantId, Prefix = prefix, DelegatedOrganization = delegated });

        static readonly IExchangeSession Contoso = Session("contoso.onmicrosoft.com", "3750b40b-a68b-4632-9fb3-5b1aff664079", "Contoso");
        static readonly IExchangeSession Fabrikam = Session("", "b5c1d7e2-0f3a-4c9b-8d61-2a7e93f04c18", "Fabrikam");
        static readonly IExchangeSession Unprefixed = Session("", "9d2e6f10-3b7c-4e8a-a1f5-7c0d4b2e9a63", "");

        [Fact]
        public void One_connection_is_used_as_it_is_and_none_is_no_error()
        {
            Assert.Same(Contoso, ExchangeSessions.Choose(new[] { Contoso }, null, null, Language.English).Session);
            ExchangeSessionChoice none = ExchangeSessions.Choose(new IExchangeSession[0], null, null, Language.English);
            Assert.Null(none.Session);
            Assert.Null(none.ErrorId);
        }

        [Fact]
        public void Two_connections_without_a_pick_are_AmbiguousExchangeSession_listing_each_by_organisation_and_prefix()
        {
            ExchangeSessionChoice choice = ExchangeSessions.Choose(new[] { Contoso, Fabrikam }, null, null, Language.English);
            Assert.Null(choice.Session);
            Assert.Equal("AmbiguousExchangeSession", choice.ErrorId);
            Assert.Equal("InvalidOperation", choice.Category);
            Assert.Contains("contoso.onmicrosoft.com (prefix Contoso)", choice.Message);
            Assert.Contains("b5c1d7e2-0f3a-4c9b-8d61-2a7e93f04c18 (prefix Fabrikam)", choice.Message);
            Assert.Equal(2, choice.Connections.Count);
            string french = ExchangeSessions.Choose(new[] { Contoso, Unprefixed }, null, null, Language.French).Message;
            Assert.Contains("Plusieurs connexions Exchange Online", french);
            Assert.Contains("(sans préfixe)", french);
        }

        [Theory]
        [InlineData(null, "Fabrikam", "Fabrikam")]
        [InlineData(null, "fabrikam", "Fabrikam")]
        [InlineData(null, "", "")]   // -Prefix '' picks the connection without a prefix
        [InlineData("CONTOSO.onmicrosoft.com", null, "Contoso")]
        [InlineData("B5C1D7E2-0F3A-4C9B-8D61-2A7E93F04C18", null, "Fabrikam")]
        [InlineData("contoso.onmicrosoft.com", "Contoso", "Contoso")]
        public void Organization_or_Prefix_picks_one(string organization, string prefix, string expectedPrefix)
        {
            ExchangeSessionChoice choice = ExchangeSessions.Choose(new[] { Contoso, Fabrikam, Unprefixed }, organization, prefix, Language.English);
            Assert.Null(choice.ErrorId);
            Assert.Equal(expectedPrefix, choice.Session.Connection.Prefix);
        }

        [Theory]
        [InlineData("northwind.onmicrosoft.com", null)]
        [InlineData(null, "Northwind")]
        [InlineData("contoso.onmicrosoft.com", "Fabrikam")]
        public void A_pick_that_matches_none_is_ExchangeSessionNotFound_even_with_one_connection(string organization, string prefix)
        {
            ExchangeSessionChoice choice = ExchangeSessions.Choose(new[] { Contoso }, organization, prefix, Language.English);
            Assert.Null(choice.Session);
            Assert.Equal("ExchangeSessionNotFound", choice.ErrorId);
            Assert.Equal("ObjectNotFound", choice.Category);
            Assert.Contains("contoso.onmicrosoft.com (prefix Contoso)", choice.Message);
            Assert.Equal("ExchangeSessionNotFound", ExchangeSessions.Choose(new IExchangeSession[0], organization, prefix, Language.English).ErrorId);
        }

        [Theory]
        [InlineData("contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com", "3750b40b", "contoso.onmicrosoft.com")]
        [InlineData("", "fabrikam.onmicrosoft.com", "3750b40b", "fabrikam.onmicrosoft.com")]   // a partner's delegated tenant
        [InlineData("", "", "3750b40b", "3750b40b")]
        [InlineData(" ", null, null, "")]
        public void A_connection_is_named_by_its_Organization_else_DelegatedOrganization_else_TenantID(string organization, string delegated, string tenantId, string expected)
        {
            var connection = new ExchangeConnection { Organization = organization, DelegatedOrganization = delegated, TenantId = tenantId };
            Assert.Equal(expected, connection.Name);
            if (expected.Length > 0) Assert.True(connection.IsNamed(expected.ToUpperInvariant()));
            Assert.False(connection.IsNamed(""));
        }

        [Fact]
        public void Objects_are_read_from_property_bags_whatever_shape_their_values_take()
        {
            IReadOnlyDictionary<string, object> row = new Dictionary<string, object>
            {
                ["Identity"] = "To Contoso", ["Name"] = "To Contoso", ["ConnectorType"] = "OnPremises",
                ["Enabled"] = "False", ["UseMXRecord"] = 1, ["SmartHosts"] = new List<object> { "a.contoso.com", "b.contoso.com" },
                ["RecipientDomains"] = "contoso.com", ["TlsSettings"] = "DomainValidation", ["TlsDomain"] = " ",
            };
            ConnectorState c = ExchangeTenant.ToConnector(row, "To Contoso");
            Assert.False(c.Enabled);   // "False" as Import-Csv gives it back
            Assert.True(c.UseMXRecord);
            Assert.Equal(new[] { "a.contoso.com", "b.contoso.com" }, c.SmartHosts);
            Assert.Equal(new[] { "contoso.com" }, c.RecipientDomains);
            Assert.Null(c.TlsDomain);
            Assert.True(c.FromExchange);

            AcceptedDomainState d = ExchangeTenant.ToAcceptedDomain(new Dictionary<string, object> { ["Name"] = "contoso.com", ["DomainName"] = "contoso.com", ["InitialDomain"] = true });
            Assert.Equal("contoso.com", d.Identity);
            Assert.True(d.InitialDomain);
        }

        [Fact]
        public void A_session_without_Get_AcceptedDomain_reads_no_domains_and_does_not_call_it()
        {
            var session = (FakeExchangeSession)Session("contoso.onmicrosoft.com", "", "");
            session.WithDomain("contoso.com", "Authoritative").Cmdlets.Remove("Get-AcceptedDomain");
            Assert.Empty(new ExchangeTenant(session).ReadAcceptedDomains());
            Assert.Empty(session.Calls);
        }

        [Theory]
        [InlineData("ManagementObjectNotFoundException", "[Server=X] [FailureCategory=Cmdlet-ManagementObjectNotFoundException] 7C1F,Get", false, true)]   // remote PowerShell
        [InlineData("ManagementObjectNotFoundException", "[Server=X],Write-ErrorMessage", false, true)]                                           // v3: the reason
        [InlineData("Exception", "[Server=X],Write-ErrorMessage", true, true)]                                                                     // the exception's type
        [InlineData("ADOperationException", "[Server=X] [FailureCategory=Cmdlet-ADOperationException] 276E,Set", false, false)]
        public void Not_found_is_known_by_type_reason_or_id_never_by_wording(string reason, string errorId, bool typed, bool expected)
        {
            Exception exchange = typed ? new Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException("introuvable") : new Exception("couldn't be found");
            var e = new ExchangeSessionException("Get-OutboundConnector", "NotSpecified", reason, errorId, "couldn't be found", exchange, null);
            Assert.Equal(expected, e.IsNotFound);
            Assert.StartsWith("Get-OutboundConnector failed (NotSpecified: " + reason + ", " + errorId + "): ", e.Message);
            Assert.Same(exchange, e.InnerException);
        }
    }
}
