using System.Runtime.CompilerServices;

namespace MailFlowIntel.Core
{
    /// <summary>
    /// Marks the methods every evidence row runs through. A fresh PowerShell session would otherwise run them as quick,
    /// unoptimized (tier-0) code, then instrumented code, for most of a first large report before the runtime's
    /// background compiler catches up: the first Get-MailFlowAlert of a scheduled task took over twice a warm call.
    /// </summary>
    internal static class HotPath
    {
        /// <summary>
        /// MethodImplOptions.AggressiveOptimization (.NET Core 3.0 and later; netstandard2.0 has the value, not the name):
        /// compiled fully optimized on first call. The .NET Framework has no tiers and ignores it.
        /// </summary>
        public const MethodImplOptions Optimized = (MethodImplOptions)512;
    }
}
