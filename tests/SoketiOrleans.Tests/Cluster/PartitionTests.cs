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
public sealed class PartitionTests(ITestOutputHelper output) : NamespacedNodes
{
    private readonly PusherSigner _signer = new();

    [Fact]
    public async Task The_cut_off_leader_stops_serving_the_majority_serves_on_and_the_leader_rejoins_after_the_split()
    {
        try
        {
            await SplitAndHeal();
        }
        catch
        {
            foreach (var node in Nodes)
            {
                output.WriteLine($"--- node at {node.Address}:\n{node.Output}");
            }

            throw;
        }
    }

    private async Task SplitAndHeal()
    {
        for (var i = 0; i < 3; i++)
        {
            await Start(i, Unicast(3));
        }

        var cut = await RaftLeader.Among(Nodes);
        var (left, right) = (Nodes.First(n => n != cut), Nodes.Last(n => n != cut));
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

        var founded = AllMatches(cut.Output, "Cluster: founded cluster ").Length;
        var sinceCut = Stopwatch.StartNew();
        await Network.Cut(Nodes.IndexOf(cut));

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
        Assert.Equal(founded, AllMatches(cut.Output, "Cluster: founded cluster ").Length);

        await Network.Heal(Nodes.IndexOf(cut));
        var sinceHeal = Stopwatch.StartNew();
        await cut.WaitUntilReady();
        var rejoined = sinceHeal.Elapsed;
        Assert.Equal(founded, AllMatches(cut.Output, "Cluster: founded cluster ").Length);
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

    private static string MemberEvent(System.Text.Json.JsonElement frame) => $"{Event(frame)[("pusher_internal:".Length)..]}:{MemberId(frame)}";

    private static string[] AllMatches(string output, string marker) =>
        output.Split('\n').Where(l => l.Contains(marker, StringComparison.Ordinal)).Select(l => l.Trim()).ToArray();
}
