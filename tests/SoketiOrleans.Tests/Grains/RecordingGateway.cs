using System.Collections.Concurrent;
using System.Text;
using SoketiOrleans.Channels;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Grains;

/// <summary>A gateway as the grains see it: an observer that records what it is sent.</summary>
public sealed class RecordingGateway : IGatewayObserver
{
    private readonly ConcurrentQueue<ChannelDelivery> _deliveries = new();

    private RecordingGateway(IGrainFactory grains, string id)
    {
        Id = id;
        Reference = grains.CreateObjectReference<IGatewayObserver>(this);
    }

    public string Id { get; }

    public IGatewayObserver Reference { get; }

    /// <summary>
    /// In stream order, as the real gateway restores it: OneWay messages to an observer can arrive
    /// out of order (seen in these very tests).
    /// </summary>
    public IReadOnlyList<ChannelDelivery> Deliveries => _deliveries.OrderBy(d => d.Registration).ThenBy(d => d.Sequence).ToArray();

    public static RecordingGateway Create(IGrainFactory grains) => new(grains, $"gw-{Guid.NewGuid():N}");

    public long CurrentRegistration { get; private set; } = 1;

    public GatewayRegistration Registration(int sockets) => new(Id, Reference, CurrentRegistration, sockets);

    public void StartNewRegistration() => CurrentRegistration++;

    public Task Deliver(ChannelDelivery delivery)
    {
        _deliveries.Enqueue(delivery);
        return Task.CompletedTask;
    }

    /// <summary>The close orders it was sent, as (socket ids, code, message).</summary>
    public ConcurrentQueue<(string[] SocketIds, int Code, string Message)> Closes { get; } = new();

    public Task CloseSockets(string[] socketIds, int code, string message)
    {
        Closes.Enqueue((socketIds, code, message));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChannelDelivery>> WaitFor(int count) =>
        Eventually.Get(() => Task.FromResult(Deliveries), d => d.Count >= count, $"{count} deliveries at {Id}");

    public static string Text(ChannelDelivery delivery) => Encoding.UTF8.GetString(delivery.Frame);
}
