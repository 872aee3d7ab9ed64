using System.Diagnostics;
using SoketiOrleans.Bench.Frames;

namespace SoketiOrleans.Bench.Scenarios;

/// <summary>
/// A steady churn for a long time (the warm-up and the measured window: <c>--warmup 120 --seconds 600</c>
/// for the 10-minute soak): sockets arrive at a fixed rate, join a public and a presence channel, live
/// for a while and close, while events are published to the public channels. What it shows is whether
/// anything accumulates: the server's RSS growth per minute over the window, the thread pool's queue,
/// and, after the churn stops, how long the grain activations take to come back to what they were.
/// </summary>
public static class Churn
{
    public static readonly SizeOption Rate = new("churn-rate", 100, 20);
    public static readonly SizeOption Lifetime = new("churn-lifetime-ms", 5000, 2000);

    private const int PublicChannels = 200;
    private const int PresenceChannels = 50;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PublishEvery = TimeSpan.FromMilliseconds(20);

    /// <summary>Idle grains go after 2 minutes, checked every minute: allow both and a margin.</summary>
    private static readonly TimeSpan ActivationsWait = TimeSpan.FromMinutes(5);

    public static async Task<Result> RunAsync(RunContext context, ScenarioSizes sizes)
    {
        using var metrics = context.MetricsUrl is { } url ? new ServerMetrics(url) : null;
        var activationsBase = metrics is null ? double.NaN : await metrics.Sum(ServerMetrics.Activations);
        using var window = context.NewWindow();
        var load = new Load(context, sizes[Lifetime], window);
        var arrivals = Arrive(load, sizes[Rate], window.Stopping);
        var publishing = Publish(context, window.Stopping);
        var sampling = Sample(context, metrics, window);
        var usage = await window.RunAsync();
        await Task.WhenAll(arrivals, publishing);
        var (rss, queueMax, activationsPeak) = await sampling;
        await load.Drain();

        var result = new Result("churn")
            .Rate("connects_per_s", load.Connected, usage.Wall)
            .Add("failed_connects", load.Failed, 0)
            .Add("rss_start_mib", rss[0].Kib / 1024.0, 1)
            .Add("rss_end_mib", rss[^1].Kib / 1024.0, 1)
            .Add("rss_growth_mib_per_min", Slope(rss) / 1024.0, 2);
        if (metrics is not null)
        {
            var (after, back) = await ActivationsBack(metrics, activationsBase);
            result.Add("threadpool_queue_max", queueMax, 0)
                .Add("activations_base", activationsBase, 0)
                .Add("activations_peak", activationsPeak, 0)
                .Add("activations_after", after, 0)
                .Add("activations_back_s", back, 0);
        }
        return result.Cpu(usage);
    }

