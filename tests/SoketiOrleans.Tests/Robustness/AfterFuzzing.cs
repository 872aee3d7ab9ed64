using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>What every fuzzer of a running server checks once its run is over.</summary>
internal static class AfterFuzzing
{
    /// <summary>A clean client subscribes and gets an API publish, the process is alive, and its log holds no failure.</summary>
    public static async Task AssertUnhurt(ServerProcess server)
    {
        await using var clean = await RawPusherClient.Connect(server.WebSocketUri());
        var channel = Names.Unique("after-fuzz-");
        await clean.SubscribePublic(channel);
        using var api = new PusherApi(server.HttpUri);
        Assert.Equal(200, (await api.Trigger(channel, "still-serving", "{}")).Status);
        Assert.Equal(Frames.Event("still-serving", channel, "{}"), await clean.Next());
        Assert.False(server.HasExited);
        Assert.DoesNotContain(server.Output.Split('\n'), line => line.Contains(" fail: ") || line.Contains(" crit: ") || line.Contains("Unhandled"));
    }
}
