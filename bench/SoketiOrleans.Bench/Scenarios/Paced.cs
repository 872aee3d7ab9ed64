using System.Diagnostics;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// An offered load at a fixed rate (<c>--rate</c>, counted in the unit of the scenario's headline figure),
/// sent whether or not earlier sends were answered. Latencies from a closed loop are measured at each
/// server's own saturation, where they are mostly the loop's queue and the faster server queues more; at a
/// rate both servers sustain they compare the servers.
/// </summary>
public static class Paced
{
    public static readonly SizeOption Rate = new("rate", 0, 0);

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Calls <paramref name="send"/> with 0, 1, 2, … <paramref name="perSecond"/> times a second until the
    /// window closes; what came due since the last timer tick is sent together.
    /// </summary>
    public static async Task RunAsync(double perSecond, MeasuredWindow window, Action<long> send)
    {
        var ticksPerSend = Stopwatch.Frequency / perSecond;
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(window.Stopping))
            {
                var due = (long)((Stopwatch.GetTimestamp() - start) / ticksPerSend);
                for (; sent < due; sent++)
                    send(sent);
            }
        }
        catch (OperationCanceledException)
        {
            // The window closed.
        }
    }
}
