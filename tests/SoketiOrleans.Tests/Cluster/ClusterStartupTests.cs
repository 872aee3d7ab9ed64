using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>How a <c>cluster</c> mode process starts from soketi's settings, and what stops it.</summary>
public sealed class ClusterStartupTests
{
    [Fact]
    public async Task A_cluster_host_that_is_not_an_address_of_this_machine_stops_start_up_naming_it()
    {
        await using var server = ServerProcess.Launch(new Dictionary<string, string>
        {
            ["SOKETI_ADAPTER_DRIVER"] = "cluster",
            ["SOKETI_CLUSTER_HOST"] = "192.0.2.1",
        });

        Assert.Equal(1, await server.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(
            "cluster.hostname (SOKETI_CLUSTER_HOST): 192.0.2.1 is not an address of this machine; set it to one of its addresses, or 0.0.0.0",
            server.Output.Trim());
    }

    /// <summary>Kubernetes sets CLUSTER_PORT=tcp://… for a Service named "cluster": soketi's unprefixed name must not stop the pod.</summary>
    [Fact]
    public async Task An_unprefixed_cluster_port_kubernetes_set_is_ignored_with_a_warning_and_the_node_serves()
    {
        var net = new DiscoveryNet();
        await using var server = await ServerProcess.Start(new Dictionary<string, string>
        {
            ["ADAPTER_DRIVER"] = "cluster",
            ["CLUSTER_HOST"] = net.Address(0),
            ["CLUSTER_PORT"] = "tcp://10.96.0.12:11002",
            ["SOKETI_CLUSTER_PREFIX"] = $"k8s-{Guid.NewGuid():N}",
        });

        Assert.Contains(
            "CLUSTER_PORT=\"tcp://10.96.0.12:11002\" is ignored: cluster.port must be an integer from 1 to 65535 (Kubernetes sets CLUSTER_* variables for a Service named \"cluster\"); set SOKETI_CLUSTER_PORT to override",
            server.Output, StringComparison.Ordinal);
        Assert.Contains("Cluster: founded cluster ", server.Output, StringComparison.Ordinal);
        // Logged as the node starts listening, and read from its output as it arrives: maybe after /ready answered.
        await Eventually.Get(() => Task.FromResult(server.Output), o => o.Contains("(adapter cluster, mode full, 1 apps)", StringComparison.Ordinal),
            "the node's listening line");
        await OneServer.Assert([server]);
    }
}
