using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Silo.Transport;

/// <summary>
/// One thread that waits on a level-triggered epoll set for its connections, as soketi's uWS loop
/// does. A readable connection is read once, on this thread, and what reads it (the upgrade, the
/// WebSocket session, HTTP) runs here too, so a message costs one <c>recv</c> and no hand-over
/// between threads. What the round writes is sent when the round is done, each connection's in one
/// <c>send</c> (uWS's cork). Its sockets' writers (<see cref="IConnectionLoop"/>) run here too: queued
/// in a round, after that round's reads (in the next round when the round queued many); queued from
/// another thread, handed over. A writer's frames are sent as soon as it has written them.
/// </summary>
internal sealed unsafe partial class EventLoop : IDisposable
{
    private const int MaxEvents = 256;

    /// <summary>Work handed over from other threads that one round runs at most, so the loop still reads.</summary>
    private const int MaxPostedPerRound = 4096;

    /// <summary>
    /// Sockets' writers a round may queue and still run them itself; more wait for the next round, where
    /// what that round reads (the next publishes) is written with them, in the same sends.
    /// </summary>
    private const int MaxWrittenAtOnce = 64;

    /// <summary>Rounds an idle loop polls before it sleeps (presence 1.08× and client events 1.08× against sleeping at once, docs/benchmarks.md).</summary>
    private const int IdleSpins = 32;

    /// <summary>How a connection's work handed over from another thread runs here.</summary>
    private static readonly Action<object?> s_execute = static work => ((IThreadPoolWorkItem)work!).Execute();

    [ThreadStatic]
    private static EventLoop? t_current;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<(Action<object?> Action, object? State)> _posted = new();
    private List<(Action<object?> Action, object? State)> _due = [];
    private List<(Action<object?> Action, object? State)> _running = [];
    private readonly List<GCHandle> _released = [];
    private List<IThreadPoolWorkItem> _later = [];
    private List<IThreadPoolWorkItem> _laterNow = [];
    private int _idleRounds;
    private int _sleeping;
    private int _woken;
    private volatile bool _stopping;

    public EventLoop(int index, ILogger logger)
    {
        _logger = logger;
        _epoll = Linux.epoll_create1(Linux.CloseOnExec);
        _wake = Linux.eventfd(0, Linux.CloseOnExec | Linux.NonBlocking);
        if (_epoll < 0 || _wake < 0)
        {
            throw new IOException($"The event loop could not be made (errno {Marshal.GetLastPInvokeError()})");
        }

        Control(Linux.EpollCtlAdd, _wake, Linux.EpollIn, 0);
        _thread = new Thread(Run) { IsBackground = true, Name = $"event loop {index}" };
        _thread.Start();
    }

    /// <summary>Runs a connection's sends and read resumptions: scheduled from this thread, at the end of the round; from another, in the next one.</summary>
    public void Schedule(Action<object?> action, object? state)
    {
        if (t_current == this)
        {
            _due.Add((action, state));
        }
        else
        {
            Post(action, state);
        }
    }

    /// <summary>
    /// Runs a connection's work here: queued on this thread, after the round's reads (see
    /// <see cref="MaxWrittenAtOnce"/>); from another thread, handed over.
    /// </summary>
    public void Queue(IThreadPoolWorkItem work)
    {
        if (t_current == this)
        {
            _later.Add(work);
        }
        else
        {
            Post(s_execute, work);
        }
    }

