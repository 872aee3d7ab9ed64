using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Silo.Configuration;

namespace SoketiOrleans.Tests.Unit;

/// <summary>The operations keys: metrics, the drain, accept-traffic's threshold, the log format, the transport.</summary>
public sealed class OperationsConfigTests
{
    private static SoketiOptions Load(Dictionary<string, string> env) => ConfigLoader.Load([], env);

    private static IReadOnlyList<string> Problems(Dictionary<string, string> env) =>
        Assert.Throws<ConfigurationException>(() => Load(env)).Problems;

    [Fact]
    public void Defaults_are_soketis_and_the_drain_starts_at_once()
    {
        var options = Load([]);

        Assert.Equal(new MetricsOptions(false, "0.0.0.0", 9601, "soketi_"), options.Metrics);
        Assert.Equal(new DrainOptions(TimeSpan.Zero, TimeSpan.FromSeconds(3)), options.Gateway.Drain);
        Assert.Equal(85, options.Gateway.AcceptTrafficMemoryThreshold);
        Assert.False(options.JsonLogs);
        Assert.True(options.EventLoops);
        Assert.Empty(options.Warnings);
    }

    [Fact]
    public void Every_key_is_read_from_soketis_variables_and_the_new_ones()
    {
        var options = Load(new()
        {
            ["SOKETI_METRICS_ENABLED"] = "true",
            ["SOKETI_METRICS_HOST"] = "127.0.0.1",
            ["SOKETI_METRICS_SERVER_PORT"] = "9700",
            ["SOKETI_METRICS_PROMETHEUS_PREFIX"] = "realtime_",
            ["SOKETI_METRICS_DRIVER"] = "prometheus",
            ["SOKETI_SHUTDOWN_GRACE_PERIOD"] = "10000",
            ["SOKETI_SHUTDOWN_DRAIN_DELAY"] = "5000",
            ["SOKETI_HTTP_ACCEPT_TRAFFIC_MEMORY_THRESHOLD"] = "70.5",
            ["SOKETI_LOG_FORMAT"] = "json",
            ["SOKETI_TRANSPORT"] = "sockets",
        });

        Assert.Equal(new MetricsOptions(true, "127.0.0.1", 9700, "realtime_"), options.Metrics);
        Assert.Equal(new DrainOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)), options.Gateway.Drain);
        Assert.Equal(70.5, options.Gateway.AcceptTrafficMemoryThreshold);
        Assert.True(options.JsonLogs);
        Assert.False(options.EventLoops);
        Assert.Empty(options.Warnings);
    }

    [Fact]
    public void Invalid_values_stop_start_up_naming_the_key_and_what_is_allowed()
    {
        Assert.Equal(
            [
                "shutdownDrainDelay (SOKETI_SHUTDOWN_DRAIN_DELAY) must be an integer of at least 0; got -1",
                "logFormat (SOKETI_LOG_FORMAT): \"xml\" is not a known value; allowed: text, json",
                "transport (SOKETI_TRANSPORT): \"epoll\" is not a known value; allowed: loop, sockets",
                "metrics.driver (SOKETI_METRICS_DRIVER): \"statsd\" is not a known value; allowed: prometheus",
                "metrics.prometheus.prefix (SOKETI_METRICS_PROMETHEUS_PREFIX): \"9-bad\" cannot start a Prometheus metric name; allowed: letters, digits, _ and :, not starting with a digit",
                "metrics.host (SOKETI_METRICS_HOST): \"metrics.local\" is not an IP address; allowed: an IPv4/IPv6 address or localhost",
                "metrics.port (SOKETI_METRICS_SERVER_PORT) must be an integer from 0 to 65535; got 70000",
                "httpApi.acceptTraffic.memoryThreshold (SOKETI_HTTP_ACCEPT_TRAFFIC_MEMORY_THRESHOLD) must be a positive number; got 0",
            ],
            Problems(new()
            {
                ["SOKETI_METRICS_DRIVER"] = "statsd",
                ["SOKETI_METRICS_PROMETHEUS_PREFIX"] = "9-bad",
                ["SOKETI_METRICS_HOST"] = "metrics.local",
                ["SOKETI_METRICS_SERVER_PORT"] = "70000",
                ["SOKETI_SHUTDOWN_DRAIN_DELAY"] = "-1",
                ["SOKETI_HTTP_ACCEPT_TRAFFIC_MEMORY_THRESHOLD"] = "0",
                ["SOKETI_LOG_FORMAT"] = "xml",
                ["SOKETI_TRANSPORT"] = "epoll",
            }));
    }
}
