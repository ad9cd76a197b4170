using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailFlowIntel.Core.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>One attempt against one address: TCP connect, greeting, EHLO, STARTTLS, certificate, optional MAIL/RCPT, RSET, QUIT.
    /// It never sends DATA or BDAT. It gathers facts; ResultBuilder turns them into the result at the end.</summary>
    internal static class SmtpProbe
    {
        public sealed class Attempt
        {
            public List<ConnectorDeliveryResult> Results { get; } = new List<ConnectorDeliveryResult>();
            /// <summary>The server took the session: Microsoft 365 would stop here rather than try the next address.</summary>
            public bool Reached { get; set; }
        }

        /// <param name="tlsHost">The host connected to: sent as SNI.</param>
        /// <param name="expectedName">The name DomainValidation requires (the TlsDomain, else the smart host as configured).</param>
        /// <param name="dane">What DNS said about DANE for this host; null for none (an address given as the smart host).</param>
        /// <param name="sts">The MTA-STS lookup of the target's policy domain; null for none.</param>
        /// <param name="stsAnyMxMatches">Some host of the target matches the policy (so an unlisted one is skipped, not failed).</param>
        public static async Task<Attempt> RunAsync(ConnectorDeliveryResult template, IPAddress address, string tlsHost, string expectedName,
            ProbeTarget target, ProbeOptions options, CancellationToken ct, DaneLookup dane = null, MtaStsLookup sts = null, bool stsAnyMxMatches = false,
            System.Security.Authentication.SslProtocols? protocols = null, HostView view = null, EgressChecker egress = null)
        {
            var result = template.Clone();
            result.IPAddress = address.ToString();
            result.Port = options.Port;
            result.Timestamp = DateTime.UtcNow;
            ProbeFacts f = NewFacts(target, options);
            f.Stage = ProbeStage.Connect;
            view?.ApplyTo(f);
            dane = dane ?? DaneLookup.None;
            SetDane(f, dane);
            SetMtaSts(f, sts ?? MtaStsLookup.None, tlsHost, stsAnyMxMatches);
            // Authentic TLSA: TLS is required whatever the connector's TlsSettings, and the certificate is matched
            // ("How SMTP DANE works", Microsoft Learn). Under SmtpDaneMode None it is checked and reported, not enforced.
            bool daneHolds = dane.Applies && f.DaneEnforced;
            // An enforce policy that lists this host: TLS with a certificate that passes MTA-STS's check is required, or
            // Exchange Online sends nothing here (RFC 8461 sections 4.2 and 5; MtaStsMode, Set-OutboundConnector). DANE first.
            bool stsHolds = f.MtaStsEnforced && f.MtaSts == MtaStsStatus.Valid;
            // The names a DANE-TA leaf must carry: the host connected to, and the smart host or recipient domain
            // (RFC 7672 section 3.2.2; 4.7.325 "don't match any of the domains or MX host", NDR reference, Microsoft Learn).
            string[] daneNames = { tlsHost, target.Name };
            var attempt = new Attempt();
            var clock = Stopwatch.StartNew();
            SessionRecorder recorder = null;
            SessionStream session = null;
            var rcptReplies = new List<KeyValuePair<string, string>>();
            Task<RevocationOutcome> revocation = null;
            string startTlsReply = null;
            TlsHandshake handshake = null;

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
                    f.Stage = ProbeStage.Greeting;
                    deadline.Restart();

                    var network = new NetworkStream(socket, ownsSocket: false);
                    session = new SessionStream(network);
                    SessionStream s = session;
                    recorder = new SessionRecorder(deadline.Restart, () => !s.ServerClosing);
                    using (var client = new SmtpCommandClient(recorder))
                    {
                        client.LocalDomain = options.HeloName;
                        // Our deadline closes the socket first; MailKit's own read timeout is only a backstop.
                        client.Timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds + 5000);
                        // Greeting and EHLO (HELO if EHLO is refused); TLS is ours to start (TlsHandshake says why).
                        await client.ConnectAsync(session, tlsHost, options.Port, SecureSocketOptions.None, ct).ConfigureAwait(false);
                        f.EhloDone = true;
                        f.StartTlsMasked = recorder.SawMaskedStartTls;
                        f.StartTlsOffered = (client.Capabilities & SmtpCapabilities.StartTLS) != 0;

                        bool proceed = true;
                        if (f.StartTlsOffered)
                        {
                            f.Stage = ProbeStage.StartTls;
                            SmtpResponse starttls = await client.CommandAsync("STARTTLS", ct).ConfigureAwait(false);
                            startTlsReply = ReplyText(starttls);
                            if ((int)starttls.StatusCode != 220)
                            {
                                f.RejectedCode = (int)starttls.StatusCode;
                                f.ServerClosing = session.ServerClosing;
                                if (dane.Applies) f.Dane = DaneStatus.NoTls;
                                proceed = false;
                            }
                            else
                            {
                                f.Stage = recorder.Stage = ProbeStage.TlsHandshake;
                                deadline.Restart();
                                handshake = new TlsHandshake(tlsHost, presented =>
                                {
                                    f.Certificate = CertificateCheck.Inspect(presented[0], presented, options, expectedName, DateTime.UtcNow);
                                    // CRL and OCSP on their own clock, alongside the session: awaited after it (RevocationBound).
                                    revocation = CertificateCheck.RevocationAsync(f.Certificate, RevocationBound(options));
                                    // Whatever the connector validates: the chain is here, so DANE is matched here. Records that
                                    // are not authentic are matched too, for TlsaMatched only (DANE does not apply to them).
                                    if (dane.Records.Count > 0) SetMatch(f, DaneCheck.Match(dane.Records, presented, daneNames, DateTime.UtcNow), dane.Applies);
                                    f.ObservedTlsaRecord = DaneCheck.RecordFor(presented[0]).ToString();
                                    if (f.MtaSts == MtaStsStatus.Valid) CheckMtaStsCertificate(f, tlsHost);
                                    return !Rejects(f);
                                }, protocols);
                                Stream tls = await handshake.RunAsync(network, ct).ConfigureAwait(false);
                                if (tls == null)
                                {
                                    if (deadline.Fired) throw new TimeoutException("TLS handshake");
                                    f.Stage = handshake.Failure == TlsFailure.CertificateRejected ? ProbeStage.Certificate : ProbeStage.TlsHandshake;
                                    f.TlsFailure = handshake.Failure;
                                    f.TlsFailureMessage = handshake.PlatformMessage;
                                    f.Reset = handshake.Reset;
                                    // 4.7.321 also covers "The destination server responds to the STARTTLS command, but the TLS
                                    // handshake fails" (NDR reference, Microsoft Learn); our own refusal of the certificate is not that.
                                    if (dane.Applies && handshake.Failure != TlsFailure.CertificateRejected) f.Dane = DaneStatus.NoTls;
                                    // No TLS session with a certificate MTA-STS accepts: the listed host fails MTA-STS.
                                    if (f.MtaSts == MtaStsStatus.Valid && handshake.Failure != TlsFailure.CertificateRejected) f.MtaSts = MtaStsStatus.CertificateInvalid;
                                    proceed = false;
                                    session = null;   // the TLS state is broken: nothing more is sent
                                }
                                else if ((daneHolds && f.Dane == DaneStatus.Mismatch) || (stsHolds && f.MtaSts == MtaStsStatus.CertificateInvalid))
                                {
                                    // Exchange Online sends nothing to a server that fails DANE or an enforced MTA-STS policy, and tries the next MX.
                                    session.Inner = tls;
                                    result.TlsProtocol = handshake.Protocol;
                                    f.Stage = ProbeStage.Certificate;
                                    proceed = false;
                                }
                                else
                                {
                                    session.Inner = tls;
                                    result.TlsProtocol = handshake.Protocol;
                                    f.Stage = ProbeStage.Ehlo;
                                    SmtpResponse ehlo = await client.CommandAsync("EHLO " + options.HeloName, ct).ConfigureAwait(false);
                                    if ((int)ehlo.StatusCode / 100 != 2)
                                    {
                                        f.RejectedCode = (int)ehlo.StatusCode;
                                        f.ServerClosing = session.ServerClosing;
                                        proceed = false;
                                    }
                                }
                            }
                        }
                        else if (target.Tls.RequiresTls() || daneHolds || stsHolds)
                        {
                            if (dane.Applies) f.Dane = DaneStatus.NoTls;
                            if (f.MtaSts == MtaStsStatus.Valid) f.MtaSts = MtaStsStatus.CertificateInvalid;
                            f.Stage = ProbeStage.StartTls;
                            proceed = false;
                        }
                        else
                        {
                            // Reported only: SmtpDaneMode or MtaStsMode None, or a policy in testing mode, sends in the clear.
                            if (dane.Applies) f.Dane = DaneStatus.NoTls;
                            if (f.MtaSts == MtaStsStatus.Valid) f.MtaSts = MtaStsStatus.CertificateInvalid;
                        }

                        if (proceed && options.Recipients.Count > 0)
                        {
                            f.Stage = ProbeStage.MailFrom;
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
                            f.Reached = true;
                            // Under SmtpDaneMode Mandatory a host without usable DANE gets no mail: the session was had, but
                            // Exchange Online would move on to the next host (and queue when none has DANE).
                            attempt.Reached = !f.DaneMissingUnderMandatory;
                            f.Stage = ProbeStage.Quit;
                        }
                        else f.Reply = recorder.LastReply;   // the reply that decided it, kept over the QUIT that follows
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
                    else if (f.Stage == ProbeStage.Connect) ObserveConnect(ex, f, deadline.Fired, options);
                    else Observe(ex, f, recorder, session, deadline.Fired);
                }
                finally
                {
                    deadline.Stop();
                    socket.Dispose();
                }
            }

            if (handshake?.Failure == TlsFailure.LocalProtocolRefused && !f.TimedOut)
            {
                // Perhaps this platform, not the server, refused TLS 1.3: the whole attempt again with TLS 1.2 alone, never
                // reported as the server's fault. When that one gets through, stop asking for 1.3 in this process.
                Attempt retry = await RunAsync(template, address, tlsHost, expectedName, target, options, ct, dane, sts, stsAnyMxMatches,
                    System.Security.Authentication.SslProtocols.Tls12, view, egress).ConfigureAwait(false);
                if (retry.Results.Count > 0 && retry.Results[0].Facts?.TlsHandshakeFailed == false && retry.Results[0].TlsProtocol != null) TlsProtocols.RefuseTls13();
                return retry;
            }
            if (egress != null && f.Stage == ProbeStage.Connect && (f.ConnectFault == SocketFault.NoAnswer || f.ConnectFault == SocketFault.Refused))
            {
                // Before a server is blamed: can this computer open the port to the internet at all?
                Task<EgressCheck> check = egress.CheckAsync(address.AddressFamily, ct);
                await Task.WhenAny(check, Task.Delay(System.Threading.Timeout.Infinite, ct)).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                result.EgressCheck = check.Result;
                f.EgressCheckHost = egress.CheckHost;
                // An internal server reached by an internal route keeps its code; loopback counts as public (labs).
                f.EgressBlocked = result.EgressCheck == EgressCheck.Failed && !AddressScope.IsNonPublic(address);
            }
            if (f.TlsHandshakeFailed && !f.TimedOut)
            {
                // Which version would the server speak? Its ServerHello to a TLS 1.0-1.2 client tells (never the platform's words).
                f.ServerTlsVersion = await TlsVersionProbe.ServerVersionAsync(address, tlsHost, options, ct).ConfigureAwait(false);
                if (TlsVersionProbe.OlderThanTls12(f.ServerTlsVersion)) f.TlsFailure = TlsFailure.VersionUnsupported;
            }
            if (revocation != null) ApplyRevocation(f, attempt, await revocation.ConfigureAwait(false), stsHolds, startTlsReply);

            if (recorder != null)
            {
                f.Reply = f.Reply ?? recorder.LastReply;
                result.ServerResponse = Untrusted.Clean(f.Reply);
                if (options.IncludeTranscript) result.Transcript = Untrusted.CleanLines(recorder.Transcript, 16 * 1024);
            }
            if (result.ProbedFrom == null) result.ProbedFrom = options.SourceAddress?.ToString() ?? RouteSource(address);
            if (f.Certificate != null) AddCertificate(result, f.Certificate);
            result.DurationMs = clock.ElapsedMilliseconds;

            if (rcptReplies.Count == 0)
            {
                ResultBuilder.Complete(result, f, expectedName, options.Language);
                attempt.Results.Add(result);
                return attempt;
            }

            // A RCPT probe: one result per recipient, carrying the session's facts and that recipient's reply.
            foreach (KeyValuePair<string, string> r in rcptReplies)
            {
                ConnectorDeliveryResult each = result.Clone();
                each.Recipient = r.Key;
                ProbeFacts o = f.Clone();
                o.Stage = ProbeStage.RcptTo;
                o.RecipientReply = r.Value.StartsWith("2", StringComparison.Ordinal) ? null : r.Value;
                each.ServerResponse = Untrusted.Clean(r.Value);
                ResultBuilder.Complete(each, o, expectedName, options.Language);
                attempt.Results.Add(each);
            }
            return attempt;
        }

        internal static ProbeFacts NewFacts(ProbeTarget target, ProbeOptions options) => new ProbeFacts
        {
            Wildcard = target.Wildcard,
            AllDomains = target.AllDomains,
            DaneMode = target.DaneMode,
            MtaStsMode = target.MtaStsModeValue,
            Tls = target.Tls,
            Kind = target.Kind,
            ConnectorType = target.ConnectorType,
            TimeoutSeconds = options.Timeout.TotalSeconds,
            Port = options.Port,
        };

        /// <summary>What DNS alone says: the records, and the status when DANE does not apply (the session decides when it does).</summary>
        internal static void SetDane(ProbeFacts f, DaneLookup dane)
        {
            f.Dane = dane.Status;
            f.TlsaRecords = Tlsa.Join(dane.Records);
            f.TlsaMatched = "";
            f.DaneApplies = dane.Applies;
            // Only usages 0 and 1: nothing to match; TLS is still required (NoTls if it does not happen).
            if (dane.Applies && dane.OnlyUnusable) f.Dane = DaneStatus.Unusable;
        }

        /// <summary>What MTA-STS discovery says for this host before any connection (the session may still find its certificate invalid).</summary>
        internal static void SetMtaSts(ProbeFacts f, MtaStsLookup sts, string host, bool anyMxMatches)
        {
            f.MtaSts = sts.StatusOf(host);
            f.MtaStsPolicyDomain = sts.Domain;
            f.MtaStsPolicyMode = sts.Status == MtaStsStatus.NotApplicable ? null : sts.PolicyMode;
            f.MtaStsPolicyId = sts.PolicyId;
            f.MtaStsMaxAge = sts.Policy?.MaxAge;
            f.MtaStsHost = host;
            f.MtaStsMx = sts.Policy == null ? null : Untrusted.Clean(string.Join(", ", sts.Policy.Mx), 512);   // the server's words
            f.MtaStsFailure = sts.Failure;
            f.MtaStsAnyMxMatches = anyMxMatches;
        }

        /// <summary>
        /// MTA-STS's own certificate check, whatever the connector's TlsSettings: the certificate must chain to a trusted root,
        /// be in date, and carry the host's name ("The certificate MUST have a subject alternative name (SAN) [RFC5280] with a
        /// DNS-ID [RFC6125] matching the hostname", RFC 8461 section 4.2; "the Common Name or Subject Alternative Name must
        /// contain an entry for the host name in the STS policy", 4.7.5 in the NDR reference, Microsoft Learn, which is why the
        /// common name counts when there is no SAN, as CertificateNames reads them).
        /// </summary>
        static void CheckMtaStsCertificate(ProbeFacts f, string host)
        {
            CertificateProblems problems = f.Certificate.ChainOrDateProblems;
            if (!f.Certificate.Names.Any(n => CertificateNames.Matches(n, host))) problems |= CertificateProblems.SubjectMismatch;
            f.MtaStsCertificateProblems = problems;
            if (problems != CertificateProblems.None) f.MtaSts = MtaStsStatus.CertificateInvalid;
        }

        /// <summary>
        /// The revocation check's bound: the step's time, at most 5 seconds. It runs beside the session (started when the
        /// certificate arrives, awaited after QUIT), so no SMTP step's deadline ever includes it.
        /// </summary>
        internal static TimeSpan RevocationBound(ProbeOptions options) => Min(options.Timeout, TimeSpan.FromSeconds(5));

        /// <summary>
        /// What revocation adds, learned after the session: a revoked certificate the connector (or an enforced MTA-STS
        /// policy) checks is refused as Microsoft 365 would have refused it in the handshake, and the server did not take
        /// the session. An unknown status is only a note.
        /// </summary>
        static void ApplyRevocation(ProbeFacts f, Attempt attempt, RevocationOutcome outcome, bool stsHolds, string startTlsReply)
        {
            if (f.Certificate == null) return;
            CertificateCheck.Apply(f.Certificate, outcome);
            if ((outcome.Problems & CertificateProblems.Revoked) == 0) return;
            if (f.MtaSts == MtaStsStatus.Valid)
            {
                f.MtaStsCertificateProblems |= CertificateProblems.Revoked;
                f.MtaSts = MtaStsStatus.CertificateInvalid;
            }
            bool refused = Rejects(f) || (stsHolds && f.MtaSts == MtaStsStatus.CertificateInvalid);
            if (!refused || f.TlsFailure != TlsFailure.None) return;
            if (Rejects(f)) f.TlsFailure = TlsFailure.CertificateRejected;
            f.Stage = ProbeStage.Certificate;
            f.Reached = attempt.Reached = false;
            f.Reply = startTlsReply;   // the last reply before the handshake Microsoft 365 would have ended
        }

        static void SetMatch(ProbeFacts f, DaneCheck.Outcome match, bool applies)
        {
            f.TlsaMatched = match.Matched?.ToString() ?? "";
            if (!applies) return;
            f.Dane = match.Status;
            f.DaneCertificateExpired = match.CertificateExpired;
            f.DaneHostMismatch = match.HostMismatch;
        }

        /// <summary>Whether the connector's TlsSettings refuse this certificate (and so Microsoft 365 would end the handshake).</summary>
        static bool Rejects(ProbeFacts f) => f.CheckedProblems != CertificateProblems.None;

        /// <summary>Turns what went wrong after the connect into facts (never a verdict).</summary>
        static void Observe(Exception ex, ProbeFacts f, SessionRecorder recorder, SessionStream session, bool deadlineFired)
        {
            // The recorder follows every command, MailKit's own EHLO/HELO included.
            if (recorder != null && f.Stage != ProbeStage.TlsHandshake) f.Stage = recorder.Stage;
            if (session != null && (session.OverLong || session.OpenLineBytes > 512))
            {
                // MailKit may give up on the line before our own bound does; either way no SMTP reply line is that long.
                f.NotSmtp = true;
                f.OverlongBytes = session.OpenLineBytes;
                return;
            }
            if (session != null && session.ServerClosing)
            {
                // The server's 421 wins over the close that follows it.
                f.RejectedCode = 421;
                f.ServerClosing = true;
                return;
            }
            if (deadlineFired || Find<TimeoutException>(ex) != null) { f.TimedOut = true; return; }
            if (ex is SmtpCommandException command) { f.RejectedCode = (int)command.StatusCode; return; }
            string stepText = recorder?.StepServerText ?? "";
            string[] lines = stepText.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);
            if (lines.Any(l => !SmtpReply.LooksLikeReply(l)) || (lines.Length == 0 && stepText.Length > 0)) { f.NotSmtp = true; return; }
            f.Closed = true;
            var se = Find<SocketException>(ex);
            f.Reset = se != null && SocketFaults.Of(se.SocketErrorCode) == SocketFault.ClosedByPeer;
        }

        /// <summary>A failed TCP connect, by what its socket error means (SocketFaults), so the code and the detail agree.</summary>
        internal static void ObserveConnect(Exception ex, ProbeFacts f, bool deadlineFired, ProbeOptions options)
        {
            var se = Find<SocketException>(ex);
            if (deadlineFired || se == null) { f.ConnectFault = SocketFault.NoAnswer; return; }
            f.SocketError = se.SocketErrorCode.ToString();
            f.ConnectFault = SocketFaults.Of(se.SocketErrorCode);
            if (f.ConnectFault == SocketFault.ClosedByPeer)
            {
                // A reset cannot answer a SYN: the server accepted the connection, then dropped it before its greeting.
                f.Stage = ProbeStage.Greeting;
                f.Closed = f.Reset = true;
            }
            if (se.SocketErrorCode == SocketError.AddressNotAvailable && options.SourceAddress != null)
                throw new ProbeSetupException($"The source address {options.SourceAddress} cannot be used on this machine.", ex);
        }

        static void AddCertificate(ConnectorDeliveryResult r, CertificateReport c)
        {
            r.CertificateSubject = Untrusted.Clean(c.Subject);
            r.CertificateIssuer = Untrusted.Clean(c.Issuer);
            r.CertificateNames = Untrusted.Clean(string.Join("; ", c.Names), 2048);
            r.CertificateNotAfter = c.NotAfter;
            r.CertificateThumbprint = c.Thumbprint;
            r.CertificateErrors = CertificateReport.Describe(c.Problems, c.Notes);
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