    private void Post(Action<object?> action, object? state)
    {
        _posted.Enqueue((action, state));
        // Enqueue is a full fence, as is the loop's store to _sleeping before it looks at the queue:
        // either the loop sees this item or this sees the loop asleep.
        if (Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _woken, 1) == 0)
        {
            ulong one = 1;
            Linux.write(_wake, &one, sizeof(ulong));
        }
    }

    /// <summary>Watches a socket for the given events; its events are given to <paramref name="watched"/>, a handle of an <see cref="IWatched"/>.</summary>
    public void Add(int fd, int events, GCHandle watched) => Control(Linux.EpollCtlAdd, fd, events, GCHandle.ToIntPtr(watched));

    public void Change(int fd, int events, GCHandle watched) => Control(Linux.EpollCtlMod, fd, events, GCHandle.ToIntPtr(watched));

    /// <summary>Stops watching a socket (before it is closed); the handle is freed after the round, whose events may still name it.</summary>
    public void Remove(int fd, GCHandle watched)
    {
        Control(Linux.EpollCtlDel, fd, 0, 0);
        _released.Add(watched);
    }

    private void Control(int op, int fd, int events, nint data)
    {
        var change = new Linux.EpollEvent { Events = (uint)events, Data = data };
        if (Linux.epoll_ctl(_epoll, op, fd, &change) != 0)
        {
            throw new IOException($"epoll_ctl({op}) failed for socket {fd} (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    private void Run()
    {
        BatchScheduling.Exempt();
        t_current = this;
        var events = stackalloc Linux.EpollEvent[MaxEvents];
        while (!_stopping)
        {
            var count = Wait(events);
            if (count < 0)
            {
                continue;
            }

            (_later, _laterNow) = (_laterNow, _later);
            Dispatch(events, count);
            RunPosted();
            RunLater();
            if (_later.Count is > 0 and <= MaxWrittenAtOnce)
            {
                // A light round's writes wait for nothing: there is no next publish to gather with them.
                (_later, _laterNow) = (_laterNow, _later);
                RunLater();
            }

            RunDue();
            foreach (var handle in _released)
            {
                handle.Free();
            }

            _released.Clear();
        }
    }

    /// <returns>How many events epoll gave; -1 when an idle poll found nothing (or the wait was interrupted).</returns>
    private int Wait(Linux.EpollEvent* events)
    {
        var idle = _posted.IsEmpty && _due.Count == 0 && _later.Count == 0;
        if (idle && _idleRounds < IdleSpins)
        {
            // Work handed to a sleeping loop costs a wake-up and a context switch on a loaded core:
            // for a while after its last work the loop polls instead, yielding the core in between.
            var ready = Linux.epoll_wait(_epoll, events, MaxEvents, 0);
            if (ready == 0 && _posted.IsEmpty)
            {
                _idleRounds++;
                Thread.Yield();
                return -1;
            }

            _idleRounds = 0;
            return ready;
        }

        Interlocked.Exchange(ref _sleeping, 1);
        var count = Linux.epoll_wait(_epoll, events, MaxEvents, idle && _posted.IsEmpty ? -1 : 0);
        Volatile.Write(ref _sleeping, 0);
        _idleRounds = 0;
        return count;
    }

    private void Dispatch(Linux.EpollEvent* events, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (events[i].Data == 0)
            {
                ulong value;
                Linux.read(_wake, &value, sizeof(ulong));
                Volatile.Write(ref _woken, 0);
            }
            else if (GCHandle.FromIntPtr(events[i].Data).Target is IWatched watched)
            {
                try
                {
                    watched.OnReady((int)events[i].Events);
                }
                catch (Exception e)
                {
                    LogFailed(_logger, e);
                }
            }
        }
    }

    private void RunLater()
    {
        foreach (var work in _laterNow)
        {
            try
            {
                work.Execute();
            }
            catch (Exception e)
            {
                LogFailed(_logger, e);
            }

            // What the socket wrote goes out now, not after every other socket's writes: a publish to
            // a thousand sockets reaches the first of them without waiting for the last one's frames.
            RunDue();
        }

        _laterNow.Clear();
    }

    private void RunPosted()
    {
        for (var i = 0; i < MaxPostedPerRound && _posted.TryDequeue(out var item); i++)
        {
            Invoke(item.Action, item.State);
            RunDue();
        }
    }

    /// <summary>What this round scheduled (sends, mostly), until nothing more is scheduled.</summary>
    private void RunDue()
    {
        while (_due.Count > 0)
        {
            (_due, _running) = (_running, _due);
            foreach (var item in _running)
            {
                Invoke(item.Action, item.State);
            }

            _running.Clear();
        }
    }

    /// <summary>Nothing thrown by one connection's work stops the loop that serves the others.</summary>
    private void Invoke(Action<object?> action, object? state)
    {
        try
        {
            action(state);
        }
        catch (Exception e)
        {
            LogFailed(_logger, e);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        ulong one = 1;
        Linux.write(_wake, &one, sizeof(ulong));
        _thread.Join(TimeSpan.FromSeconds(5));
        Linux.close(_wake);
        Linux.close(_epoll);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Work on an event loop failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
