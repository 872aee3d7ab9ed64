using System.Text.Json.Serialization;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// What a node says about itself on the discovery port, several times a second. Discovery only:
/// grain traffic goes over Orleans' TCP connections and the membership table over Raft's, so a
/// beacon stays a few hundred bytes.
/// </summary>
/// <param name="Node">This process's id; a restarted process is a new node.</param>
/// <param name="Prefix">soketi's <c>cluster.prefix</c>: nodes with another prefix ignore this one.</param>
/// <param name="StartedAt">Unix milliseconds; the oldest node that may found a cluster founds it.</param>
/// <param name="Address">Where the endpoints below listen.</param>
/// <param name="RaftPort">The consensus (membership table replication) port.</param>
/// <param name="CommandPort">Where the Raft leader takes membership writes from the other nodes.</param>
/// <param name="SiloPort">The Orleans silo port (informational: Orleans finds silos through the table).</param>
/// <param name="Cluster">The cluster this node is a member of, named after its founder; null before it joins one.</param>
/// <param name="Joining">The cluster this node asks to join; its leader adds the node.</param>
/// <param name="MayFound">False once this process has been a member of a cluster: cut off from it, it waits to rejoin rather than found a second one.</param>
/// <param name="Leads">True while this node is its cluster's Raft leader.</param>
public sealed record Beacon(
    [property: JsonPropertyName("n")] Guid Node,
    [property: JsonPropertyName("p")] string Prefix,
    [property: JsonPropertyName("t")] long StartedAt,
    [property: JsonPropertyName("a")] string Address,
    [property: JsonPropertyName("r")] int RaftPort,
    [property: JsonPropertyName("c")] int CommandPort,
    [property: JsonPropertyName("s")] int SiloPort,
    [property: JsonPropertyName("m")] Guid? Cluster,
    [property: JsonPropertyName("j")] Guid? Joining,
    [property: JsonPropertyName("f")] bool MayFound,
    [property: JsonPropertyName("l")] bool Leads = false)
{
    /// <summary>Every field a receiver acts on is present and in range: a signed datagram may still come from a buggy or hostile sender.</summary>
    [JsonIgnore]
    public bool IsValid =>
        Prefix is not null && System.Net.IPAddress.TryParse(Address, out _)
        && Port(RaftPort) && Port(CommandPort) && Port(SiloPort) && Node != Guid.Empty;

    private static bool Port(int port) => port is > 0 and <= 65535;
}
