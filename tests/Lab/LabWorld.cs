using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;

namespace MailFlowIntel.Lab
{
    /// <summary>
    /// The whole in-process lab: one DNS zone (lab.test) and one SMTP port, each fault on its own loopback address,
    /// so a probe with one -Port and one -DnsServer reaches all of them by name, as a tenant's connectors would.
    /// </summary>
    public sealed class LabWorld : IDisposable
    {
        readonly List<IDisposable> parts = new List<IDisposable>();
        readonly LabHttpServer http;
        public const string CrlPath = "/lab-ca.crl";
        public const string IntermediatePath = "/lab-intermediate.cer";
        /// <summary>A CRL address whose server reads the request and never answers.</summary>
        public const string HangingCrlPath = "/hanging.crl";

        /// <summary>How many times the CRL was fetched (revocation checks really went to the network).</summary>
        public int CrlRequests => http.Requests(CrlPath);
        /// <summary>How many times the intermediate CA was fetched from the leaf's AIA URL.</summary>
        public int IntermediateRequests => http.Requests(IntermediatePath);

        /// <summary>The HTTPS server of the MTA-STS policy hosts (mta-sts.&lt;domain&gt;), on its own loopback address.</summary>
        public LabHttpsServer MtaSts { get; private set; }
        /// <summary>Its port: the probe's -MtaStsPort (Exchange Online uses 443, which a lab cannot bind).</summary>
        public int MtaStsPort => MtaSts.Port;

        public LabDns Dns { get; }
        /// <summary>A DNS server over the same records that never validates (never sets AD): a non-validating resolver.</summary>
        public LabDns DnsNoAd { get; }
        /// <summary>
        /// An inside view over the same records (what a computer on the admin's network asks), which answers split.lab.test
        /// with a private address and hairpin.lab.test with a server that answers; the lab's main DNS plays public DNS.
        /// </summary>
        public LabDns DnsInside { get; }
        /// <summary>The private address the inside view gives split.lab.test; a server listens there only where it can be bound (a network namespace of the tests).</summary>
        public const string InsideAddress = "10.0.0.5";
        /// <summary>A stand-in for the Microsoft 365 IP address and URL web service (Get-MailFlowEndpoint -Uri).</summary>
        public LabEndpointService EndpointService { get; } = new LabEndpointService();
        /// <summary>The same records through a relay that loses the first query for each question (a lost UDP packet).</summary>
        public LossyDns DnsLossy { get; }
        public LabCertificates Certificates { get; }
        public int Port { get; }
        public string Directory { get; }
        /// <summary>Host name to the fault server serving it (tests read the commands it received).</summary>
        public Dictionary<string, FaultSmtpServer> Servers { get; } = new Dictionary<string, FaultSmtpServer>();
        /// <summary>Host name to the address serving it.</summary>
        public Dictionary<string, string> Hosts { get; } = new Dictionary<string, string>();

