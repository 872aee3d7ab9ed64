using System.Diagnostics;

namespace SoketiOrleans.Bench;

/// <summary>
/// A fixed histogram, so recording from any receive loop is one interlocked increment and no allocation:
/// 10 µs buckets up to 100 ms (the resolution of the printed 2-decimal milliseconds), 1 ms buckets up to
/// 60 s, and one overflow bucket.
/// </summary>
public sealed class Latencies
{
    private const long FineWidthMicros = 10;
    private const long FineLimitMicros = 100_000;
    private const long CoarseWidthMicros = 1_000;
    private const long CoarseLimitMicros = 60_000_000;
    private const int FineBuckets = (int)(FineLimitMicros / FineWidthMicros);
    private const int CoarseBuckets = (int)((CoarseLimitMicros - FineLimitMicros) / CoarseWidthMicros);

    private readonly long[] counts = new long[FineBuckets + CoarseBuckets + 1];

    public void RecordSince(long startTimestamp) =>
        Record(Stopwatch.GetElapsedTime(startTimestamp).Ticks / TimeSpan.TicksPerMicrosecond);

    public void Record(long micros)
    {
        var bucket = micros switch
        {
            < 0 => 0,
            < FineLimitMicros => (int)(micros / FineWidthMicros),
            < CoarseLimitMicros => FineBuckets + (int)((micros - FineLimitMicros) / CoarseWidthMicros),
            _ => counts.Length - 1,
        };
        Interlocked.Increment(ref counts[bucket]);
    }

    /// <summary>The middle of the bucket that holds the <paramref name="fraction"/> quantile, in ms; NaN when empty.</summary>
    public double PercentileMs(double fraction)
    {
        var total = counts.Sum();
        if (total == 0)
            return double.NaN;
        var rank = Math.Max(1, (long)Math.Ceiling(fraction * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
                return BucketMiddleMicros(i) / 1000.0;
        }
        return BucketMiddleMicros(counts.Length - 1) / 1000.0;
    }

    private static double BucketMiddleMicros(int bucket) => bucket switch
    {
        < FineBuckets => (bucket + 0.5) * FineWidthMicros,
        < FineBuckets + CoarseBuckets => FineLimitMicros + (bucket - FineBuckets + 0.5) * CoarseWidthMicros,
        _ => CoarseLimitMicros,
    };
}
