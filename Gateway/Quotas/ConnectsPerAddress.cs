using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Gateway.Hosting;

namespace SoketiOrleans.Gateway.Quotas;

/// <summary>
/// New WebSocket connections allowed per client address and second (<c>websockets.maxConnectionsPerAddressPerSecond</c>;
/// 0, the default, is no limit, as in soketi): a token bucket per address that holds one second's
/// worth, so a client may open that many at once and then that many a second. What a flood sets up
/// holds memory, grains and its app's quota, and every collection while it lasts copies it; a refused
/// connection keeps none of it (what refusing costs meanwhile: <see cref="Sockets.Handshakes"/>). IPv6
/// addresses count per /64, the block one host is usually given. Off by default because behind a
/// load balancer or proxy every client has the balancer's address.
/// </summary>
internal sealed partial class ConnectsPerAddress(GatewayOptions options, TimeProvider time, ILogger<ConnectsPerAddress> logger)
{
    public const string RefusalMessage = "Too many new connections from this address; try again later.";

    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly int _perSecond = options.WebSockets.MaxConnectionsPerAddressPerSecond;
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private long _nextWarning;
    private int _refusedSinceWarning;

    /// <summary>Whether there is a limit: without one, callers need not even read the address.</summary>
    public bool Limited => _perSecond > 0;

    /// <summary>The addresses whose allowance is not whole (kept until the next <see cref="Sweep"/> after it is).</summary>
    public int TrackedAddresses => _buckets.Count;

    /// <returns>Whether a connection from <paramref name="address"/> may be admitted now; it used one of the address's allowance if so.</returns>
    public bool TryTake(IPAddress? address)
    {
        if (!Limited || address is null)
        {
            return true;
        }

        var key = Key(address);
        var now = time.GetTimestamp();
        if (_buckets.GetOrAdd(key, static (_, s) => new Bucket(s.full, s.now), (full: _perSecond, now)).TryTake(_perSecond, now, time))
        {
            return true;
        }

        Refused(key, now);
        return false;
    }

    /// <summary>Forgets the addresses whose allowance has grown back in full: they are as good as never seen.</summary>
    public void Sweep()
    {
        var now = time.GetTimestamp();
        foreach (var entry in _buckets)
        {
            if (entry.Value.IsFull(_perSecond, now, time))
            {
                _buckets.TryRemove(entry);
            }
        }
    }

    private static IPAddress Key(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    private void Refused(IPAddress key, long now)
    {
        Interlocked.Increment(ref _refusedSinceWarning);
        var next = Volatile.Read(ref _nextWarning);
        if (now >= next && Interlocked.CompareExchange(ref _nextWarning, now + (long)(WarningInterval.TotalSeconds * time.TimestampFrequency), next) == next)
        {
            LogRefusing(logger, Interlocked.Exchange(ref _refusedSinceWarning, 0), key, _perSecond);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused {Count} connections over the limit of {Limit} a second per address since the last warning (the latest from {Address})")]
    private static partial void LogRefusing(ILogger logger, int count, IPAddress address, int limit);

    /// <summary>One address's allowance: whole connections, refilled continuously up to one second's worth.</summary>
    private sealed class Bucket(int full, long at)
    {
        private double _tokens = full;
        private long _at = at;

        public bool TryTake(int perSecond, long now, TimeProvider time)
        {
            lock (this)
            {
                Refill(perSecond, now, time);
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens--;
                return true;
            }
        }

        public bool IsFull(int perSecond, long now, TimeProvider time)
        {
            lock (this)
            {
                Refill(perSecond, now, time);
                return _tokens >= perSecond;
            }
        }

        private void Refill(int perSecond, long now, TimeProvider time)
        {
            if (now > _at)
            {
                // A take that read the clock before another one that got here first finds nothing to add.
                _tokens = Math.Min(perSecond, _tokens + time.GetElapsedTime(_at, now).TotalSeconds * perSecond);
                _at = now;
            }
        }
    }
}
