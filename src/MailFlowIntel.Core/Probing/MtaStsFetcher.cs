using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Fetches an MTA-STS policy the way RFC 8461 section 3.3 asks: HTTPS to mta-sts.&lt;domain&gt; with a certificate valid for
    /// that name and chaining to a trusted root, one GET of /.well-known/mta-sts.txt, status 200 only ("HTTP 3xx redirects
    /// MUST NOT be followed"), no HTTP cache, and a bounded size and time ("a suggested timeout is one minute, and a
    /// suggested maximum policy size is 64 kilobytes"). A plain HTTP/1.1 request written here rather than an HTTP client:
    /// it follows no redirect, keeps no cache, and its certificate check is the probe's own (CertificateCheck), with the
    /// roots of -CertificateAuthority. The media type is not checked (text/plain is a SHOULD in section 3.2): a body that
    /// is not a policy fails to parse, which says more.
    /// </summary>
    internal static class MtaStsFetcher
    {
        public const string WellKnownPath = "/.well-known/mta-sts.txt";
        public const int MaxPolicyBytes = 64 * 1024;
        const int MaxHeaderBytes = 16 * 1024;

        /// <summary>The policy text, or why there is none.</summary>
        public sealed class Outcome
        {
            public string Text { get; set; }
            public string Failure { get; set; }
        }

        /// <summary>"mta-sts.contoso.com": the policy host of a domain.</summary>
        public static string HostFor(string domain) => "mta-sts." + domain.TrimEnd('.');

        /// <summary>Tries the addresses in order until one connects; that server's answer stands.</summary>
        public static async Task<Outcome> FetchAsync(string host, IReadOnlyList<IPAddress> addresses, ProbeOptions options, CancellationToken ct)
        {
            string failure = $"{host} has no address";
            foreach (IPAddress address in addresses)
            {
                if (options.SourceAddress != null && address.AddressFamily != options.SourceAddress.AddressFamily) continue;
                (Outcome outcome, bool connected) = await TryAsync(host, address, options, ct).ConfigureAwait(false);
                if (connected) return outcome;
                failure = outcome.Failure;
            }
            return new Outcome { Failure = failure };
        }

        static async Task<(Outcome, bool)> TryAsync(string host, IPAddress address, ProbeOptions options, CancellationToken ct)
        {
            string where = $"{host} ({address}:{options.MtaStsPort.ToString(CultureInfo.InvariantCulture)})";
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using (var deadline = new StepDeadline(options.Timeout, () => socket.Dispose()))
            using (ct.Register(() => socket.Dispose()))
            {
                try
                {
                    try
                    {
                        if (options.SourceAddress != null) socket.Bind(new IPEndPoint(options.SourceAddress, 0));
                        deadline.Restart();
                        await socket.ConnectAsync(new IPEndPoint(address, options.MtaStsPort)).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested && (ex is SocketException || ex is ObjectDisposedException))
                    {
                        string why = deadline.Fired ? "no answer" : (ex as SocketException)?.SocketErrorCode.ToString() ?? "closed";
                        return (Fail($"could not connect to {where}: {why}"), false);
                    }

                    var network = new NetworkStream(socket, ownsSocket: false);
                    CertificateReport certificate = null;
                    Task<RevocationOutcome> revocation = null;
                    var handshake = new TlsHandshake(host, presented =>
                    {
                        // RFC 8461 section 3.3: the certificate must be valid for the mta-sts host (RFC 6125), chain to a
                        // trusted root, and not be expired; nothing less is accepted, whatever the connector's TlsSettings.
                        certificate = CertificateCheck.Inspect(presented[0], presented, options, host, DateTime.UtcNow);
                        revocation = CertificateCheck.RevocationAsync(certificate, SmtpProbe.RevocationBound(options));
                        return certificate.Problems == CertificateProblems.None;
                    });
                    deadline.Restart();
                    Stream tls = await handshake.RunAsync(network, ct).ConfigureAwait(false);
                    if (tls == null)
                    {
                        if (deadline.Fired) return (Fail($"the TLS handshake with {where} timed out"), true);
                        if (handshake.Failure == TlsFailure.CertificateRejected && certificate != null)
                            return (Fail($"the certificate of {where} fails validation ({CertificateReport.Describe(certificate.Problems).Replace("; ", ", ")}; it names {Untrusted.Clean(string.Join(", ", certificate.Names), 200)})"), true);
                        return (Fail($"the TLS handshake with {where} failed ({Untrusted.Clean(handshake.PlatformMessage) ?? handshake.Failure.ToString()})"), true);
                    }
                    using (tls)
                    {
                        string hostHeader = options.MtaStsPort == 443 ? host : host + ":" + options.MtaStsPort.ToString(CultureInfo.InvariantCulture);
                        byte[] request = Encoding.ASCII.GetBytes($"GET {WellKnownPath} HTTP/1.1\r\nHost: {hostHeader}\r\nUser-Agent: MailFlowIntel\r\nAccept: text/plain\r\nConnection: close\r\n\r\n");
                        deadline.Restart();   // one bound for the request and the whole reply
                        await tls.WriteAsync(request, 0, request.Length, ct).ConfigureAwait(false);
                        Outcome fetched = await ReadAsync(tls, where, ct).ConfigureAwait(false);
                        deadline.Stop();
                        // Revocation on its own clock, after the fetch: a revoked certificate makes the policy unusable.
                        RevocationOutcome revoked = revocation == null ? default : await revocation.ConfigureAwait(false);
                        if ((revoked.Problems & CertificateProblems.Revoked) != 0) return (Fail($"the certificate of {where} is revoked"), true);
                        return (fetched, true);
                    }
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    throw new OperationCanceledException(ct);
                }
                catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException)
                {
                    return (Fail(deadline.Fired ? $"{where} did not send the whole policy in time" : $"{where} closed the connection before the whole policy"), true);
                }
                finally
                {
                    deadline.Stop();
                    socket.Dispose();
                }
            }
        }

        /// <summary>Reads one HTTP/1.1 response: status 200 only, a body of at most 64 KB (Content-Length, chunked, or until close).</summary>
        static async Task<Outcome> ReadAsync(Stream s, string where, CancellationToken ct)
        {
            var raw = new MemoryStream();
            var buffer = new byte[8192];
            int headerEnd = -1;
            int status = 0;
            long? length = null;
            bool chunked = false;
            bool complete = false;
            string location = null;
            byte[] body = null;
            while (true)
            {
                int n = await s.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
                if (n == 0) break;
                raw.Write(buffer, 0, n);
                if (raw.Length > MaxHeaderBytes + 4L * MaxPolicyBytes) return TooLarge(where);   // whatever the framing
                if (headerEnd < 0)
                {
                    headerEnd = IndexOfBlankLine(raw.GetBuffer(), (int)raw.Length);
                    if (headerEnd < 0)
                    {
                        if (raw.Length > MaxHeaderBytes) return Fail($"{where} sent no HTTP headers within {MaxHeaderBytes / 1024} KB");
                        continue;
                    }
                    string head = Encoding.ASCII.GetString(raw.GetBuffer(), 0, headerEnd);
                    if (!ReadHead(head, out status, out length, out chunked, out location)) return Fail($"{where} did not answer in HTTP");
                    if (status != 200) break;   // the body of anything else is not read
                    if (length > MaxPolicyBytes) return TooLarge(where);
                }
                long have = raw.Length - headerEnd;
                if (length != null && have >= length.Value) { complete = true; break; }
                if (chunked)
                {
                    body = Dechunk(raw.GetBuffer(), headerEnd, (int)raw.Length, out bool done, out bool bad);
                    if (bad) return Fail($"{where} sent a malformed chunked body");
                    if (body != null && body.Length > MaxPolicyBytes) return TooLarge(where);
                    if (done) { complete = true; break; }
                }
                else if (length == null && have > MaxPolicyBytes) return TooLarge(where);
            }
            if (headerEnd < 0) return Fail($"{where} closed the connection without an HTTP reply");
            if (status >= 300 && status < 400)
                return Fail($"{where} answered HTTP {status}, a redirect{(location != null ? " to " + Untrusted.Clean(location, 200) : "")}, which MTA-STS senders do not follow (RFC 8461 section 3.3)");
            if (status != 200) return Fail($"{where} answered HTTP {status} for {WellKnownPath}");
            if (chunked && !complete) return Fail($"{where} closed the connection before the end of the policy");
            if (length != null && !complete) return Fail($"{where} closed the connection before the end of the policy");
            int start = headerEnd;
            byte[] bytes = chunked ? body : raw.ToArray().Skip(start).Take((int)(length ?? raw.Length - start)).ToArray();
            if (bytes.Length > MaxPolicyBytes) return TooLarge(where);
            return new Outcome { Text = Encoding.UTF8.GetString(bytes) };
        }

        static Outcome TooLarge(string where) =>
            Fail($"the policy at {where} is larger than {MaxPolicyBytes / 1024} KB, the most RFC 8461 section 3.3 suggests a sender reads");

        static Outcome Fail(string why) => new Outcome { Failure = why };

        /// <summary>The offset just after the CRLF CRLF that ends the headers, or -1.</summary>
        static int IndexOfBlankLine(byte[] data, int count)
        {
            for (int i = 3; i < count; i++)
                if (data[i] == '\n' && data[i - 1] == '\r' && data[i - 2] == '\n' && data[i - 3] == '\r') return i + 1;
            return -1;
        }

        static bool ReadHead(string head, out int status, out long? length, out bool chunked, out string location)
        {
            status = 0; length = null; chunked = false; location = null;
            string[] lines = head.Split(new[] { "\r\n" }, StringSplitOptions.None);
            string[] first = lines[0].Split(' ');
            if (first.Length < 2 || !first[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
                || !int.TryParse(first[1], NumberStyles.None, CultureInfo.InvariantCulture, out status)) return false;
            foreach (string line in lines.Skip(1))
            {
                int colon = line.IndexOf(':');
                if (colon <= 0) continue;
                string name = line.Substring(0, colon).Trim();
                string value = line.Substring(colon + 1).Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                    && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n)) length = n;
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                    && value.IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0) chunked = true;
                else if (name.Equals("Location", StringComparison.OrdinalIgnoreCase)) location = value;
            }
            if (chunked) length = null;   // RFC 9112 section 6.3: Transfer-Encoding overrides Content-Length
            return true;
        }

        /// <summary>The body decoded so far from "size CRLF data CRLF ... 0 CRLF CRLF" (RFC 9112 section 7.1).</summary>
        static byte[] Dechunk(byte[] data, int start, int end, out bool done, out bool bad)
        {
            done = bad = false;
            var body = new MemoryStream();
            int pos = start;
            while (pos < end)
            {
                int lineEnd = -1;
                for (int i = pos; i + 1 < end; i++) if (data[i] == '\r' && data[i + 1] == '\n') { lineEnd = i; break; }
                if (lineEnd < 0) break;   // the size line is not all here yet
                string sizeText = Encoding.ASCII.GetString(data, pos, lineEnd - pos).Split(';')[0].Trim();
                if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size) || size < 0)
                { bad = true; return null; }
                if (size == 0) { done = true; break; }   // trailers, if any, are not read
                if (size > MaxPolicyBytes + 1) { body.SetLength(MaxPolicyBytes + 1); break; }
                int dataStart = lineEnd + 2;
                if (dataStart + size > end) { body.Write(data, dataStart, end - dataStart); break; }
                body.Write(data, dataStart, size);
                pos = dataStart + size + 2;
            }
            return body.ToArray();
        }
    }
}
