using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// soketi's node discovery, UDP beacons only: each node sends its beacon every
/// <c>cluster.helloInterval</c> to the broadcast address, the multicast group or every unicast
/// address (host names re-resolved every <c>cluster.checkInterval</c>, as a headless Service's
/// pods come and go), and forgets a node not heard for <c>cluster.nodeTimeout</c>. Several nodes
/// on one host share the port: broadcast and multicast are received on a socket bound with
/// address reuse to the broadcast address (Linux delivers a broadcast only to sockets bound to it
/// or to 0.0.0.0), unicast on <c>cluster.hostname</c>.
/// </summary>
public sealed partial class UdpDiscovery : IAsyncDisposable
{
    private readonly DiscoveryOptions _options;
    private readonly BeaconCodec _codec;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Guid, DiscoveredPeer> _peers = new();
    private readonly ConcurrentDictionary<IPAddress, bool> _refused = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Socket _receiver;
    private readonly Socket _sender;
    private IReadOnlyList<IPEndPoint> _targets = [];
    private Func<Beacon>? _beacon;
    private Task _loops = Task.CompletedTask;
    private int _disposed;

    public UdpDiscovery(DiscoveryOptions options, ClusterKey key, ILogger<UdpDiscovery> logger)
    {
        _options = options;
        _codec = new BeaconCodec(key);
        _logger = logger;
        _receiver = Receiver(options);
        _sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        _sender.Bind(new IPEndPoint(options.Host, 0));
        if (options.Multicast is not null)
        {
            // Out of cluster.hostname's interface, not the one the default route picks (there may be none).
            _sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            if (!options.Host.Equals(IPAddress.Any))
            {
                _sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, options.Host.GetAddressBytes());
            }
        }
    }

    /// <summary>Nodes heard within the node timeout, this one excluded.</summary>
    public IReadOnlyCollection<DiscoveredPeer> Peers
    {
        get
        {
            var oldest = Environment.TickCount64 - (long)_options.NodeTimeout.TotalMilliseconds;
            return _peers.Values.Where(p => p.LastHeard >= oldest).ToArray();
        }
    }

    /// <summary>The command port of the node whose Raft endpoint is <paramref name="raftEndPoint"/> (the leader's, for writes), if it is heard.</summary>
    public IPEndPoint? CommandEndPointOf(EndPoint? raftEndPoint) =>
        raftEndPoint is null ? null : Peers.FirstOrDefault(p => p.RaftEndPoint.Equals(raftEndPoint))?.CommandEndPoint;

    /// <summary>Starts sending <paramref name="beacon"/>'s current value and listening.</summary>
    public void Start(Func<Beacon> beacon)
    {
        _beacon = beacon;
        _loops = Task.WhenAll(Task.Run(ReceiveLoop), Task.Run(SendLoop));
    }

    /// <summary>Stops sending and listening; called again when the container goes, which then does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _receiver.Dispose();
        _sender.Dispose();
        await _loops.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static Socket Receiver(DiscoveryOptions options)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        if (options.Unicast.Count > 0)
        {
            socket.Bind(new IPEndPoint(options.Host, options.Port));
        }
        else if (options.Multicast is { } group)
        {
            socket.Bind(new IPEndPoint(IPAddress.Any, options.Port));
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, options.Host));
        }
        else
        {
            var broadcast = options.Broadcast!;
            socket.Bind(new IPEndPoint(broadcast.Equals(IPAddress.Broadcast) ? IPAddress.Any : broadcast, options.Port));
        }

        return socket;
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[BeaconCodec.MaxSize + 1];
        var token = _stop.Token;
        var own = _beacon!().Node;
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _receiver.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // an ICMP "port unreachable" from a unicast target that is not up yet
            }

            if (_codec.Decode(buffer.AsMemory(0, received.ReceivedBytes)) is not { } beacon)
            {
                if (_refused.TryAdd(((IPEndPoint)received.RemoteEndPoint).Address, true))
                {
                    LogRefused(_logger, received.RemoteEndPoint);
                }

                continue;
            }

            if (beacon.Node == own || beacon.Prefix != _options.Prefix)
            {
                continue;
            }

            var address = IPAddress.TryParse(beacon.Address, out var advertised) && !advertised.Equals(IPAddress.Any)
                ? advertised
                : ((IPEndPoint)received.RemoteEndPoint).Address;
            _peers[beacon.Node] = new DiscoveredPeer(beacon, address, Environment.TickCount64);
        }
    }

    private async Task SendLoop()
    {
        var token = _stop.Token;
        using var hello = new PeriodicTimer(_options.KeepaliveInterval);
        var nextCheck = 0L;
        do
        {
            if (Environment.TickCount64 >= nextCheck)
            {
                nextCheck = Environment.TickCount64 + (long)_options.CheckInterval.TotalMilliseconds;
                _targets = await Targets(token);
                Forget();
            }

            var datagram = _codec.Encode(_beacon!());
            foreach (var target in _targets)
            {
                try
                {
                    await _sender.SendToAsync(datagram, SocketFlags.None, target, token);
                }
                catch (SocketException)
                {
                    // A target that cannot be reached now is tried again at the next hello.
                }
            }
        }
        while (await Tick(hello, token));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<IReadOnlyList<IPEndPoint>> Targets(CancellationToken token)
    {
        if (_options.Unicast.Count == 0)
        {
            return [new IPEndPoint(_options.Multicast ?? _options.Broadcast!, _options.Port)];
        }

        var targets = new List<IPEndPoint>();
        foreach (var host in _options.Unicast)
        {
            if (IPAddress.TryParse(host, out var address))
            {
                targets.Add(new IPEndPoint(address, _options.Port));
                continue;
            }

            try
            {
                var addresses = await Dns.GetHostAddressesAsync(host, AddressFamily.InterNetwork, token);
                targets.AddRange(addresses.Select(a => new IPEndPoint(a, _options.Port)));
            }
            catch (SocketException e)
            {
                LogUnresolved(_logger, host, e.SocketErrorCode);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return targets;
    }

    private void Forget()
    {
        var forgotten = Environment.TickCount64 - 10 * (long)_options.NodeTimeout.TotalMilliseconds;
        foreach (var (node, peer) in _peers)
        {
            if (peer.LastHeard < forgotten)
            {
                _peers.TryRemove(node, out _);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster discovery: ignoring datagrams from {Sender}: not beacons signed with this cluster's secret (logged once per sender)")]
    private static partial void LogRefused(ILogger logger, EndPoint sender);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster discovery: cannot resolve unicast host {Host} ({Error})")]
    private static partial void LogUnresolved(ILogger logger, string host, SocketError error);
}
