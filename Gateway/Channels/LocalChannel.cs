using Microsoft.Extensions.Logging;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// This gateway's sockets in one channel, and its registration with the channel grain. The grain
/// hears only the socket count (absolute, one call in flight at a time, later changes coalesced),
/// never about single sockets. A joining socket stays pending, receiving nothing, until the grain
/// has acknowledged a count that includes it and the socket has been sent its
/// <c>subscription_succeeded</c>, so the HTTP API already counts a socket that has been told it is
/// subscribed.
/// </summary>
public sealed partial class LocalChannel
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PusherSocket> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PusherSocket> _pending = new(StringComparer.Ordinal);
    private readonly List<(long Version, TaskCompletionSource Reported)> _waiters = [];
    private readonly ReorderBuffer _order = new();
    private readonly Action<ChannelDelivery> _dispatch;
    private readonly LocalChannelIndex _index;
    private readonly GatewayIdentity _gateway;
    private readonly IChannelGrain _grain;
    private readonly ILogger _logger;
    private long _registration;
    private long _version;
    private int _reportedCount;
    private bool _syncing;
    private bool _retired;

    internal LocalChannel(string key, LocalChannelIndex index, GatewayIdentity gateway, IChannelGrain grain, ILogger logger)
    {
        Key = key;
        _index = index;
        _gateway = gateway;
        _grain = grain;
        _logger = logger;
        _dispatch = Dispatch;
    }

    public string Key { get; }

    private int SocketCount => _active.Count + _pending.Count;

    /// <summary>
    /// Adds the socket as pending. The task completes once the channel grain has a count that
    /// includes it; null means this instance was retired and the caller must take a fresh one.
    /// </summary>
    internal Task? Join(PusherSocket socket)
    {
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_retired)
            {
                return null;
            }

            _pending[socket.Id] = socket;
            _waiters.Add((++_version, reported));
        }

        Sync();
        return reported.Task;
    }

    /// <summary>Makes a pending socket a subscriber, its <c>subscription_succeeded</c> first.</summary>
    internal void Activate(PusherSocket socket, byte[] subscriptionSucceeded)
    {
        lock (_gate)
        {
            if (_pending.Remove(socket.Id))
            {
                _active.Add(socket.Id, socket);
                socket.Send(subscriptionSucceeded);
            }
        }
    }

    internal void Leave(PusherSocket socket)
    {
        lock (_gate)
        {
            if (!_active.Remove(socket.Id) && !_pending.Remove(socket.Id))
            {
                return;
            }

            _version++;
        }

        Sync();
    }

    internal void Deliver(ChannelDelivery delivery)
    {
        lock (_gate)
        {
            if (delivery.Registration == _registration)
            {
                _order.Accept(delivery, _dispatch);
            }
        }
    }

    internal void SkipStaleGap(TimeSpan age)
    {
        lock (_gate)
        {
            if (_order.HasGap && _order.SkipGapOlderThan(age, _dispatch) is var skipped and > 0)
            {
                LogGapSkipped(_logger, Key, skipped);
            }
        }
    }

    private void Dispatch(ChannelDelivery delivery)
    {
        if (delivery.WelcomeSocketId is { } welcomed)
        {
            if (_pending.Remove(welcomed, out var socket))
            {
                _active.Add(welcomed, socket);
            }
            else if (!_active.TryGetValue(welcomed, out socket))
            {
                return; // left before its welcome arrived
            }

            socket.Send(delivery.Frame);
            return;
        }

        var except = delivery.ExceptSocketId;
        foreach (var socket in _active.Values)
        {
            if (except is null || !string.Equals(socket.Id, except, StringComparison.Ordinal))
            {
                socket.Send(delivery.Frame);
            }
        }
    }

    private void Sync()
    {
        lock (_gate)
        {
            if (_syncing)
            {
                return;
            }

            _syncing = true;
        }

        _ = SyncLoop();
    }

    /// <summary>Reports the socket count until the grain's copy matches the latest change; one call in flight at a time.</summary>
    private async Task SyncLoop()
    {
        while (true)
        {
            GatewayRegistration registration;
            long version;
            lock (_gate)
            {
                version = _version;
                var count = SocketCount;
                if (count == _reportedCount)
                {
                    // The grain already holds this count: every change so far is reported.
                    _syncing = false;
                    Reported(version);
                    if (count == 0)
                    {
                        _retired = true;
                        _index.Remove(this);
                    }

                    return;
                }

                if (_reportedCount == 0)
                {
                    // From zero the grain starts a new stream: what is still in flight from an older one is dropped.
                    _registration = _gateway.NextRegistration();
                    _order.Reset();
                }

                registration = new GatewayRegistration(_gateway.Id, _gateway.Observer, _registration, count);
            }

            try
            {
                await _grain.Register(registration);
            }
            catch (Exception e)
            {
                List<TaskCompletionSource> failed;
                lock (_gate)
                {
                    _syncing = false;
                    failed = _waiters.Select(w => w.Reported).ToList();
                    _waiters.Clear();
                }

                LogRegistrationFailed(_logger, e, Key, registration.SocketCount);
                failed.ForEach(w => w.TrySetException(e));
                return;
            }

            lock (_gate)
            {
                _reportedCount = registration.SocketCount;
                Reported(version);
            }
        }
    }

    /// <summary>Releases the joins whose change is included in what the grain has acknowledged. Under the lock.</summary>
    private void Reported(long version)
    {
        foreach (var waiter in _waiters.Where(w => w.Version <= version))
        {
            waiter.Reported.TrySetResult();
        }

        _waiters.RemoveAll(w => w.Version <= version);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering {SocketCount} sockets of channel {ChannelKey} failed")]
    private static partial void LogRegistrationFailed(ILogger logger, Exception exception, string channelKey, int socketCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelKey}: {Skipped} deliveries never arrived; skipped them")]
    private static partial void LogGapSkipped(ILogger logger, string channelKey, long skipped);
}
