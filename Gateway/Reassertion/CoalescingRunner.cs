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
        if (Interlocked.Increment(ref _requests) == 1)
        {
            _ = Loop();
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
