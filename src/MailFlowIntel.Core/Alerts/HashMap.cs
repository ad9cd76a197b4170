using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace MailFlowIntel.Core.Alerts
{
    /// <summary>
    /// A map keyed by the 64-bit hashes the aggregator makes of messages and recipients (open addressing, linear probing).
    /// Dictionary and HashSet would do, but theirs are the runtime's generic code made for our value types at first use:
    /// in a fresh session they run unoptimized through much of a large report, while these methods are compiled optimized
    /// from their first call (HotPath). Every row of a report passes through here.
    /// </summary>
    internal sealed class HashMap<TValue>
    {
        ulong[] keys = new ulong[8];
        TValue[] values = new TValue[8];
        bool[] used = new bool[8];
        int shift = 61;   // 64 - log2(capacity)

        /// <summary>How many keys are held.</summary>
        public int Count { get; private set; }

        /// <summary>The value of the key, added as default(TValue) when the key is new (<paramref name="added"/>).</summary>
        [MethodImpl(HotPath.Optimized)]
        public ref TValue GetOrAdd(ulong key, out bool added)
        {
            int i = Find(key);
            added = !used[i];
            if (added)
            {
                if ((Count + 1) * 4 > keys.Length * 3)   // above three quarters full: grow, then find the free slot again
                {
                    Grow();
                    i = Find(key);
                }
                used[i] = true;
                keys[i] = key;
                Count++;
            }
            return ref values[i];
        }

        [MethodImpl(HotPath.Optimized)]
        public bool TryGetValue(ulong key, out TValue value)
        {
            int i = Find(key);
            value = used[i] ? values[i] : default(TValue);
            return used[i];
        }

        /// <summary>The keys and values held, in no particular order.</summary>
        public IEnumerable<KeyValuePair<ulong, TValue>> Pairs()
        {
            for (int i = 0; i < keys.Length; i++)
                if (used[i]) yield return new KeyValuePair<ulong, TValue>(keys[i], values[i]);
        }

        /// <summary>The slot holding the key, or the free slot where it would go.</summary>
        [MethodImpl(HotPath.Optimized)]
        int Find(ulong key)
        {
            int mask = keys.Length - 1;
            int i = (int)((key * 0x9E3779B97F4A7C15UL) >> shift);   // spreads the key's bits over the table (Fibonacci hashing)
            while (used[i] && keys[i] != key) i = (i + 1) & mask;
            return i;
        }

        [MethodImpl(HotPath.Optimized)]
        void Grow()
        {
            ulong[] oldKeys = keys;
            TValue[] oldValues = values;
            bool[] oldUsed = used;
            keys = new ulong[oldKeys.Length * 2];
            values = new TValue[oldKeys.Length * 2];
            used = new bool[oldKeys.Length * 2];
            shift--;
            for (int j = 0; j < oldKeys.Length; j++)
            {
                if (!oldUsed[j]) continue;
                int i = Find(oldKeys[j]);
                used[i] = true;
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }
}
