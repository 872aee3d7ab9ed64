using System.Globalization;
using SoketiOrleans.Bench.Scenarios;

namespace SoketiOrleans.Bench.Compare;

/// <summary>
/// <c>compare</c>: every scenario against two servers, a fresh server per run, the order alternating per
/// round so neither side always runs on a machine warmed up (or worn down) by the other.
/// </summary>
public static class Runner
{
    public static async Task<int> MainAsync(Options options)
    {
        var a = Contender.Parse(options, "a");
        var b = Contender.Parse(options, "b");
        var rounds = options.Int("rounds", 3);
        var scenarios = Catalog.Select(options.String("scenarios", "all"));
        var warmup = options.Int("warmup", 2);
        var seconds = options.Int("seconds", 10);
        var output = options.Optional("out");
        var serverCpus = options.String("server-cpus", "0");
        var generatorCpus = options.String("generator-cpus", "1");
        var size = options.Optional("size");
        // Size options go to the scenarios that have them.
        var sizeOptions = Catalog.Every.SelectMany(s => s.Sizes).Select(o => o.Name).Distinct()
            .Select(name => (Name: name, Value: options.Optional(name)))
            .Where(o => o.Value is not null)
            .ToDictionary(o => o.Name, o => o.Value!);
        options.RejectUnread();

        var runs = new List<RunOutcome>();
        for (var round = 1; round <= rounds; round++)
        {
            var order = round % 2 == 1 ? new[] { a, b } : [b, a];
            foreach (var scenario in scenarios)
            {
                foreach (var server in order)
                {
                    var arguments = new List<string> { "--scenario", scenario.Name, "--warmup", Invariant(warmup), "--seconds", Invariant(seconds) };
                    if (size is not null)
                        arguments.AddRange(["--size", size]);
                    foreach (var option in scenario.Sizes.Where(o => sizeOptions.ContainsKey(o.Name)))
                        arguments.AddRange(["--" + option.Name, sizeOptions[option.Name]]);
                    var outcome = await RunOnceAsync(round, server, scenario.Name, arguments, serverCpus, generatorCpus, TimeSpan.FromSeconds(warmup + seconds));
                    runs.Add(outcome);
                    Console.Error.WriteLine($"[{outcome}] " + string.Join(' ', outcome.Metrics?.Select(m => $"{m.Key}={Invariant(m.Value)}") ?? []));
                }
            }
        }

        var settings = $"rounds: {rounds}, warm-up: {warmup} s, measured: {seconds} s, size: {size ?? "full"}"
            + (sizeOptions.Count > 0 ? " " + string.Join(' ', sizeOptions.Select(o => $"--{o.Key} {o.Value}")) : "")
            + $", server on CPUs {serverCpus}, generator on CPUs {generatorCpus}";
        var report = Report.Markdown(settings, a, b, scenarios, runs);
        Console.WriteLine(report);
        if (output is not null)
            await File.WriteAllTextAsync(output, report);

        var failures = runs.Where(r => r.Failure is not null).ToList();
        foreach (var failure in failures)
            Console.Error.WriteLine("FAILED: " + failure);
        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<RunOutcome> RunOnceAsync(
        int round, Contender server, string scenario, List<string> arguments, string serverCpus, string generatorCpus, TimeSpan expected)
    {
        var directory = Directory.CreateTempSubdirectory("soketi-bench-").FullName;
        ServerProcess process;
        try
        {
            process = await ServerProcess.StartAsync(server, serverCpus, directory);
        }
        catch (ServerFailedException e)
        {
            Console.Error.WriteLine(e.Message);
            return new RunOutcome(round, server, scenario, null, $"the server did not start (files in {directory})");
        }

        arguments.AddRange([
            "--host", "127.0.0.1", "--port", Invariant(process.Port), "--server-pid", Invariant(process.Pid),
            "--app-id", ServerConfig.AppId, "--key", ServerConfig.Key, "--secret", ServerConfig.Secret,
        ]);
        var (metrics, failure) = await Generator.RunAsync(generatorCpus, arguments, expected);
        await process.StopAsync();
        if (failure is not null)
        {
            Console.Error.WriteLine($"{scenario} on {server.Name} failed ({failure}); the server's log ends with:\n{process.LogTail()}");
            return new RunOutcome(round, server, scenario, metrics, $"{failure} (files in {directory})");
        }
        Directory.Delete(directory, recursive: true);
        return new RunOutcome(round, server, scenario, metrics, null);
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
