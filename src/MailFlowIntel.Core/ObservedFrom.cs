using System;

namespace MailFlowIntel
{
    // Backed by long, as every enum on an output object: ConvertTo-Json writes it by name ("Microsoft365, ThisComputer").
    /// <summary>
    /// Where a fact was seen (DESIGN.md section 2c). Microsoft 365 connects from its own addresses, resolves public DNS and
    /// trusts public roots; a probe runs on the admin's computer. An alert built from several vantages holds each flag.
    /// </summary>
    [Flags]
    public enum ObservedFrom : long
    {
        /// <summary>Nothing tells (a bare string of text).</summary>
        None = 0,
        /// <summary>A probe (Test-ConnectorDelivery) on the computer named by ComputerName.</summary>
        ThisComputer = 1,
        /// <summary>Exchange Online itself: its message trace, NDRs and delay notices, connector validation, TLS reports.</summary>
        Microsoft365 = 2,
        /// <summary>An on-premises Exchange Server: Get-Queue, Get-Message, its logs and NDRs.</summary>
        ExchangeServer = 4,
        /// <summary>Another MTA's own log or report (Postfix, a partner's gateway).</summary>
        OtherMta = 8,
    }
}
