using System;
using System.Collections.Generic;
using MailFlowIntel.Core.Evidence;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>
    /// What a run read that carries no failure but speaks of a connector and server from one vantage: a probe that took the
    /// session (this computer's view), a delivery through a connector (Microsoft 365's). Compared with the alerts of the
    /// other vantage (<see cref="VantageComparison"/>). Bounded: one entry per place, the latest kept.
    /// </summary>
    public sealed class VantageSightings
    {
        const int MaxPlaces = 10000;

        public sealed class ProbeSight
        {
            public string Connector, Target, Server, Address, Computer, Thumbprint, Subject;
            public ProbeStatus Status;
            public DateTime? At;
        }

        public sealed class DeliverySight
        {
            public string Connector, Server;
            public DateTime? At;
        }

        readonly Dictionary<string, ProbeSight> probes = new Dictionary<string, ProbeSight>(StringComparer.OrdinalIgnoreCase);
        readonly Dictionary<string, DeliverySight> deliveries = new Dictionary<string, DeliverySight>(StringComparer.OrdinalIgnoreCase);

        public IEnumerable<ProbeSight> Probes => probes.Values;
        public IEnumerable<DeliverySight> Deliveries => deliveries.Values;

        /// <summary>A row that carries no failure: a probe that took the session, or a SEND/DELIVER event of the message trace.</summary>
        public void Saw(IReadOnlyDictionary<string, object> row, EvidenceDates dates)
        {
            if (RowInterpreter.IsValidation(row))
            {
                if (RowInterpreter.ValidationDelivered(row)) Delivered(Text(row, "Connector"), Text(row, "DestinationServer"), RowInterpreter.ObservedAt(row, dates));
                return;
            }
            if (RowInterpreter.IsProbe(row))
            {
                string status = Text(row, "Status");
                if (!Enum.TryParse(status ?? "", true, out ProbeStatus s) || (s != ProbeStatus.Succeeded && s != ProbeStatus.Warning)) return;
                var p = new ProbeSight
                {
                    Connector = Clean(Text(row, "Connector")), Target = Clean(Text(row, "Target")), Server = Clean(Text(row, "DestinationServer")),
                    Address = Text(row, "IPAddress"), Computer = Clean(Text(row, "ComputerName")), Thumbprint = Text(row, "CertificateThumbprint"),
                    Subject = Clean(Text(row, "CertificateSubject")), Status = s, At = RowInterpreter.ObservedAt(row, dates),
                };
                string key = p.Connector + "\u0001" + p.Server + "\u0001" + p.Address;
                if (probes.Count < MaxPlaces || probes.ContainsKey(key)) probes[key] = p;
                return;
            }
            if (RowInterpreter.EventOf(row) != TraceEvent.Delivered) return;
            RowInterpreter.Place(row, out string connector, out string server);
            Delivered(connector, server, RowInterpreter.ObservedAt(row, dates));
        }

        void Delivered(string connector, string server, DateTime? at)
        {
            if (string.IsNullOrEmpty(connector)) return;
            var d = new DeliverySight { Connector = Clean(connector), Server = Clean(server), At = at };
            string dkey = d.Connector + "\u0001" + d.Server;
            if (deliveries.TryGetValue(dkey, out DeliverySight known) && known.At != null && (d.At == null || d.At < known.At)) return;
            if (deliveries.Count < MaxPlaces || deliveries.ContainsKey(dkey)) deliveries[dkey] = d;
        }

        static string Clean(string s) => string.IsNullOrEmpty(s) ? null : Untrusted.Clean(s);

        static string Text(IReadOnlyDictionary<string, object> row, string name) =>
            row.TryGetValue(name, out object v) && v != null ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
