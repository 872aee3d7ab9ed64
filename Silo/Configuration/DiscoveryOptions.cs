using System.Net;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// soketi's <c>cluster</c> adapter settings (<c>cluster.*</c>, node-discover's options): how the
/// processes of one deployment find each other over UDP without a shared store.
/// </summary>
public sealed record DiscoveryOptions
{
    /// <summary><c>cluster.hostname</c> (<c>CLUSTER_HOST</c>): the IPv4 address the discovery socket binds; 0.0.0.0 = every interface.</summary>
    public required IPAddress Host { get; init; }

    /// <summary><c>cluster.port</c> (<c>CLUSTER_PORT</c>): the UDP port every process of the deployment sends to and listens on.</summary>
    public required int Port { get; init; }

    /// <summary><c>cluster.prefix</c> (<c>CLUSTER_PREFIX</c>): deployments sharing a network and port with different prefixes ignore each other.</summary>
    public required string Prefix { get; init; }

    /// <summary><c>cluster.checkInterval</c> (<c>CLUSTER_CHECK_INTERVAL</c>): how often silent nodes are looked for.</summary>
    public required TimeSpan CheckInterval { get; init; }

    /// <summary><c>cluster.helloInterval</c> (<c>CLUSTER_KEEPALIVE_INTERVAL</c>): how often this process announces itself.</summary>
    public required TimeSpan KeepaliveInterval { get; init; }

    /// <summary><c>cluster.nodeTimeout</c> (<c>CLUSTER_NODE_TIMEOUT</c>): a node silent this long is taken as gone.</summary>
    public required TimeSpan NodeTimeout { get; init; }

    /// <summary><c>cluster.masterTimeout</c> (<c>CLUSTER_MASTER_TIMEOUT</c>): a master silent this long is taken as gone.</summary>
    public required TimeSpan MasterTimeout { get; init; }

    /// <summary>
    /// <c>cluster.broadcast</c> (<c>CLUSTER_BROADCAST_ADDRESS</c>): where announcements go when neither
    /// <see cref="Multicast"/> nor <see cref="Unicast"/> is set, else null. Defaults to 255.255.255.255,
    /// or 127.255.255.255 when <see cref="Host"/> is a loopback address, so that local runs and tests
    /// never announce themselves beyond the machine.
    /// </summary>
    public IPAddress? Broadcast { get; init; }

    /// <summary>
    /// <c>cluster.multicast</c> (<c>CLUSTER_MULTICAST_ADDRESS</c>): an IPv4 multicast group (224.0.0.0/4)
    /// announcements go to instead of the broadcast address, for networks that drop broadcasts; null
    /// when unset or when <see cref="Unicast"/> is set.
    /// </summary>
    public IPAddress? Multicast { get; init; }

    /// <summary>
    /// <c>cluster.unicast</c> (<c>CLUSTER_UNICAST_ADDRESSES</c>): host names or IPv4 addresses (no port)
    /// announcements are sent to one by one, for networks with neither broadcast nor multicast; when
    /// non-empty, <see cref="Multicast"/> and <see cref="Broadcast"/> are not used.
    /// </summary>
    public IReadOnlyList<string> Unicast { get; init; } = [];

    /// <summary>
    /// <c>cluster.secret</c> (<c>SOKETI_CLUSTER_SECRET</c>), this server's own: signs discovery beacons, so
    /// that on a shared network only processes holding the same secret are taken for nodes of this
    /// deployment; "" = unsigned beacons, as soketi sends.
    /// </summary>
    public string Secret { get; init; } = "";
}
