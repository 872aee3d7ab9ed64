using SoketiOrleans.Bench.Scenarios;

namespace SoketiOrleans.Bench;

/// <summary><c>run</c>: one scenario against a running server, one RESULT line on stdout.</summary>
public static class RunCommand
{
    public static async Task<int> MainAsync(Options options)
    {
        var scenario = Catalog.Find(options.Required("scenario"));
        var target = new Target(
            options.Required("host"), options.RequiredInt("port"), options.Required("app-id"),
            options.Required("key"), options.Required("secret"));
        var stats = new ProcessStats(options.RequiredInt("server-pid"));
        var warmup = TimeSpan.FromSeconds(options.Int("warmup", 2));
        var duration = TimeSpan.FromSeconds(options.Int("seconds", 10));
        var sizes = ScenarioSizes.Read(options, scenario);
        options.RejectUnread();

        using var context = new RunContext(target, stats, warmup, duration);
        var result = await scenario.RunAsync(context, sizes);
        var errors = context.Errors.Count;
        Console.WriteLine(result.Add("errors", errors, 0));
        return errors == 0 ? 0 : 1;
    }
}
