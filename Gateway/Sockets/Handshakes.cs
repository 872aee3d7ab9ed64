namespace SoketiOrleans.Gateway.Sockets;

/// <summary>
/// Runs new WebSockets' handshakes (admitting or refusing a connection whose upgrade request has
/// arrived, up to its session made or its refusal sent) a few at a time, in a queue of their
/// own. In the thread pool's one queue, a burst of connects put hundreds of handshake steps ahead of
/// every open socket's next message and every API publish: a flood of sockets from one address, even
/// one that was refused, held another app's deliveries up by 13–32 ms on one core (docs/robustness.md).
/// Here at most four handshake steps per processor are in the thread pool at once, so others' work
/// waits behind a few of them at most; a handshake waiting for its client or the cluster holds none.
/// Reading the upgrade request is not in it: every connection on the port is read first, the HTTP
/// API's too, and those must not queue behind a flood's handshakes.
/// </summary>
internal static class Handshakes
{
    /// <summary>Handshake steps in the thread pool at once, per processor.</summary>
    private const int PerProcessor = 4;

    internal static readonly TaskScheduler Scheduler =
        new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, PerProcessor * Environment.ProcessorCount, maxItemsPerTask: 1).ConcurrentScheduler;

    /// <summary>
    /// Runs <paramref name="handshake"/> in the handshakes' queue, every step it awaits included. The
    /// caller continues outside it (the connection's life must not be one of its steps): the runtime
    /// never runs an await's continuation inline inside a task of another scheduler.
    /// </summary>
    public static Task<T> Run<T>(Func<Task<T>> handshake) =>
        Task.Factory.StartNew(handshake, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler).Unwrap();
}
