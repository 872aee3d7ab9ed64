namespace SoketiOrleans.Bench.Compare;

/// <summary>What the numbers were measured on: they mean little without it.</summary>
public static class Machine
{
    public static string Describe()
    {
        var cpuinfo = File.ReadAllLines("/proc/cpuinfo");
        var processors = cpuinfo.Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        var model = cpuinfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        return $"{processors} CPUs ({model}), Linux {kernel}";
    }
}
