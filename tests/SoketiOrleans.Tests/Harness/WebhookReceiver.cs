using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// A webhook endpoint on a free loopback port that records every request. Each path answers 200
/// unless told otherwise: a status per attempt, or no answer at all (until disposed), possibly late.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<WebhookRequest> _received = new();
    private readonly ConcurrentDictionary<string, Func<int, int?>> _answers = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _delays = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Listen);
    }

    public int Port { get; }

    /// <summary>Now, on the clock of <see cref="WebhookRequest.At"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyList<WebhookRequest> Received => _received.ToArray();

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <param name="status">The status for attempt n (1-based) on this path; null never answers.</param>
    public void Answer(string path, Func<int, int?> status) => _answers[path] = status;

    /// <summary>Every answer on this path comes only after <paramref name="delay"/>: a slow receiver.</summary>
    public void AnswerAfter(string path, TimeSpan delay) => _delays[path] = delay;

    public IReadOnlyList<WebhookRequest> On(string path) => Received.Where(r => r.Path == path).ToArray();

    /// <summary>Every event received on <paramref name="path"/> for <paramref name="channel"/>, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Events(string path, string channel) =>
        On(path).SelectMany(r => r.Events).Where(e => e.GetProperty("channel").GetString() == channel).ToArray();

    public Task<IReadOnlyList<JsonElement>> WaitForEvents(string path, string channel, int count, TimeSpan? timeout = null) =>
        Eventually.Get(() => Task.FromResult(Events(path, channel)), e => e.Count >= count, $"{count} webhook events for {channel} on {path}", timeout);

    /// <summary>
    /// Each request on <paramref name="path"/> with events for <paramref name="channel"/>: when it
    /// arrived and its body, whose <c>time_ms</c> tells a resent batch from an event raised twice.
    /// </summary>
    public string Describe(string path, string channel) =>
        string.Join("\n", On(path)
            .Where(r => r.Events.Any(e => e.GetProperty("channel").GetString() == channel))
            .Select(r => $"{r.At.TotalMilliseconds:F0} ms: {r.Body}"));

    public static string Names(IEnumerable<JsonElement> events) => string.Join(",", events.Select(e => e.GetProperty("name").GetString()));

    private async Task Listen()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new WebhookRequest(path, headers, body, _clock.Elapsed));

        var attempt = _attempts.AddOrUpdate(path, 1, (_, n) => n + 1);
        var status = _answers.TryGetValue(path, out var answer) ? answer(attempt) : 200;
        var delay = status is null ? Timeout.InfiniteTimeSpan : _delays.GetValueOrDefault(path);
        if (delay != TimeSpan.Zero)
        {
            // Disposing ends the wait; the answer (if any) then goes to a closed listener.
            await Task.Delay(delay, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (status is null || _stop.IsCancellationRequested)
        {
            return;
        }

        context.Response.StatusCode = status.Value;
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _loop;
        _stop.Dispose();
    }
}

/// <param name="At">When the request arrived, on the receiver's clock.</param>
public sealed record WebhookRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan At)
{
    public IReadOnlyList<JsonElement> Events =>
        JsonDocument.Parse(Body).RootElement.GetProperty("events").EnumerateArray().Select(e => e.Clone()).ToArray();

    /// <summary>Pusher's check: hex HMAC-SHA256 of the exact body with the app secret.</summary>
    public bool IsSignedWith(string key, string secret) =>
        Headers.GetValueOrDefault("X-Pusher-Key") == key
        && Headers.GetValueOrDefault("X-Pusher-Signature") == Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Body)));
}
