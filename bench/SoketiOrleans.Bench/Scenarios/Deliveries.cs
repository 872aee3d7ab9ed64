using System.Text;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>Counts timestamped events received during the measured window and records their latency.</summary>
public sealed class Deliveries(MeasuredWindow window, Errors errors)
{
    private long count;

    public Latencies Latencies { get; } = new();

    public long Count => Interlocked.Read(ref count);

    /// <summary>Adds the delivery rate under <paramref name="rateKey"/> and the latency percentiles.</summary>
    public Result AddTo(Result result, string rateKey, TimeSpan window) =>
        result.Rate(rateKey, Count, window).Percentiles("", Latencies);

    /// <summary>A <see cref="FrameHandler"/> for sockets that only receive the bench's events.</summary>
    public void OnFrame(PusherConnection connection, Frames.FrameKind kind, ReadOnlySpan<byte> frame)
    {
        if (kind == Frames.FrameKind.Event)
            Received(frame);
    }

    public void Received(ReadOnlySpan<byte> frame)
    {
        if (!window.Measuring)
            return;
        var sent = Frames.FrameScanner.Timestamp(frame);
        if (sent < 0)
        {
            errors.Report("an event without the bench's timestamp: " + Encoding.UTF8.GetString(frame));
            return;
        }
        Interlocked.Increment(ref count);
        Latencies.RecordSince(sent);
    }
}
