using System.Diagnostics;
using System.Globalization;

namespace SoketiOrleans.Bench.Compare;

/// <summary>This same program's <c>run</c> command as a child process on its own cores.</summary>
public static class Generator
{
    // Beyond warm-up and window: opening and closing up to tens of thousands of sockets on a loaded machine.
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(5);

    /// <summary>The RESULT line's metrics in printed order, or a failure saying why there are none to trust.</summary>
    public static async Task<(IReadOnlyList<KeyValuePair<string, double>>? Metrics, string? Failure)> RunAsync(
        string cpus, IReadOnlyList<string> runArguments, TimeSpan expected)
    {
        var start = new ProcessStartInfo("taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-c", cpus, Environment.ProcessPath ?? "dotnet", typeof(Generator).Assembly.Location, "run", .. runArguments])
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        string? resultLine = null;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith(Result.Prefix, StringComparison.Ordinal) == true)
                resultLine = e.Data;
            else if (e.Data is not null)
                Console.Error.WriteLine("  [generator] " + e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                Console.Error.WriteLine("  [generator] " + e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(expected + Slack);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            return (null, $"the generator did not finish within {(expected + Slack).TotalSeconds} s");
        }
        // WaitForExitAsync also waits for the redirected streams to end, so resultLine is final here.
        if (resultLine is null)
            return (null, $"no RESULT line (generator exit code {process.ExitCode})");
        var metrics = Parse(resultLine);
        var errors = metrics.FirstOrDefault(m => m.Key == "errors").Value;
        return errors > 0 ? (metrics, $"errors={errors}") : (metrics, null);
    }

    /// <summary><c>RESULT scenario k=v k=v</c> → the pairs, in order.</summary>
    private static List<KeyValuePair<string, double>> Parse(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(2)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => KeyValuePair.Create(kv[0], double.Parse(kv[1], CultureInfo.InvariantCulture)))
            .ToList();
}
