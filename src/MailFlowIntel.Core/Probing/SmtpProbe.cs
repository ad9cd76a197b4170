using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>One attempt against one address: TCP connect, greeting, EHLO, STARTTLS, certificate, optional MAIL/RCPT, RSET, QUIT.
    /// It never sends DATA or BDAT.</summary>
    internal static class SmtpProbe
    {
        // SslProtocols.Tls13 is not in netstandard2.0; its value is fixed by the OS APIs.
        const SslProtocols Tls13 = (SslProtocols)12288;

        /// <summary>MailKit's SmtpClient with access to its protected SendCommand, for MAIL FROM / RCPT TO / RSET without DATA.</summary>
        sealed class ProbeClient : SmtpClient
        {
            public ProbeClient(IProtocolLogger logger) : base(logger) { }
            public Task<SmtpResponse> CommandAsync(string command, CancellationToken ct) => SendCommandAsync(command, ct);
        }

        public sealed class Attempt
        {
            public List<ConnectorDeliveryResult> Results { get; } = new List<ConnectorDeliveryResult>();
            /// <summary>The server took the session: Microsoft 365 would stop here rather than try the next address.</summary>
            public bool Reached { get; set; }
        }

        /// <param name="failedTls">Set on the second, plaintext attempt that opportunistic TLS makes after STARTTLS failed.</param>
        public static async Task<Attempt> RunAsync(ConnectorDeliveryResult template, IPAddress address, string tlsHost,
            ProbeTarget target, ProbeOptions options, CancellationToken ct, string failedTls = null)
        {
            var result = template.Clone();
            result.IPAddress = address.ToString();
            result.Port = options.Port;
            result.Timestamp = DateTime.UtcNow;
            var obs = new Observation { Tls = target.Tls, Stage = ProbeStage.Connect };
            var attempt = new Attempt();
            var clock = Stopwatch.StartNew();
            string expectedName = string.IsNullOrEmpty(target.TlsDomain) ? tlsHost : target.TlsDomain;
            CertificateReport certificate = null;
            bool certificateRejected = false;
            SessionRecorder recorder = null;
            var rcptReplies = new List<KeyValuePair<string, string>>();

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using (var deadline = new StepDeadline(options.Timeout, () => socket.Dispose()))
            using (ct.Register(() => socket.Dispose()))
            {
                try
                {
                    if (options.SourceAddress != null) socket.Bind(new IPEndPoint(options.SourceAddress, 0));
                    deadline.Restart();
                    await socket.ConnectAsync(new IPEndPoint(address, options.Port)).ConfigureAwait(false);
                    result.ProbedFrom = ((IPEndPoint)socket.LocalEndPoint).Address.ToString();
                    obs.Stage = ProbeStage.Greeting;
                    deadline.Restart();

                    recorder = new SessionRecorder(deadline.Restart);
                    using (var client = new ProbeClient(recorder))
                    {
                        client.LocalDomain = options.HeloName;
                        // Our deadline closes the socket first; MailKit's own read timeout is only a backstop.
                        client.Timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds + 5000);
                        client.SslProtocols = SslProtocols.Tls12 | Tls13;   // Exchange Online sends with TLS 1.2 or later only
                        client.CheckCertificateRevocation = false;           // checked, bounded, in CertificateCheck
                        client.ServerCertificateValidationCallback = (sender, cert, chain, errors) =>
                        {
                            recorder.EnterCertificateCheck();
                            var leaf = new X509Certificate2(cert);
                            var presented = chain?.ChainElements.Cast<X509ChainElement>().Select(e => e.Certificate).ToList();
                            certificate = CertificateCheck.Inspect(leaf, presented, options.TrustedRoots,
                                expectedName, DateTime.UtcNow, Min(options.Timeout, TimeSpan.FromSeconds(5)));
                            bool fails = target.Tls.ValidatesCertificate() && (certificate.ChainOrDateProblem
                                         || (target.Tls == TlsRequirement.DomainValidation && certificate.NameMismatch));
                            certificateRejected = fails;
                            if (!fails) recorder.LeaveCertificateCheck();
                            return !fails;
                        };
                        SecureSocketOptions tls = failedTls != null ? SecureSocketOptions.None
                            : target.Tls.RequiresTls() ? SecureSocketOptions.StartTls : SecureSocketOptions.StartTlsWhenAvailable;
                        await client.ConnectAsync(socket, tlsHost, options.Port, tls, ct).ConfigureAwait(false);

                        if (client.IsSecure) result.TlsProtocol = ProtocolName(client.SslProtocol);
                        else if (failedTls == null) obs.StartTlsMissing = true;

                        if (options.Recipients.Count > 0)
                        {
                            SmtpResponse mail = await client.CommandAsync($"MAIL FROM:<{options.Sender}>", ct).ConfigureAwait(false);
                            string mailReply = ReplyText(mail);
                            bool mailOk = (int)mail.StatusCode / 100 == 2;
                            foreach (string rcpt in options.Recipients)
                            {
                                if (!mailOk) { rcptReplies.Add(new KeyValuePair<string, string>(rcpt, mailReply)); continue; }
                                SmtpResponse r = await client.CommandAsync($"RCPT TO:<{rcpt}>", ct).ConfigureAwait(false);
                                rcptReplies.Add(new KeyValuePair<string, string>(rcpt, ReplyText(r)));
                            }
                            await client.CommandAsync("RSET", ct).ConfigureAwait(false);
                        }
                        attempt.Reached = true;
                        obs.Stage = ProbeStage.Quit;
                        try { await client.DisconnectAsync(true, ct).ConfigureAwait(false); }
                        catch (Exception) when (!ct.IsCancellationRequested) { /* a close instead of the reply to QUIT is harmless */ }
                    }
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    // Ctrl+C is never a timeout or a close: leave as cancelled.
                    throw new OperationCanceledException(ct);
                }
                catch (Exception ex)
                {
                    if (attempt.Reached) { /* failure after the work was done: harmless */ }
                    else Observe(ex, obs, recorder, deadline.Fired, certificateRejected, options);
                }
                finally
                {
                    deadline.Stop();
                    socket.Dispose();
                }
            }

            if (recorder != null)
            {
                result.ServerResponse = Untrusted.Clean(recorder.LastReply);
                if (options.IncludeTranscript) result.Transcript = Untrusted.CleanLines(recorder.Transcript, 16 * 1024);
            }
            if (result.ProbedFrom == null) result.ProbedFrom = options.SourceAddress?.ToString() ?? RouteSource(address);
            if (certificate != null) AddCertificate(result, certificate, obs, target.Tls);
            if (obs.StartTlsMissing && !target.Tls.RequiresTls() && attempt.Reached)
                obs.Warnings.Add("The server does not offer STARTTLS: Microsoft 365 would deliver without encryption.");
            if (obs.TlsHandshakeFailed && !target.Tls.RequiresTls() && failedTls == null)
            {
                // Opportunistic TLS: Microsoft 365 retries the same server without encryption; so does the probe.
                Attempt plain = await RunAsync(template, address, tlsHost, target, options, ct, obs.Detail).ConfigureAwait(false);
                foreach (ConnectorDeliveryResult r in plain.Results) { r.DurationMs = clock.ElapsedMilliseconds; r.Timestamp = result.Timestamp; }
                return plain;
            }
            if (failedTls != null)
                obs.Warnings.Add($"STARTTLS failed ({failedTls}); with opportunistic TLS Microsoft 365 delivers without encryption, as this second session did.");

            result.DurationMs = clock.ElapsedMilliseconds;
            if (rcptReplies.Count == 0)
            {
                Classifier.Apply(obs, result);
                if (result.Status == ProbeStatus.Succeeded && obs.Stage == ProbeStage.Quit)
                    result.Detail = result.TlsProtocol != null ? $"Connected, STARTTLS with {result.TlsProtocol}, session ended with QUIT." : "Connected, session ended with QUIT.";
                attempt.Results.Add(result);
                return attempt;
            }

            // A RCPT probe: one result per recipient, carrying the session's facts and that recipient's reply.
            foreach (KeyValuePair<string, string> r in rcptReplies)
            {
                ConnectorDeliveryResult each = result.Clone();
                each.Recipient = r.Key;
                bool accepted = r.Value.StartsWith("2", StringComparison.Ordinal);
                var o = new Observation { Tls = obs.Tls, Stage = ProbeStage.RcptTo, RecipientRefusal = accepted ? null : r.Value, Detail = obs.Detail };
                o.Warnings.AddRange(obs.Warnings);
                o.StartTlsMissing = obs.StartTlsMissing;
                each.ServerResponse = Untrusted.Clean(r.Value);
                Classifier.Apply(o, each);
                if (accepted && each.Detail == null) each.Detail = $"The server accepted {r.Key} (no message was sent).";
                if (!accepted) each.Detail = $"The server refused {r.Key}.";
                attempt.Results.Add(each);
            }
            return attempt;
        }

        /// <summary>Turns what went wrong into facts on the observation (never a verdict).</summary>
        static void Observe(Exception ex, Observation obs, SessionRecorder recorder, bool deadlineFired, bool certificateRejected, ProbeOptions options)
        {
            ProbeStage stage = recorder?.Stage ?? obs.Stage;
            string seconds = options.Timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
            if (obs.Stage == ProbeStage.Connect)
            {
                var se = Find<SocketException>(ex);
                if (!deadlineFired && se != null && se.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    obs.ConnectRefused = true;
                    obs.Detail = $"TCP connection to port {options.Port} was refused (RST).";
                }
                else if (!deadlineFired && se != null && se.SocketErrorCode == SocketError.AddressNotAvailable)
                    throw new ProbeSetupException($"The source address {options.SourceAddress} cannot be used on this machine.", ex);
                else
                {
                    obs.ConnectTimedOut = true;
                    obs.Detail = deadlineFired
                        ? $"TCP connection to port {options.Port} was not answered within {seconds} s."
                        : $"TCP connection to port {options.Port} failed: {se?.SocketErrorCode.ToString() ?? ex.Message}.";
                }
                return;
            }

            obs.Stage = stage;
            bool inHandshake = stage == ProbeStage.TlsHandshake || stage == ProbeStage.Certificate;
            if (deadlineFired || Find<TimeoutException>(ex) != null)
            {
                obs.ReplyTimedOut = true;
                obs.Detail = $"No complete reply within {seconds} s at {stage}.";
                return;
            }
            if (ex is SslHandshakeException || inHandshake)
            {
                if (certificateRejected)
                {
                    obs.CertificateRejected = true;
                    obs.Detail = "The server's certificate failed the connector's validation.";
                }
                else
                {
                    obs.TlsHandshakeFailed = true;
                    obs.Detail = "TLS negotiation failed: " + Innermost(ex).Message;
                }
                return;
            }
            if (ex is SmtpCommandException command)
            {
                obs.RejectedReply = (int)command.StatusCode;
                obs.Detail = $"The server answered {(int)command.StatusCode} at {stage}.";
                return;
            }
            if (ex is NotSupportedException && stage != ProbeStage.Greeting)
            {
                obs.StartTlsMissing = true;
                obs.Stage = ProbeStage.StartTls;
                obs.Detail = "The connector requires TLS but the server does not offer STARTTLS.";
                return;
            }
            string stepText = recorder?.StepServerText ?? "";
            string[] lines = stepText.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);
            if (lines.Any(l => !SmtpReply.LooksLikeReply(l)) || (lines.Length == 0 && stepText.Length > 0))
            {
                obs.Unparseable = true;
                obs.Detail = $"The server's reply at {stage} is not SMTP.";
                return;
            }
            obs.ClosedAbruptly = true;
            obs.Detail = $"The server closed the connection at {stage}: {Innermost(ex).Message}";
        }

        static void AddCertificate(ConnectorDeliveryResult r, CertificateReport c, Observation obs, TlsRequirement tls)
        {
            r.CertificateSubject = Untrusted.Clean(c.Subject);
            r.CertificateIssuer = Untrusted.Clean(c.Issuer);
            r.CertificateNames = Untrusted.Clean(string.Join("; ", c.Names), 2048);
            r.CertificateNotAfter = c.NotAfter;
            r.CertificateThumbprint = c.Thumbprint;
            r.CertificateErrors = string.Join("; ", c.Errors.Concat(c.Notes));
            if (obs.CertificateRejected)
            {
                // Name only the problems this connector checks; the name is checked by DomainValidation alone.
                var checkedErrors = c.Errors.Where(e => e != "SubjectMismatch" || tls == TlsRequirement.DomainValidation);
                obs.Detail = $"Certificate validation failed ({string.Join(", ", checkedErrors)}) for '{r.CertificateSubject}'.";
                return;
            }
            // Problems the connector does not check, and an expiry within 30 days, are warnings.
            var unchecked_ = c.Errors.ToList();
            if (unchecked_.Count > 0)
                obs.Warnings.Add($"The certificate has problems this connector does not check ({string.Join(", ", unchecked_)}); a validating connector would fail with 450 4.7.320.");
            if (c.Notes.Contains("ExpiresSoon"))
                obs.Warnings.Add($"The certificate expires on {c.NotAfter:yyyy-MM-dd} (within {CertificateCheck.ExpiryWarning.TotalDays:0} days).");
        }

        static string ReplyText(SmtpResponse r) => $"{(int)r.StatusCode} {r.Response}".Replace("\r", " ").Replace("\n", " ").Trim();

        static string ProtocolName(SslProtocols p) => p == Tls13 ? "Tls13" : p.ToString();

        static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        /// <summary>The local address the OS would send from to reach an address (a UDP "connect" sends nothing).</summary>
        static string RouteSource(IPAddress remote)
        {
            try
            {
                using (var udp = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
                {
                    udp.Connect(new IPEndPoint(remote, 9));
                    return ((IPEndPoint)udp.LocalEndPoint).Address.ToString();
                }
            }
            catch (SocketException) { return null; }
        }

        static T Find<T>(Exception ex) where T : Exception
        {
            for (Exception e = ex; e != null; e = e.InnerException) if (e is T t) return t;
            return null;
        }

        static Exception Innermost(Exception ex) { while (ex.InnerException != null) ex = ex.InnerException; return ex; }

    }

    /// <summary>The probe cannot run from this machine as asked (a source address it does not have).</summary>
    public sealed class ProbeSetupException : Exception
    {
        public ProbeSetupException(string message, Exception inner) : base(message, inner) { }
    }
}
