using System.Collections.Concurrent;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// A neighbour with <c>--slowloris-sockets</c> sockets that each send subscribe frames one byte every 100 ms,
/// for as long as the load is held: each byte its own TCP segment, each frame whole only after seconds.
/// Its units are the sockets opened.
/// </summary>
public static class Slowloris
{
    public static readonly SizeOption Sockets = new("slowloris-sockets", 1_000, 100);
    public static readonly NeighbourLoad Load = new("slowloris", Sockets);

    private const int Concurrency = 100;
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        var count = sizes[Sockets];
        var start = context.Stats.Sample();
        var sockets = new ConcurrentBag<RawPusherSocket>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, cancellation) =>
        {
            try
            {
                sockets.Add(await RawPusherSocket.OpenAsync(context.Target, cancellation));
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                // Left out: the units opened say so.
            }
        });
        var usage = context.Stats.Sample().Since(start);
        NeighbourLoad.Opened(sockets.Count);

        using var stop = new CancellationTokenSource();
        var trickling = Trickle([.. sockets], context.Errors, stop.Token);
        await NeighbourLoad.Held();
        await stop.CancelAsync();
        var bytes = await trickling;
        foreach (var socket in sockets)
            socket.Dispose();

        return new Result("slowloris")
            .Add("bytes_trickled", bytes, 0)
            .Cpu(usage);
    }

    /// <summary>One byte to every socket each tick, going round a subscribe frame; how many bytes were sent.</summary>
    private static async Task<long> Trickle(RawPusherSocket[] sockets, Errors errors, CancellationToken stop)
    {
        var frame = RawPusherSocket.TextFrame(OutgoingFrames.Subscribe("slowloris"));
        using var timer = new PeriodicTimer(Every);
        long sent = 0;
        try
        {
            for (var at = 0; await timer.WaitForNextTickAsync(stop); at = (at + 1) % frame.Length)
            {
                foreach (var socket in sockets)
                {
                    await socket.SendAsync(frame.AsMemory(at, 1), stop);
                    sent++;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Held no longer.
        }
        catch (IOException e)
        {
            errors.Report("a slowloris socket was closed by the server: " + e.Message);
        }
        return sent;
    }
}
