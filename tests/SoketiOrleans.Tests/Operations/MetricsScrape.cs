using System.Globalization;
using System.Text.RegularExpressions;

namespace SoketiOrleans.Tests.Operations;

/// <summary>A Prometheus text exposition, read back: each sample by its name and labels as written, and each metric's TYPE.</summary>
public sealed partial class MetricsScrape
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _help = new(StringComparer.Ordinal);

    public MetricsScrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TypeLine().Match(line) is { Success: true } type)
            {
                _types[type.Groups[1].Value] = type.Groups[2].Value;
            }
            else if (HelpLine().Match(line) is { Success: true } help)
            {
                _help[help.Groups[1].Value] = help.Groups[2].Value;
            }
            else if (!line.StartsWith('#'))
            {
                var space = line.LastIndexOf(' ');
                _samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }
    }

    public string Text { get; }

    /// <param name="series">Name and labels as the exposition writes them, e.g. <c>soketi_connected{app_id="app-id",port="6001"}</c>.</param>
    public double? Value(string series) => _samples.TryGetValue(series, out var v) ? v : null;

    public string? Type(string name) => _types.GetValueOrDefault(name);

    public string? Help(string name) => _help.GetValueOrDefault(name);

    public IEnumerable<string> Names => _types.Keys;

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^# HELP (\S+) (.*)$")]
    private static partial Regex HelpLine();
}
