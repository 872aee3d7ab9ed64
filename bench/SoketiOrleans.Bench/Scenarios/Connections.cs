using System.Diagnostics;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// Opening and subscribing many sockets, once: handshake and subscribe latency, connection rate, and the
/// server's memory per idle subscribed socket.
/// </summary>
public static class Connections
{
    public static readonly SizeOption Count = new("connections", 10_000, 1_000);
    public static readonly SizeOption Concurrency = new("concurrency", 100, 50);

    private const int ChannelCount = 100;

    // Long enough for the server to finish the work a burst of connects leaves behind, so RSS is the steady state.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        var total = sizes[Count];
        var concurrency = sizes[Concurrency];
        var subscribeFrames = Enumerable.Range(0, ChannelCount).Select(c => OutgoingFrames.Subscribe($"bench-conn-{c}")).ToArray();

        async Task<(IReadOnlyCollection<PusherConnection> Sockets, CpuUsage Usage, TimeSpan GeneratorPause)> ConnectAsync(int first, int count, Latencies handshakes, Latencies subscribes)
        {
            // The generator's own garbage (the sockets of the passes before) is collected here, not
            // during the pass: its blocking collection, about 0.1 s once 10,000 sockets have closed,
            // would be counted in the latency of every subscribe in flight.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var paused = GC.GetTotalPauseDuration();
            var start = context.Stats.Sample();
            var sockets = await Sockets.OpenAsync(
                context, Enumerable.Range(first, count), _ => Sockets.Ignore,
                async (i, c) =>
                {
                    var started = Stopwatch.GetTimestamp();
                    if (await c.SubscribeAsync(subscribeFrames[i % ChannelCount]))
                        subscribes.RecordSince(started);
                },
                concurrency, handshakes);
            var usage = context.Stats.Sample().Since(start);
            var generatorPause = GC.GetTotalPauseDuration() - paused;
            await Task.Delay(Settle);
            return (sockets, usage, generatorPause);
        }

        var (handshakes, subscribes) = (new Latencies(), new Latencies());
        var rssBase = context.Stats.ServerRssKib();
        var firstHalf = await ConnectAsync(0, total / 2, handshakes, subscribes);
        var rssHalf = context.Stats.ServerRssKib();
        var secondHalf = await ConnectAsync(total / 2, total - total / 2, handshakes, subscribes);
        var rssFull = context.Stats.ServerRssKib();
        await Sockets.CloseAsync([.. firstHalf.Sockets, .. secondHalf.Sockets]);

        // Half as many again, once the server has finished with the closes, on a server that has now
        // run the connect path for every one of the first: what a node that has been up a while pays
        // per connect, without its first calls' compilation.
        await Quiet(context);
        var warmSubscribes = new Latencies();
        var warm = await ConnectAsync(0, total / 2, new Latencies(), warmSubscribes);
        await Sockets.CloseAsync(warm.Sockets);

        var usage = firstHalf.Usage + secondHalf.Usage;
        return new Result("connections")
            .Add("connects_per_s", total / usage.Wall.TotalSeconds, 1)
            .Percentiles("handshake_", handshakes)
            .Percentiles("subscribe_", subscribes)
            .Add("rss_base_mib", rssBase / 1024.0, 1)
            .Add("rss_per_conn_kib", (rssFull - rssHalf) / (double)(total - total / 2), 2)
            .Add("warm_connects_per_s", total / 2 / warm.Usage.Wall.TotalSeconds, 1)
            .Percentiles("warm_subscribe_", warmSubscribes)
            .Add("gen_gc_pause_ms", (firstHalf.GeneratorPause + secondHalf.GeneratorPause).TotalMilliseconds, 1)
            .Add("warm_gen_gc_pause_ms", warm.GeneratorPause.TotalMilliseconds, 1)
            .Cpu(usage);
    }

    /// <summary>Waits until the server uses under a twentieth of its core over half a second (at most 20 s).</summary>
    private static async Task Quiet(RunContext context)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 20;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var start = context.Stats.Sample();
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            if (context.Stats.Sample().Since(start).ServerFraction < 0.05)
                return;
        }
    }
}
