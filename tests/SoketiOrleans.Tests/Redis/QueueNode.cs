using SoketiOrleans.Apps;
using SoketiOrleans.Grains.Redis;
using SoketiOrleans.Grains.Webhooks;
using SoketiOrleans.Grains.Webhooks.Redis;
using SoketiOrleans.Webhooks;
using StackExchange.Redis;

namespace SoketiOrleans.Tests.Redis;

/// <summary>
/// One node's webhook queue on its own connection, as a server process in <c>redis</c> mode has it.
/// Disposing shuts it down gracefully (the lease is released); <see cref="Die"/> drops the
/// connection first, so nothing more reaches Redis, as when a process is killed.
/// </summary>
public sealed class QueueNode : IAsyncDisposable
{
    private bool _disposed;

    private QueueNode(IConnectionMultiplexer connection, string root)
    {
        Connection = connection;
        Store = new RedisStore(connection, root);
        Queue = new RedisWebhookQueue(Store, RedisWebhookTimes.Defaults, TimeProvider.System, Log);
    }

    public IConnectionMultiplexer Connection { get; }

    public RedisStore Store { get; }

    public RecordingLogger<RedisWebhookQueue> Log { get; } = new();

    public RedisWebhookQueue Queue { get; }

    /// <summary>Connects lazily: Redis need not be up yet, as a node that starts during an outage.</summary>
    public static async Task<QueueNode> Start(int redisPort, string root = "test:soketi:")
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{redisPort}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1000;
        options.AsyncTimeout = 2000;
        options.ReconnectRetryPolicy = new LinearRetry(250);
        return new QueueNode(await ConnectionMultiplexer.ConnectAsync(options), root);
    }

    /// <summary>The same app and URL on every node, as a cluster configured with the same apps has.</summary>
    public static WebhookDestination Destination(string appId = "app-1", string url = "http://127.0.0.1:9/hook")
    {
        var target = new WebhookTarget { Url = new Uri(url), EventTypes = new HashSet<string>(WebhookEventNames.All) };
        return new WebhookDestination(new App { Id = appId, Key = "key", Secret = "secret", Webhooks = [target] }, target);
    }

    /// <summary>A client event whose channel names it, e.g. <c>a-17</c>.</summary>
    public static WebhookEvent Event(string name) =>
        new(WebhookEventNames.ClientEvent, name) { Event = "client-test", DataJson = $$"""{"id":"{{name}}"}""", SocketId = "1.2" };

    /// <summary>The channels of <see cref="Enqueue"/>'s events, in order.</summary>
    public static string[] Names(string prefix, int count) => Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToArray();

    public string StreamKey(WebhookDestination destination) => new RedisWebhookKeys(Store, destination, "").Stream.ToString();

    public string OwnerKey(WebhookDestination destination) => new RedisWebhookKeys(Store, destination, "").Owner.ToString();

    public void Enqueue(WebhookDestination destination, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(Queue.Enqueue(destination, Event($"{prefix}-{i}")));
        }
    }

    public async Task Die()
    {
        _disposed = true;
        await Connection.DisposeAsync();
        await Queue.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await Queue.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
