using System.Collections.Generic;

namespace MailFlowIntel.Core.Repair
{
    /// <summary>How one scenario is repaired: the steps for this case, automatic or for a person.</summary>
    public interface IRepairStrategy
    {
        IEnumerable<PlannedStep> Plan(RepairContext context);
    }
}
