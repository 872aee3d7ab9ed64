using System.Net.WebSockets;
using System.Threading.Channels;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Metrics;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// One client connection: its identity, its subscriptions and a bounded send queue drained by a
/// single writer, so any thread may send without waiting for the network.
/// </summary>
public sealed class PusherSocket(string id, App app, WebSocket webSocket, long maxQueuedBytes, AppMetrics metrics)
{
    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private long _queuedBytes;
    private long _lastActivity = Environment.TickCount64;
    private long _pingSentAt;
    private long _signInDeadline;
    private readonly TaskCompletionSource _closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _discarding;

    public string Id { get; } = id;

    public App App { get; } = app;

    internal AppMetrics Metrics { get; } = metrics;

    /// <summary>Channel name → subscription. Touched only by the socket's own message loop.</summary>
    internal Dictionary<string, SocketSubscription> Subscriptions { get; } = new(StringComparer.Ordinal);

    public bool IsClosing { get; private set; }

    /// <summary>Completes when a close was first asked for, whether or not the close frame could be sent yet.</summary>
    internal Task CloseRequested => _closeRequested.Task;

    /// <summary>
    /// Channels this socket left whose grains may not have counted the departure yet, with the
    /// version that does. Touched only by the socket's own message loop; null when there are none.
    /// </summary>
    private List<(LocalChannel Channel, long Version)>? _unconfirmedLeaves;

    /// <summary>The app's <c>maxClientEventsPerSecond</c>, counted for this socket.</summary>
    internal FixedWindowLimit ClientEventLimit { get; } = new();
    /// <summary>The user the socket signed in as; null until then. Set only by the socket's own message loop.</summary>
    public string? UserId { get; private set; }

    /// <summary>For apps with <c>enableUserAuthentication</c>: the socket must be authorized by then.</summary>
    internal void RequireSignInWithin(TimeSpan timeout) =>
        Volatile.Write(ref _signInDeadline, Environment.TickCount64 + (long)timeout.TotalMilliseconds);

    /// <summary>The app vouched for the socket (a sign-in, or a private or presence auth as soketi counts it).</summary>
    internal void Authorized() => Volatile.Write(ref _signInDeadline, 0);

    internal void SignedIn(string userId)
    {
        UserId = userId;
        Authorized();
    }

    /// <summary>True once, when the sign-in deadline has passed without an authorization.</summary>
    internal bool SignInOverdue(long now)
    {
        var deadline = Volatile.Read(ref _signInDeadline);
        return deadline != 0 && now >= deadline && Interlocked.CompareExchange(ref _signInDeadline, 0, deadline) == deadline;
    }

    /// <summary>Queues a frame; closes the socket as a slow consumer when too much is already waiting.</summary>
    public void Send(byte[] frame)
    {
        if (Interlocked.Add(ref _queuedBytes, frame.Length) > maxQueuedBytes)
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            if (!IsClosing)
            {
                Metrics.SlowConsumerDisconnected();
            }

            Abandon(PusherCloseCodes.OverCapacity, "Connection closed: the client does not read fast enough");
            return;
        }

        if (!_outbox.Writer.TryWrite(new Outgoing(frame, 0, null)))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
        }
    }

    /// <summary>Closes after everything already queued (e.g. a <c>pusher:error</c>) is sent.</summary>
    public void Close(int code, string reason)
    {
        IsClosing = true;
        _closeRequested.TrySetResult();
        if (_outbox.Writer.TryWrite(new Outgoing(null, code, reason)))
        {
            _outbox.Writer.TryComplete();
        }
    }

    /// <summary>Drops what is queued and closes as soon as the frame being written is out.</summary>
    public void Abandon(int code, string reason)
    {
        _discarding = true;
        Close(code, reason);
    }

    internal void LeftUnconfirmed(LocalChannel channel, long version) => (_unconfirmedLeaves ??= []).Add((channel, version));

    /// <summary>
    /// Completes once every other channel this socket left has counted it out at its grain, so that
    /// a <c>subscription_succeeded</c> for <paramref name="joining"/> means the HTTP API, on any
    /// node, no longer counts it there. A departure from <paramref name="joining"/> itself needs no
    /// wait: the join's own report supersedes it (and a leave and a rejoin reported together make
    /// no member event, as before).
    /// </summary>
    internal Task LeavesConfirmed(string joining)
    {
        if (_unconfirmedLeaves is not { } leaves)
        {
            return Task.CompletedTask;
        }

        _unconfirmedLeaves = null;
        var waits = leaves.Where(l => l.Channel.Channel != joining).Select(l => l.Channel.Confirmed(l.Version)).ToArray();
        return waits.Length == 0 ? Task.CompletedTask : Task.WhenAll(waits);
    }

    /// <summary>Records that the client spoke; any outstanding server ping is answered by it.</summary>
    public void Touch()
    {
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
        Volatile.Write(ref _pingSentAt, 0);
    }

    /// <summary>Pings a socket that has been silent too long, and closes one that ignored the ping.</summary>
    public void CheckActivity(long now, TimeSpan activityTimeout, TimeSpan pongTimeout)
    {
        var pingSentAt = Volatile.Read(ref _pingSentAt);
        if (pingSentAt != 0)
        {
            if (now - pingSentAt >= pongTimeout.TotalMilliseconds)
            {
                Close(PusherCloseCodes.PongNotReceived, "Pong reply not received");
            }
        }
        else if (now - Volatile.Read(ref _lastActivity) >= activityTimeout.TotalMilliseconds)
        {
            Volatile.Write(ref _pingSentAt, now);
            Send(Protocol.ServerFrames.Ping);
        }
    }

    /// <summary>The single writer: sends queued frames in order, then the close frame.</summary>
    public async Task RunWriterAsync(CancellationToken cancellationToken)
    {
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                while (reader.TryRead(out var item))
                {
                    if (item.Frame is { } frame)
                    {
                        Interlocked.Add(ref _queuedBytes, -frame.Length);
                        if (!_discarding)
                        {
                            // Not cancellable: a cancellable send takes ManagedWebSocket's slower path. A
                            // send that never completes ends when the session aborts or disposes the socket.
                            await webSocket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                            Metrics.MessageSent(frame.Length);
                        }
                    }
                    else
                    {
                        await CloseOutput(item.CloseCode, item.CloseReason!, cancellationToken);
                        return;
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone; the receive loop sees the same and cleans up.
        }
        finally
        {
            IsClosing = true;
            _outbox.Writer.TryComplete();
        }
    }

    private async Task CloseOutput(int code, string reason, CancellationToken cancellationToken)
    {
        if (webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await webSocket.CloseOutputAsync((WebSocketCloseStatus)code, reason, cancellationToken);
        }
    }

    private readonly record struct Outgoing(byte[]? Frame, int CloseCode, string? CloseReason);
}
