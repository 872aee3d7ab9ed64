namespace SoketiOrleans.Bench.Scenarios;

/// <summary>Concurrent HTTP publishers, each awaiting its answer before the next publish, until the window closes.</summary>
public static class Publishers
{
    public static readonly SizeOption Count = new("publishers", 4, 2);

    /// <summary>Returns how many publishes were answered ok while the window was measuring.</summary>
    public static async Task<long> RunAsync(int publishers, MeasuredWindow window, Func<Task<bool>> publish)
    {
        long published = 0;
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(async () =>
        {
            while (!window.Stopping.IsCancellationRequested)
            {
                if (await publish() && window.Measuring)
                    Interlocked.Increment(ref published);
            }
        })));
        return published;
    }
}