        public LabWorld()
        {
            Directory = Path.Combine(Path.GetTempPath(), "mfi-lab-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            http = new LabHttpServer();
            parts.Add(http);
            Certificates = new LabCertificates(Directory, crlUrl: http.Url(CrlPath), unreachableCrlUrl: $"http://127.0.0.1:{ClosedPort.Get()}/lab-ca.crl",
                intermediateUrl: http.Url(IntermediatePath), hangingCrlUrl: http.Url(HangingCrlPath));
            http.Hang(HangingCrlPath);
            http.Serve(CrlPath, "application/pkix-crl", Certificates.Crl);
            http.Serve(IntermediatePath, "application/pkix-cert", Certificates.Intermediate.RawData);
            Dns = new LabDns();

            var first = new FaultSmtpServer(FaultBehaviour.Normal, Certificates.Valid, "ok.lab.test", IPAddress.Parse("127.0.0.10"));
            parts.Add(first);
            Servers["ok.lab.test"] = first;
            Port = first.Port;
            Host("ok.lab.test", first.Address);
            Host("mx.lab.test", first.Address);

            Host("refused.lab.test", IPAddress.Parse("127.0.0.11"));   // nothing listens there
            Serve("blackhole.lab.test", "127.0.0.12", null);
            Serve("silent.lab.test", "127.0.0.13", FaultBehaviour.Silent);
            Serve("busy.lab.test", "127.0.0.14", FaultBehaviour.Greet421);
            Serve("notls.lab.test", "127.0.0.15", FaultBehaviour.Normal, noCertificate: true);
            Serve("tls454.lab.test", "127.0.0.16", FaultBehaviour.StartTls454);
            Serve("drop.lab.test", "127.0.0.17", FaultBehaviour.CloseAfterEhlo);
            Serve("expired.lab.test", "127.0.0.18", FaultBehaviour.Normal, Certificates.Expired);
            Serve("wrongname.lab.test", "127.0.0.19", FaultBehaviour.Normal, Certificates.WrongName);
            Serve("selfsigned.lab.test", "127.0.0.20", FaultBehaviour.Normal, Certificates.SelfSigned);
            Serve("reset.lab.test", "127.0.0.21", FaultBehaviour.ResetMidTls);
            Serve("garbage.lab.test", "127.0.0.22", FaultBehaviour.Garbage);
            Serve("reject554.lab.test", "127.0.0.23", FaultBehaviour.Greet554);
            Serve("trickle.lab.test", "127.0.0.24", FaultBehaviour.Trickle);
            Serve("revoked.lab.test", "127.0.0.25", FaultBehaviour.Normal, Certificates.Revoked);
            Serve("norevinfo.lab.test", "127.0.0.26", FaultBehaviour.Normal, Certificates.RevocationUnreachable);
            Serve("expiring.lab.test", "127.0.0.27", FaultBehaviour.Normal, Certificates.ExpiresSoon);
            // A server that sends only its leaf (whose AIA URL would give the intermediate), and one that sends the chain.
            Serve("leafonly.lab.test", "127.0.0.28", FaultBehaviour.Normal, Certificates.IntermediateLeaf);
            Serve("fullchain.lab.test", "127.0.0.29", FaultBehaviour.Normal, Certificates.IntermediateLeaf, intermediates: Certificates.Intermediate);
            Serve("ehlo421.lab.test", "127.0.0.30", FaultBehaviour.Ehlo421ThenClose);
            Serve("acceptreset.lab.test", "127.0.0.31", FaultBehaviour.AcceptThenReset);
            Serve("hugeline.lab.test", "127.0.0.32", FaultBehaviour.HugeLineNoEnd);
            Serve("ehloreject.lab.test", "127.0.0.33", FaultBehaviour.EhloRejected);
            Serve("masked.lab.test", "127.0.0.34", FaultBehaviour.MaskedStartTls);
            Serve("tlsrequired.lab.test", "127.0.0.35", FaultBehaviour.RequiresStartTls);
            Serve("notyet.lab.test", "127.0.0.36", FaultBehaviour.Normal, Certificates.NotYetValid);
            Serve("hostile.lab.test", "127.0.0.37", FaultBehaviour.Greet421Hostile);
            Serve("crlhang.lab.test", "127.0.0.38", FaultBehaviour.Normal, Certificates.RevocationHangs);
            Serve("oldtls.lab.test", "127.0.0.39", FaultBehaviour.OldTlsOnly);
            try
            {
                // IPv6 loopback: a name with only AAAA, and a dual-stack name whose IPv4 address refuses.
                Serve("v6.lab.test", "::1", FaultBehaviour.Normal);
                Dns.A("dual.lab.test", "127.0.0.11").A("dual.lab.test", "::1");
            }
            catch (System.Net.Sockets.SocketException) { /* no IPv6 on this machine: the IPv6 tests say so */ }

            Dns.ServFail("servfail.lab.test");
            // The zone apex exists, so a missing name in it is NXDOMAIN in a registered domain; lapsed.test does not exist at all.
            Dns.Exists("lab.test");
            Dns.Exists("noaddress.lab.test");
            Dns.Mx("contoso.lab.test", 10, "refused.lab.test").Mx("contoso.lab.test", 20, "ok.lab.test");
            Dns.Mx("partner.lab.test", 10, "ok.lab.test").Mx("partner.lab.test", 20, "busy.lab.test");
            Dns.NullMx("nomail.lab.test");
            Dns.A("implicit.lab.test", "127.0.0.10");
            Dns.Exists("relay.lab.test").Mx("relay.lab.test", 5, "ok.lab.test");
            // A smart host name with a web server's A record (refusing) and a real MX: Exchange Online follows the MX.
            Dns.A("webandmx.lab.test", "127.0.0.11").Mx("webandmx.lab.test", 10, "ok.lab.test");
            // A smart host whose first MX refuses and whose second takes the session: failover.
            Dns.Mx("twomx.lab.test", 20, "ok.lab.test").Mx("twomx.lab.test", 10, "refused.lab.test");
            // A smart host that leads back to Microsoft 365's own front door (never connected to).
            Dns.Mx("loop.lab.test", 0, "lab-test.mail.protection.outlook.com").A("lab-test.mail.protection.outlook.com", "127.0.0.10");

            AddDane();
            AddMtaSts();
            DnsNoAd = Dns.NonValidating();
            DnsLossy = new LossyDns(Dns.Port);
            AddSplitDns();
            // A smart host named like a cloud gateway's (Mimecast's hosts end in .mimecast.com), served by the lab's own DNS.
            Dns.A("eu-smtp.lab-test.mimecast.com", Hosts["refused.lab.test"]);
            AddTenantDomains();
            DnsInside = Dns.View().Override("split.lab.test", InsideAddress).Override("hairpin.lab.test", Hosts["ok.lab.test"]);
        }

        /// <summary>
        /// Split DNS: publicly, split.lab.test leads to the healthy server and hairpin.lab.test to an address that never
        /// answers from here (as a public address behind a firewall without hairpin NAT); <see cref="DnsInside"/> answers
        /// them otherwise. A server on the inside address is started only where that address can be bound.
        /// </summary>
        void AddSplitDns()
        {
            Dns.A("split.lab.test", Hosts["ok.lab.test"]);
            Dns.A("hairpin.lab.test", Hosts["blackhole.lab.test"]);
            try
            {
                var inside = new FaultSmtpServer(FaultBehaviour.Normal, Certificates.Valid, "split.lab.test", IPAddress.Parse(InsideAddress), Port);
                parts.Add(inside);
                Servers["inside.split.lab.test"] = inside;
            }
            catch (System.Net.Sockets.SocketException) { /* the address is not this computer's: nothing listens there */ }
        }

        /// <summary>
        /// The stand-in tenants' own domains, for the checks Repair-ConnectorConfig -Decommissioned makes: contoso.com and
        /// fabrikam.com (and their sub. domains) receive at Exchange Online's front door, onprem.contoso.com still at the
        /// retired smart host mail.contoso.com (which itself does not resolve).
        /// </summary>
        void AddTenantDomains()
        {
            foreach (string domain in new[] { "contoso.com", "sub.contoso.com", "fabrikam.com", "sub.fabrikam.com" })
            {
                string frontDoor = domain.Replace('.', '-') + ".mail.protection.outlook.com";
                Dns.Mx(domain, 0, frontDoor).A(frontDoor, "127.0.0.99");
            }
            Dns.Mx("onprem.contoso.com", 10, "mail.contoso.com");
        }

        /// <summary>"_port._tcp.host": the TLSA name for the lab's SMTP port (the probe asks for its -Port).</summary>
        public string TlsaName(string host) => $"_{Port}._tcp.{host}";

        /// <summary>
        /// DANE hosts: each name signed (its answers carry AD) unless said otherwise, with TLSA records for the lab's port.
        /// One server carries the DANE-EE hosts (a certificate with all their names, so only DANE differs between them); the
        /// DANE-TA ones send their leaf and the lab's intermediate CA, whose key the records name; the others reuse servers above.
        /// </summary>
        void AddDane()
        {
            var c = Certificates;
            void Signed(string host, string address)
            {
                Host(host, IPAddress.Parse(address));
                Dns.Signed(host);
            }
            // DANE-EE 3 1 1 of the served certificate: Valid.
            Serve("dane-ok.lab.test", "127.0.0.43", FaultBehaviour.Normal, c.DaneEe);
            Dns.Signed("dane-ok.lab.test").Tlsa(TlsaName("dane-ok.lab.test"), 3, 1, 1, c.DaneEe);
            string ok = Hosts["dane-ok.lab.test"];
            // DANE-TA 2 1 1 of the intermediate the server sends, its leaf carrying the host name: Valid.
            Serve("dane-ta.lab.test", "127.0.0.40", FaultBehaviour.Normal, c.DaneTa, intermediates: c.Intermediate);
            Dns.Signed("dane-ta.lab.test").Tlsa(TlsaName("dane-ta.lab.test"), 2, 1, 1, c.Intermediate);
            // The record of the key before a renewal: Mismatch (4.7.323).
            Signed("dane-renewed.lab.test", ok);
            Dns.Tlsa(TlsaName("dane-renewed.lab.test"), 3, 1, 1, c.Previous);
            // TLSA, and a server that offers no STARTTLS: NoTls (4.7.321).
            Signed("dane-nostarttls.lab.test", Hosts["notls.lab.test"]);
            Dns.Tlsa(TlsaName("dane-nostarttls.lab.test"), 3, 1, 1, c.DaneEe);
            // DANE-TA whose leaf has expired (4.7.322), and whose leaf names another host (4.7.325).
            Serve("dane-expired.lab.test", "127.0.0.41", FaultBehaviour.Normal, c.DaneExpired, intermediates: c.Intermediate);
            Dns.Signed("dane-expired.lab.test").Tlsa(TlsaName("dane-expired.lab.test"), 2, 1, 1, c.Intermediate);
            Serve("dane-wrongname.lab.test", "127.0.0.42", FaultBehaviour.Normal, c.DaneWrongName, intermediates: c.Intermediate);
            Dns.Signed("dane-wrongname.lab.test").Tlsa(TlsaName("dane-wrongname.lab.test"), 2, 1, 1, c.Intermediate);
            // TLSA in an unsigned zone: no AD, so no DANE (NotApplicable; Unknown through a resolver that never validates).
            Host("dane-unsigned.lab.test", IPAddress.Parse(ok));
            Dns.Tlsa(TlsaName("dane-unsigned.lab.test"), 3, 1, 1, c.DaneEe);
            // Signed host, TLSA answer that fails validation: SERVFAIL (Bogus, 4.4.312).
            Signed("dane-bogus.lab.test", ok);
            Dns.Tlsa(TlsaName("dane-bogus.lab.test"), 3, 1, 1, c.DaneEe).Bogus(TlsaName("dane-bogus.lab.test"));
            // Only PKIX usages 0 and 1: unusable, TLS still required.
            Signed("dane-usage01.lab.test", ok);
            Dns.Tlsa(TlsaName("dane-usage01.lab.test"), 1, 1, 1, c.DaneEe).Tlsa(TlsaName("dane-usage01.lab.test"), 0, 0, 1, c.Ca);
            Signed("dane-usage01-nostarttls.lab.test", Hosts["notls.lab.test"]);
            Dns.Tlsa(TlsaName("dane-usage01-nostarttls.lab.test"), 1, 1, 1, c.DaneEe);
            // Recipient domains: a signed MX to dane-ok; an unsigned MX to the same host (DANE needs the MX authentic);
            // a signed MX whose first host fails DANE and whose second passes (Exchange Online tries the next MX).
            Dns.Exists("dane-mx.lab.test").Signed("dane-mx.lab.test").Mx("dane-mx.lab.test", 10, "dane-ok.lab.test");
            Dns.Exists("dane-insecuremx.lab.test").Mx("dane-insecuremx.lab.test", 10, "dane-ok.lab.test");
            // A signed MX whose first host has no DANE (its answers are not signed) and whose second has: under Mandatory the
            // first gets no mail and the second takes the session.
            Dns.Exists("dane-mixed.lab.test").Signed("dane-mixed.lab.test")
                .Mx("dane-mixed.lab.test", 10, "ok.lab.test").Mx("dane-mixed.lab.test", 20, "dane-ok.lab.test");
            Dns.Exists("dane-failover.lab.test").Signed("dane-failover.lab.test")
                .Mx("dane-failover.lab.test", 10, "dane-renewed.lab.test").Mx("dane-failover.lab.test", 20, "dane-ok.lab.test");
        }

        /// <summary>An MTA-STS policy of this mode listing these mx patterns, CRLF-separated, with max_age one week.</summary>
        public static string Policy(string mode, params string[] mx) =>
            "version: STSv1\r\nmode: " + mode + "\r\n" + string.Concat(mx.Select(m => "mx: " + m + "\r\n")) + "max_age: 604800\r\n";

        /// <summary>The id every lab _mta-sts TXT record carries.</summary>
        public const string MtaStsId = "20260101000000Z";

        /// <summary>
        /// MTA-STS domains (RFC 8461): each with an _mta-sts TXT record, its policy host mta-sts.&lt;domain&gt; on the lab's HTTPS
        /// server (or elsewhere), and MX hosts on one SMTP server whose certificate carries all their names, so only the policy
        /// differs between them. sts-relay.lab.test is the policy domain of the smart hosts smtp.sts-relay.lab.test (listed) and
        /// other.sts-relay.lab.test (not listed): a smart host is checked against its own domain's policy.
        /// </summary>
        void AddMtaSts()
        {
            string[] domains =
            {
                "sts-enforce", "sts-wild", "sts-mismatch", "sts-testing", "sts-unreachable", "sts-redirect", "sts-redirect-target",
                "sts-oversized", "sts-oversized-length", "sts-badcert", "sts-partial", "sts-certfail", "sts-none", "sts-dane", "sts-relay",
            };
            string[] policyHosts = domains.Where(d => d != "sts-badcert").Select(d => $"mta-sts.{d}.lab.test").ToArray();
            MtaSts = new LabHttpsServer(IPAddress.Parse("127.0.0.51"), Certificates.IssueLeaf(policyHosts));
            parts.Add(MtaSts);
            // A certificate for another name on one policy host: the fetch must refuse it.
            MtaSts.Certificate("mta-sts.sts-badcert.lab.test", Certificates.IssueLeaf("mta-sts.other.lab.test"));

            string[] mxHosts =
            {
                "mx.sts-enforce.lab.test", "mx.sts-wild.lab.test", "mx.sts-mismatch.lab.test", "mx.sts-testing.lab.test",
                "mx.sts-unreachable.lab.test", "mx.sts-redirect.lab.test", "mx.sts-oversized.lab.test", "mx.sts-badcert.lab.test",
                "mx1.sts-partial.lab.test", "mx2.sts-partial.lab.test", "mx.sts-none.lab.test",
                "smtp.sts-relay.lab.test", "other.sts-relay.lab.test",
            };
            Serve(mxHosts[0], "127.0.0.50", FaultBehaviour.Normal, Certificates.IssueLeaf(mxHosts));
            foreach (string h in mxHosts.Skip(1)) Host(h, IPAddress.Parse("127.0.0.50"));

            void Domain(string label, string policy, HttpFraming framing = HttpFraming.ContentLength, string policyAddress = "127.0.0.51")
            {
                string domain = label + ".lab.test";
                Dns.Exists(domain).Txt("_mta-sts." + domain, $"v=STSv1; id={MtaStsId};").A("mta-sts." + domain, policyAddress);
                if (policy != null) MtaSts.Serve("mta-sts." + domain, policy, framing);
            }
            const string elsewhere = "mail.elsewhere.lab.test";
            // Enforce, and the MX listed by name or by wildcard: Valid.
            Domain("sts-enforce", Policy("enforce", "mx.sts-enforce.lab.test"));
            Dns.Mx("sts-enforce.lab.test", 10, "mx.sts-enforce.lab.test");
            Domain("sts-wild", Policy("enforce", "*.sts-wild.lab.test"));
            Dns.Mx("sts-wild.lab.test", 10, "mx.sts-wild.lab.test");
            // Enforce, and no MX listed: 4.4.8, nothing connected to.
            Domain("sts-mismatch", Policy("enforce", elsewhere));
            Dns.Mx("sts-mismatch.lab.test", 10, "mx.sts-mismatch.lab.test");
            // Testing mode with a mismatch (served in chunks): a Warning; delivered.
            Domain("sts-testing", Policy("testing", elsewhere), HttpFraming.Chunked);
            Dns.Mx("sts-testing.lab.test", 10, "mx.sts-testing.lab.test");
            // A policy host where nothing listens (the refusing address): PolicyUnreachable.
            Domain("sts-unreachable", null, policyAddress: Hosts["refused.lab.test"]);
            Dns.Mx("sts-unreachable.lab.test", 10, "mx.sts-unreachable.lab.test");
            // A redirect to a policy that would fail the MX: not followed, so PolicyUnreachable (and the target never asked).
            Domain("sts-redirect", null);
            MtaSts.Redirect("mta-sts.sts-redirect.lab.test", "https://mta-sts.sts-redirect-target.lab.test/.well-known/mta-sts.txt");
            Domain("sts-redirect-target", Policy("enforce", elsewhere));
            Dns.Mx("sts-redirect.lab.test", 10, "mx.sts-redirect.lab.test");
            // A policy of more than 64 KB, sent without Content-Length: PolicyUnreachable.
            Domain("sts-oversized", Policy("enforce", elsewhere) + string.Concat(Enumerable.Repeat("x-padding: " + new string('a', 1000) + "\r\n", 70)),
                HttpFraming.UntilClose);
            Dns.Mx("sts-oversized.lab.test", 10, "mx.sts-oversized.lab.test");
            // The same with its Content-Length: refused from the headers, before the body.
            Domain("sts-oversized-length", Policy("enforce", elsewhere) + new string('#', 70 * 1024));
            // A policy host whose certificate names another host: PolicyUnreachable.
            Domain("sts-badcert", Policy("enforce", elsewhere));
            Dns.Mx("sts-badcert.lab.test", 10, "mx.sts-badcert.lab.test");
            // Enforce listing only the second MX: the first is skipped (a Warning), the second takes the session.
            Domain("sts-partial", Policy("enforce", "mx2.sts-partial.lab.test"));
            Dns.Mx("sts-partial.lab.test", 10, "mx1.sts-partial.lab.test").Mx("sts-partial.lab.test", 20, "mx2.sts-partial.lab.test");
            // Enforce listing an MX whose server's certificate lacks its name: 4.7.5.
            Domain("sts-certfail", Policy("enforce", "mx.sts-certfail.lab.test"));
            Host("mx.sts-certfail.lab.test", IPAddress.Parse(Hosts["ok.lab.test"]));
            Dns.Mx("sts-certfail.lab.test", 10, "mx.sts-certfail.lab.test");
            // Mode none, with a mismatch: no effect.
            Domain("sts-none", Policy("none", elsewhere));
            Dns.Mx("sts-none.lab.test", 10, "mx.sts-none.lab.test");
            // A signed MX to a host failing DANE, and an enforce policy that does not list it: DANE decides (4.7.323).
            Domain("sts-dane", Policy("enforce", elsewhere));
            Dns.Signed("sts-dane.lab.test").Mx("sts-dane.lab.test", 10, "dane-renewed.lab.test");
            // The smart hosts' own domain.
            Domain("sts-relay", Policy("enforce", "smtp.sts-relay.lab.test"));
        }

        void Serve(string host, string address, FaultBehaviour? behaviour, System.Security.Cryptography.X509Certificates.X509Certificate2 cert = null,
            bool noCertificate = false, System.Security.Cryptography.X509Certificates.X509Certificate2 intermediates = null)
        {
            IPAddress ip = IPAddress.Parse(address);
            if (behaviour == null) parts.Add(new BlackHole(ip, Port));
            else
            {
                var server = new FaultSmtpServer(behaviour.Value, noCertificate ? null : cert ?? Certificates.Valid, host, ip, Port, intermediates);
                parts.Add(server);
                Servers[host] = server;
            }
            Host(host, ip);
        }

        void Host(string name, IPAddress ip)
        {
            Hosts[name] = ip.ToString();
            Dns.A(name, ip.ToString());
        }

        /// <summary>What a client needs to reach the lab, as one JSON line.</summary>
        public string Describe() => JsonSerializer.Serialize(new
        {
            Port,
            DnsServer = Dns.Endpoint,
            DnsServerNoAd = DnsNoAd.Endpoint,
            DnsServerLossy = DnsLossy.Endpoint,
            DnsServerInside = DnsInside.Endpoint,
            EndpointServiceUri = EndpointService.Uri,
            MtaStsPort,
            MtaStsId,
            CertificateAuthority = Certificates.CaPemPath,
            DaneEeCertificate = Certificates.DaneEePemPath,
            Hosts,
        });

        public void Dispose()
        {
            foreach (IDisposable p in parts) p.Dispose();
            DnsNoAd?.Dispose();
            DnsLossy?.Dispose();
            DnsInside?.Dispose();
            EndpointService.Dispose();
            Dns.Dispose();
            try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Runs the lab as a process for the demo: prints one READY line with its JSON, serves until stdin closes.</summary>
    public static class DemoLab
    {
        public static int Run(string[] args)
        {
            using var world = new LabWorld();
            Console.WriteLine("READY " + world.Describe());
            Console.Out.Flush();
            // Serve until the parent closes our stdin (or a line 'stop' arrives).
            string line;
            while ((line = Console.ReadLine()) != null && line.Trim() != "stop")
            {
                // "counts": how many queries each DNS server got, so a test in another process can prove none was asked.
                if (line.Trim() == "counts")
                {
                    Console.WriteLine(JsonSerializer.Serialize(new { Dns = world.Dns.QueryCount, DnsInside = world.DnsInside.QueryCount, DnsNoAd = world.DnsNoAd.QueryCount,
                        EndpointRequests = world.EndpointService.Requests.ToArray() }));
                    Console.Out.Flush();
                }
                // The endpoints stand-in: "endpoints-version X" announces another version; "endpoints-down" / "endpoints-up".
                else if (line.StartsWith("endpoints-version ", StringComparison.Ordinal)) world.EndpointService.Version = line.Substring(18).Trim();
                else if (line.Trim() == "endpoints-down") world.EndpointService.Down = true;
                else if (line.Trim() == "endpoints-up") world.EndpointService.Down = false;
            }
            return 0;
        }
    }
}
