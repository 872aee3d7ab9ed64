using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>
/// A process started while cut off from its cluster cannot know the cluster exists and founds its
/// own; once it hears the larger cluster, it starts over and joins it (network namespaces).
/// </summary>
public sealed class MergeTests : NamespacedNodes
{
    [Fact]
    public async Task A_node_that_founded_a_cluster_while_cut_off_merges_into_the_larger_one_when_it_hears_it()
    {
        await Start(0, Unicast(3));
        await Start(1, Unicast(3));
        await Network.AddNode(2);
        await Network.Cut(2);
        var alone = await ServerProcess.StartIn(Network.Namespace(2), Network.ClientAddress(2), Cluster(2, Unicast(3)));
        Nodes.Add(alone);
        Assert.Contains("Cluster: founded cluster ", alone.Output, StringComparison.Ordinal);

        await Network.Heal(2);
        await Eventually.Get(() => Task.FromResult(alone.Output), o => o.Contains("Cluster: joined cluster ", StringComparison.Ordinal),
            "the lone node joining the larger cluster", TimeSpan.FromSeconds(30));
        Assert.Contains("which is larger (or as large and older); this node stops serving and joins it", alone.Output, StringComparison.Ordinal);
        await alone.WaitUntilReady();
        await OneServer.Assert(Nodes);
    }
}
