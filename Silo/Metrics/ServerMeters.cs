using System.Diagnostics.Metrics;
using System.Globalization;
using Prometheus;

namespace SoketiOrleans.Silo.Metrics;

/// <summary>
/// The counters this server's grains publish through .NET meters (webhooks sent, failed, retried),
/// exported under the configured prefix with soketi's labels (<c>app_id</c>, <c>port</c>), as the
/// gateway's own metrics are: the meter adapter would name them after the meter instead.
/// </summary>
internal sealed class ServerMeters : IDisposable
{
    private const string MeterNamePrefix = "SoketiOrleans";
    private static readonly string[] Labels = ["app_id", "port"];

    private readonly MeterListener _listener = new();

    public ServerMeters(CollectorRegistry registry, string prefix, int port)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var portLabel = port.ToString(CultureInfo.InvariantCulture);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is Counter<long> && instrument.Meter.Name.StartsWith(MeterNamePrefix, StringComparison.Ordinal))
            {
                var counter = factory.CreateCounter(prefix + instrument.Name, instrument.Description ?? "", Labels);
                listener.EnableMeasurementEvents(instrument, (counter, portLabel));
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) =>
        {
            var (counter, portValue) = ((Counter, string))state!;
            var appId = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "app_id")
                {
                    appId = tag.Value as string ?? "";
                }
            }

            counter.WithLabels(appId, portValue).Inc(value);
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();
}
