using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
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
        /// <summary>MailKit's SmtpClient with access to its protected SendCommand, for STARTTLS, MAIL FROM, RCPT TO and RSET without DATA.</summary>
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

        /// <param name="tlsHost">The host connected to: sent as SNI.</param>
        /// <param name="expectedName">The name DomainValidation requires (the TlsDomain, else the smart host as configured).</param>
        public static async Task<Attempt> RunAsync(ConnectorDeliveryResult template, IPAddress address, string tlsHost, string expectedName,
            ProbeTarget target, ProbeOptions options, CancellationToken ct)
        {
            var result = template.Clone();
            result.IPAddress = address.ToString();
            result.Port = options.Port;
            result.Timestamp = DateTime.UtcNow;
            var obs = new Observation { Tls = target.Tls, Stage = ProbeStage.Connect };
            var attempt = new Attempt();
            var clock = Stopwatch.StartNew();
            CertificateReport certificate = null;
            SessionRecorder recorder = null;
            SessionStream session = null;
            string decisiveReply = null;   // the reply that decided the outcome, kept over the QUIT that follows
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

                    var network = new NetworkStream(socket, ownsSocket: false);
                    session = new SessionStream(network);
                    SessionStream s = session;
                    recorder = new SessionRecorder(deadline.Restart, () => !s.ServerClosing);
                    using (var client = new ProbeClient(recorder))
                    {
                        client.LocalDomain = options.HeloName;
                        // Our deadline closes the socket first; MailKit's own read timeout is only a backstop.
                        client.Timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds + 5000);
                        // Greeting and EHLO (HELO if EHLO is refused); TLS is ours to start (TlsHandshake says why).
                        await client.ConnectAsync(session, tlsHost, options.Port, SecureSocketOptions.None, ct).ConfigureAwait(false);
                        obs.StartTlsMasked = recorder.SawMaskedStartTls;

                        bool proceed = true;
                        if ((client.Capabilities & SmtpCapabilities.StartTLS) != 0)
                        {
                            obs.Stage = ProbeStage.StartTls;
                            SmtpResponse starttls = await client.CommandAsync("STARTTLS", ct).ConfigureAwait(false);
                            if ((int)starttls.StatusCode != 220)
                            {
                                obs.RejectedReply = (int)starttls.StatusCode;
                                obs.Detail = $"The server answered {(int)starttls.StatusCode} to STARTTLS.";
                                proceed = false;
                            }
                            else
                            {
                                obs.Stage = recorder.Stage = ProbeStage.TlsHandshake;
                                deadline.Restart();
                                var handshake = new TlsHandshake(tlsHost, presented =>
                                {
                                    certificate = CertificateCheck.Inspect(presented[0], presented, options.TrustedRoots, expectedName,
                                        DateTime.UtcNow, Min(options.Timeout, TimeSpan.FromSeconds(5)));
                                    return !Rejects(target.Tls, certificate);
                                });
                                Stream tls = await handshake.RunAsync(network, ct).ConfigureAwait(false);
                                if (tls == null)
                                {
                                    if (deadline.Fired) throw new TimeoutException("TLS handshake");
                                    obs.Stage = handshake.Failure == TlsFailure.CertificateRejected ? ProbeStage.Certificate : ProbeStage.TlsHandshake;
                                    obs.TlsFailure = handshake.Failure;
                                    obs.Detail = handshake.Failure == TlsFailure.CertificateRejected
                                        ? "The server's certificate failed the connector's validation."
                                        : "TLS negotiation failed: " + handshake.FailureText + ".";
                                    proceed = false;
                                    session = null;   // the TLS state is broken: nothing more is sent
                                }
                                else
                                {
                                    session.Inner = tls;
                                    result.TlsProtocol = handshake.Protocol;
                                    obs.Stage = ProbeStage.Ehlo;
                                    SmtpResponse ehlo = await client.CommandAsync("EHLO " + options.HeloName, ct).ConfigureAwait(false);
                                    if ((int)ehlo.StatusCode / 100 != 2)
                                    {
                                        obs.RejectedReply = (int)ehlo.StatusCode;
                                        obs.Detail = $"The server answered {(int)ehlo.StatusCode} to EHLO after STARTTLS.";
                                        proceed = false;
                                    }
                                }
                            }
                        }
                        else
                        {
                            obs.StartTlsMissing = true;
                            if (target.Tls.RequiresTls())
                            {
                                obs.Stage = ProbeStage.StartTls;
                                obs.Detail = obs.StartTlsMasked
                                    ? "The connector requires TLS but STARTTLS is masked in the server's EHLO reply (XXXXXXXA): a firewall inspecting SMTP hides it."
                                    : "The connector requires TLS but the server does not offer STARTTLS.";
                                proceed = false;
                            }
                        }

                        if (proceed && options.Recipients.Count > 0)
                        {
                            obs.Stage = ProbeStage.MailFrom;
                            SmtpResponse mail = await client.CommandAsync($"MAIL FROM:<{options.Sender}>", ct).ConfigureAwait(false);
                            string mailReply = ReplyText(mail);
                            bool mailOk = (int)mail.StatusCode / 100 == 2;
                            foreach (string rcpt in options.Recipients)
                            {
                                if (!mailOk || session.ServerClosing) { rcptReplies.Add(new KeyValuePair<string, string>(rcpt, mailReply)); continue; }
                                SmtpResponse r = await client.CommandAsync($"RCPT TO:<{rcpt}>", ct).ConfigureAwait(false);
                                rcptReplies.Add(new KeyValuePair<string, string>(rcpt, ReplyText(r)));
                            }
                            if (!session.ServerClosing) await client.CommandAsync("RSET", ct).ConfigureAwait(false);
                        }
                        if (proceed)
                        {
                            attempt.Reached = true;
                            obs.Stage = ProbeStage.Quit;
                        }
                        else decisiveReply = recorder.LastReply;
                        // A polite end, unless the server said it is closing or the TLS state is broken.
                        if (session != null && !session.ServerClosing)
                        {
                            try { await client.DisconnectAsync(true, ct).ConfigureAwait(false); }
                            catch (Exception) when (!ct.IsCancellationRequested) { /* a close instead of the reply to QUIT is harmless */ }
                        }
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
                    else Observe(ex, obs, recorder, session, deadline.Fired, options);
                }
                finally
                {
                    deadline.Stop();
                    socket.Dispose();
                }
            }

            if (recorder != null)
            {
                result.ServerResponse = Untrusted.Clean(decisiveReply ?? recorder.LastReply);
                if (options.IncludeTranscript) result.Transcript = Untrusted.CleanLines(recorder.Transcript, 16 * 1024);
            }
            if (result.ProbedFrom == null) result.ProbedFrom = options.SourceAddress?.ToString() ?? RouteSource(address);
            if (certificate != null) AddCertificate(result, certificate, obs, target.Tls);
            if (obs.StartTlsMissing && !target.Tls.RequiresTls() && attempt.Reached)
                obs.Warnings.Add(obs.StartTlsMasked
                    ? "STARTTLS is masked in the server's EHLO reply (XXXXXXXA): a firewall inspecting SMTP hides it, so Microsoft 365 would deliver without encryption."
                    : "The server does not offer STARTTLS: Microsoft 365 would deliver without encryption.");

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

        /// <summary>Whether the connector's TlsSettings refuse this certificate (and so Microsoft 365 would end the handshake).</summary>
        static bool Rejects(TlsRequirement tls, CertificateReport c) =>
            tls.ValidatesCertificate() && (c.ChainOrDateProblems != CertificateProblems.None
                || (tls == TlsRequirement.DomainValidation && (c.Problems & CertificateProblems.SubjectMismatch) != 0));

        /// <summary>Turns what went wrong into facts on the observation (never a verdict).</summary>
        static void Observe(Exception ex, Observation obs, SessionRecorder recorder, SessionStream session, bool deadlineFired, ProbeOptions options)
        {
            string seconds = options.Timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
            if (obs.Stage == ProbeStage.Connect)
            {
                ObserveConnect(ex, obs, deadlineFired, options, seconds);
                return;
            }

            // The recorder follows every command, MailKit's own EHLO/HELO included.
            ProbeStage stage = recorder?.Stage ?? obs.Stage;
            obs.Stage = stage;
            if (session != null && (session.OverLong || session.OpenLineBytes > 512))
            {
                // MailKit may give up on the line before our own bound does; either way no SMTP reply line is that long.
                obs.Unparseable = true;
                obs.Detail = $"The server sent {session.OpenLineBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes without a line end at {stage}: no SMTP reply line is longer than 512 octets.";
                return;
            }
            if (session != null && session.ServerClosing)
            {
                // The server's 421 wins over the close that follows it.
                obs.RejectedReply = 421;
                obs.Detail = $"The server answered 421 at {stage} and closed the connection.";
                return;
            }
            if (deadlineFired || Find<TimeoutException>(ex) != null)
            {
                obs.ReplyTimedOut = true;
                obs.Detail = $"No complete reply within {seconds} s at {stage}.";
                return;
            }
            if (ex is SmtpCommandException command)
            {
                obs.RejectedReply = (int)command.StatusCode;
                obs.Detail = $"The server answered {(int)command.StatusCode} at {stage}.";
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
            var se = Find<SocketException>(ex);
            obs.Detail = se != null && SocketFaults.Of(se.SocketErrorCode) == SocketFault.ClosedByPeer
                ? $"The server reset the connection at {stage}."
                : $"The server closed the connection at {stage}.";
        }

        /// <summary>A failed TCP connect, by what its socket error means (SocketFaults), so the code and the detail agree.</summary>
        internal static void ObserveConnect(Exception ex, Observation obs, bool deadlineFired, ProbeOptions options, string seconds)
        {
            var se = Find<SocketException>(ex);
            if (deadlineFired || se == null)
            {
                obs.ConnectTimedOut = true;
                obs.Detail = $"TCP connection to port {options.Port} was not answered within {seconds} s.";
                return;
            }
            string name = se.SocketErrorCode.ToString();
            switch (SocketFaults.Of(se.SocketErrorCode))
            {
                case SocketFault.Refused:
                    obs.ConnectRefused = true;
                    obs.Detail = $"TCP connection to port {options.Port} was refused (RST).";
                    break;
                case SocketFault.NoAnswer:
                    obs.ConnectTimedOut = true;
                    obs.Detail = $"TCP connection to port {options.Port} got no answer ({name}: the host is down or a firewall drops the connection).";
                    break;
                case SocketFault.ClosedByPeer:
                    // The handshake completed (a reset cannot answer a SYN): the server accepted, then dropped the connection.
                    obs.Stage = ProbeStage.Greeting;
                    obs.ClosedAbruptly = true;
                    obs.Detail = $"The server accepted the TCP connection on port {options.Port} and reset it before its greeting ({name}).";
                    break;
                case SocketFault.NoRouteFromHere:
                    obs.LocalFault = true;
                    obs.Detail = $"This machine has no route to the address ({name}): often this machine's own network (no IPv6 route, port 25 blocked on the way out). Microsoft 365 may well reach it; probe from a host that can.";
                    break;
                default:
                    if (se.SocketErrorCode == SocketError.AddressNotAvailable && options.SourceAddress != null)
                        throw new ProbeSetupException($"The source address {options.SourceAddress} cannot be used on this machine.", ex);
                    obs.LocalFault = true;
                    obs.Detail = $"This machine could not open the connection ({name}): a fault on the probing side, not of the server.";
                    break;
            }
        }

        static void AddCertificate(ConnectorDeliveryResult r, CertificateReport c, Observation obs, TlsRequirement tls)
        {
            r.CertificateSubject = Untrusted.Clean(c.Subject);
            r.CertificateIssuer = Untrusted.Clean(c.Issuer);
            r.CertificateNames = Untrusted.Clean(string.Join("; ", c.Names), 2048);
            r.CertificateNotAfter = c.NotAfter;
            r.CertificateThumbprint = c.Thumbprint;
            r.CertificateErrors = CertificateReport.Describe(c.Problems, c.Notes);
            if (obs.CertificateRejected)
            {
                // Name only the problems this connector checks; the name is checked by DomainValidation alone.
                CertificateProblems checkedProblems = tls == TlsRequirement.DomainValidation ? c.Problems : c.ChainOrDateProblems;
                string missing = (c.Problems & CertificateProblems.IncompleteChain) != 0
                    ? $" The server sent {c.PresentedCount} certificate(s) and not the issuer '{Untrusted.Clean(c.MissingIssuer)}'."
                    : "";
                obs.Detail = $"Certificate validation failed ({CertificateReport.Describe(checkedProblems).Replace("; ", ", ")}) for '{r.CertificateSubject}'.{missing}";
                return;
            }
            // Problems the connector does not check, and an expiry within 30 days, are warnings.
            if (c.Problems != CertificateProblems.None)
                obs.Warnings.Add($"The certificate has problems this connector does not check ({CertificateReport.Describe(c.Problems).Replace("; ", ", ")}); a validating connector would fail with 450 4.7.320.");
            if ((c.Notes & CertificateNotes.ExpiresSoon) != 0)
                obs.Warnings.Add($"The certificate expires on {c.NotAfter:yyyy-MM-dd} (within {CertificateCheck.ExpiryWarning.TotalDays:0} days).");
        }

        static string ReplyText(SmtpResponse r) => $"{(int)r.StatusCode} {r.Response}".Replace("\r", " ").Replace("\n", " ").Trim();

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
    }

    /// <summary>The probe cannot run from this machine as asked (a source address it does not have).</summary>
    public sealed class ProbeSetupException : Exception
    {
        public ProbeSetupException(string message, Exception inner) : base(message, inner) { }
    }
}
