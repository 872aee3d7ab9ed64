using System.Diagnostics;
using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;
using Xunit.Abstractions;
using static SoketiOrleans.Tests.Recovery.ClusterProbe;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>
/// A three-node cluster split 1|2 by a real partition (network namespaces): the Raft leader is cut
/// off from the other two. The two keep serving as the cluster; the one stops serving, admits no
/// membership change, and rejoins the two when the partition heals. There are never two clusters
/// accepting clients.
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly PusherSigner _signer = new();
    private readonly List<ServerProcess> _nodes = [];
    private IsolatedNetwork _network = null!;

    public async Task InitializeAsync()
    {
        _network = await IsolatedNetwork.Create();
        var addresses = "[" + string.Join(",", Enumerable.Range(0, 3).Select(i => $"\"{_network.ClusterAddress(i)}\"")) + "]";
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(await _network.StartNode(i, new Dictionary<string, string>
            {
                ["SOKETI_ADAPTER_DRIVER"] = "cluster",
                ["SOKETI_CLUSTER_HOST"] = _network.ClusterAddress(i),
                ["SOKETI_CLUSTER_UNICAST_ADDRESSES"] = addresses,
            }));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _network.DisposeAsync();
    }

    [Fact]
    public async Task The_cut_off_leader_stops_serving_the_majority_serves_on_and_the_leader_rejoins_after_the_split()
    {
        var cluster = await LeaderAndFollowers();
        var (cut, left, right) = (cluster.Leader, cluster.Followers[0], cluster.Followers[1]);
        var channel = $"presence-split-{Guid.NewGuid():N}";
        await using var onCut = await RawPusherClient.Connect(cut.WebSocketUri());
        await using var onLeft = await RawPusherClient.Connect(left.WebSocketUri());
        await using var onRight = await RawPusherClient.Connect(right.WebSocketUri());
        foreach (var (socket, user) in new[] { (onCut, "cut"), (onLeft, "left"), (onRight, "right") })
        {
            await socket.SubscribePresence(_signer, channel, Member(user));
        }

        using var leftApi = new PusherApi(left.HttpUri);
        Assert.Equal(["cut", "left", "right"], await PresenceUsers(leftApi, channel));

        var sinceCut = Stopwatch.StartNew();
        await _network.Cut(_nodes.IndexOf(cut));

        // The cut-off node stops serving, as at a SIGTERM, and says why.
        Assert.Equal(Frames.ShuttingDown, (await onCut.WaitFor("pusher:error", timeout: TimeSpan.FromSeconds(20))).GetRawText());
        Assert.Equal((WebSocketCloseStatus)4200, (await onCut.WaitForClose()).Status);
        var stoppedServing = sinceCut.Elapsed;
        Assert.Contains("Cluster: no majority of the cluster's 3 nodes reachable", cut.Output, StringComparison.Ordinal);

        // The majority is the cluster: the cut-off node's member leaves once, the others stay connected.
        await Eventually.Get(() => PresenceUsers(leftApi, channel), users => users.SequenceEqual(["left", "right"]),
            "the cut-off node's member removed", TimeSpan.FromSeconds(30));
        var membersExact = sinceCut.Elapsed;
        Assert.Equal("member_removed:cut", MemberEvent(await onLeft.WaitFor("pusher_internal:member_removed", channel, TimeSpan.FromSeconds(5))));
        Assert.Equal("member_removed:cut", MemberEvent(await onRight.WaitFor("pusher_internal:member_removed", channel, TimeSpan.FromSeconds(5))));
        ApiAssert.IsOk(await leftApi.Trigger(channel, "during-split", "{}"));
        await onRight.WaitFor("during-split", channel);
        await onLeft.WaitFor("during-split", channel);

        // While cut off it waits to rejoin: it never founds a cluster of its own, so nothing connects to it.
        await Eventually.Get(() => Task.FromResult(cut.Output), o => o.Contains("having been a member of a cluster, it only joins one", StringComparison.Ordinal),
            "the cut-off node waiting to rejoin", TimeSpan.FromSeconds(30));
        await Assert.ThrowsAnyAsync<Exception>(() => RawPusherClient.Connect(cut.WebSocketUri()));
        Assert.Single(AllMatches(cut.Output, "Cluster: founded cluster "));

        await _network.Heal(_nodes.IndexOf(cut));
        var sinceHeal = Stopwatch.StartNew();
        await cut.WaitUntilReady();
        var rejoined = sinceHeal.Elapsed;
        Assert.Single(AllMatches(cut.Output, "Cluster: founded cluster "));
        Assert.Contains("Cluster: joined cluster ", cut.Output, StringComparison.Ordinal);

        await using var back = await RawPusherClient.Connect(cut.WebSocketUri());
        await back.SubscribePresence(_signer, channel, Member("back"));
        Assert.Equal(["back", "left", "right"], await PresenceUsers(leftApi, channel));
        ApiAssert.IsOk(await leftApi.Trigger(channel, "after-heal", "{}"));
        await back.WaitFor("after-heal", channel);
        foreach (var stayed in new[] { onLeft, onRight })
        {
            Assert.Equal("member_added:back", MemberEvent(await stayed.WaitFor("pusher_internal:member_added", channel)));
            await stayed.WaitFor("after-heal", channel);
            await stayed.ExpectPong(); // connected all along
        }
        output.WriteLine($"cut-off node stopped serving {stoppedServing.TotalSeconds:F1} s after the cut; members exact on the majority {membersExact.TotalSeconds:F1} s after it; serving again {rejoined.TotalSeconds:F1} s after the heal");
    }

    private async Task<(ServerProcess Leader, ServerProcess[] Followers)> LeaderAndFollowers()
    {
        var leaderLine = await Eventually.Get(
            () => Task.FromResult(_nodes.Select(n => AllMatches(n.Output, "Cluster: the leader is ").LastOrDefault()).ToArray()),
            lines => lines.All(l => l is not null) && lines.Count(l => l!.EndsWith("(this node)", StringComparison.Ordinal)) == 1,
            "one Raft leader named by every node", TimeSpan.FromSeconds(20));
        var leader = _nodes[Array.FindIndex(leaderLine, l => l!.EndsWith("(this node)", StringComparison.Ordinal))];
        return (leader, _nodes.Where(n => n != leader).ToArray());
    }

    private static string MemberEvent(System.Text.Json.JsonElement frame) => $"{Event(frame)[("pusher_internal:".Length)..]}:{MemberId(frame)}";

    private static string[] AllMatches(string output, string marker) =>
        output.Split('\n').Where(l => l.Contains(marker, StringComparison.Ordinal)).Select(l => l.Trim()).ToArray();
}
