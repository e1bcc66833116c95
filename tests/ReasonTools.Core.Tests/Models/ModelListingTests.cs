using System.Text.Json;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Tests.Models;

public class ModelListingTests
{
    private static ModelListingEntry Entry(Placement? placement) =>
        new("DeepSeek-R1-Distill-Qwen-1.5B", "/models/r1-1.5b.gguf", ["/models/r1-1.5b.gguf"], "default", null, "qwen2", 1_500_000_000, "Q4_K_M",
            131072, 1_100_000_000, true, "1.5b", placement is null ? null : placement != Placement.None, placement, 2_000_000_000, 30);

    [Fact]
    public void The_table_writes_the_placement_as_the_reports_do_and_the_JSON_keeps_the_enum_name()
    {
        var listing = new ModelListing([Entry(Placement.Cpu)], [], ["/models"]);
        Assert.Contains("yes, CPU, ", listing.ToText(), StringComparison.Ordinal);
        var json = JsonDocument.Parse(ReasonJson.Serialize(listing)).RootElement.GetProperty("models")[0];
        Assert.Equal("cpu", json.GetProperty("placement").GetString());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(ReasonJson.Serialize(Entry(null))).RootElement.GetProperty("placement").ValueKind);
    }
}
