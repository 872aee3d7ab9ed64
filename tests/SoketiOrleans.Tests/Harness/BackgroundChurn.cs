namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// Other clients' load on the servers while a test checks something: sockets spread over the servers,
/// each subscribing to channels of its own and leaving them, one after another, while an API client
/// publishes to a channel one of them holds. Counts what got done, so a test can show the load ran
/// while it checked; a failure in the load fails the test when the load is stopped.
/// </summary>
public sealed class BackgroundChurn : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ClientGroup _clients = new();
    private readonly List<Task> _loops = [];
    private long _subscriptions;
    private long _publishes;

    private BackgroundChurn()
    {
    }

    /// <summary>Subscriptions that succeeded so far.</summary>
    public long Subscriptions => Interlocked.Read(ref _subscriptions);

    /// <summary>API publishes answered 200 so far.</summary>
    public long Publishes => Interlocked.Read(ref _publishes);

    /// <summary>Starts <paramref name="socketsPerServer"/> churning sockets on each server and one publisher through the first.</summary>
    public static async Task<BackgroundChurn> Start(IReadOnlyList<ServerProcess> servers, PusherApi api, int socketsPerServer)
    {
        var churn = new BackgroundChurn();
        var feed = Names.Unique("churn-feed-");
        foreach (var server in servers)
        {
            for (var i = 0; i < socketsPerServer; i++)
            {
                var client = await churn._clients.Connect(server.WebSocketUri());
                churn._loops.Add(churn.Churn(client));
            }
        }

        var listener = await churn._clients.Connect(servers[0].WebSocketUri());
        await listener.Subscribe(feed);
        await listener.WaitFor("pusher_internal:subscription_succeeded", feed);
        churn._loops.Add(churn.Publish(api, feed));
        return churn;
    }

    private async Task Churn(RawPusherClient client)
    {
        while (!_stop.IsCancellationRequested)
        {
            var channel = Names.Unique("churn-");
            await client.Subscribe(channel);
            await client.WaitFor("pusher_internal:subscription_succeeded", channel);
            Interlocked.Increment(ref _subscriptions);
            await client.Unsubscribe(channel);
        }
    }

    private async Task Publish(PusherApi api, string channel)
    {
        while (!_stop.IsCancellationRequested)
        {
            ApiAssert.IsOk(await api.Trigger(channel, "churn", "{}"));
            Interlocked.Increment(ref _publishes);
        }
    }

    /// <summary>Stops the load and rethrows what failed in it.</summary>
    public async Task Stop()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        await _clients.DisposeAsync();
        _stop.Dispose();
    }
}
