namespace SoketiOrleans.Bench;

/// <summary>What every scenario of one <c>run</c> shares.</summary>
public sealed class RunContext(Target target, ProcessStats stats, TimeSpan warmup, TimeSpan duration, Uri? metricsUrl = null) : IDisposable
{
    public Target Target => target;
    public ProcessStats Stats => stats;
    public Errors Errors { get; } = new();
    /// <summary>The server's Prometheus endpoint (<c>--metrics-url</c>), for the loads that read what only it exports.</summary>
    public Uri? MetricsUrl => metricsUrl;

    public ChannelAuth Auth { get; } = new(target.Key, target.Secret);

    /// <summary>One handler for all WebSocket handshakes, instead of one per ClientWebSocket.</summary>
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler());

    public ApiClient Api => api ??= new ApiClient(target, Errors);
    private ApiClient? api;

    public MeasuredWindow NewWindow() => new(stats, warmup, duration);

    public void Dispose()
    {
        Invoker.Dispose();
        api?.Dispose();
    }
}
