using MailFlowIntel.Core.Catalog;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>Microsoft 365's own mail hosts, in every cloud: what mail-loop detection knows without the network.</summary>
    public sealed class Microsoft365NetworkTests
    {
        [Theory]
        [InlineData("contoso-com.mail.protection.outlook.com", true)]
        [InlineData("contoso-com.l-v1.mx.microsoft", true)]
        [InlineData("contoso-com.mail.protection.office365.us", true)]
        [InlineData("contoso-com.mail.protection.partner.outlook.cn", true)]
        [InlineData("contoso-com.mail.protection.outlook.de", true)]
        [InlineData("mail.contoso.com", false)]
        [InlineData("mx.microsoft.evil.example", false)]
        public void Knows_Microsoft_365s_MX_hosts_in_every_cloud(string host, bool expected) =>
            Assert.Equal(expected, Microsoft365Network.IsMicrosoft365MxHost(host));

        [Fact]
        public void The_shipped_list_carries_its_version_and_the_mail_hosts()
        {
            var shipped = Microsoft365Network.ShippedEndpoints();
            Assert.Contains(shipped, e => e.Address == "40.92.0.0/15" && e.Kind == EndpointKind.Range);
            Assert.Contains(shipped, e => e.Address == "*.mx.microsoft" && e.Kind == EndpointKind.Host);
            Assert.All(shipped, e => { Assert.Equal(Microsoft365Network.ShippedVersion, e.Version); Assert.Equal(EndpointSource.Shipped, e.Source); });
        }
    }
}
