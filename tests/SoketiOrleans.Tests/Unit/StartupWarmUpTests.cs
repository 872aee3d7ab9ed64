using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Metrics;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Gateway.WarmUp;
using SoketiOrleans.Tests.Harness;
using SoketiOrleans.Tests.Redis;

namespace SoketiOrleans.Tests.Unit;

/// <summary>A warm-up that cannot run is logged as a warning and ends all the same, so the process becomes ready.</summary>
public sealed class StartupWarmUpTests
{
    private readonly RecordingLogger<StartupWarmUp> _logger = new();

    private StartupWarmUp WarmUp(int port) => new(
        new GatewayApps(new ArrayAppManager([])),
        new WarmUpTarget(new Uri($"http://127.0.0.1:{port}/")),
        new SocketRegistry(),
        new GatewayMetrics(Prometheus.Metrics.NewCustomRegistry(), "soketi_", port),
        _logger);

    [Fact]
    public async Task A_port_that_refuses_the_warm_up_ends_it_with_a_warning()
    {
        var warmUp = WarmUp(FreePort.Next());
        Assert.True(warmUp.IsWarming);

        await warmUp.StartedAsync(CancellationToken.None);

        Assert.False(warmUp.IsWarming);
        var line = Assert.Single(_logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.StartsWith("The start-up warm-up failed after ", line.Message);
    }

    [Fact]
    public async Task A_port_that_never_answers_ends_the_warm_up_after_10_seconds_with_a_warning()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var warmUp = WarmUp(((IPEndPoint)silent.LocalEndpoint).Port);
        var started = Stopwatch.StartNew();

        await warmUp.StartedAsync(CancellationToken.None);

        // The limit's timer counts a coarser clock than the stopwatch's in whole milliseconds: it can
        // end up to one early by the stopwatch (9,999.05 ms seen once).
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(9.99), TimeSpan.FromSeconds(30));
        Assert.False(warmUp.IsWarming);
        var line = Assert.Single(_logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.StartsWith("The start-up warm-up failed after ", line.Message);
    }
}
