using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Security.Authentication;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>
    /// Which TLS versions the probe asks the platform for: 1.2 and 1.3, as Exchange Online sends, but 1.3 only where the
    /// platform has it. SChannel before Windows Server 2022 / Windows 11 (build 20348) has no TLS 1.3 client, and asking for
    /// it there fails the handshake with SChannel's own error, which must never read as the server's fault.
    /// </summary>
    internal static class TlsProtocols
    {
        // SslProtocols.Tls13 is not in netstandard2.0; its value is fixed by the OS APIs.
        public const SslProtocols Tls13 = (SslProtocols)12288;
        const int FirstWindowsBuildWithTls13 = 20348;
        // SEC_E_ALGORITHM_MISMATCH: SChannel's "The client and server cannot communicate, because they do not possess a common algorithm".
        const int AlgorithmMismatch = unchecked((int)0x80090331);

        static volatile bool tls13Refused;

        /// <summary>What this process asks for now.</summary>
        public static SslProtocols Offered =>
            !tls13Refused && PlatformHasTls13(RuntimeInformation.IsOSPlatform(OSPlatform.Windows), Environment.OSVersion.Version)
                ? SslProtocols.Tls12 | Tls13 : SslProtocols.Tls12;

        /// <summary>Every platform but Windows builds older than 20348 (Server 2022, Windows 11) has a TLS 1.3 client.</summary>
        internal static bool PlatformHasTls13(bool isWindows, Version osVersion) => !isWindows || osVersion.Build >= FirstWindowsBuildWithTls13;

        /// <summary>A retry with TLS 1.2 alone worked where 1.2 and 1.3 failed: this platform refuses the 1.3 flag; stop asking.</summary>
        public static void RefuseTls13() => tls13Refused = true;

        /// <summary>
        /// Whether a failed handshake may be this platform refusing the protocols asked for rather than the server refusing
        /// us: the API rejected the flags (ArgumentException, NotSupportedException), or, with TLS 1.3 asked for on Windows,
        /// SChannel's "no common algorithm" (which a server that speaks only old versions also causes: the retry with TLS 1.2
        /// alone tells them apart).
        /// </summary>
        internal static bool MayBeLocalRefusal(Exception ex, SslProtocols offered, bool isWindows)
        {
            if ((offered & Tls13) == 0) return false;
            for (Exception e = ex; e != null; e = e.InnerException)
            {
                if (e is ArgumentException || e is NotSupportedException) return true;
                if (isWindows && e is Win32Exception w && (w.NativeErrorCode == AlgorithmMismatch || w.HResult == AlgorithmMismatch)) return true;
            }
            return false;
        }
    }
}
