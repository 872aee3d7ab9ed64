using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>
/// What two <c>cluster</c> mode nodes tolerate: a majority of two is two. A node that stops
/// (SIGTERM) leaves the Raft configuration first, so the other serves on alone; a node that dies
/// leaves the other without a majority, which stops serving until a node joins it again.
/// </summary>
public sealed class TwoNodeClusterTests
{
    [Fact]
    public async Task A_stopping_leader_hands_over_and_the_other_node_serves_on_alone()
    {
        await using var cluster = await LocalCluster.StartDiscovery(2, new DiscoveryNet());
        var leader = await cluster.Leader();
        var other = cluster.Nodes.Single(n => n != leader);
        var channel = Names.Unique("alone-");
        await using var client = await RawPusherClient.Connect(other.WebSocketUri());
        await client.SubscribePublic(channel);

        leader.Terminate();
        Assert.Equal(0, await leader.WaitForExit(TimeSpan.FromSeconds(15)));
        Assert.Contains("left the cluster", leader.Output, StringComparison.Ordinal);
        Assert.Equal(other, await cluster.Leader());

        using var api = new PusherApi(other.HttpUri);
        ApiAssert.IsOk(await api.Trigger(channel, "still-here", "{}"));
        Assert.Equal("still-here", (await client.WaitFor("still-here", channel)).GetProperty("event").GetString());
        Assert.DoesNotContain("no majority", other.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_node_leaves_the_other_without_a_majority_until_a_new_node_joins_it()
    {
        await using var cluster = await LocalCluster.StartDiscovery(2, new DiscoveryNet());
        var (survivor, victim) = (cluster[0], cluster[1]);
        await using var client = await RawPusherClient.Connect(survivor.WebSocketUri());
        await client.SubscribePublic(Names.Unique("minority-"));

        await victim.Kill();

        // It stops serving, as a SIGTERM would, and says why.
        Assert.Equal(Frames.ShuttingDown, await client.Next(TimeSpan.FromSeconds(15)));
        Assert.Equal((WebSocketCloseStatus)4200, (await client.WaitForClose()).Status);
        Assert.Contains("Cluster: no majority of the cluster's 2 nodes reachable", survivor.Output, StringComparison.Ordinal);

        var newcomer = await cluster.Add("full");
        Assert.Contains("Cluster: founded cluster ", newcomer.Output, StringComparison.Ordinal);
        await survivor.WaitUntilReady();
        Assert.Contains("having been a member of a cluster, it only joins one", survivor.Output, StringComparison.Ordinal);

        var channel = Names.Unique("together-");
        await using var again = await RawPusherClient.Connect(survivor.WebSocketUri());
        await again.SubscribePublic(channel);
        using var api = new PusherApi(newcomer.HttpUri);
        ApiAssert.IsOk(await api.Trigger(channel, "rejoined", "{}"));
        Assert.Equal("rejoined", (await again.WaitFor("rejoined", channel)).GetProperty("event").GetString());
    }
}
