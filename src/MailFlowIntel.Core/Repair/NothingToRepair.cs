using System.Collections.Generic;
using System.Linq;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>For scenarios with nothing to repair (a delivery that worked, a target that cannot be probed).</summary>
    public sealed class NothingToRepair : IRepairStrategy
    {
        public static readonly NothingToRepair Instance = new NothingToRepair();
        public IEnumerable<PlannedStep> Plan(RepairContext context) => Enumerable.Empty<PlannedStep>();
    }
}
