using System.Net;
using System.Net.Sockets;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo;

/// <summary>
/// Ports the process listens on. Each port given by the operator is checked before anything
/// starts, so that a busy one stops start-up with one line naming it and its variable: Kestrel
/// would fail later with a stack trace, and Orleans binds with address reuse, so a second silo
/// on a busy port would silently share it with the first.
/// </summary>
internal static class Ports
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    public static IPAddress ListenAddress(string host) => host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);

    /// <summary>A port nobody listens on now; the caller binds it soon after.</summary>
    public static int Free(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A free port other than <paramref name="reserved"/>: ports this process binds itself, which may
    /// be free for a moment (a cluster-mode node that rejoins in the same process has just closed its
    /// HTTP port when it picks its new Raft ports). The port found is added to <paramref name="reserved"/>,
    /// so that the next call does not pick it again.
    /// </summary>
    public static int Free(IPAddress address, ICollection<int> reserved)
    {
        int port;
        do
        {
            port = Free(address);
        }
        while (reserved.Contains(port));

        reserved.Add(port);
        return port;
    }

    /// <returns>One message per given port that cannot be bound, or per address this machine does not have; empty when all can.</returns>
    public static IReadOnlyList<string> Busy(SoketiOptions options)
    {
        // In cluster mode the silo listens on the cluster's address, not on the clients' one.
        var clusterHost = options.Discovery?.Host;
        if (clusterHost is not null && !CanBind(clusterHost, 0))
        {
            return [$"cluster.hostname (SOKETI_CLUSTER_HOST): {clusterHost} is not an address of this machine; set it to one of its addresses, or 0.0.0.0"];
        }

        var given = new List<(int Port, string Variable, IPAddress Address, string Host)> { (options.Port, "SOKETI_PORT", ListenAddress(options.Host), options.Host) };
        if (options.Metrics.Enabled)
        {
            given.Add((options.Metrics.Port, "SOKETI_METRICS_SERVER_PORT", ListenAddress(options.Metrics.Host), options.Metrics.Host));
        }

        if (options.Role != ServerRole.Server)
        {
            given.Add(clusterHost is null
                ? (options.Orleans.SiloPort, "SOKETI_ORLEANS_SILO_PORT", ListenAddress(options.Host), options.Host)
                : (options.Orleans.SiloPort, "SOKETI_ORLEANS_SILO_PORT", clusterHost, clusterHost.ToString()));
            if (options.Redis is not null)
            {
                given.Add((options.Orleans.GatewayPort, "SOKETI_ORLEANS_GATEWAY_PORT", ListenAddress(options.Host), options.Host));
            }
        }

        return given.Where(p => p.Port != 0 && !CanBind(p.Address, p.Port))
            .Select(p => $"Port {p.Port} ({p.Variable}) is already in use on {p.Host}; stop what holds it or choose another port")
            .ToArray();
    }

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (OperatingSystem.IsLinux())
            {
                // SO_REUSEADDR alone, as listeners set it: a port whose last connections linger in
                // TIME_WAIT is free, one with a listener is not. (.NET's ReuseAddress would also set
                // SO_REUSEPORT, which lets the bind succeed next to another listener.)
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }

            // Bound, not listening: on Linux that bind already fails next to a listener, and a client
            // connecting while the check listened would be accepted and then reset.
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
