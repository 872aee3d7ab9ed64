using System.Collections.Concurrent;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// A neighbour with <c>--slow-readers</c> sockets (a 4 KB kernel receive buffer each) that subscribe to one
/// channel and then stop reading, while this process publishes 10 KB events to that channel every 10 ms
/// for as long as the load is held: the server has to queue for sockets that take nothing. Its units are
/// the sockets subscribed; the result says how many the server closed (read once the load is over): with
/// 4100 (over its per-socket queue bound), or cut off when even the close frame could not get through.
/// </summary>
public static class SlowReaders
{
    public static readonly SizeOption Readers = new("slow-readers", 100, 10);
    public static readonly NeighbourLoad Load = new("slow-readers", Readers);

    private const string Channel = "slow-readers";
    private const int ReceiveBuffer = 4096;
    private const int OverQueueBound = 4100;
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        var count = sizes[Readers];
        var start = context.Stats.Sample();
        var readers = new ConcurrentBag<RawPusherSocket>();
        var subscribe = RawPusherSocket.TextFrame(OutgoingFrames.Subscribe(Channel));
        await Parallel.ForEachAsync(Enumerable.Range(0, count), async (_, cancellation) =>
        {
            var reader = await RawPusherSocket.OpenAsync(context.Target, cancellation, ReceiveBuffer);
            readers.Add(reader);
            await reader.SendAsync(subscribe, cancellation);
            if (!await Next(reader, FrameKind.SubscriptionSucceeded, cancellation))
                context.Errors.Report("a slow reader's subscribe was not answered");
        });
        var usage = context.Stats.Sample().Since(start);

        using var stop = new CancellationTokenSource();
        var publishing = Publish(context, stop.Token);
        NeighbourLoad.Opened(readers.Count);
        await NeighbourLoad.Held();
        await stop.CancelAsync();
        var published = await publishing;

        using var drain = new CancellationTokenSource(DrainTimeout);
        var closes = await Task.WhenAll(readers.Select(r => CloseCode(r, drain.Token)));
        foreach (var reader in readers)
            reader.Dispose();

        return new Result("slow-readers")
            .Add("published", published, 0)
            .Add("closed", closes.Count(code => code is not null), 0)
            .Add("closed_4100", closes.Count(code => code == OverQueueBound), 0)
            .Cpu(usage);
    }

    private static async Task<int> Publish(RunContext context, CancellationToken stop)
    {
        var body = OutgoingFrames.JsonObject(w =>
        {
            w.WriteString("name", "big");
            w.WriteStartArray("channels");
            w.WriteStringValue(Channel);
            w.WriteEndArray();
            w.WriteString("data", new string('x', 10_000));
        });
        using var timer = new PeriodicTimer(Every);
        var published = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (await context.Api.TriggerAsync(body))
                    published++;
            }
        }
        catch (OperationCanceledException)
        {
            // Held no longer.
        }
        return published;
    }

    /// <summary>Reads until a frame of <paramref name="kind"/>; false at the end of the stream.</summary>
    private static async Task<bool> Next(RawPusherSocket socket, FrameKind kind, CancellationToken cancellation)
    {
        while (await socket.ReceiveFrameAsync(cancellation) is { } frame)
        {
            if (frame.Opcode == RawPusherSocket.TextOpcode && FrameScanner.Kind(frame.Payload.Span) == kind)
                return true;
        }
        return false;
    }

    /// <summary>Reads what the server queued until its close frame: its code, 0 for a close without one, null if the socket is still open.</summary>
    private static async Task<int?> CloseCode(RawPusherSocket socket, CancellationToken cancellation)
    {
        try
        {
            while (await socket.ReceiveFrameAsync(cancellation) is { } frame)
            {
                if (frame.Opcode == RawPusherSocket.CloseOpcode)
                    return frame.Payload.Length >= 2 ? frame.Payload.Span[0] << 8 | frame.Payload.Span[1] : 0;
            }
            return 0;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
            return 0; // reset
        }
    }
}
