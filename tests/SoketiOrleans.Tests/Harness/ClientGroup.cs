using System.Collections.Concurrent;

namespace SoketiOrleans.Tests.Harness;

/// <summary>The many raw clients of one test, closed together when it ends, whatever it asserted.</summary>
public sealed class ClientGroup : IAsyncDisposable
{
    private readonly ConcurrentBag<RawPusherClient> _clients = [];

    /// <summary>Connects and returns before reading anything (see <see cref="RawPusherClient.Open"/>).</summary>
    public async Task<RawPusherClient> Open(Uri uri) => Keep(await RawPusherClient.Open(uri));

    /// <summary>Connects and reads <c>pusher:connection_established</c> (see <see cref="RawPusherClient.Connect"/>).</summary>
    public async Task<RawPusherClient> Connect(Uri uri) => Keep(await RawPusherClient.Connect(uri));

    private RawPusherClient Keep(RawPusherClient client)
    {
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync() => await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));
}
