using System.Diagnostics;
using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>SIGTERM: every socket is told to reconnect, then the process exits cleanly. Each test stops its own server.</summary>
public sealed class ShutdownTests
{
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Sigterm_tells_every_socket_4200_then_closes_it_with_4200_and_exits_0()
    {
        await using var server = await ServerProcess.Start();
        using var api = new PusherApi(server.HttpUri);
        await using var idle = await RawPusherClient.Connect(server.WebSocketUri());
        await using var subscribed = await RawPusherClient.Connect(server.WebSocketUri());
        await subscribed.SubscribePublic(Names.Unique("shutdown-"));
        await using var presence = await RawPusherClient.Connect(server.WebSocketUri());
        await presence.SubscribePresence(api.Signer, Names.Unique("presence-shutdown-"), """{"user_id":"u"}""");

        var clock = Stopwatch.StartNew();
        server.Terminate();

        foreach (var client in new[] { idle, subscribed, presence })
        {
            Assert.Equal(Frames.ShuttingDown, await client.Next());
            Assert.Equal((WebSocketCloseStatus)4200, (await client.WaitForClose()).Status);
        }

        Assert.Equal(0, await server.WaitForExit(ExitWithin));
        Assert.True(clock.Elapsed < ExitWithin, $"Exited after {clock.Elapsed}");
    }

    /// <summary>Unlike soketi, nothing left to drain means no wait for the grace period.</summary>
    [Fact]
    public async Task Sigterm_without_sockets_or_webhooks_exits_0_without_waiting_for_the_grace_period()
    {
        await using var server = await ServerProcess.Start(new Dictionary<string, string> { ["SOKETI_SHUTDOWN_GRACE_PERIOD"] = "30000" });

        server.Terminate();

        Assert.Equal(0, await server.WaitForExit(ExitWithin));
    }
}
