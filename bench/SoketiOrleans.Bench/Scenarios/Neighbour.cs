using System.Globalization;
using SoketiOrleans.Bench.Compare;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// A noisy neighbour: while one app's bystander gets an API publish every 20 ms, a client of another
/// app on the same server opens <c>--flood-sockets</c> sockets from one address as fast as it can
/// (200 handshakes in flight) and holds them. How much the flood slows the bystander, against its own
/// baseline in the same run, and how much of the flood the server took. The flood is another process
/// (<see cref="Flood"/>), as another app's client would be: sharing this one, its 200 handshakes queued
/// ahead of the bystander's frames in the generator itself.
/// </summary>
public static class Neighbour
{
    public static readonly SizeOption Flood = new("flood-sockets", 10_000, 1_000);

    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(10);

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        await using var bystander = await Bystander.Start(context);
        await Task.Delay(TimeSpan.FromSeconds(2));
        bystander.Lap();
        await Task.Delay(Phase);
        var baseline = bystander.Lap();

        var target = context.Target with { AppId = ServerConfig.NeighbourAppId, Key = ServerConfig.NeighbourKey, Secret = ServerConfig.NeighbourSecret };
        var start = context.Stats.Sample();
        using var flood = Scenarios.Flood.Start(target, context.Stats.ServerPid, sizes[Flood]);
        var opened = await flood.StandardOutput.ReadLineAsync();
        var usage = context.Stats.Sample().Since(start);
        flood.Refresh();
        var floodCpu = flood.TotalProcessorTime;
        var during = bystander.Lap();
        await Task.Delay(Phase);
        var held = bystander.Lap();
        flood.StandardInput.Close();
        var floodResult = await flood.StandardOutput.ReadToEndAsync();
        await flood.WaitForExitAsync();
        var (sent, received) = await bystander.Stop();

        if (opened is null || !opened.StartsWith(Scenarios.Flood.OpenedPrefix, StringComparison.Ordinal) || !floodResult.Contains(Result.Prefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"the flood process failed (exit {flood.ExitCode}): {opened}{floodResult}");

        var accepted = int.Parse(opened.AsSpan(Scenarios.Flood.OpenedPrefix.Length), CultureInfo.InvariantCulture);
        return new Result("neighbour")
            .Add("flood_accepted_pct", 100.0 * accepted / sizes[Flood], 2)
            .Rate("flood_connects_per_s", accepted, usage.Wall)
            .Percentiles("bystander_base_", baseline)
            .Percentiles("bystander_flood_", during)
            .Percentiles("bystander_held_", held)
            .Add("flood_p99_x", during.PercentileMs(0.99) / baseline.PercentileMs(0.99), 2)
            .Add("bystander_delivered_pct", sent == 0 ? 0 : 100.0 * received / sent, 2)
            .Add("flood_errors", FloodErrors(floodResult), 0)
            .Add("flood_gen_cpu", floodCpu / usage.Wall, 3)
            .Cpu(usage);
    }

    /// <summary>The <c>errors=</c> of the flood's result line.</summary>
    private static int FloodErrors(string result)
    {
        const string key = " errors=";
        var at = result.LastIndexOf(key, StringComparison.Ordinal) + key.Length;
        var end = at;
        while (end < result.Length && char.IsAsciiDigit(result[end]))
            end++;
        return int.Parse(result.AsSpan(at, end - at), CultureInfo.InvariantCulture);
    }
}
