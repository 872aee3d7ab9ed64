using SoketiOrleans.Apps;
using System.Collections.Concurrent;
using System.Text;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Quotas;
using SoketiOrleans.Tests.Harness;
using SoketiOrleans.Users;

namespace SoketiOrleans.Tests.Grains;

/// <summary>
/// A gateway as the grains see it: an observer that records what it is sent. Deliveries go through
/// the real gateway's reorder buffer, so <see cref="Deliveries"/> is what a real gateway would pass
/// on, in its order; OneWay messages can arrive out of order (seen in these very tests).
/// </summary>
public sealed class RecordingGateway : IGatewayObserver
{
    private readonly ConcurrentDictionary<(string Channel, long Registration), ReorderBuffer> _streams = new();
    private readonly List<ChannelDelivery> _deliveries = [];
    private long _version;

    private RecordingGateway(IGrainFactory grains, string id)
    {
        Id = id;
        Reference = grains.CreateObjectReference<IGatewayObserver>(this);
    }

    public string Id { get; }

    public IGatewayObserver Reference { get; }

    public IReadOnlyList<ChannelDelivery> Deliveries
    {
        get
        {
            lock (_deliveries)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>The close orders it was sent, as (socket ids, code, message).</summary>
    public ConcurrentQueue<(string[] SocketIds, int Code, string Message)> Closes { get; } = new();

    public long CurrentRegistration { get; private set; } = 1;

    public static RecordingGateway Create(IGrainFactory grains) => new(grains, $"gw-{Guid.NewGuid():N}");

    /// <summary>A channel report of this gateway, each one newer than the last.</summary>
    public ChannelReport Report(int sockets) => new(Id, Reference, CurrentRegistration, Interlocked.Increment(ref _version), sockets);

    /// <summary>A presence channel's report: exactly these sockets.</summary>
    public ChannelReport Presence(params PresenceSocket[] members) =>
        new(Id, Reference, CurrentRegistration, Interlocked.Increment(ref _version), members.Length, members);

    /// <summary>A user report: exactly these signed-in sockets of the user.</summary>
    public UserReport User(params UserSocket[] sockets) => new(Id, Reference, Interlocked.Increment(ref _version), sockets);

    public void StartNewRegistration() => CurrentRegistration++;

    /// <summary>What it answers a rebuilding channel grain that asks it directly (as it asks a gateway outside any silo).</summary>
    public ConcurrentDictionary<string, ChannelReport> Held { get; } = new();

    public Task<ChannelReport[]> Channel(string channelKey) =>
        Task.FromResult(Held.TryGetValue(channelKey, out var report) ? new[] { report } : []);

    public Task<UserState[]> User(string userKey) => Task.FromResult<UserState[]>([]);

    public Task<ConnectionReport[]> Connections(string appId) => Task.FromResult<ConnectionReport[]>([]);

    public Task<ChannelShare[]> Channels(string appId) => Task.FromResult<ChannelShare[]>([]);

    public Task Deliver(ChannelDelivery delivery)
    {
        lock (_deliveries)
        {
            _streams.GetOrAdd((delivery.ChannelKey, delivery.Registration), _ => new ReorderBuffer()).Accept(delivery, _deliveries.Add);
        }

        return Task.CompletedTask;
    }

    public Task DeliverConfirmed(ChannelDelivery delivery) => Deliver(delivery);

    public Task CloseSockets(string[] socketIds, int code, string message)
    {
        Closes.Enqueue((socketIds, code, message));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChannelDelivery>> WaitFor(int count) =>
        Eventually.Get(() => Task.FromResult(Deliveries), d => d.Count >= count, $"{count} deliveries at {Id}");

    public static string Text(ChannelDelivery delivery) => Encoding.UTF8.GetString(delivery.Frame);
}
