using System.Net.WebSockets;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Metrics;

namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// One client connection: its identity, its subscriptions and a bounded send queue drained by a
/// single writer, so any thread may send without waiting for the network. The writer runs only while
/// there is something to send: an idle socket holds no task, queue segment or timer for it.
/// </summary>
public sealed class PusherSocket(string id, App app, WebSocket webSocket, long maxQueuedBytes, AppMetrics metrics) : IThreadPoolWorkItem
{
    /// <summary>How long a client has, once the server closes, to take the close and answer before it is cut off.</summary>
    internal static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Stands in for the close deadline once the session has ended: no deadline starts after it.</summary>
    private static readonly CancellationTokenSource SessionOver = new();

    /// <summary>Where the writer runs: the connection's event loop, or (on Kestrel's socket transport) the thread pool.</summary>
    private readonly IConnectionLoop? _loop = (webSocket as PipeWebSocket)?.Loop;

    /// <summary>Frames waiting for the writer, and the writer's state: all guarded by locking the queue.</summary>
    private readonly Queue<Outgoing> _outbox = new();
    private bool _writing;
    private bool _sealed;
    private bool _outputDone;
    private TaskCompletionSource? _outputEnded;

    private CancellationTokenSource? _closeDeadline;
    private long _queuedBytes;
    private long _lastActivity = Environment.TickCount64;
    private long _pingSentAt;
    private long _signInDeadline;
    private volatile bool _discarding;
    private FixedWindowLimit _clientEventLimit;
    private SocketChannels _subscriptions;

    public string Id { get; } = id;

    public App App { get; } = app;

    internal AppMetrics Metrics { get; } = metrics;

    /// <summary>Channel name → subscription. Touched only by the socket's own message loop.</summary>
    internal ref SocketChannels Subscriptions => ref _subscriptions;

    public bool IsClosing { get; private set; }

    /// <summary>Completes once the writer is done: the close frame is out, or the connection failed under it.</summary>
    internal Task OutputEnded
    {
        get
        {
            lock (_outbox)
            {
                return _outputDone ? Task.CompletedTask : (_outputEnded ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    /// <summary>
    /// Channels this socket left whose grains may not have counted the departure yet, with the
    /// version that does. Touched only by the socket's own message loop; null when there are none.
    /// </summary>
    private List<(LocalChannel Channel, long Version)>? _unconfirmedLeaves;

    /// <summary>The app's <c>maxClientEventsPerSecond</c>, counted for this socket.</summary>
    internal ref FixedWindowLimit ClientEventLimit => ref _clientEventLimit;

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

        if (!Enqueue(new Outgoing(frame, 0, null)))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
        }
    }

    /// <summary>
    /// Closes after everything already queued (e.g. a <c>pusher:error</c>) is sent. A client that has
    /// not let the close through and answered it within <see cref="CloseHandshakeTimeout"/> is cut
    /// off, which also frees a slow consumer whose full buffers keep even the close frame from going out.
    /// </summary>
    public void Close(int code, string reason)
    {
        IsClosing = true;
        if (Enqueue(new Outgoing(null, code, reason), last: true))
        {
            StartCloseDeadline();
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

    /// <summary>The session is over: a close deadline still running has nothing left to cut off.</summary>
    internal void SessionEnded() => Interlocked.Exchange(ref _closeDeadline, SessionOver)?.Cancel();

    /// <returns>False when the close is already queued: nothing more goes out.</returns>
    private bool Enqueue(Outgoing item, bool last = false)
    {
        lock (_outbox)
        {
            if (_sealed)
            {
                return false;
            }

            _sealed = last;
            _outbox.Enqueue(item);
            if (_writing)
            {
                return true;
            }

            _writing = true;
        }

        if (_loop is { } loop)
        {
            loop.Queue(this);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return true;
    }

    void IThreadPoolWorkItem.Execute() => _ = WriteQueued();

    /// <summary>The single writer: sends queued frames in order, then the close frame; ends when the queue is empty.</summary>
    private async Task WriteQueued()
    {
        try
        {
            while (TryDequeue(out var item))
            {
                if (item.Frame is { } frame)
                {
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                    if (!_discarding)
                    {
                        // A send that never completes (a client that stops reading) ends when the
                        // close deadline aborts the socket.
                        await webSocket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                        Metrics.MessageSent(frame.Length);
                    }
                }
                else
                {
                    await CloseOutput(item.CloseCode, item.CloseReason!);
                    EndOutput();
                    return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone; the receive loop sees the same and cleans up, or the deadline cuts it off.
            EndOutput();
            StartCloseDeadline();
        }
    }

    private bool TryDequeue(out Outgoing item)
    {
        lock (_outbox)
        {
            if (_outbox.TryDequeue(out item))
            {
                return true;
            }

            _writing = false;
            return false;
        }
    }

    /// <summary>Nothing more goes out; the writer stays marked as running so none starts again.</summary>
    private void EndOutput()
    {
        IsClosing = true;
        TaskCompletionSource? ended;
        lock (_outbox)
        {
            _sealed = true;
            _outbox.Clear();
            _outputDone = true;
            ended = _outputEnded;
        }

        ended?.TrySetResult();
    }

    private void StartCloseDeadline()
    {
        var deadline = new CancellationTokenSource();
        if (Interlocked.CompareExchange(ref _closeDeadline, deadline, null) is null)
        {
            _ = AbortUnlessEnded(deadline.Token);
        }
    }

    private async Task AbortUnlessEnded(CancellationToken sessionEnded)
    {
        // Nearly every closing socket ends its session in time: awaited without throwing, that usual
        // case costs no exception.
        await Task.Delay(CloseHandshakeTimeout, sessionEnded).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!sessionEnded.IsCancellationRequested)
        {
            webSocket.Abort();
        }
    }

    private async Task CloseOutput(int code, string reason)
    {
        if (webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await webSocket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
        }
    }

    private readonly record struct Outgoing(byte[]? Frame, int CloseCode, string? CloseReason);
}
