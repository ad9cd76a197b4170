using System;
using System.Collections.Generic;
using MailFlowIntel.Core.Text;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>
    /// What one mail system (Microsoft 365's message trace, Exchange Server's queues, another MTA's log) showed in this run
    /// of mail toward each connector and server: its deliveries, and each message's last event, so that an alert it raised
    /// is resolved only when it delivers there again and holds nothing deferred there (DESIGN.md 2c). Memory follows the
    /// distinct messages (a 64-bit hash and a few bytes each, as the aggregator holds) and the distinct places.
    /// </summary>
    public sealed class DeliveryView
    {
        readonly Dictionary<string, int> placeIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        readonly List<Place> places = new List<Place>();
        readonly Dictionary<ulong, Last> last = new Dictionary<ulong, Last>();

        /// <summary>The message went through there (SEND, DELIVER, status=sent, a queue with no error).</summary>
        public void Delivered(string connector, string server, string message, DateTime? at)
        {
            Place p = PlaceOf(connector, server, out int index);
            if (p == null) return;
            p.Delivered = true;
            if (at != null && (p.LatestDelivery == null || at > p.LatestDelivery)) p.LatestDelivery = at;
            if (at == null) p.UndatedDelivery = true;
            Event(message, at, Outcome.Delivered, index);
        }

        /// <summary>The message was deferred there: it waits for a retry.</summary>
        public void Deferred(string connector, string server, string message, DateTime? at)
        {
            Place p = PlaceOf(connector, server, out int index);
            if (p == null) return;
            // A deferral that names no message can never be seen delivered later: it counts as still waiting.
            if (message == null) { p.UnnamedDeferrals++; return; }
            Event(message, at, Outcome.Deferred, index);
        }

        /// <summary>The message failed there for good (an NDR, FAIL): it no longer waits, and it was not delivered.</summary>
        public void Ended(string connector, string server, string message, DateTime? at)
        {
            if (message == null) return;
            Place p = PlaceOf(connector, server, out int index);
            if (p != null) Event(message, at, Outcome.Ended, index);
        }

        /// <summary>What this view showed of a connector and server (the alert's): see <see cref="Matches"/>.</summary>
        /// <param name="after">The alert's LastSeen: only deliveries after it count as delivered since (an undated one counts).</param>
        public Sight Look(string connector, string server, DateTime? after)
        {
            connector = Key(connector);
            server = Key(server);
            var sight = new Sight();
            var matching = new bool[places.Count];
            for (int i = 0; i < places.Count; i++)
            {
                Place p = places[i];
                if (!Matches(p, connector, server)) continue;
                matching[i] = true;
                sight.StillDeferred += p.UnnamedDeferrals;
                if (!p.Delivered) continue;
                if (p.LatestDelivery != null && (sight.LatestDelivery == null || p.LatestDelivery > sight.LatestDelivery)) sight.LatestDelivery = p.LatestDelivery;
                if (p.UndatedDelivery || after == null || p.LatestDelivery > after) sight.DeliveredSince = true;
                sight.Delivered = true;
            }
            foreach (Last l in last.Values)
                if (l.Outcome == Outcome.Deferred && matching[l.Place]) sight.StillDeferred++;
            return sight;
        }

        /// <summary>
        /// Whether an event's place is the alert's: the same connector, and the same server where both name one; for an
        /// alert that names no connector, the same server.
        /// </summary>
        static bool Matches(Place p, string connector, string server)
        {
            if (connector.Length > 0)
                return string.Equals(p.Connector, connector, StringComparison.OrdinalIgnoreCase)
                       && (p.Server.Length == 0 || server.Length == 0 || string.Equals(p.Server, server, StringComparison.OrdinalIgnoreCase));
            return server.Length > 0 && string.Equals(p.Server, server, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>
        /// The message's last event: a later one replaces it; between undated events, or an undated and a dated one, the one
        /// read later does (the order of the input); at the same instant a delivery wins.
        /// </summary>
        void Event(string message, DateTime? at, Outcome outcome, int place)
        {
            if (message == null) return;
            ulong key = AlertAggregator.Hash(message);   // keyed as the aggregator keys its messages
            if (last.TryGetValue(key, out Last known) && known.At != null && at != null
                && (at < known.At || (at == known.At && outcome != Outcome.Delivered))) return;
            last[key] = new Last { At = at, Outcome = outcome, Place = place };
        }

        Place PlaceOf(string connector, string server, out int index)
        {
            connector = Key(connector);
            server = Key(server);
            index = -1;
            if (connector.Length == 0 && server.Length == 0) return null;
            string key = connector + "\u0001" + server;
            if (!placeIndex.TryGetValue(key, out index))
            {
                index = places.Count;
                placeIndex.Add(key, index);
                places.Add(new Place { Connector = connector, Server = server });
            }
            return places[index];
        }

        /// <summary>Names as an alert shows them (cleaned), so a place matches the alert read back.</summary>
        static string Key(string name) => string.IsNullOrWhiteSpace(name) ? "" : Untrusted.Clean(name.Trim());

        /// <summary>A message by its MessageTraceId (else its key) and its recipient: what one trace detail row is about.</summary>
        public static string MessageOf(string traceId, string key, string recipient)
        {
            string id = string.IsNullOrEmpty(traceId) ? key : traceId;
            return string.IsNullOrEmpty(id) ? null : id + "\u0001" + (recipient ?? "");
        }


        enum Outcome : byte { Delivered, Deferred, Ended }

        struct Last
        {
            public DateTime? At;
            public Outcome Outcome;
            public int Place;
        }

        sealed class Place
        {
            public string Connector, Server;
            public bool Delivered, UndatedDelivery;
            public DateTime? LatestDelivery;
            public long UnnamedDeferrals;
        }

        /// <summary>What the view showed of one alert's place.</summary>
        public struct Sight
        {
            /// <summary>A delivery there in this run, at any time.</summary>
            public bool Delivered;
            /// <summary>A delivery there after the alert was last seen (or undated).</summary>
            public bool DeliveredSince;
            /// <summary>The latest dated delivery there.</summary>
            public DateTime? LatestDelivery;
            /// <summary>Messages whose last event there is a deferral.</summary>
            public long StillDeferred;
        }
    }
}
