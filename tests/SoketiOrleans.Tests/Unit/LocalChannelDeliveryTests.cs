using SoketiOrleans.Gateway.Metrics;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Quotas;
using SoketiOrleans.Gateway.Reassertion;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Gateway.Users;

namespace SoketiOrleans.Tests.Unit;

/// <summary>
/// A gateway's channel restores the grain's order, "skips a gap after 2 s if a message was lost"
/// (docs/modes/local.md), and drops a second copy of a retried publication (docs/recovery.md). A
/// lost delivery cannot be forced between real processes, so the channel is driven here the way
/// the gateway drives it: joined through <see cref="LocalChannelIndex"/> with a grain seam that
/// acknowledges its report (which makes the report's registration the current stream), fed
/// through the <see cref="GatewayObserver"/> the grains push to, and read off the socket's writer.
/// </summary>
public sealed class LocalChannelDeliveryTests : IAsyncLifetime
{
    /// <summary>The age at which the gateway's twice-a-second sweep (Housekeeping) skips a gap.</summary>
    private static readonly TimeSpan GapPatience = TimeSpan.FromSeconds(2);

    private static readonly App App = new() { Id = "app-id", Key = "app-key", Secret = "app-secret" };

    /// <summary>Sent straight to the socket after the deliveries under test: what came out before it is all they produced.</summary>
    private static readonly byte[] Marker = "marker"u8.ToArray();

    private readonly AcknowledgingCluster _cluster = new();
    private readonly Reassertion _reassertion = new(new FakeTimeProvider(), NullLogger<Reassertion>.Instance);
    private readonly RecordingWebSocket _wire = new();
    private GatewayObserver _observer = null!;
    private PusherSocket _socket = null!;
    private LocalChannel _channel = null!;
    private long _registration;

    public async Task InitializeAsync()
    {
        var gateway = new GatewayIdentity("gateway-1");
        var users = new LocalUsers(_cluster, gateway, _reassertion);
        var index = new LocalChannelIndex(_cluster, gateway, _reassertion, users, NullLogger<LocalChannel>.Instance);
        _observer = new GatewayObserver(index, new SocketRegistry(), new GatewayState(index, users, new ConnectionQuotas(_cluster, gateway, _reassertion)));
        gateway.Attach(_observer);
        _socket = new PusherSocket("1.1", App, _wire, maxQueuedBytes: 1 << 20, new GatewayMetrics(Prometheus.Metrics.NewCustomRegistry(), "soketi_", 6001).ForApp(App.Id));

        (_channel, var admitted) = await index.Join(App, "orders", _socket);
        Assert.True(admitted);
        _channel.Activate(_socket, "subscribed"u8.ToArray());
        Assert.Equal("subscribed", await _wire.Next());
        _registration = Assert.Single(_cluster.Reports).Registration;
    }

    public async Task DisposeAsync()
    {
        _socket.Close(1000, "done");
        await _socket.OutputEnded;
        _socket.SessionEnded();
    }

    private void Deliver(long sequence, long publishId = 0, string? frame = null, long? registration = null) =>
        _observer.Deliver(new ChannelDelivery(
            _channel.Key, registration ?? _registration, sequence, Encoding.UTF8.GetBytes(frame ?? $"event {sequence}"), null, null, publishId));

    /// <summary>Deliveries without a publication id, in the order given.</summary>
    private void DeliverEach(params long[] sequences)
    {
        foreach (var sequence in sequences)
        {
            Deliver(sequence);
        }
    }

    /// <summary>The frames the socket was sent since the last call.</summary>
    private async Task<string[]> Sent()
    {
        _socket.Send(Marker);
        var frames = new List<string>();
        for (var frame = await _wire.Next(); frame != "marker"; frame = await _wire.Next())
        {
            frames.Add(frame);
        }

        return [.. frames];
    }

    [Fact]
    public async Task Deliveries_after_a_missing_sequence_number_are_held_until_it_arrives()
    {
        DeliverEach(1, 3, 4);
        Assert.Equal(["event 1"], await Sent());

        DeliverEach(2);

        Assert.Equal(["event 2", "event 3", "event 4"], await Sent());
    }

    [Fact]
    public async Task A_gap_younger_than_two_seconds_is_not_skipped()
    {
        DeliverEach(1, 3, 4);

        _channel.SkipStaleGap(GapPatience);

        Assert.Equal(["event 1"], await Sent());
    }

    [Fact]
    public async Task A_gap_old_enough_is_skipped_the_held_deliveries_go_out_in_order_and_the_lost_one_is_dropped_if_it_comes_late()
    {
        DeliverEach(1, 3, 4);
        Assert.Equal(["event 1"], await Sent());

        // Zero stands for "older than the patience": the age check itself is the previous test's.
        _channel.SkipStaleGap(TimeSpan.Zero);

        Assert.Equal(["event 3", "event 4"], await Sent());
        DeliverEach(2, 5);
        Assert.Equal(["event 5"], await Sent());
    }

    [Fact]
    public async Task A_publication_delivered_already_is_dropped_when_it_arrives_again()
    {
        Deliver(1, publishId: 42);
        Deliver(2, publishId: 42);
        Deliver(3, publishId: 43);

        Assert.Equal(["event 1", "event 3"], await Sent());
    }

    [Fact]
    public async Task A_retried_publication_arriving_on_the_stream_of_a_new_grain_activation_is_dropped()
    {
        Deliver(1, publishId: 42, frame: "first");

        // The grain's silo died after delivering: its new activation asks for a new stream, and the
        // gateway's retry of the HTTP publish arrives there again with the same id.
        var renewed = _channel.ForNewActivation();

        Assert.NotNull(renewed);
        Assert.NotEqual(_registration, renewed.Registration);
        Deliver(1, publishId: 42, frame: "first", registration: renewed.Registration);
        Deliver(2, publishId: 43, frame: "second", registration: renewed.Registration);
        Assert.Equal(["first", "second"], await Sent());
    }

    [Fact]
    public async Task What_the_old_stream_held_back_goes_out_when_a_new_activation_replaces_it_and_the_old_streams_stragglers_are_ignored()
    {
        DeliverEach(1, 3);
        Assert.Equal(["event 1"], await Sent());

        var renewed = _channel.ForNewActivation();

        Assert.Equal(["event 3"], await Sent());
        Deliver(2, frame: "old stream 2");
        Deliver(1, frame: "new stream 1", registration: renewed!.Registration);
        Assert.Equal(["new stream 1"], await Sent());
    }

    /// <summary>The channel grain's side of a report: takes every socket, refuses nobody.</summary>
    private sealed class AcknowledgingCluster : UnusedCluster
    {
        public ConcurrentQueue<ChannelReport> Reports { get; } = new();

        public override Task<string[]> ReportChannel(string channelKey, ChannelReport report, int maxMembers)
        {
            Reports.Enqueue(report);
            return Task.FromResult<string[]>([]);
        }
    }
}
