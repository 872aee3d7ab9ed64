namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// Where a socket's queued frames get written: on a thread that runs a transport's event loop (the
/// server's, on Linux), later in that loop's round; elsewhere, on the thread pool. On the loop no
/// other thread takes turns with it at the core; and since the writes run after what the round is
/// handling (an HTTP publish answers first), the sockets' sends carry what more rounds wrote.
/// </summary>
public static class EventLoopThread
{
    [ThreadStatic]
    private static Action<IThreadPoolWorkItem>? t_later;

    public static void Queue(IThreadPoolWorkItem work)
    {
        if (t_later is { } later)
        {
            later(work);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
        }
    }

    /// <summary>Called once by a loop's thread, before it runs anything: how it runs work later in its round.</summary>
    public static void Enter(Action<IThreadPoolWorkItem> later) => t_later = later;
}
