using SoketiOrleans.Bench.Compare;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// A noisy neighbour: while one app's bystander gets an API publish every 20 ms, a client of another
/// app on the same server opens <c>--flood-sockets</c> sockets from one address as fast as it can
/// (200 handshakes in flight) and holds them. How much the flood slows the bystander, against its own
/// baseline in the same run, and how much of the flood the server took.
/// </summary>
public static class Neighbour
{
    public static readonly SizeOption Flood = new("flood-sockets", 10_000, 1_000);

    private const int Concurrency = 200;
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(10);

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        await using var bystander = await Bystander.Start(context);
        await Task.Delay(TimeSpan.FromSeconds(2));
        bystander.Lap();
        await Task.Delay(Phase);
        var baseline = bystander.Lap();

        var target = context.Target with { AppId = ServerConfig.NeighbourAppId, Key = ServerConfig.NeighbourKey, Secret = ServerConfig.NeighbourSecret };
        using var neighbour = new RunContext(target, context.Stats, TimeSpan.Zero, TimeSpan.Zero);
        var start = context.Stats.Sample();
        // A refused subscribe is a flood error; a refused socket shows in the accepted share.
        var flood = await Sockets.OpenAcceptedAsync(neighbour, sizes[Flood], Concurrency,
            (i, connection, cancellation) => connection.SubscribeAsync(OutgoingFrames.Subscribe($"flood-{i % 100}"), cancellation));
        var usage = context.Stats.Sample().Since(start);
        var during = bystander.Lap();
        await Task.Delay(Phase);
        var held = bystander.Lap();
        foreach (var connection in flood)
            connection.Reset();
        var (sent, received) = await bystander.Stop();

        return new Result("neighbour")
            .Add("flood_accepted_pct", 100.0 * flood.Count / sizes[Flood], 2)
            .Rate("flood_connects_per_s", flood.Count, usage.Wall)
            .Percentiles("bystander_base_", baseline)
            .Percentiles("bystander_flood_", during)
            .Percentiles("bystander_held_", held)
            .Add("flood_p99_x", during.PercentileMs(0.99) / baseline.PercentileMs(0.99), 2)
            .Add("bystander_delivered_pct", sent == 0 ? 0 : 100.0 * received / sent, 2)
            .Add("flood_errors", neighbour.Errors.Count, 0)
            .Cpu(usage);
    }
}
