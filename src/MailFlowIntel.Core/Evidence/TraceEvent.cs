namespace MailFlowIntel.Core.Evidence
{
    /// <summary>What one message trace event says of its message's delivery (<see cref="RowInterpreter.EventOf"/>).</summary>
    public enum TraceEvent : long
    {
        /// <summary>Not a delivery event (RECEIVE, EXPAND, a spam verdict), or not a trace row.</summary>
        None,
        /// <summary>SEND or DELIVER: the message went through.</summary>
        Delivered,
        /// <summary>DEFER: held for a retry.</summary>
        Deferred,
        /// <summary>FAIL: no more tries; the sender gets an NDR.</summary>
        Failed,
    }
}
