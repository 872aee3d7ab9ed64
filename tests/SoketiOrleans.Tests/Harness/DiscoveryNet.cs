namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// Where the nodes of a <c>cluster</c> mode test find each other, on loopback only: each node has
/// its own address 127.N.0.i (N for this cluster, i for the node) as <c>CLUSTER_HOST</c>, and
/// discovery goes to the loopback broadcast address (the default for a loopback host) or, when
/// <see cref="Unicast"/> is set, to a list of the cluster's addresses. Every cluster gets its own
/// discovery port, so that test classes running side by side never meet.
/// </summary>
public sealed record DiscoveryNet
{
    /// <summary>Addresses a cluster's nodes may take, restarts included.</summary>
    public const int MaxNodes = 8;

    private static int s_lastSubnet = Random.Shared.Next(10, 200);

    public int Subnet { get; init; } = NextSubnet();

    public int Port { get; init; } = FreePort.Next();

    public string Prefix { get; init; } = "";

    public string Secret { get; init; } = "";

    public bool Unicast { get; init; }

    public string Address(int node) => $"127.{Subnet}.0.{node + 2}";

    /// <summary>The same settings for nodes on addresses of their own (another cluster's, unless the settings keep them apart).</summary>
    public DiscoveryNet Elsewhere() => this with { Subnet = NextSubnet() };

    private static int NextSubnet() => Interlocked.Increment(ref s_lastSubnet) % 250 + 1;

    /// <summary>The variables of the node that takes address <paramref name="node"/>.</summary>
    public Dictionary<string, string> Environment(int node)
    {
        var env = new Dictionary<string, string>
        {
            ["SOKETI_ADAPTER_DRIVER"] = "cluster",
            ["SOKETI_CLUSTER_HOST"] = Address(node),
            ["SOKETI_CLUSTER_PORT"] = Port.ToString(),
            ["SOKETI_CLUSTER_PREFIX"] = Prefix,
        };
        if (Secret.Length > 0)
        {
            env["SOKETI_CLUSTER_SECRET"] = Secret;
        }

        if (Unicast)
        {
            env["SOKETI_CLUSTER_UNICAST_ADDRESSES"] = "[" + string.Join(",", Enumerable.Range(0, MaxNodes).Select(i => $"\"{Address(i)}\"")) + "]";
        }

        return env;
    }
}
