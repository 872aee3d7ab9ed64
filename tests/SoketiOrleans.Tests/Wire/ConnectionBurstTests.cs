using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// <c>maxConnections</c> is exact for the cluster, "no over-admission when … many sockets connect
/// at once" (docs/compatibility.md): a burst of connects on both gateways at the same moment.
/// </summary>
[Collection(nameof(ContendedCluster))]
public sealed class ConnectionBurstTests(ContendedClusterFixture fixture)
{
    private const int Limit = ContendedClusterFixture.MaxConnections;
    private const int Burst = 2 * Limit + 2;

    private const string EstablishedPrefix = """{"event":"pusher:connection_established","data":""";

    private static readonly string Key = PusherSigner.Named("burst").Key;

    private ServerProcess Gateway(int i) => i % 2 == 0 ? fixture.A : fixture.B;

    [Fact]
    public async Task A_burst_of_connects_on_both_gateways_admits_exactly_the_limit_refuses_the_rest_with_4004_and_the_refused_hold_no_share_of_the_quota()
    {
        await using var clients = new ClientGroup();
        var burst = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => clients.Open(Gateway(i).WebSocketUri(Key))));
        var first = await Task.WhenAll(burst.Select(c => c.Next()));

        var admitted = burst.Where((_, i) => first[i].StartsWith(EstablishedPrefix, StringComparison.Ordinal)).ToArray();
        var refused = burst.Where((_, i) => first[i] == Frames.OverQuota).ToArray();
        Assert.True(admitted.Length + refused.Length == Burst, $"unexpected first frames:\n{string.Join("\n", first)}");
        Assert.Equal(Limit, admitted.Length);
        Assert.All(await Task.WhenAll(refused.Select(c => c.WaitForClose())), closed => Assert.Equal((WebSocketCloseStatus)4004, closed.Status));
        await Task.WhenAll(admitted.Select(c => c.ExpectPong()));

        // Once the admitted sockets close, exactly the limit fits again: a refused socket neither
        // kept a place nor gave one back that it never had.
        await Task.WhenAll(admitted.Select(c => c.DisposeAsync().AsTask()));
        for (var i = 0; i < Limit; i++)
        {
            await Eventually.Get(() => TryConnect(clients, Gateway(i)), admittedAgain => admittedAgain, $"connection {i + 1} of {Limit} admitted again");
        }

        foreach (var gateway in new[] { fixture.A, fixture.B })
        {
            var over = await clients.Open(gateway.WebSocketUri(Key));
            Assert.Equal(Frames.OverQuota, await over.Next());
            Assert.Equal((WebSocketCloseStatus)4004, (await over.WaitForClose()).Status);
        }
    }

    /// <summary>Opens a socket; true when it was admitted (it then stays open), false when refused.</summary>
    private static async Task<bool> TryConnect(ClientGroup clients, ServerProcess gateway)
    {
        var client = await clients.Open(gateway.WebSocketUri(Key));
        var frame = await client.Next();
        if (frame == Frames.OverQuota)
        {
            await client.WaitForClose();
            return false;
        }

        Assert.StartsWith(EstablishedPrefix, frame);
        return true;
    }
}
