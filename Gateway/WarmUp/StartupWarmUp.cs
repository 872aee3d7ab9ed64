using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.HttpApi;
using SoketiOrleans.Gateway.Metrics;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.WarmUp;

/// <summary>
/// Before the gateway reports ready, it runs its own client paths once, through its own port, as an
/// app made for it (<see cref="GatewayApps"/>): two sockets connect, ping, subscribe to a public, a
/// private and a presence channel, receive an HTTP API publish and a batch, and one sends the other a
/// client event; then the channels are listed and the sockets close. On a fresh process the first
/// client of each path otherwise pays its compilation and its grains' first activation (a first
/// subscribe took about 100 ms), and a burst of connects queues behind that. Then a burst: <see
/// cref="BurstSockets"/> sockets subscribe to a channel each, all at once, as clients reconnecting to
/// a fresh node do; it runs the code that only runs once tables grow (the runtime's table of calls
/// in flight, its activations, the app's channel index, the gateway's ledger), which a node's first
/// burst otherwise compiles while it waits (about 20 ms of compilation in a 10,000-connect burst's
/// first quarter second, docs/benchmarks.md). The warm-up's app has no
/// webhooks and no exposed metrics, and its grains go idle once it closes. A warm-up that fails is
/// logged and the gateway becomes ready all the same.
/// </summary>
public sealed partial class StartupWarmUp(
    GatewayApps apps, WarmUpTarget target, SocketRegistry sockets, GatewayMetrics metrics, ILogger<StartupWarmUp> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SocketsGonePoll = TimeSpan.FromMilliseconds(10);

    /// <summary>More than the runtime's tables hold before they first grow (31 entries on one core).</summary>
    private const int BurstSockets = 48;

    private volatile bool _warming = true;

    /// <summary>True until the warm-up has ended: <c>/ready</c> answers 503 meanwhile.</summary>
    public bool IsWarming => _warming;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var app = new App
        {
            Id = "warm-up-" + Guid.NewGuid().ToString("N"),
            Key = Guid.NewGuid().ToString("N"),
            Secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            EnableClientMessages = true,
        };
        var started = Stopwatch.GetTimestamp();
        metrics.Unlist(app.Id);
        apps.Admit(app);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        try
        {
            string[] socketIds = [.. await Run(app, limit.Token), .. await Burst(app, limit.Token)];
            while (socketIds.Any(id => sockets.TryGet(id, out _)))
            {
                await Task.Delay(SocketsGonePoll, limit.Token);
            }

            LogWarmedUp(logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds, socketIds.Length);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogWarmUpFailed(logger, e, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        finally
        {
            apps.Dismiss();
            _warming = false;
        }
    }

    private async Task<string[]> Run(App app, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        await using var a = await WarmUpSocket.Open(target.Server, app, cancellationToken);
        await using var b = await WarmUpSocket.Open(target.Server, app, cancellationToken);
        await a.Send("""{"event":"pusher:ping","data":{}}""", cancellationToken);
        await a.Expect(PusherEvents.Pong, null, cancellationToken);
        foreach (var socket in (WarmUpSocket[])[a, b])
        {
            foreach (var channel in (string[])["warm-up", "private-warm-up", "presence-warm-up"])
            {
                await socket.Subscribe(channel, cancellationToken);
                await socket.Expect(PusherEvents.SubscriptionSucceeded, channel, cancellationToken);
            }
        }

        await Call(http, app, HttpMethod.Post, "events", """{"name":"warm-up","channel":"warm-up","data":"{}"}""", cancellationToken);
        await Call(http, app, HttpMethod.Post, "batch_events", """{"batch":[{"name":"warm-up-batch","channel":"warm-up","data":"{}"}]}""", cancellationToken);
        foreach (var socket in (WarmUpSocket[])[a, b])
        {
            await socket.Expect("warm-up", "warm-up", cancellationToken);
            await socket.Expect("warm-up-batch", "warm-up", cancellationToken);
        }

        await a.Send("""{"event":"client-warm-up","channel":"private-warm-up","data":{}}""", cancellationToken);
        await b.Expect("client-warm-up", "private-warm-up", cancellationToken);
        await Call(http, app, HttpMethod.Get, "channels", null, cancellationToken);
        return [a.Id, b.Id];
    }

    private async Task<string[]> Burst(App app, CancellationToken cancellationToken)
    {
        var sockets = new List<WarmUpSocket>(BurstSockets);
        try
        {
            while (sockets.Count < BurstSockets)
            {
                sockets.Add(await WarmUpSocket.Open(target.Server, app, cancellationToken));
            }

            await Task.WhenAll(sockets.Select(async (socket, i) =>
            {
                var channel = $"warm-up-burst-{i}";
                await socket.Subscribe(channel, cancellationToken);
                await socket.Expect(PusherEvents.SubscriptionSucceeded, channel, cancellationToken);
            }));
            return [.. sockets.Select(socket => socket.Id)];
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>A signed HTTP API call, as a server SDK makes it.</summary>
    private async Task Call(HttpClient http, App app, HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        var absolutePath = $"{target.Server.AbsolutePath.TrimEnd('/')}/apps/{app.Id}/{path}";
        var query = RequestSignature.SignedQuery(app, method.Method, absolutePath, Encoding.UTF8.GetBytes(body ?? ""), DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(method, new Uri(target.Server, $"{absolutePath}?{query}"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warmed up in {ElapsedMs:F0} ms with {Sockets} sockets")]
    private static partial void LogWarmedUp(ILogger logger, double elapsedMs, int sockets);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up warm-up failed after {ElapsedMs:F0} ms; ready without it")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception, double elapsedMs);
}

/// <summary>Where the warm-up reaches this process's gateway: scheme, address, port and path prefix.</summary>
public sealed record WarmUpTarget(Uri Server);
