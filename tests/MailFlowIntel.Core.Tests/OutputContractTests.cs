using System;
using System.Linq;
using Xunit;

namespace MailFlowIntel.Core.Tests
{
    /// <summary>What the output objects promise to PowerShell, checked on the types themselves.</summary>
    public sealed class OutputContractTests
    {
        [Theory]
        [InlineData(typeof(ConnectorDeliveryResult))]
        [InlineData(typeof(MailFlowAlert))]
        [InlineData(typeof(RepairAction))]
        public void Every_enum_an_output_object_carries_is_backed_by_long_so_ConvertTo_Json_writes_its_name(Type output)
        {
            // Windows PowerShell 5.1 has no -EnumsAsStrings; both it and PowerShell 7 write long-backed enums as names.
            var enums = output.GetProperties().Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType).Where(t => t.IsEnum).Distinct().ToList();
            Assert.NotEmpty(enums);
            foreach (Type e in enums) Assert.Equal(typeof(long), Enum.GetUnderlyingType(e));
        }
    }
}
