using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Gateway.Hosting;

/// <summary>
/// Gives the memory of a crowd that left back to the system. The GC only runs when something
/// allocates, so after thousands of sockets drop at once an idle server keeps their buffers and
/// state as garbage (and the heap committed for them) indefinitely: measured, 136 MB before three
/// bursts of 3,000 sockets and 257 MB still 30 s after the last one left, with Server or
/// Workstation GC alike. Once the open sockets have fallen by at least <see cref="MinDrop"/> and
/// by half from their peak, and then held still for a tick, one full compacting collection that also
/// decommits runs (a blocking pause of tens of milliseconds, at most once per <see cref="Spacing"/>).
/// </summary>
internal sealed partial class MemoryGiveBack(SocketRegistry sockets, ILogger<MemoryGiveBack> logger) : BackgroundService
{
    private const int MinDrop = 1000;
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        var previous = 0;
        long? last = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var open = sockets.Count;
                var peak = sockets.Peak;
                var settled = Math.Abs(open - previous) <= MinDrop / 10; // neither leaving nor arriving in numbers: the crowd has gone
                previous = open;
                if (!settled || peak - open < MinDrop || open > peak / 2 || (last is { } at && Stopwatch.GetElapsedTime(at) < Spacing))
                {
                    continue;
                }

                var before = Environment.WorkingSet;
                var started = Stopwatch.GetTimestamp();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                last = Stopwatch.GetTimestamp();
                Log.GaveBack(logger, peak - open, before >> 20, Environment.WorkingSet >> 20, Stopwatch.GetElapsedTime(started, last.Value).TotalMilliseconds);
                sockets.ResetPeak();
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "{Left} sockets left: collected and decommitted the heap, working set {BeforeMb} MB to {AfterMb} MB in {PauseMs:F0} ms")]
        public static partial void GaveBack(ILogger logger, int left, long beforeMb, long afterMb, double pauseMs);
    }
}
