using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// A neighbour that opens <c>--flood-sockets</c> sockets from one address as fast as it can (200 handshakes in
/// flight, each subscribing to a public channel), holds them, then resets them all.
/// </summary>
public static class Flood
{
    public static readonly SizeOption Sockets = new("flood-sockets", 10_000, 1_000);
    public static readonly NeighbourLoad Load = new("flood", Sockets);

    private const int Concurrency = 200;

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        var count = sizes[Sockets];
        var start = context.Stats.Sample();
        // A refused subscribe is an error; a refused socket shows in the accepted share.
        var flood = await Scenarios.Sockets.OpenAcceptedAsync(context, count, Concurrency,
            (i, connection, cancellation) => connection.SubscribeAsync(OutgoingFrames.Subscribe($"flood-{i % 100}"), cancellation));
        var usage = context.Stats.Sample().Since(start);
        NeighbourLoad.Opened(flood.Count);
        await NeighbourLoad.Held();
        foreach (var connection in flood)
            connection.Reset();

        return new Result("flood")
            .Add("flood_accepted_pct", 100.0 * flood.Count / count, 2)
            .Rate("flood_connects_per_s", flood.Count, usage.Wall)
            .Cpu(usage);
    }
}
