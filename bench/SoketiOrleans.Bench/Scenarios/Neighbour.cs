using System.Globalization;
using SoketiOrleans.Bench.Compare;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// A noisy neighbour: while one app's bystander gets an API publish every 20 ms, a client of another app on the
/// same server does something hostile (a <see cref="NeighbourLoad"/>: a flood of sockets from one address, a
/// socket subscribing to far more channels than it may, sockets sending a frame a byte at a time, sockets that
/// stop reading). How much it slows the bystander against its own baseline in the same run, while the load is
/// being set up (<c>flood</c>) and while it is kept up (<c>held</c>), and how much of it the server took. The
/// load is another process, as another app's client would be: sharing this one, its traffic would queue ahead
/// of the bystander's frames in the generator itself.
/// </summary>
public static class Neighbour
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(10);

    /// <summary>The keys of the load's own result line that this one says itself.</summary>
    private static readonly string[] Restated = ["flood_accepted_pct", "flood_connects_per_s", "gen_cpu", "server_cpu", "errors"];

    public static Func<RunContext, ScenarioSizes, Task<Result>> Against(NeighbourLoad load) =>
        (context, sizes) => RunAsync(context, load, sizes[load.Size]);

    private static async Task<Result> RunAsync(RunContext context, NeighbourLoad load, int size)
    {
        await using var bystander = await Bystander.Start(context);
        await Task.Delay(TimeSpan.FromSeconds(2));
        bystander.Lap();
        await Task.Delay(Phase);
        var baseline = bystander.Lap();

        var target = context.Target with { AppId = ServerConfig.NeighbourAppId, Key = ServerConfig.NeighbourKey, Secret = ServerConfig.NeighbourSecret };
        var start = context.Stats.Sample();
        using var process = load.Start(target, context.Stats.ServerPid, size);
        var opened = await process.StandardOutput.ReadLineAsync();
        var usage = context.Stats.Sample().Since(start);
        process.Refresh();
        var loadCpu = process.TotalProcessorTime;
        var during = bystander.Lap();
        await Task.Delay(Phase);
        var held = bystander.Lap();
        process.StandardInput.Close();
        var loadResult = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (sent, received) = await bystander.Stop();

        if (opened is null || !opened.StartsWith(NeighbourLoad.OpenedPrefix, StringComparison.Ordinal) || !loadResult.Contains(Result.Prefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"the {load.Scenario} process failed (exit {process.ExitCode}): {opened}{loadResult}");

        var accepted = int.Parse(opened.AsSpan(NeighbourLoad.OpenedPrefix.Length), CultureInfo.InvariantCulture);
        var result = new Result("neighbour")
            .Add("flood_accepted_pct", 100.0 * accepted / size, 2)
            .Rate("flood_connects_per_s", accepted, usage.Wall)
            .Percentiles("bystander_base_", baseline)
            .Percentiles("bystander_flood_", during)
            .Percentiles("bystander_held_", held)
            .Add("flood_p99_x", during.PercentileMs(0.99) / baseline.PercentileMs(0.99), 2)
            .Add("held_p99_x", held.PercentileMs(0.99) / baseline.PercentileMs(0.99), 2)
            .Add("bystander_delivered_pct", sent == 0 ? 0 : 100.0 * received / sent, 2);
        var fields = Fields(loadResult).ToList();
        foreach (var (key, value) in fields.Where(f => !Restated.Contains(f.Key)))
            result.Add(key, value, 0);
        return result
            .Add("flood_errors", fields.First(f => f.Key == "errors").Value, 0)
            .Add("flood_gen_cpu", loadCpu / usage.Wall, 3)
            .Cpu(usage);
    }

    /// <summary>The <c>key=value</c> pairs of a result line.</summary>
    private static IEnumerable<(string Key, double Value)> Fields(string output)
    {
        var line = output[output.LastIndexOf(Result.Prefix, StringComparison.Ordinal)..].Split('\n')[0].Trim();
        foreach (var field in line.Split(' ').Skip(2))
        {
            var at = field.IndexOf('=');
            yield return (field[..at], double.Parse(field.AsSpan(at + 1), CultureInfo.InvariantCulture));
        }
    }
}
