using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// This process's identity in <c>cluster</c> mode, fixed for one incarnation: a new id and fresh
/// ports every time it (re)joins, so that a rejoining node is a new Raft member and a new silo, never
/// one whose old votes or rows it has forgotten.
/// </summary>
public sealed record ClusterNode(Guid Id, long StartedAt, IPAddress Listen, IPAddress Address, int RaftPort, int CommandPort, int SiloPort)
{
    public IPEndPoint RaftEndPoint => new(Address, RaftPort);

    /// <summary>The silo's name in the membership table: how the Raft leader knows which member a dead silo was.</summary>
    public string SiloName => RaftEndPoint.ToString();

    /// <param name="reserved">Ports the process binds itself (HTTP, metrics), which no picked port may take.</param>
    public static ClusterNode Create(DiscoveryOptions discovery, int siloPort, IEnumerable<int> reserved)
    {
        var listen = discovery.Host;
        var taken = new HashSet<int>(reserved) { siloPort };
        return new ClusterNode(
            Guid.NewGuid(),
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            listen,
            listen.Equals(IPAddress.Any) ? MachineAddress() : listen,
            Ports.Free(listen, taken),
            Ports.Free(listen, taken),
            siloPort != 0 ? siloPort : Ports.Free(listen, taken));
    }

    /// <summary>What a node listening on every address tells the others: its first IPv4 address that is up and not loopback.</summary>
    private static IPAddress MachineAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
