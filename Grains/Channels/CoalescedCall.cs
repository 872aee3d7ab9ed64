namespace SoketiOrleans.Grains.Channels;

/// <summary>
/// Runs a call that sends the latest state, one at a time inside a grain: asks made while one runs
/// are folded into one more run, and every caller's task completes after a run that began after
/// its ask. The call must not throw.
/// </summary>
internal sealed class CoalescedCall(Func<Task> call)
{
    private Task? _running;
    private bool _again;

    public Task Run()
    {
        if (_running is { IsCompleted: false })
        {
            _again = true;
            return _running;
        }

        return _running = Loop();
    }

    private async Task Loop()
    {
        do
        {
            _again = false;
            await call();
        }
        while (_again);

        // The finished run is not kept for the grain's life (within this turn no ask can come).
        _running = null;
    }
}
