namespace MailFlowIntel
{
    // Backed by long, as every enum on an output object (ConvertTo-Json writes its name).
    /// <summary>
    /// Whether the probe checked its own way out before blaming a server (DESIGN.md 2c): after a connect-stage timeout or
    /// refusal, a TCP connect on the probe's port to a host known to listen there.
    /// </summary>
    public enum EgressCheck : long
    {
        /// <summary>Not needed (the connect worked, or failed for another reason) or no check host was known.</summary>
        NotRun,
        /// <summary>The check host answered: this computer can reach the internet on the port; the failure is the target's.</summary>
        Passed,
        /// <summary>The check host did not answer either: this computer cannot reach the internet on the port.</summary>
        Failed,
    }
}
