using SoketiOrleans.Bench.Scenarios;

namespace SoketiOrleans.Bench;

/// <summary><c>run</c>: one scenario against a running server, one RESULT line on stdout.</summary>
public static class RunCommand
{
    public static async Task<int> MainAsync(Options options)
    {
        // Run socket continuations on the epoll thread instead of handing each one to the thread pool: on the
        // generator's single core the hand-off doubles the context switches per frame (one measurement: soketi answered
        // publishes to 1000 subscribers 2.5x slower, p50, when the generator used the thread pool). Every
        // continuation here is short and never blocks. Read once, when the first socket is created.
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        var scenario = Catalog.Find(options.Required("scenario"));
        var target = new Target(
            options.Required("host"), options.RequiredInt("port"), options.Required("app-id"),
            options.Required("key"), options.Required("secret"));
        var stats = new ProcessStats(options.RequiredInt("server-pid"));
        var warmup = TimeSpan.FromSeconds(options.Int("warmup", 2));
        var duration = TimeSpan.FromSeconds(options.Int("seconds", 10));
        var metricsUrl = options.Optional("metrics-url") is { } url ? new Uri(url) : null;
        var sizes = ScenarioSizes.Read(options, scenario);
        options.RejectUnread();

        using var context = new RunContext(target, stats, warmup, duration, metricsUrl);
        var result = await scenario.RunAsync(context, sizes);
        var errors = context.Errors.Count;
        Console.WriteLine(result.Add("errors", errors, 0));
        return errors == 0 ? 0 : 1;
    }
}
