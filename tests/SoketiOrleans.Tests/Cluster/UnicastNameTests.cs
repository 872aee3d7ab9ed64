using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>
/// <c>CLUSTER_UNICAST_ADDRESSES</c> may hold host names (a headless Service's name, whose addresses
/// follow the pods), resolved again every check interval: a name that resolves to nothing at first
/// and to the other node later brings the two together (network namespaces, each with its own hosts file).
/// </summary>
public sealed class UnicastNameTests : NamespacedNodes
{
    [Fact]
    public async Task A_unicast_host_name_is_resolved_again_and_its_new_address_joins_the_nodes()
    {
        await Network.Hosts(0); // "peer.soketi.test" does not resolve yet
        await Start(0, UnicastTo("peer.soketi.test"));
        await Start(1, UnicastTo(Network.ClusterAddress(0)));
        Assert.Contains("Cluster: founded cluster ", Nodes[1].Output, StringComparison.Ordinal); // it never heard node 0

        await Network.Hosts(0, $"{Network.ClusterAddress(1)} peer.soketi.test");

        await Eventually.Get(() => Task.FromResult(Nodes.Count(n => n.Output.Contains("Cluster: joined cluster ", StringComparison.Ordinal))),
            joined => joined == 1, "one node joining the other's cluster", TimeSpan.FromSeconds(30));
        foreach (var node in Nodes)
        {
            await node.WaitUntilReady();
        }

        await OneServer.Assert(Nodes);
    }

    private static Dictionary<string, string> UnicastTo(string host) => new() { ["SOKETI_CLUSTER_UNICAST_ADDRESSES"] = $"[\"{host}\"]" };
}
