using System.Collections.Generic;

namespace MailFlowIntel.Core.Exchange
{
    /// <summary>
    /// One Exchange Online connection as the engine sees it (DESIGN.md 2d): which organisation it is, whether it holds a
    /// cmdlet, and a way to run one. Implemented once, in the cmdlet assembly, the only place that calls PowerShell; the
    /// engine reads and changes the tenant through <see cref="ExchangeTenant"/> on top of it.
    /// </summary>
    public interface IExchangeSession
    {
        /// <summary>The organisation, tenant and noun prefix of the connection.</summary>
        ExchangeConnection Connection { get; }

        /// <summary>Whether this connection's module holds {Verb}-{Prefix}{Noun} (a role may leave any cmdlet out).</summary>
        bool Has(string verb, string noun);

        /// <summary>
        /// Runs {Verb}-{Prefix}{Noun} with these parameters, in their order, never asking for confirmation (the caller
        /// asked already). Each object written comes back as its properties by name: strings, numbers, bools, dates, and
        /// lists of these for multi-valued properties; any other value as its text. An object that is a bare value (a line of
        /// text, a number) comes back as one entry whose name is empty.
        /// </summary>
        /// <exception cref="ExchangeSessionException">The cmdlet wrote or threw an error.</exception>
        /// <exception cref="System.InvalidOperationException">The cmdlet is not in this connection's module (ask <see cref="Has"/> first).</exception>
        IReadOnlyList<IReadOnlyDictionary<string, object>> Invoke(string verb, string noun, IEnumerable<KeyValuePair<string, object>> parameters);
    }
}
