namespace SoketiOrleans.Bench.Scenarios;

/// <summary>A scenario size given as <c>--name N</c>; <c>--size small</c> picks the quick-check default.</summary>
public sealed record SizeOption(string Name, int Full, int Small)
{
    public override string ToString() => $"--{Name} {Full}/{Small}";
}

/// <summary>The sizes of one run, all read up front so that a misspelt option is rejected before the run.</summary>
public sealed class ScenarioSizes
{
    private readonly Dictionary<SizeOption, int> values;

    private ScenarioSizes(Dictionary<SizeOption, int> values) => this.values = values;

    public int this[SizeOption option] => values[option];

    public static ScenarioSizes Read(Options options, Scenario scenario)
    {
        var small = options.String("size", "full") switch
        {
            "full" => false,
            "small" => true,
            var other => throw new UsageException($"--size is full or small, not '{other}'"),
        };
        return new ScenarioSizes(scenario.Sizes.ToDictionary(o => o, o => options.Int(o.Name, small ? o.Small : o.Full)));
    }
}
