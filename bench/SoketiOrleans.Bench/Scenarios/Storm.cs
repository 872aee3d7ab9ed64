using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// Bursts of sockets that connect, join a presence and a public channel and are then reset (a TCP reset,
/// no close handshake), as when a load balancer or a crowd of phones drops at once: how much of each
/// burst the server accepts, whether a bystander keeps getting its events meanwhile, and whether the
/// server's memory comes back afterwards.
/// </summary>
public static class Storm
{
    public static readonly SizeOption Bursts = new("bursts", 3, 2);
    public static readonly SizeOption BurstSockets = new("burst-sockets", 3000, 300);

    private const int Concurrency = 100;
    private const int PresenceChannels = 100;
    private const int PublicChannels = 100;
    private const long ReturnedWithinKib = 64 * 1024;

    /// <summary>How long after the last burst the memory is watched; the bound for it to come back.</summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    /// <summary>Long enough after the warm-up burst for the server to settle, so the base is its steady state.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        using var resetting = new HttpMessageInvoker(ResettingHandler());
        var perBurst = sizes[BurstSockets];
        await Burst(context, resetting, "warm", perBurst / 10);
        await Task.Delay(Settle);
        var rssBase = context.Stats.ServerRssKib();

        await using var bystander = await Bystander.Start(context);
        using var peak = new PeakRss(context.Stats);
        var start = context.Stats.Sample();
        var accepted = 0;
        for (var burst = 0; burst < sizes[Bursts]; burst++)
            accepted += await Burst(context, resetting, $"b{burst}", perBurst);
        var usage = context.Stats.Sample().Since(start);

        var stormEnded = Stopwatch.GetTimestamp();
        double backSeconds = -1;
        long rssEnd;
        while (true)
        {
            rssEnd = context.Stats.ServerRssKib();
            var elapsed = Stopwatch.GetElapsedTime(stormEnded);
            if (backSeconds < 0 && rssEnd - rssBase <= ReturnedWithinKib)
                backSeconds = elapsed.TotalSeconds;
            if (elapsed >= Recovery)
                break;
            await Task.Delay(500);
        }

        var (sent, received) = await bystander.Stop();
        var latencies = bystander.Lap();
        return new Result("storm")
            .Add("accepted_pct", 100.0 * accepted / (perBurst * sizes[Bursts]), 2)
            .Add("rss_base_mib", rssBase / 1024.0, 1)
            .Add("rss_peak_mib", peak.MaxKib / 1024.0, 1)
            .Add("rss_after_30s_mib", rssEnd / 1024.0, 1)
            .Add("back_within_64mib_s", backSeconds, 1)
            .Add("bystander_delivered_pct", sent == 0 ? 0 : 100.0 * received / sent, 2)
            .Percentiles("bystander_", latencies)
            .Cpu(usage);
    }

    /// <summary>Opens <paramref name="count"/> sockets, each in a presence and a public channel, then resets them all; returns how many connected.</summary>
    private static async Task<int> Burst(RunContext context, HttpMessageInvoker resetting, string name, int count)
    {
        var opened = await Sockets.OpenAcceptedAsync(context, count, Concurrency, async (i, connection, cancellation) =>
        {
            await connection.SubscribeAsync(
                OutgoingFrames.SubscribePresence(context.Auth, connection.SocketId, $"presence-storm-{i % PresenceChannels}", $"{name}-{i}"), cancellation);
            await connection.SubscribeAsync(OutgoingFrames.Subscribe($"storm-{i % PublicChannels}"), cancellation);
        }, resetting);
        foreach (var connection in opened)
            connection.Reset();
        return opened.Count;
    }

    /// <summary>Sockets whose close is a TCP reset (linger 0), so dropping one skips the close handshake at both layers.</summary>
    private static SocketsHttpHandler ResettingHandler() => new()
    {
        ConnectCallback = async (endpoint, cancellation) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, LingerState = new LingerOption(true, 0) };
            try
            {
                await socket.ConnectAsync(endpoint.DnsEndPoint, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>The server's highest RSS while it lives, sampled every 250 ms.</summary>
    private sealed class PeakRss : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private long _max;

        public PeakRss(ProcessStats stats) => _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var rss = stats.ServerRssKib();
                if (rss > Interlocked.Read(ref _max))
                    Interlocked.Exchange(ref _max, rss);
                try
                {
                    await Task.Delay(250, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        public long MaxKib => Interlocked.Read(ref _max);

        public void Dispose() => _stop.Cancel();
    }
}
