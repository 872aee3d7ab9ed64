using System.Text.Json;
using SoketiOrleans.Tests.Harness;
using static SoketiOrleans.Tests.Recovery.ClusterProbe;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>
/// Which processes form one cluster in <c>cluster</c> mode: the same discovery settings make one
/// server; another port, another prefix or another secret make another.
/// </summary>
public sealed class ClusterMembershipTests
{
    [Fact]
    public async Task A_killed_node_started_again_rejoins_and_its_new_sockets_count()
    {
        await using var cluster = await LocalCluster.StartDiscovery(3, new DiscoveryNet());
        var leader = await cluster.Leader();
        var victim = cluster.Nodes.First(n => n != leader);
        await victim.Kill();
        await Eventually.Get(() => Task.FromResult(leader.Output), o => o.Contains("Cluster: removed node ", StringComparison.Ordinal),
            "the leader removing the killed node", TimeSpan.FromSeconds(20));

        var restarted = await cluster.Add("full");
        Assert.Contains("Cluster: joined cluster ", restarted.Output, StringComparison.Ordinal);
        await OneServer.Assert(cluster.Nodes.Where(n => !n.HasExited).ToArray());
    }

    [Fact]
    public async Task Clusters_with_another_port_or_prefix_on_one_host_stay_apart()
    {
        var net = new DiscoveryNet();
        var started = await LocalCluster.StartAll(
            LocalCluster.StartDiscovery(2, net),
            LocalCluster.StartDiscovery(1, net.Elsewhere() with { Prefix = "other-" }),
            LocalCluster.StartDiscovery(1, net.Elsewhere() with { Port = FreePort.Next() }));
        await using var cluster = started[0];
        await using var otherPrefix = started[1];
        await using var otherPort = started[2];

        Assert.Contains("Cluster: founded cluster ", otherPrefix[0].Output, StringComparison.Ordinal);
        Assert.Contains("Cluster: founded cluster ", otherPort[0].Output, StringComparison.Ordinal);
        await AssertApart(cluster, [otherPrefix[0], otherPort[0]]);
    }

    [Fact]
    public async Task A_node_with_another_secret_is_ignored_and_serves_alone()
    {
        var net = new DiscoveryNet { Secret = "right-secret" };
        var started = await LocalCluster.StartAll(
            LocalCluster.StartDiscovery(2, net),
            LocalCluster.StartDiscovery(1, net.Elsewhere() with { Secret = "wrong-secret" }));
        await using var cluster = started[0];
        await using var stray = started[1];

        Assert.Contains("Cluster: founded cluster ", stray[0].Output, StringComparison.Ordinal);
        foreach (var node in cluster.Nodes)
        {
            await Eventually.Get(() => Task.FromResult(node.Output),
                o => o.Contains($"Cluster discovery: ignoring datagrams from {stray.Net!.Address(0)}:", StringComparison.Ordinal),
                "the stray node's beacons refused", TimeSpan.FromSeconds(10));
        }

        await AssertApart(cluster, [stray[0]]);
    }

    /// <summary>
    /// The same channel on <paramref name="cluster"/> and on each outsider: an event published in the
    /// cluster reaches its members only, and each side counts its own subscribers only.
    /// </summary>
    private static async Task AssertApart(LocalCluster cluster, ServerProcess[] outsiders)
    {
        var channel = $"apart-{Guid.NewGuid():N}";
        await using var inside = await RawPusherClient.Connect(cluster[0].WebSocketUri());
        await inside.SubscribePublic(channel);
        var outside = new List<RawPusherClient>();
        try
        {
            foreach (var outsider in outsiders)
            {
                var socket = await RawPusherClient.Connect(outsider.WebSocketUri());
                outside.Add(socket);
                await socket.SubscribePublic(channel);
            }

            using var api = new PusherApi(cluster[1].HttpUri);
            ApiAssert.IsOk(await api.Trigger(channel, "inside", "{}"));
            Assert.Equal("inside", (await inside.WaitFor("inside", channel)).GetProperty("event").GetString());
            Assert.Equal(1, await SubscriptionCount(api, channel));

            for (var i = 0; i < outsiders.Length; i++)
            {
                using var outsiderApi = new PusherApi(outsiders[i].HttpUri);
                ApiAssert.IsOk(await outsiderApi.Trigger(channel, "outside", "{}"));
                var next = await outside[i].NextJson();
                Assert.Equal("outside", Event(next)); // the cluster's event, published before, never arrived
                Assert.Equal(1, await SubscriptionCount(outsiderApi, channel));
            }
        }
        finally
        {
            foreach (var socket in outside)
            {
                await socket.DisposeAsync();
            }
        }
    }

    private static async Task<int> SubscriptionCount(PusherApi api, string channel)
    {
        var (status, body) = await api.Get($"/channels/{channel}", new Dictionary<string, string> { ["info"] = "subscription_count" });
        Assert.Equal(200, status);
        return JsonDocument.Parse(body).RootElement.GetProperty("subscription_count").GetInt32();
    }
}
