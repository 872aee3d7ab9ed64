namespace SoketiOrleans.Silo;

/// <summary>
/// On a process with one CPU (a container limited to one core, or a server pinned to one), the thread
/// pool's idle workers stop spinning before they sleep. A worker spins (yielding the core each turn)
/// in the hope that another core queues work within microseconds; with one core, the only thread that
/// could queue it is the one its spin keeps waiting, and a connection flood spent about a tenth of the
/// server's core in <c>sched_yield</c> (docs/benchmarks.md, "No spinning on one core").
/// </summary>
internal static class SingleCoreThreadPool
{
    /// <summary>The runtime's setting, read once, when the pool's first worker starts.</summary>
    public const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>
    /// Must run before anything queues work to the thread pool. An operator's
    /// <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit</c> still wins: the runtime reads it first.
    /// </summary>
    public static void Apply(int processorCount)
    {
        if (processorCount == 1 && AppContext.GetData(SpinLimit) is null)
        {
            AppContext.SetData(SpinLimit, 0);
        }
    }
}
