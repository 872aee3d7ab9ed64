using System.Net;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>A node heard on the discovery port within <c>cluster.nodeTimeout</c>.</summary>
public sealed record DiscoveredPeer(Beacon Beacon, IPAddress Address, long LastHeard)
{
    public IPEndPoint RaftEndPoint => new(Address, Beacon.RaftPort);

    public IPEndPoint CommandEndPoint => new(Address, Beacon.CommandPort);
}
