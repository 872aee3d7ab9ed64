using System.Globalization;

namespace SoketiOrleans.Bench;

/// <summary>
/// Reads a server's Prometheus text (<c>--metrics-url</c>): the sum of every series of one metric
/// name, whatever its labels; none is 0 (a gauge with nothing to report, such as activations of no
/// grain type, has no series). Only this server exports what the robustness loads read (grain
/// activations, the thread pool's queue), so they leave those figures out without it.
/// </summary>
public sealed class ServerMetrics(Uri url) : IDisposable
{
    /// <summary>Every grain activation by type, Orleans' own included: an observed gauge, read afresh at every scrape.</summary>
    public const string Activations = "microsoft_orleans_orleans_catalog_activations";
    public const string ThreadPoolQueue = "system_runtime_dotnet_thread_pool_queue_length";

    private readonly HttpClient http = new();

    public async Task<double> Sum(string name)
    {
        var text = await http.GetStringAsync(url);
        var sum = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || line[name.Length] is not ('{' or ' '))
                continue;
            sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return sum;
    }

    public void Dispose() => http.Dispose();
}
