using System.Diagnostics;
using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Recovery;

/// <summary>The cluster-wide connection quota after a process holding part of it is killed.</summary>
public sealed class QuotaRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Limit = 4;
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await LocalCluster.Start(3, new Dictionary<string, string> { ["SOKETI_DEFAULT_APP_MAX_CONNS"] = Limit.ToString() });

    public Task DisposeAsync() => _cluster.DisposeAsync().AsTask();

    [Fact]
    public async Task A_killed_process_gives_back_its_connections_and_the_limit_still_holds_exactly()
    {
        var (a, b, c) = (_cluster[0], _cluster[1], _cluster[2]);
        await using var a1 = await Connect(a);
        await using var a2 = await Connect(a);
        await using var c1 = await Connect(c);
        await using var c2 = await Connect(c);
        await AssertRefused(b);

        var sinceKill = Stopwatch.StartNew();
        await c.Kill();

        // The first connection admitted after the kill shows the dead process's share was given back.
        var b1 = await Eventually.Get(async () => await TryConnect(b), s => s is not null, "a connection admitted after the kill", TimeSpan.FromSeconds(30));
        var freed = sinceKill.Elapsed;
        await using (b1)
        {
            await using var a3 = await Connect(a);
            await AssertRefused(b);
            await AssertRefused(a);
            await a1.ExpectPong();
        }

        output.WriteLine($"connections of the dead process given back {freed.TotalSeconds:F1} s after the kill");
    }

    private static Task<RawPusherClient> Connect(ServerProcess server) => RawPusherClient.Connect(server.WebSocketUri());

    /// <returns>An admitted client, or null when it was refused with 4004.</returns>
    private static async Task<RawPusherClient?> TryConnect(ServerProcess server)
    {
        var client = await RawPusherClient.Open(server.WebSocketUri());
        var first = await client.Next();
        if (first == Frames.OverQuota)
        {
            Assert.Equal((WebSocketCloseStatus)4004, (await client.WaitForClose()).Status);
            await client.DisposeAsync();
            return null;
        }

        Assert.StartsWith("""{"event":"pusher:connection_established","data":""", first);
        return client;
    }

    private static async Task AssertRefused(ServerProcess server) => Assert.Null(await TryConnect(server));
}
