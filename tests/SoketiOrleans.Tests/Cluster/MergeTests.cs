using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>
/// A process started while cut off from its cluster cannot know the cluster exists and founds its
/// own; once it hears the larger cluster, it starts over and joins it (network namespaces).
/// </summary>
public sealed class MergeTests : IAsyncLifetime
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
    public async Task A_node_that_founded_a_cluster_while_cut_off_merges_into_the_larger_one_when_it_hears_it()
    {
        var addresses = "[" + string.Join(",", Enumerable.Range(0, 3).Select(i => $"\"{_network.ClusterAddress(i)}\"")) + "]";
        Dictionary<string, string> Environment(int i) => new()
        {
            ["SOKETI_ADAPTER_DRIVER"] = "cluster",
            ["SOKETI_CLUSTER_HOST"] = _network.ClusterAddress(i),
            ["SOKETI_CLUSTER_UNICAST_ADDRESSES"] = addresses,
        };

        _nodes.Add(await _network.StartNode(0, Environment(0)));
        _nodes.Add(await _network.StartNode(1, Environment(1)));
        await _network.AddNode(2);
        await _network.Cut(2);
        var alone = await ServerProcess.StartIn(_network.Namespace(2), _network.ClientAddress(2), Environment(2));
        _nodes.Add(alone);
        Assert.Contains("Cluster: founded cluster ", alone.Output, StringComparison.Ordinal);

        await _network.Heal(2);
        await Eventually.Get(() => Task.FromResult(alone.Output), o => o.Contains("Cluster: joined cluster ", StringComparison.Ordinal),
            "the lone node joining the larger cluster", TimeSpan.FromSeconds(30));
        Assert.Contains("which is larger (or as large and older); this node stops serving and joins it", alone.Output, StringComparison.Ordinal);
        await alone.WaitUntilReady();
        await OneServer.Assert(_nodes);
    }
}
