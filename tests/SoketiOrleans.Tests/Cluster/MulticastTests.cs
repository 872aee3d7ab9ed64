using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>
/// Discovery by multicast (<c>CLUSTER_MULTICAST_ADDRESS</c>), on a bridged network of namespaces:
/// loopback does not carry multicast. Three nodes that only share the group are one server.
/// </summary>
public sealed class MulticastTests : IAsyncLifetime
{
    private readonly List<ServerProcess> _nodes = [];
    private IsolatedNetwork _network = null!;

    public async Task InitializeAsync() => _network = await IsolatedNetwork.Create();

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _network.DisposeAsync();
    }

    [Fact]
    public async Task Nodes_in_one_multicast_group_are_one_server()
    {
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(await _network.StartNode(i, new Dictionary<string, string>
            {
                ["SOKETI_ADAPTER_DRIVER"] = "cluster",
                ["SOKETI_CLUSTER_HOST"] = _network.ClusterAddress(i),
                ["SOKETI_CLUSTER_MULTICAST_ADDRESS"] = "239.255.42.99",
            }));
        }

        Assert.Contains("Cluster: founded cluster ", _nodes[0].Output, StringComparison.Ordinal);
        Assert.Contains("Cluster: joined cluster ", _nodes[1].Output, StringComparison.Ordinal);
        Assert.Contains("Cluster: joined cluster ", _nodes[2].Output, StringComparison.Ordinal);
        await OneServer.Assert(_nodes);
    }
}
