using Prometheus;
using SoketiOrleans.Gateway.Metrics;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Silo.Metrics;

/// <summary>
/// One registry per server life: soketi's metrics (the gateway's, the process's) under the
/// configured prefix, the counters of this server's grains (webhooks) under it too, and Orleans'
/// own meters (grain activations by type, messaging, membership) and the runtime's (thread pool
/// queue and threads, GC, lock contention) as the meter adapter names them
/// (<c>microsoft_orleans_…</c>, <c>system_runtime_…</c>).
/// </summary>
internal sealed class MetricsRegistry : IDisposable
{
    private readonly IDisposable _orleansMeters;
    private readonly ServerMeters _serverMeters;

    public MetricsRegistry(SoketiOptions options)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        ProcessMetrics.Register(Registry, options.Metrics.Prefix, options.Port);
        Gateway = new GatewayMetrics(Registry, options.Metrics.Prefix, options.Port);
        _serverMeters = new ServerMeters(Registry, options.Metrics.Prefix, options.Port);
        _orleansMeters = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Prometheus.Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument =>
                instrument.Meter.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) || instrument.Meter.Name == "System.Runtime",
        });
    }

    public CollectorRegistry Registry { get; }

    public GatewayMetrics Gateway { get; }

    public void Dispose()
    {
        _orleansMeters.Dispose();
        _serverMeters.Dispose();
    }
}
