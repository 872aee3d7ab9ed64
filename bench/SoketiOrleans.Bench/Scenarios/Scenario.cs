namespace SoketiOrleans.Bench.Scenarios;

/// <summary>A named load with its size options; running it yields the result line without the error count.</summary>
public sealed record Scenario(string Name, IReadOnlyList<SizeOption> Sizes, Func<RunContext, ScenarioSizes, Task<Result>> RunAsync)
{
    public string Describe() => $"{Name}: {string.Join(' ', Sizes)}";
}
