using System;
using System.Collections.Generic;
using System.Linq;
using MailFlowIntel.Core.Endpoints;
using MailFlowIntel.Core.Text;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>The module's small JSON reader, and the endpoints service's answer read through it.</summary>
    public sealed class JsonTests
    {
        [Fact]
        public void Reads_objects_arrays_strings_numbers_and_escapes()
        {
            object doc = Json.Parse("{\"a\": [1, 2.5, -3e2], \"B\": \"x\\u00e9\\n\\\"q\\\"\", \"t\": true, \"n\": null}");
            Assert.Equal("x\u00e9\n\"q\"", Json.Text(doc, "b"));   // keys without case
            Assert.Equal(new object[] { 1.0, 2.5, -300.0 }, Json.List(doc, "a"));
            Assert.Equal("true", Json.Text(doc, "t"));
            Assert.Null(Json.Text(doc, "n"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("{")]
        [InlineData("{\"a\":}")]
        [InlineData("[1,]")]
        [InlineData("\"open")]
        [InlineData("{} x")]
        [InlineData("nul")]
        public void Rejects_what_is_not_JSON(string text) => Assert.Throws<FormatException>(() => Json.Parse(text));

        [Fact]
        public void Stops_a_hostile_nesting_at_its_bound()
        {
            string deep = new string('[', 10000) + new string(']', 10000);
            Assert.Throws<FormatException>(() => Json.Parse(deep));
        }

        [Fact]
        public void Writes_what_it_reads()
        {
            string hostile = "a\"b\\c\n\u0001";
            Assert.Equal(hostile, Json.Parse(Json.Quote(hostile)));
        }

        [Fact]
        public void The_endpoints_answer_gives_mail_on_TCP_25_only_ranges_and_hosts_once()
        {
            object data = Json.Parse("[" +
                "{\"serviceArea\":\"Exchange\",\"tcpPorts\":\"80,443\",\"ips\":[\"13.107.6.152/31\"],\"urls\":[\"outlook.office.com\"]}," +
                "{\"serviceArea\":\"Exchange\",\"tcpPorts\":\"25, 587\",\"category\":\"Allow\",\"ips\":[\"40.92.0.0/15\",\"40.92.0.0/15\"],\"urls\":[\"*.mx.microsoft\"]}," +
                "{\"serviceArea\":\"SharePoint\",\"tcpPorts\":\"25\",\"ips\":[\"1.2.3.0/24\"]}]");
            List<MailFlowEndpoint> mail = EndpointService.MailEndpoints(data, "2026120100", "Worldwide").ToList();
            Assert.Equal(new[] { "40.92.0.0/15", "*.mx.microsoft" }, mail.Select(e => e.Address));
            Assert.Equal(EndpointKind.Host, mail[1].Kind);
            Assert.All(mail, e => Assert.Equal("Allow", e.Category));
        }

        [Theory]
        [InlineData("https://endpoints.office.com/", true)]
        [InlineData("http://127.0.0.1:8080/", true)]
        [InlineData("http://[::1]:8080/", true)]
        [InlineData("http://endpoints.office.com/", false)]
        [InlineData("ftp://127.0.0.1/", false)]
        public void Plain_http_only_on_loopback(string uri, bool allowed) => Assert.Equal(allowed, EndpointService.IsAllowed(new Uri(uri)));
    }
}
