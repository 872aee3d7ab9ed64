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
        var handshakes = new Latencies();
        var subscribes = new Latencies();
        var subscribeFrames = Enumerable.Range(0, ChannelCount).Select(c => OutgoingFrames.Subscribe($"bench-conn-{c}")).ToArray();

        async Task<(IReadOnlyCollection<PusherConnection> Sockets, CpuUsage Usage)> ConnectAsync(int first, int count)
        {
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
            await Task.Delay(Settle);
            return (sockets, usage);
        }

        var rssBase = context.Stats.ServerRssKib();
        var firstHalf = await ConnectAsync(0, total / 2);
        var rssHalf = context.Stats.ServerRssKib();
        var secondHalf = await ConnectAsync(total / 2, total - total / 2);
        var rssFull = context.Stats.ServerRssKib();
        await Sockets.CloseAsync([.. firstHalf.Sockets, .. secondHalf.Sockets]);

        var usage = firstHalf.Usage + secondHalf.Usage;
        return new Result("connections")
            .Add("connects_per_s", total / usage.Wall.TotalSeconds, 1)
            .Percentiles("handshake_", handshakes)
            .Percentiles("subscribe_", subscribes)
            .Add("rss_base_mib", rssBase / 1024.0, 1)
            .Add("rss_per_conn_kib", (rssFull - rssHalf) / (double)(total - total / 2), 2)
            .Cpu(usage);
    }
}
