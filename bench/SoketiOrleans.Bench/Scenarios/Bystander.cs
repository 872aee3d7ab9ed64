using System.Diagnostics;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>One socket outside a load that gets an API publish every 20 ms: is the server still serving others, and how fast?</summary>
public sealed class Bystander : IAsyncDisposable
{
    private const string Channel = "bench-bystander";
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(20);

    private readonly CancellationTokenSource _stop = new();
    private Latencies _latencies = new();
    private PusherConnection _connection = null!;
    private Task _publishing = Task.CompletedTask;
    private long _sent;
    private long _received;

    public static async Task<Bystander> Start(RunContext context)
    {
        var bystander = new Bystander();
        bystander._connection = await PusherConnection.OpenAsync(context, bystander.OnFrame, CancellationToken.None);
        if (!await bystander._connection.SubscribeAsync(OutgoingFrames.Subscribe(Channel)))
            throw new InvalidOperationException("the bystander could not subscribe");
        bystander._publishing = bystander.Publish(context);
        return bystander;
    }

    /// <summary>The latencies since the last lap (or the start), and a fresh record from now on.</summary>
    public Latencies Lap() => Interlocked.Exchange(ref _latencies, new Latencies());

    /// <summary>Stops publishing, gives the last events a second to arrive, and returns what was sent and received.</summary>
    public async Task<(long Sent, long Received)> Stop()
    {
        await _stop.CancelAsync();
        await _publishing;
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (Interlocked.Read(ref _received) < _sent && Stopwatch.GetTimestamp() < deadline)
            await Task.Delay(20);
        return (_sent, Interlocked.Read(ref _received));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _publishing;
        await _connection.CloseAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private void OnFrame(PusherConnection connection, FrameKind kind, ReadOnlySpan<byte> frame)
    {
        if (kind == FrameKind.Event && FrameScanner.Timestamp(frame) is var sent and >= 0)
        {
            Interlocked.Increment(ref _received);
            Volatile.Read(ref _latencies).RecordSince(sent);
        }
    }

    private async Task Publish(RunContext context)
    {
        var body = new TimestampedBytes($$"""{"name":"e","channels":["{{Channel}}"],"data":"TIMESTAMP"}""");
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (await context.Api.TriggerAsync(body.With(Stopwatch.GetTimestamp())))
                    _sent++;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
