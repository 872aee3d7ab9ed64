using System.Globalization;
using System.Text;

namespace SoketiOrleans.Bench;

/// <summary>The one line a run prints: <c>RESULT scenario key=value ...</c>, numbers in invariant culture.</summary>
public sealed class Result(string scenario)
{
    public const string Prefix = "RESULT ";

    private readonly StringBuilder line = new(Prefix + scenario);

    public Result Add(string key, double value, int decimals)
    {
        line.Append(' ').Append(key).Append('=').Append(value.ToString("F" + decimals, CultureInfo.InvariantCulture));
        return this;
    }

    public Result Rate(string key, long count, TimeSpan window) => Add(key, count / window.TotalSeconds, 1);

    public Result Percentiles(string prefix, Latencies latencies) =>
        Add(prefix + "p50_ms", latencies.PercentileMs(0.50), 2).Add(prefix + "p99_ms", latencies.PercentileMs(0.99), 2);

    public Result Cpu(CpuUsage usage) =>
        Add("gen_cpu", usage.GeneratorFraction, 3).Add("server_cpu", usage.ServerFraction, 3);

    public override string ToString() => line.ToString();
}
