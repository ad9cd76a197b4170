using System.Collections.Generic;
using System.Net.Sockets;

namespace MailFlowIntel.Core.Probing
{
    /// <summary>What a socket error means for a delivery attempt, whatever the operating system called it.</summary>
    public enum SocketFault
    {
        /// <summary>The host answered the connect with a reset (RST): nothing listens, or a firewall rejects.</summary>
        Refused,
        /// <summary>No answer: a firewall dropping, a host that is down, an address where nothing is.</summary>
        NoAnswer,
        /// <summary>The connection was made, then reset or closed by the other side (or a device on the way).</summary>
        ClosedByPeer,
        /// <summary>This machine has no route there (no IPv6 route, no way out): a fault of the probing side.</summary>
        NoRouteFromHere,
        /// <summary>This machine could not open the connection at all (a local address, a limit, a permission).</summary>
        LocalFailure,
    }

    /// <summary>
    /// Every SocketError mapped once by its meaning, so a result's code and its detail always agree.
    /// Host and network unreachable are most often this machine's own routing, so they never become a code Microsoft 365
    /// would give (DESIGN.md section 2; a choice: Microsoft does not say what it reports for ICMP unreachable).
    /// </summary>
    public static class SocketFaults
    {
        public static readonly IReadOnlyDictionary<SocketError, SocketFault> Table = new Dictionary<SocketError, SocketFault>
        {
            [SocketError.ConnectionRefused] = SocketFault.Refused,

            [SocketError.TimedOut] = SocketFault.NoAnswer,
            [SocketError.HostDown] = SocketFault.NoAnswer,

            [SocketError.ConnectionReset] = SocketFault.ClosedByPeer,
            [SocketError.ConnectionAborted] = SocketFault.ClosedByPeer,
            [SocketError.NetworkReset] = SocketFault.ClosedByPeer,
            [SocketError.Disconnecting] = SocketFault.ClosedByPeer,
            [SocketError.Shutdown] = SocketFault.ClosedByPeer,
            [SocketError.NotConnected] = SocketFault.ClosedByPeer,

            [SocketError.HostUnreachable] = SocketFault.NoRouteFromHere,
            [SocketError.NetworkUnreachable] = SocketFault.NoRouteFromHere,
            [SocketError.NetworkDown] = SocketFault.NoRouteFromHere,

            [SocketError.AccessDenied] = SocketFault.LocalFailure,
            [SocketError.AddressAlreadyInUse] = SocketFault.LocalFailure,
            [SocketError.AddressFamilyNotSupported] = SocketFault.LocalFailure,
            [SocketError.AddressNotAvailable] = SocketFault.LocalFailure,
            [SocketError.AlreadyInProgress] = SocketFault.LocalFailure,
            [SocketError.DestinationAddressRequired] = SocketFault.LocalFailure,
            [SocketError.Fault] = SocketFault.LocalFailure,
            [SocketError.HostNotFound] = SocketFault.LocalFailure,
            [SocketError.InProgress] = SocketFault.LocalFailure,
            [SocketError.Interrupted] = SocketFault.LocalFailure,
            [SocketError.InvalidArgument] = SocketFault.LocalFailure,
            [SocketError.IOPending] = SocketFault.LocalFailure,
            [SocketError.IsConnected] = SocketFault.LocalFailure,
            [SocketError.MessageSize] = SocketFault.LocalFailure,
            [SocketError.NoBufferSpaceAvailable] = SocketFault.LocalFailure,
            [SocketError.NoData] = SocketFault.LocalFailure,
            [SocketError.NoRecovery] = SocketFault.LocalFailure,
            [SocketError.NotInitialized] = SocketFault.LocalFailure,
            [SocketError.NotSocket] = SocketFault.LocalFailure,
            [SocketError.OperationAborted] = SocketFault.LocalFailure,
            [SocketError.OperationNotSupported] = SocketFault.LocalFailure,
            [SocketError.ProcessLimit] = SocketFault.LocalFailure,
            [SocketError.ProtocolFamilyNotSupported] = SocketFault.LocalFailure,
            [SocketError.ProtocolNotSupported] = SocketFault.LocalFailure,
            [SocketError.ProtocolOption] = SocketFault.LocalFailure,
            [SocketError.ProtocolType] = SocketFault.LocalFailure,
            [SocketError.SocketError] = SocketFault.LocalFailure,
            [SocketError.SocketNotSupported] = SocketFault.LocalFailure,
            [SocketError.Success] = SocketFault.LocalFailure,
            [SocketError.SystemNotReady] = SocketFault.LocalFailure,
            [SocketError.TooManyOpenSockets] = SocketFault.LocalFailure,
            [SocketError.TryAgain] = SocketFault.LocalFailure,
            [SocketError.TypeNotFound] = SocketFault.LocalFailure,
            [SocketError.VersionNotSupported] = SocketFault.LocalFailure,
            [SocketError.WouldBlock] = SocketFault.LocalFailure,
        };

        /// <summary>The meaning of an error; an error this table does not know is a local failure, never a server's fault.</summary>
        public static SocketFault Of(SocketError error) => Table.TryGetValue(error, out SocketFault f) ? f : SocketFault.LocalFailure;
    }
}
