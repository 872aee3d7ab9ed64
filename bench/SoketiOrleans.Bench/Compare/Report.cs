using System.Globalization;
using System.Text;
using SoketiOrleans.Bench.Scenarios;

namespace SoketiOrleans.Bench.Compare;

/// <summary>The markdown comparison: medians per scenario metric over the rounds, and B/A.</summary>
public static class Report
{
    private const double SaturatedGeneratorCpu = 0.9;

    public static string Markdown(string settings, Contender a, Contender b, IReadOnlyList<Scenario> scenarios, IReadOnlyList<RunOutcome> runs)
    {
        var text = new StringBuilder()
            .AppendLine($"# {a.Name} ({a.Side}) vs {b.Name} ({b.Side})")
            .AppendLine()
            .AppendLine($"- machine: {Machine.Describe()}")
            .AppendLine($"- date: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}")
            .AppendLine($"- {settings}")
            .AppendLine($"- A: `{a.Command}`")
            .AppendLine($"- B: `{b.Command}`")
            .AppendLine()
            .AppendLine($"| metric | {a.Name} ({a.Side}) | {b.Name} ({b.Side}) | B/A | generator |")
            .AppendLine("| --- | ---: | ---: | ---: | --- |");
        foreach (var scenario in scenarios)
        {
            var ofScenario = runs.Where(r => r.Scenario == scenario.Name).ToList();
            var saturation = Saturation(ofScenario, a, b);
            var keys = ofScenario.SelectMany(r => r.Metrics ?? []).Select(m => m.Key).Where(k => k != "errors").Distinct();
            foreach (var key in keys)
            {
                var medianA = Median(ofScenario, a, key);
                var medianB = Median(ofScenario, b, key);
                var ratio = medianA is > 0 && medianB is { } vb ? (vb / medianA.Value).ToString("F2", CultureInfo.InvariantCulture) : "–";
                var marker = LowerIsBetter(key) ? " ↓" : "";
                text.AppendLine($"| {scenario.Name} {key}{marker} | {Format(medianA)} | {Format(medianB)} | {ratio} | {saturation} |");
            }
        }
        return text
            .AppendLine()
            .AppendLine("Medians over the rounds of the runs without errors. B/A above 1: B is higher. For metrics marked ↓ (latencies")
            .AppendLine("and memory) lower is better, so B/A below 1 favours B; for the others (rates) higher is better. gen_cpu and")
            .AppendLine("server_cpu are fractions of one core over the measured window (the connect phase for `connections`).")
            .AppendLine($"\"lower bound\": the generator used ≥ {SaturatedGeneratorCpu} of its core in at least one run against that")
            .AppendLine("server, so the server may be faster than measured and the latencies include the generator's own queueing.")
            .ToString();
    }

    private static bool LowerIsBetter(string key) =>
        key.EndsWith("_ms", StringComparison.Ordinal) || key.StartsWith("rss_", StringComparison.Ordinal) || key.StartsWith("back_", StringComparison.Ordinal);

    private static string Saturation(IReadOnlyList<RunOutcome> runs, Contender a, Contender b)
    {
        var saturated = new[] { a, b }
            .Where(side => runs.Any(r => r.Server == side && r.Metric("gen_cpu") >= SaturatedGeneratorCpu))
            .Select(side => side.Side)
            .ToList();
        return saturated.Count == 0 ? "" : $"lower bound ({string.Join(", ", saturated)})";
    }

    private static double? Median(IReadOnlyList<RunOutcome> runs, Contender side, string key)
    {
        var values = runs.Where(r => r.Server == side && r.Failure is null)
            .Select(r => r.Metric(key))
            .OfType<double>()
            .Where(v => !double.IsNaN(v))
            .Order()
            .ToList();
        if (values.Count == 0)
            return null;
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static string Format(double? value) => value switch
    {
        null => "–",
        >= 1000 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.Value.ToString("F1", CultureInfo.InvariantCulture),
        _ => Math.Round(value.Value, 3).ToString(CultureInfo.InvariantCulture),
    };
}
