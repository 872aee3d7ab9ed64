using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>
/// Tests whose <c>cluster</c> mode nodes run in an <see cref="IsolatedNetwork"/>: the network is
/// built before the test and, with every node started through <see cref="Start"/>, torn down after it.
/// </summary>
public abstract class NamespacedNodes : IAsyncLifetime
{
    protected List<ServerProcess> Nodes { get; } = [];

    protected IsolatedNetwork Network { get; private set; } = null!;

    public async Task InitializeAsync() => Network = await IsolatedNetwork.Create();

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        await Network.DisposeAsync();
    }

    /// <summary>Node <paramref name="node"/> of the network, started in <c>cluster</c> mode on its cluster address with <paramref name="discovery"/>'s variables.</summary>
    protected async Task<ServerProcess> Start(int node, IReadOnlyDictionary<string, string> discovery)
    {
        var server = await Network.StartNode(node, Cluster(node, discovery));
        Nodes.Add(server);
        return server;
    }

    protected Dictionary<string, string> Cluster(int node, IReadOnlyDictionary<string, string> discovery) => new(discovery)
    {
        ["SOKETI_ADAPTER_DRIVER"] = "cluster",
        ["SOKETI_CLUSTER_HOST"] = Network.ClusterAddress(node),
    };

    /// <summary>The first <paramref name="count"/> nodes' cluster addresses, as <c>CLUSTER_UNICAST_ADDRESSES</c> takes them.</summary>
    protected Dictionary<string, string> Unicast(int count) => new()
    {
        ["SOKETI_CLUSTER_UNICAST_ADDRESSES"] = "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"{Network.ClusterAddress(i)}\"")) + "]",
    };
}
