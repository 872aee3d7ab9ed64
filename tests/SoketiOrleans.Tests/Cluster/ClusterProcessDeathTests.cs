using SoketiOrleans.Tests.Harness;
using SoketiOrleans.Tests.Recovery;
using Xunit.Abstractions;

namespace SoketiOrleans.Tests.Cluster;

/// <summary><c>cluster</c> mode: a Raft follower dies; the leader and the other follower survive.</summary>
public sealed class ClusterFollowerDeathTests(ITestOutputHelper output) : ProcessDeathTests(output)
{
    protected override Task<LocalCluster> Start(IReadOnlyDictionary<string, string> environment) =>
        LocalCluster.StartDiscovery(3, new DiscoveryNet(), environment);

    protected override async Task<(ServerProcess A, ServerProcess B, ServerProcess C)> Roles(LocalCluster cluster)
    {
        var leader = await cluster.Leader();
        var followers = cluster.Nodes.Where(n => n != leader).ToArray();
        return (leader, followers[0], followers[1]);
    }
}

/// <summary>
/// <c>cluster</c> mode, nodes listed by unicast address: the Raft leader dies; the two followers
/// elect a new one and serve on.
/// </summary>
public sealed class ClusterLeaderDeathTests(ITestOutputHelper output) : ProcessDeathTests(output)
{
    protected override Task<LocalCluster> Start(IReadOnlyDictionary<string, string> environment) =>
        LocalCluster.StartDiscovery(3, new DiscoveryNet { Unicast = true }, environment);

    protected override async Task<(ServerProcess A, ServerProcess B, ServerProcess C)> Roles(LocalCluster cluster)
    {
        var leader = await cluster.Leader();
        var followers = cluster.Nodes.Where(n => n != leader).ToArray();
        return (followers[0], followers[1], leader);
    }
}
