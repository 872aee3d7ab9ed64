using System.Diagnostics;
using System.Globalization;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// The noisy neighbour's flood, in a process of its own (<see cref="Neighbour"/> starts it): opens
/// <c>--flood-sockets</c> sockets of the target app as fast as it can (200 handshakes in flight, each
/// subscribing to a public channel), says so on one <see cref="OpenedPrefix"/> line, holds them until its
/// standard input closes, then resets them all.
/// </summary>
public static class Flood
{
    public const string OpenedPrefix = "OPENED ";

    private const int Concurrency = 200;

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        var count = sizes[Neighbour.Flood];
        var start = context.Stats.Sample();
        // A refused subscribe is an error; a refused socket shows in the accepted share.
        var flood = await Sockets.OpenAcceptedAsync(context, count, Concurrency,
            (i, connection, cancellation) => connection.SubscribeAsync(OutgoingFrames.Subscribe($"flood-{i % 100}"), cancellation));
        var usage = context.Stats.Sample().Since(start);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{OpenedPrefix}{flood.Count}"));
        await Console.In.ReadToEndAsync();
        foreach (var connection in flood)
            connection.Reset();

        return new Result("flood")
            .Add("flood_accepted_pct", 100.0 * flood.Count / count, 2)
            .Rate("flood_connects_per_s", flood.Count, usage.Wall)
            .Cpu(usage);
    }

    /// <summary>Starts this tool again as the flood of <paramref name="target"/>, on the same CPUs as this process.</summary>
    public static Process Start(Target target, int serverPid, int sockets)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Under `dotnet X.dll` the process is the host and the tool is its first argument.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            info.ArgumentList.Add(typeof(Flood).Assembly.Location);
        foreach (var argument in (string[])[
            "run", "--scenario", "flood", "--host", target.Host, "--port", target.Port.ToString(CultureInfo.InvariantCulture),
            "--app-id", target.AppId, "--key", target.Key, "--secret", target.Secret,
            "--server-pid", serverPid.ToString(CultureInfo.InvariantCulture),
            "--" + Neighbour.Flood.Name, sockets.ToString(CultureInfo.InvariantCulture)])
            info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException("the flood process did not start");
    }
}
