using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>
/// <c>CLUSTER_UNICAST_ADDRESSES</c> may hold host names (a headless Service's name, whose addresses
/// follow the pods), resolved again every check interval: a name that resolves to nothing at first
/// and to the other node later brings the two together (network namespaces, each with its own hosts file).
/// </summary>
public sealed class UnicastNameTests : IAsyncLifetime
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
    public async Task A_unicast_host_name_is_resolved_again_and_its_new_address_joins_the_nodes()
    {
        await _network.Hosts(0); // "peer.soketi.test" does not resolve yet
        _nodes.Add(await _network.StartNode(0, Environment(0, "peer.soketi.test")));
        _nodes.Add(await _network.StartNode(1, Environment(1, _network.ClusterAddress(0))));
        Assert.Contains("Cluster: founded cluster ", _nodes[1].Output, StringComparison.Ordinal); // it never heard node 0

        await _network.Hosts(0, $"{_network.ClusterAddress(1)} peer.soketi.test");

        await Eventually.Get(() => Task.FromResult(_nodes.Count(n => n.Output.Contains("Cluster: joined cluster ", StringComparison.Ordinal))),
            joined => joined == 1, "one node joining the other's cluster", TimeSpan.FromSeconds(30));
        foreach (var node in _nodes)
        {
            await node.WaitUntilReady();
        }

        await OneServer.Assert(_nodes);
    }

    private Dictionary<string, string> Environment(int node, string unicast) => new()
    {
        ["SOKETI_ADAPTER_DRIVER"] = "cluster",
        ["SOKETI_CLUSTER_HOST"] = _network.ClusterAddress(node),
        ["SOKETI_CLUSTER_UNICAST_ADDRESSES"] = $"[\"{unicast}\"]",
    };
}
