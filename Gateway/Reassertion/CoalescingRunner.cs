namespace SoketiOrleans.Gateway.Reassertion;

/// <summary>
/// Runs a step whenever asked, never two at once: asks that arrive while a step runs are folded
/// into one more run. This is how a gateway keeps one grain call in flight per grain while still
/// reporting the latest state. The step must not throw.
/// </summary>
internal sealed class CoalescingRunner(Func<Task> step)
{
    private int _requests;

    public void Run()
    {
        if (Interlocked.Increment(ref _requests) != 1)
        {
            return;
        }

        // Orleans takes each call's completion source from a pool of the calling thread and gives it
        // back to the pool of the thread that reads the answer. An event loop makes calls and never
        // reads answers, so every call it made left one more source in a worker's pool for good
        // (a slow leak under churn): the steps are started from the thread pool instead.
        if (Thread.CurrentThread.IsThreadPoolThread)
        {
            _ = Loop();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static runner => _ = runner.Loop(), this, preferLocal: false);
        }
    }

    private async Task Loop()
    {
        var seen = Volatile.Read(ref _requests);
        do
        {
            await step();
            seen = Interlocked.Add(ref _requests, -seen);
        }
        while (seen > 0);
    }
}
