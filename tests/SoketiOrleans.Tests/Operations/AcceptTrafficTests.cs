using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Operations;

/// <summary>
/// soketi's <c>/accept-traffic</c>: 200 with the memory figures while the process uses less than
/// <c>SOKETI_HTTP_ACCEPT_TRAFFIC_MEMORY_THRESHOLD</c> percent of the memory it may use, 503 above.
/// </summary>
public sealed class AcceptTrafficTests
{
    [Fact]
    public async Task Answers_200_with_memory_below_the_threshold_and_503_above_it()
    {
        // Any running server uses more than a thousandth of a percent of the machine's memory, and less than 99 %.
        await using var low = await ServerProcess.Start(new Dictionary<string, string> { ["SOKETI_HTTP_ACCEPT_TRAFFIC_MEMORY_THRESHOLD"] = "0.001" });
        await using var high = await ServerProcess.Start(new Dictionary<string, string> { ["SOKETI_HTTP_ACCEPT_TRAFFIC_MEMORY_THRESHOLD"] = "99" });
        using var lowHttp = new HttpClient { BaseAddress = low.HttpUri };
        using var highHttp = new HttpClient { BaseAddress = high.HttpUri };

        using var refused = await lowHttp.GetAsync("/accept-traffic");
        Assert.Equal((503, """{"error":"Low on memory here. Choose another server.","code":503}"""),
            ((int)refused.StatusCode, await refused.Content.ReadAsStringAsync()));

        using var accepted = await highHttp.GetAsync("/accept-traffic");
        Assert.Equal(200, (int)accepted.StatusCode);
        var memory = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("memory");
        Assert.Equal(["usedSize", "totalSize", "percentUsage"], memory.EnumerateObject().Select(p => p.Name));
        var used = memory.GetProperty("usedSize").GetInt64();
        var total = memory.GetProperty("totalSize").GetInt64();
        Assert.InRange(memory.GetProperty("percentUsage").GetDouble(), used * 100.0 / total - 1e-9, used * 100.0 / total + 1e-9);
        Assert.InRange(used, 10L << 20, total);
    }
}
