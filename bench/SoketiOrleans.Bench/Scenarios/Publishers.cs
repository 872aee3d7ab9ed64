using System.Diagnostics;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// HTTP publishers until the window closes: concurrent ones each awaiting its answer before the next
/// publish, or, given a rate, publishes sent at that pace (<see cref="Paced"/>).
/// </summary>
public static class Publishers
{
    public static readonly SizeOption Count = new("publishers", 4, 2);

    /// <summary>
    /// Returns how many publishes were answered ok while the window was measuring. <paramref name="publish"/>
    /// gets the publish's number and the timestamp to carry.
    /// </summary>
    public static async Task<long> RunAsync(int publishers, double perSecond, MeasuredWindow window, Func<long, long, Task<bool>> publish)
    {
        long published = 0;
        async Task Tally(Task<bool> answered)
        {
            if (await answered && window.Measuring)
                Interlocked.Increment(ref published);
        }

        if (perSecond > 0)
        {
            var pending = new List<Task>();
            await Paced.RunAsync(perSecond, window, n => pending.Add(Tally(publish(n, Stopwatch.GetTimestamp()))));
            await Task.WhenAll(pending);
            return published;
        }

        long next = 0;
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(async () =>
        {
            while (!window.Stopping.IsCancellationRequested)
                await Tally(publish(Interlocked.Increment(ref next) - 1, Stopwatch.GetTimestamp()));
        })));
        return published;
    }
}
