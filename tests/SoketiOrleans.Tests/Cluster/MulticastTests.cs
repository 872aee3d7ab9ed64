using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>
/// Discovery by multicast (<c>CLUSTER_MULTICAST_ADDRESS</c>), on a bridged network of namespaces:
/// loopback does not carry multicast. Three nodes that only share the group are one server.
/// </summary>
public sealed class MulticastTests : NamespacedNodes
{
    [Fact]
    public async Task Nodes_in_one_multicast_group_are_one_server()
    {
        var group = new Dictionary<string, string> { ["SOKETI_CLUSTER_MULTICAST_ADDRESS"] = "239.255.42.99" };
        for (var i = 0; i < 3; i++)
        {
            await Start(i, group);
        }

        Assert.Contains("Cluster: founded cluster ", Nodes[0].Output, StringComparison.Ordinal);
        Assert.Contains("Cluster: joined cluster ", Nodes[1].Output, StringComparison.Ordinal);
        Assert.Contains("Cluster: joined cluster ", Nodes[2].Output, StringComparison.Ordinal);
        await OneServer.Assert(Nodes);
    }
}
