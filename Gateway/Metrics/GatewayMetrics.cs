using System.Collections.Concurrent;
using System.Globalization;
using Prometheus;

namespace SoketiOrleans.Gateway.Metrics;

/// <summary>
/// soketi's Prometheus metrics, with its exact names, types, help texts and labels (<c>app_id</c>,
/// <c>port</c>), so dashboards built for soketi keep working, plus this gateway's own. Each app's
/// series are resolved once and kept by its sockets, so counting a frame is an atomic add.
/// </summary>
public sealed class GatewayMetrics
{
    private static readonly string[] Labels = ["app_id", "port"];
    private static readonly string[] LimitLabels = ["app_id", "port", "limit"];

    private readonly ConcurrentDictionary<string, AppMetrics> _apps = new(StringComparer.Ordinal);
    private readonly string _port;

    public GatewayMetrics(CollectorRegistry registry, string prefix, int port)
    {
        _port = port.ToString(CultureInfo.InvariantCulture);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        Counter CreateCounter(string name, string help) => factory.CreateCounter(prefix + name, help, Labels);
        Connected = factory.CreateGauge(prefix + "connected", "The number of currently connected sockets.", Labels);
        NewConnections = CreateCounter("new_connections_total", "Total amount of soketi connection requests.");
        NewDisconnections = CreateCounter("new_disconnections_total", "Total amount of soketi disconnections.");
        SocketReceivedBytes = CreateCounter("socket_received_bytes", "Total amount of bytes that soketi received.");
        SocketTransmittedBytes = CreateCounter("socket_transmitted_bytes", "Total amount of bytes that soketi transmitted.");
        WsMessagesReceived = CreateCounter("ws_messages_received_total", "The total amount of WS messages received from connections by the server.");
        WsMessagesSent = CreateCounter("ws_messages_sent_total", "The total amount of WS messages sent to the connections from the server.");
        HttpReceivedBytes = CreateCounter("http_received_bytes", "Total amount of bytes that soketi's REST API received.");
        HttpTransmittedBytes = CreateCounter("http_transmitted_bytes", "Total amount of bytes that soketi's REST API sent back.");
        HttpCallsReceived = CreateCounter("http_calls_received_total", "Total amount of received REST API calls.");
        SlowConsumerDisconnections = CreateCounter("slow_consumer_disconnections_total",
            "Sockets closed with 4100 because they did not read fast enough (their send queue passed its bound).");
        ConnectionQuotaRejections = CreateCounter("connection_quota_rejections_total",
            "Connections refused with 4100 because the app's maxConnections was reached.");
        RateLimitRejections = factory.CreateCounter(prefix + "rate_limit_rejections_total",
            "Requests and client events refused by an app's rate limit, by limit: backend_events, read_requests, client_events.", LimitLabels);
        PublishToDeliver = factory.CreateHistogram(prefix + "publish_to_deliver_seconds",
            "Time from an HTTP API publish reaching this server to every gateway with subscribers having queued it to their sockets, per channel.",
            new HistogramConfiguration
            {
                LabelNames = Labels,
                Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            });
    }

    internal Gauge Connected { get; }
    internal Counter NewConnections { get; }
    internal Counter NewDisconnections { get; }
    internal Counter SocketReceivedBytes { get; }
    internal Counter SocketTransmittedBytes { get; }
    internal Counter WsMessagesReceived { get; }
    internal Counter WsMessagesSent { get; }
    internal Counter HttpReceivedBytes { get; }
    internal Counter HttpTransmittedBytes { get; }
    internal Counter HttpCallsReceived { get; }
    internal Counter SlowConsumerDisconnections { get; }
    internal Counter ConnectionQuotaRejections { get; }
    internal Counter RateLimitRejections { get; }
    internal Histogram PublishToDeliver { get; }

    /// <summary>
    /// The series of a known app. Only apps the app manager found get series, so requests naming
    /// made-up app ids cannot grow the exposition.
    /// </summary>
    public AppMetrics ForApp(string appId) => _apps.GetOrAdd(appId, static (id, m) => new AppMetrics(m, id, m._port), this);

    /// <summary>
    /// Gives an app series that are counted but never exposed (the start-up warm-up's app): kept for
    /// the process's life, so that a count made after the app is gone cannot expose it either.
    /// </summary>
    internal void Unlist(string appId) => _apps[appId] = new GatewayMetrics(Prometheus.Metrics.NewCustomRegistry(), "", 0).ForApp(appId);
}
