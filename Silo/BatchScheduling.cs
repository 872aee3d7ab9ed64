using System.Runtime.InteropServices;

namespace SoketiOrleans.Silo;

/// <summary>
/// On a process with one CPU, the server's threads but its event loops run as <c>SCHED_BATCH</c>: a
/// thread that another wakes does not take the core from it at once, but when it blocks or its time
/// slice ends. With Linux's default policy, every piece of work an event loop handed to the thread
/// pool woke a worker that took the core from the loop mid-round, and the pool's worker then woke
/// another to help with what might be left, which took the core in turn and found nothing: a socket
/// flood ran at about 36,000 context switches a second against 400 when idle. The loops keep the
/// default, so what the workers hand back to a loop (a handshake's answer, a grain's reply) goes out
/// at once: with every thread as batch, a connect burst's handshake p99 was 1.15–1.24× higher
/// (docs/benchmarks.md, "Batch scheduling on one core"). A process with more CPUs runs its woken
/// threads on another core and is left as it is.
/// </summary>
internal static unsafe partial class BatchScheduling
{
    private const int Other = 0;
    private const int Batch = 3;

    /// <summary>
    /// Must run on the main thread before it starts any other: the runtime starts every thread with the
    /// main thread's policy (not its creator's). A policy the operator chose for the process (<c>chrt</c>) is kept.
    /// </summary>
    /// <returns>Whether this thread now runs as <c>SCHED_BATCH</c>.</returns>
    public static bool Apply(int processorCount) => processorCount == 1 && Switch(Other, Batch);

    /// <summary>
    /// Puts the calling thread back on the default policy, for an event loop: a loop that the thread
    /// pool wakes with its sockets' work takes the core at once, so that what its workers hand back
    /// (a handshake's answer, a grain's reply) goes out without waiting for their time slice.
    /// </summary>
    public static void Exempt() => Switch(Batch, Other);

    /// <returns>Whether the calling thread was on <paramref name="from"/> and is now on <paramref name="to"/>.</returns>
    private static bool Switch(int from, int to)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var priority = 0;
            return sched_getscheduler(0) == from && sched_setscheduler(0, to, &priority) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_getscheduler(int pid);

    /// <param name="priority">A <c>struct sched_param</c>, whose one field is the priority: 0 for the non-real-time policies.</param>
    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setscheduler(int pid, int policy, int* priority);
}
