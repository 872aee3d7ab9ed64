namespace SoketiOrleans.Bench.Compare;

/// <summary>One generator run against one server. <see cref="Failure"/> set means its numbers do not count.</summary>
public sealed record RunOutcome(
    int Round, Contender Server, string Scenario, IReadOnlyList<KeyValuePair<string, double>>? Metrics, string? Failure)
{
    public double? Metric(string key) =>
        Metrics?.FirstOrDefault(m => m.Key == key) is { Key: not null } found ? found.Value : null;

    public override string ToString() =>
        $"round {Round}, {Scenario} on {Server.Name}: " + (Failure ?? "ok");
}
