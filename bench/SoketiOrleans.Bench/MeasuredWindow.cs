namespace SoketiOrleans.Bench;

/// <summary>
/// Warm-up, then the measured window, then stop. The load runs the same throughout; receivers check
/// <see cref="Measuring"/> (one volatile read) to decide whether a frame counts.
/// </summary>
public sealed class MeasuredWindow(ProcessStats stats, TimeSpan warmup, TimeSpan duration) : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private volatile bool measuring;

    public bool Measuring => measuring;

    /// <summary>Cancelled when the window closes: the load loops end on it.</summary>
    public CancellationToken Stopping => stop.Token;

    public async Task<CpuUsage> RunAsync()
    {
        await Task.Delay(warmup);
        var start = stats.Sample();
        measuring = true;
        await Task.Delay(duration);
        measuring = false;
        var usage = stats.Sample().Since(start);
        await stop.CancelAsync();
        return usage;
    }

    public void Dispose() => stop.Dispose();
}
