using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace MailFlowIntel.Lab
{
    /// <summary>
    /// A private Postfix instance on 127.0.0.1 (Debian's postfix, run as root): its own config dir, queue, data dir,
    /// port and log file, so several can run in sequence or side by side with each other and with the system one.
    /// Replies are scripted with check_recipient_access: nobody@lab.test gets 550 5.1.1, later@lab.test 450 4.2.0,
    /// any other address @lab.test 250. Nothing is ever delivered: local mail is discarded, everything else errors out.
    /// </summary>
    /// <remarks>
    /// Log lines reach <see cref="LogPath"/> through the postlogd service a moment after the fact; wait for the lines
    /// you expect (<see cref="WaitForLog"/>) before asserting that others are absent. The readiness check at start
    /// leaves one "connect from ... / disconnect from ... quit=1 commands=1" pair in the log.
    /// </remarks>
    public sealed class PostfixInstance : IDisposable
    {
        public const string InstallHint =
            "apt-get install -y --no-install-recommends postfix (preseed: echo 'postfix postfix/main_mailer_type select Local only' | debconf-set-selections)";

        const string PostfixCommand = "/usr/sbin/postfix";
        static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
        static readonly string[] QueueDirectories = { "maildrop", "incoming", "active", "deferred", "hold" };

        readonly Process master;
        readonly StringBuilder output;
        readonly EventHandler processExitHandler;
        int disposed;

        public static bool IsInstalled => File.Exists(PostfixCommand);

        /// <summary>The loopback port smtpd listens on (127.0.0.1).</summary>
        public int Port { get; }

        /// <summary>The instance's own directory: etc/ (main.cf, master.cf), queue/, data/, maillog.</summary>
        public string Directory { get; }

        public string ConfigDirectory => Path.Combine(Directory, "etc");
        public string QueueDirectory => Path.Combine(Directory, "queue");
        public string LogPath => Path.Combine(Directory, "maillog");

        /// <summary>What the start-fg process wrote to stdout and stderr so far.</summary>
        public string Output
        {
            get { lock (output) return output.ToString(); }
        }

        PostfixInstance(string directory, int port, Process master, StringBuilder output)
        {
            Directory = directory;
            Port = port;
            this.master = master;
            this.output = output;
            processExitHandler = (s, e) => KillTree();
            AppDomain.CurrentDomain.ProcessExit += processExitHandler;
        }

        /// <summary>
        /// Writes a fresh instance into a temp dir, starts it with `postfix -c DIR/etc start-fg` and returns once
        /// the port answers with a 220 greeting. Throws with postfix's output and log when it does not come up.
        /// </summary>
        public static PostfixInstance Start(string certPemPath, string keyPemPath)
        {
            if (!IsInstalled)
                throw new InvalidOperationException("Postfix is not installed (" + PostfixCommand + " is missing). Install it: " + InstallHint);
            if (certPemPath == null) throw new ArgumentNullException(nameof(certPemPath));
            if (keyPemPath == null) throw new ArgumentNullException(nameof(keyPemPath));
            string cert = Path.GetFullPath(certPemPath);
            string key = Path.GetFullPath(keyPemPath);
            if (!File.Exists(cert)) throw new FileNotFoundException("Certificate PEM not found.", cert);
            if (!File.Exists(key)) throw new FileNotFoundException("Key PEM not found.", key);

            // A port taken between our probe bind and postfix's bind is the only failure worth another try.
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return StartOnce(cert, key);
                }
                catch (PortInUseException) when (attempt < 3)
                {
                }
                catch (PortInUseException e)
                {
                    throw new InvalidOperationException(e.Message, e);
                }
            }
        }

        static PostfixInstance StartOnce(string cert, string key)
        {
            string dir = CreateInstanceDirectory();
            int port = FreeLoopbackPort();
            Process process = null;
            var output = new StringBuilder();
            bool ok = false;
            try
            {
                string etc = Path.Combine(dir, "etc");
                System.IO.Directory.CreateDirectory(etc);
                // Postfix chdirs into the queue directory before it creates anything; it must exist, owned by root.
                System.IO.Directory.CreateDirectory(Path.Combine(dir, "queue"));
                SetMode(Path.Combine(dir, "queue"), "755");
                File.WriteAllText(Path.Combine(etc, "main.cf"), MainCf(dir, port, cert, key));
                File.WriteAllText(Path.Combine(etc, "master.cf"), MasterCf(port));
                SetMode(Path.Combine(etc, "main.cf"), "644");
                SetMode(Path.Combine(etc, "master.cf"), "644");
                // Postfix pauses 300 ms at a time while a config file "cools down" (mtime within the last ~2 s):
                // a file written just now costs two seconds at start. Date them back.
                var past = DateTime.UtcNow.AddHours(-1);
                File.SetLastWriteTimeUtc(Path.Combine(etc, "main.cf"), past);
                File.SetLastWriteTimeUtc(Path.Combine(etc, "master.cf"), past);

                // Queue laid out by hand plus queue/quick-start: otherwise start-fg first runs postfix-script
                // check-fatal/check-warn (post-install create-missing, postsuper, some forty postconf/mkdir/chown/find
                // execs), 1-3 s on this machine.
                LayOutQueue(dir);

                // start-fg then runs `master -s` as a child; master takes its own session, so `postfix stop` spares us.
                var psi = new ProcessStartInfo(PostfixCommand)
                {
                    UseShellExecute = false,
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    WorkingDirectory = dir,
                };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add(etc);
                psi.ArgumentList.Add("start-fg");
                process = new Process { StartInfo = psi };
                process.OutputDataReceived += (s, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
                process.ErrorDataReceived += (s, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
                process.Start();
                process.StandardInput.Close();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();

                WaitForBanner(dir, port, process, output);
                ok = true;
                return new PostfixInstance(dir, port, process, output);
            }
            finally
            {
                if (!ok)
                {
                    if (process != null)
                    {
                        RunQuiet(PostfixCommand, TimeSpan.FromSeconds(10), "-c", Path.Combine(dir, "etc"), "stop");
                        KillProcessTree(process, TimeSpan.FromSeconds(5));
                        process.Dispose();
                    }
                    DeleteDirectory(dir);
                }
            }
        }

        /// <summary>
        /// Creates the queue and data folders as /etc/postfix/postfix-files wants them (owners and modes) and drops
        /// queue/quick-start, so start-fg skips its slow integrity checks. Any failure leaves quick-start out:
        /// postfix then does the work itself, only slower.
        /// </summary>
        static void LayOutQueue(string dir)
        {
            string q = Path.Combine(dir, "queue");
            try
            {
                var owned = new List<string> { Path.Combine(dir, "data") };
                foreach (string sub in new[] { "active", "bounce", "corrupt", "defer", "deferred", "flush", "hold", "incoming", "private", "saved", "trace" })
                    owned.Add(Path.Combine(q, sub));
                foreach (string path in owned)
                {
                    System.IO.Directory.CreateDirectory(path);
                    SetMode(path, "700");
                }
                string maildrop = Path.Combine(q, "maildrop"), pub = Path.Combine(q, "public"), pid = Path.Combine(q, "pid");
                System.IO.Directory.CreateDirectory(maildrop);
                SetMode(maildrop, "730");
                System.IO.Directory.CreateDirectory(pub);
                SetMode(pub, "710");
                System.IO.Directory.CreateDirectory(pid);
                SetMode(pid, "755");

                string text;
                if (Run("chown", TimeSpan.FromSeconds(10), out text, new[] { "postfix" }.Concat(owned).ToArray()) != 0) return;
                if (Run("chown", TimeSpan.FromSeconds(10), out text, "postfix:postdrop", maildrop, pub) != 0) return;
                File.WriteAllText(Path.Combine(q, "quick-start"), "");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }

        static void WaitForBanner(string dir, int port, Process process, StringBuilder output)
        {
            var clock = Stopwatch.StartNew();
            string lastError = "no attempt";
            while (clock.Elapsed < StartTimeout)
            {
                if (process.HasExited)
                {
                    process.WaitForExit(2000); // let the async readers catch up
                    string log = ReadFile(Path.Combine(dir, "maillog"));
                    if (log.Contains("Address already in use"))
                        throw new PortInUseException("Postfix could not bind 127.0.0.1:" + port + ": " + log);
                    throw StartFailure(dir, port, "postfix start-fg exited with code " + process.ExitCode + " before port " + port + " answered", output);
                }
                string banner;
                if (TryReadBanner(port, out banner, out lastError))
                {
                    if (banner.StartsWith("220", StringComparison.Ordinal))
                        return;
                    throw StartFailure(dir, port, "port " + port + " greeted with '" + banner + "' instead of 220", output);
                }
                Thread.Sleep(50);
            }
            throw StartFailure(dir, port, "port " + port + " gave no 220 greeting within " + StartTimeout.TotalSeconds + " s (last: " + lastError + ")", output);
        }

        /// <summary>Connects, reads the greeting, says QUIT, so smtpd logs a clean connect/disconnect pair.</summary>
        static bool TryReadBanner(int port, out string banner, out string error)
        {
            banner = null;
            error = null;
            try
            {
                using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                {
                    socket.ReceiveTimeout = 3000;
                    socket.SendTimeout = 3000;
                    socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
                    using (var stream = new NetworkStream(socket, ownsSocket: false))
                    {
                        banner = ReadReply(stream);
                        if (banner == null)
                        {
                            error = "connection closed before a greeting";
                            return false;
                        }
                        var quit = Encoding.ASCII.GetBytes("QUIT\r\n");
                        stream.Write(quit, 0, quit.Length);
                        ReadReply(stream);
                    }
                    return true;
                }
            }
            catch (Exception e) when (e is SocketException || e is IOException)
            {
                error = e.Message;
                return false;
            }
        }

        /// <summary>Reads one (possibly multi-line) SMTP reply; returns its last line, or null on EOF.</summary>
        static string ReadReply(Stream stream)
        {
            var line = new StringBuilder();
            while (true)
            {
                int b = stream.ReadByte();
                if (b < 0) return line.Length > 0 ? line.ToString() : null;
                if (b == '\n')
                {
                    string text = line.ToString().TrimEnd('\r');
                    if (text.Length < 4 || text[3] != '-') return text;
                    line.Clear();
                    continue;
                }
                line.Append((char)b);
            }
        }

        static Exception StartFailure(string dir, int port, string what, StringBuilder output)
        {
            string captured;
            lock (output) captured = output.ToString();
            var message = new StringBuilder();
            message.Append("Postfix did not start: ").Append(what).AppendLine(".");
            message.AppendLine("Config: " + Path.Combine(dir, "etc"));
            message.AppendLine("--- start-fg output ---").AppendLine(captured.Trim());
            message.AppendLine("--- maillog ---").AppendLine(ReadFile(Path.Combine(dir, "maillog")).Trim());
            // Postfix writes its complaints to stderr only when stderr is a tty: `script` gives it one.
            if (File.Exists("/usr/bin/script"))
            {
                string check = RunQuiet("/usr/bin/script", TimeSpan.FromSeconds(15), "-qc",
                    PostfixCommand + " -c " + Path.Combine(dir, "etc") + " check", "/dev/null");
                message.AppendLine("--- script -qc 'postfix -c DIR/etc check' ---").AppendLine(check.Trim());
            }
            message.Append("To see why it dies: script -qc '" + PostfixCommand + " -c DIR/etc start-fg' /dev/null");
            return new InvalidOperationException(message.ToString());
        }

        static string MainCf(string dir, int port, string cert, string key)
        {
            string q = Path.Combine(dir, "queue");
            string d = Path.Combine(dir, "data");
            var lines = new[]
            {
                "# Private MailFlowIntel lab instance on 127.0.0.1:" + port,
                "compatibility_level = 3.6",
                "queue_directory = " + q,
                "data_directory = " + d,
                // postfix-files, dynamicmaps.cf and postfix-script live with the system config, not in our etc/.
                "meta_directory = /etc/postfix",
                "multi_instance_name = postfix-lab-" + port,
                "multi_instance_enable = no",
                "syslog_name = postfix-lab-" + port,
                "inet_interfaces = loopback-only",
                "inet_protocols = ipv4",
                "myhostname = mx.lab.test",
                "mydomain = lab.test",
                "myorigin = lab.test",
                "mydestination = lab.test",
                "mynetworks = 127.0.0.0/8",
                "relayhost =",
                "local_transport = discard:",
                "default_transport = error:no outbound",
                "relay_transport = error:no outbound",
                "local_recipient_maps =",
                "alias_maps =",
                "alias_database =",
                "biff = no",
                "append_dot_mydomain = no",
                "readme_directory = no",
                "in_flow_delay = 0",
                "smtpd_error_sleep_time = 0",
                "smtpd_tls_cert_file = " + cert,
                "smtpd_tls_key_file = " + key,
                "smtpd_tls_security_level = may",
                "smtpd_tls_loglevel = 1",
                "maillog_file = " + Path.Combine(dir, "maillog"),
                "maillog_file_prefixes = " + dir,
                "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
                "smtpd_recipient_restrictions = check_recipient_access inline:{ {nobody@lab.test=550 5.1.1 no such user}, {later@lab.test=450 4.2.0 try later} }, permit_mynetworks, reject_unauth_destination",
            };
            return string.Join("\n", lines) + "\n";
        }

        static readonly Regex ServiceLine = new Regex(
            @"^(?<name>\S+)\s+(?<type>\S+)\s+(?<private>\S+)\s+(?<unpriv>\S+)\s+(?<chroot>\S+)\s+(?<wakeup>\S+)\s+(?<maxproc>\S+)\s+(?<command>.*)$",
            RegexOptions.CultureInvariant);

        /// <summary>
        /// The system master.cf with our smtpd on 127.0.0.1:PORT, no other inet listener, no chroot anywhere,
        /// and a postlog service (postlogd writes maillog_file).
        /// </summary>
        static string MasterCf(int port)
        {
            string[] source = File.Exists("/etc/postfix/master.cf") ? File.ReadAllLines("/etc/postfix/master.cf") : MinimalMasterCf;
            var result = new List<string>();
            bool skippingContinuation = false;
            bool haveSmtpd = false, havePostlog = false;
            foreach (string line in source)
            {
                if (line.Length == 0 || line[0] == '#')
                    continue;
                if (char.IsWhiteSpace(line[0]))
                {
                    if (!skippingContinuation) result.Add(line);
                    continue;
                }
                skippingContinuation = false;
                var m = ServiceLine.Match(line);
                if (!m.Success)
                {
                    result.Add(line);
                    continue;
                }
                string name = m.Groups["name"].Value, type = m.Groups["type"].Value;
                if (type == "inet")
                {
                    // Only our smtpd listens; submission, smtps or postscreen would clash with the system instance.
                    skippingContinuation = true;
                    if (name == "smtp" && !haveSmtpd)
                    {
                        result.Add("127.0.0.1:" + port + " inet n - n - - smtpd");
                        haveSmtpd = true;
                    }
                    continue;
                }
                if (name == "postlog") havePostlog = true;
                result.Add(string.Join(" ", name, type, m.Groups["private"].Value, m.Groups["unpriv"].Value, "n",
                    m.Groups["wakeup"].Value, m.Groups["maxproc"].Value, m.Groups["command"].Value));
            }
            if (!haveSmtpd) result.Insert(0, "127.0.0.1:" + port + " inet n - n - - smtpd");
            if (!havePostlog) result.Add("postlog unix-dgram n - n - 1 postlogd");
            return string.Join("\n", result) + "\n";
        }

        static readonly string[] MinimalMasterCf =
        {
            "smtp inet n - n - - smtpd",
            "pickup unix n - n 60 1 pickup",
            "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr",
            "tlsmgr unix - - n 1000? 1 tlsmgr",
            "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify",
            "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap",
            "proxywrite unix - - n - 1 proxymap",
            "smtp unix - - n - - smtp",
            "relay unix - - n - - smtp",
            "showq unix n - n - - showq",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "discard unix - - n - - discard",
            "local unix - n n - - local",
            "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache",
            "postlog unix-dgram n - n - 1 postlogd",
        };

        /// <summary>The maillog so far, or "" when there is none yet.</summary>
        public string ReadLog() => ReadFile(LogPath);

        /// <summary>Waits (bounded) until the maillog contains <paramref name="text"/>; postlogd writes a moment after the fact.</summary>
        public bool WaitForLog(string text, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (ReadLog().Contains(text)) return true;
                if (clock.Elapsed >= timeout) return false;
                Thread.Sleep(50);
            }
        }

        /// <summary>
        /// True when maildrop, incoming, active, deferred and hold hold no file. A queue file opened at an accepted
        /// RCPT is removed by cleanup a moment after RSET/QUIT, so this waits up to 2 s for the queue to drain.
        /// </summary>
        public bool QueueIsEmpty() => QueueIsEmpty(TimeSpan.FromSeconds(2));

        /// <summary>True when the queue is (or within <paramref name="settle"/> becomes) empty.</summary>
        public bool QueueIsEmpty(TimeSpan settle)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (QueuedFiles().Count == 0) return true;
                if (clock.Elapsed >= settle) return false;
                Thread.Sleep(50);
            }
        }

        /// <summary>Queue files now present (paths relative to the queue directory), for assertion messages.</summary>
        public IReadOnlyList<string> QueuedFiles()
        {
            var files = new List<string>();
            foreach (string sub in QueueDirectories)
            {
                string path = Path.Combine(QueueDirectory, sub);
                try
                {
                    if (System.IO.Directory.Exists(path))
                        files.AddRange(System.IO.Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                            .Select(f => Path.GetRelativePath(QueueDirectory, f)));
                }
                catch (DirectoryNotFoundException)
                {
                }
                catch (FileNotFoundException)
                {
                }
            }
            return files;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            AppDomain.CurrentDomain.ProcessExit -= processExitHandler;
            try
            {
                if (!master.HasExited)
                    RunQuiet(PostfixCommand, TimeSpan.FromSeconds(10), "-c", ConfigDirectory, "stop");
                KillProcessTree(master, TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
            {
            }
            master.Dispose();
            DeleteDirectory(Directory);
        }

        void KillTree()
        {
            try
            {
                if (!master.HasExited) master.Kill(entireProcessTree: true);
            }
            catch (Exception)
            {
            }
        }

        /// <summary>Waits for the start-fg process to end after `postfix stop`; kills the tree when it lingers.</summary>
        static void KillProcessTree(Process process, TimeSpan grace)
        {
            try
            {
                if (process.WaitForExit((int)grace.TotalMilliseconds))
                    return;
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
        }

        static string CreateInstanceDirectory()
        {
            // Unix socket paths are short (108 bytes): keep the directory near the root when TMPDIR is long.
            string temp = Path.GetTempPath();
            if (temp.Length > 40 && System.IO.Directory.Exists("/tmp")) temp = "/tmp";
            string dir = Path.Combine(temp, "mfi-postfix-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            System.IO.Directory.CreateDirectory(dir);
            // Daemons that dropped to the postfix user (tlsmgr's prng_exch in data/) must be able to traverse it.
            SetMode(dir, "755");
            return dir;
        }

        static void SetMode(string path, string octal)
        {
            if (OperatingSystem.IsWindows()) return;
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octal, 8));
        }

        static int FreeLoopbackPort()
        {
            using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                return ((IPEndPoint)listener.LocalEndPoint).Port;
            }
        }

        static string ReadFile(string path)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var reader = new StreamReader(stream))
                    return reader.ReadToEnd();
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException || e is IOException || e is UnauthorizedAccessException)
            {
                return "";
            }
        }

        /// <summary>Runs a command with a time bound and returns its stdout and stderr (never throws).</summary>
        static string RunQuiet(string command, TimeSpan timeout, params string[] args)
        {
            string text;
            Run(command, timeout, out text, args);
            return text;
        }

        /// <summary>Runs a command with a time bound; returns its exit code (-1 when it did not run or timed out).</summary>
        static int Run(string command, TimeSpan timeout, out string output, params string[] args)
        {
            try
            {
                var psi = new ProcessStartInfo(command)
                {
                    UseShellExecute = false,
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                foreach (string a in args) psi.ArgumentList.Add(a);
                using (var p = new Process { StartInfo = psi })
                {
                    var text = new StringBuilder();
                    p.OutputDataReceived += (s, e) => { if (e.Data != null) lock (text) text.AppendLine(e.Data); };
                    p.ErrorDataReceived += (s, e) => { if (e.Data != null) lock (text) text.AppendLine(e.Data); };
                    p.Start();
                    p.StandardInput.Close();
                    p.BeginOutputReadLine();
                    p.BeginErrorReadLine();
                    int code = -1;
                    if (p.WaitForExit((int)timeout.TotalMilliseconds))
                    {
                        p.WaitForExit(2000);
                        code = p.ExitCode;
                    }
                    else
                    {
                        try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                        p.WaitForExit(2000);
                        lock (text) text.AppendLine("(timed out after " + timeout.TotalSeconds + " s)");
                    }
                    lock (text) output = text.ToString();
                    return code;
                }
            }
            catch (Exception e)
            {
                output = "(could not run " + command + ": " + e.Message + ")";
                return -1;
            }
        }

        static void DeleteDirectory(string dir)
        {
            for (int i = 0; i < 5; i++)
            {
                try
                {
                    if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
                    return;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    Thread.Sleep(100);
                }
            }
        }

        sealed class PortInUseException : Exception
        {
            public PortInUseException(string message) : base(message) { }
        }
    }
}
