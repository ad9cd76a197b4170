using System;
using System.Linq;

namespace MailFlowIntel.Core.Text
{
    /// <summary>Whether a parsed enum value is one of ours: a named value, or for a [Flags] enum any set of named bits.</summary>
    internal static class EnumValues
    {
        public static bool IsDefined(Type type, object value)
        {
            if (Enum.IsDefined(type, value)) return true;
            if (!type.IsDefined(typeof(FlagsAttribute), false)) return false;
            long all = Enum.GetValues(type).Cast<object>().Aggregate(0L, (a, v) => a | Convert.ToInt64(v));
            long bits = Convert.ToInt64(value);
            return bits >= 0 && (bits & ~all) == 0;
        }
    }
}