    /// <summary>Starts <paramref name="rate"/> sockets a second, a share every tick, until stopped.</summary>
    private static async Task Arrive(Load load, int rate, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Tick);
        var due = 0.0;
        var perTick = rate * Tick.TotalSeconds;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                for (due += perTick; due >= 1; due--)
                    load.Start();
            }
        }
        catch (OperationCanceledException)
        {
            // The window closed.
        }
    }

    private static async Task Publish(RunContext context, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(PublishEvery);
        var next = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
                await context.Api.TriggerAsync(OutgoingFrames.JsonObject(w =>
                {
                    w.WriteString("name", "e");
                    w.WriteStartArray("channels");
                    w.WriteStringValue($"churn-{next++ % PublicChannels}");
                    w.WriteEndArray();
                    w.WriteString("data", "churn");
                }));
        }
        catch (OperationCanceledException)
        {
            // The window closed.
        }
    }

    /// <summary>RSS every few seconds of the measured window; the thread pool's longest queue and the most activations seen.</summary>
    private static async Task<(List<(double Minutes, long Kib)> Rss, double QueueMax, double ActivationsPeak)> Sample(
        RunContext context, ServerMetrics? metrics, MeasuredWindow window)
    {
        var rss = new List<(double, long)>();
        double queueMax = 0, activationsPeak = 0;
        var started = 0L;
        using var timer = new PeriodicTimer(SampleEvery);
        try
        {
            do
            {
                if (metrics is not null)
                {
                    queueMax = Math.Max(queueMax, await metrics.Sum(ServerMetrics.ThreadPoolQueue));
                    activationsPeak = Math.Max(activationsPeak, await metrics.Sum(ServerMetrics.Activations));
                }
                if (!window.Measuring)
                    continue;
                if (started == 0)
                    started = Stopwatch.GetTimestamp();
                rss.Add((Stopwatch.GetElapsedTime(started).TotalMinutes, context.Stats.ServerRssKib()));
            }
            while (await timer.WaitForNextTickAsync(window.Stopping));
        }
        catch (OperationCanceledException)
        {
            // The window closed.
        }
        rss.Add((Stopwatch.GetElapsedTime(started).TotalMinutes, context.Stats.ServerRssKib()));
        return (rss, queueMax, activationsPeak);
    }

    /// <summary>Least-squares slope, KiB per minute.</summary>
    private static double Slope(List<(double Minutes, long Kib)> samples)
    {
        var meanX = samples.Average(s => s.Minutes);
        var meanY = samples.Average(s => (double)s.Kib);
        var covariance = samples.Sum(s => (s.Minutes - meanX) * (s.Kib - meanY));
        var variance = samples.Sum(s => (s.Minutes - meanX) * (s.Minutes - meanX));
        return variance == 0 ? 0 : covariance / variance;
    }

    /// <summary>The activations once they are back to <paramref name="baseline"/>, or after the wait; and the seconds it took (-1: not back).</summary>
    private static async Task<(double After, double Seconds)> ActivationsBack(ServerMetrics metrics, double baseline)
    {
        var stopped = Stopwatch.GetTimestamp();
        while (true)
        {
            var now = await metrics.Sum(ServerMetrics.Activations);
            var elapsed = Stopwatch.GetElapsedTime(stopped);
            if (now <= baseline)
                return (now, elapsed.TotalSeconds);
            if (elapsed > ActivationsWait)
                return (now, -1);
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>The sockets alive at any moment: each joins, lives its lifetime and closes.</summary>
    private sealed class Load(RunContext context, int lifetimeMs, MeasuredWindow window)
    {
        private readonly List<Task> _lives = [];
        private long _next;
        private long _connected;
        private long _failed;

        /// <summary>Sockets that connected while the window was measuring.</summary>
        public long Connected => Interlocked.Read(ref _connected);

        public long Failed => Interlocked.Read(ref _failed);

        public void Start()
        {
            var task = Live(Interlocked.Increment(ref _next));
            lock (_lives)
            {
                _lives.RemoveAll(t => t.IsCompleted);
                _lives.Add(task);
            }
        }

        public Task Drain()
        {
            lock (_lives)
                return Task.WhenAll(_lives);
        }

        private async Task Live(long i)
        {
            PusherConnection connection;
            try
            {
                connection = await PusherConnection.OpenAsync(context, Sockets.Ignore, CancellationToken.None);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _failed);
                context.Errors.Report($"churn socket {i} did not connect: {e.Message}");
                return;
            }
            if (window.Measuring)
                Interlocked.Increment(ref _connected);
            await connection.SubscribeAsync(OutgoingFrames.Subscribe($"churn-{i % PublicChannels}"));
            await connection.SubscribeAsync(OutgoingFrames.SubscribePresence(context.Auth, connection.SocketId, $"presence-churn-{i % PresenceChannels}", $"u{i}"));
            try
            {
                await Task.Delay(lifetimeMs, window.Stopping);
            }
            catch (OperationCanceledException)
            {
                // The window closed: leave now.
            }
            await connection.CloseAsync(TimeSpan.FromSeconds(30));
        }
    }
}
