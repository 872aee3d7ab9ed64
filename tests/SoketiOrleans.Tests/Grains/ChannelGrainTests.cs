using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Tests.Harness;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Tests.Grains;

[Collection(nameof(ClusterCollection))]
public sealed class ChannelGrainTests(ClusterFixture fixture)
{
    private readonly string _appId = $"app-{Guid.NewGuid():N}";

    private IChannelGrain Channel(string name) => fixture.Grains.GetGrain<IChannelGrain>(ChannelKey.Format(_appId, name));

    [Fact]
    public async Task Each_reporting_gateway_gets_each_frame_once_numbered_in_order()
    {
        var (one, two) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        var channel = Channel("news");
        await channel.Report(one.Report(3), -1);
        await channel.Report(two.Report(1), -1);

        for (var i = 1; i <= 3; i++)
        {
            await channel.Publish(new Publication([(byte)i], i == 2 ? "1.2" : null, PublishId: i * 10));
        }

        foreach (var gateway in new[] { one, two })
        {
            var deliveries = await gateway.WaitFor(3);
            Assert.Equal([1L, 2, 3], deliveries.Select(d => d.Sequence));
            Assert.Equal([1, 2, 3], deliveries.Select(d => (int)d.Frame[0]));
            Assert.All(deliveries, d => Assert.Equal((ChannelKey.Format(_appId, "news"), 1L), (d.ChannelKey, d.Registration)));
            Assert.Equal([null, "1.2", null], deliveries.Select(d => d.ExceptSocketId));
            Assert.Equal([10L, 20, 30], deliveries.Select(d => d.PublishId));
        }
    }

    [Fact]
    public async Task Subscription_count_sums_the_gateways_and_feeds_the_app_index()
    {
        var (one, two) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        var channel = Channel("counted");
        var app = fixture.Grains.GetGrain<IAppGrain>(_appId);

        await channel.Report(one.Report(3), -1);
        await channel.Report(two.Report(2), -1);
        await channel.Report(two.Report(2), -1); // re-asserting the same count changes nothing
        Assert.Equal(5, await channel.SubscriptionCount());
        Assert.Equal([new ChannelSummary("counted", 5, 0)], await app.Channels(null));

        await channel.Report(one.Report(0), -1);
        Assert.Equal(2, await channel.SubscriptionCount());
        await channel.Report(two.Report(0), -1);
        Assert.Equal(0, await channel.SubscriptionCount());
        Assert.Empty(await app.Channels(null));
    }

    [Fact]
    public async Task A_confirmed_publish_returns_once_every_gateway_has_it_and_one_that_left_gets_nothing()
    {
        var (stays, leaves) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        var channel = Channel("leaving");
        await channel.Report(stays.Report(1), -1);
        await channel.Report(leaves.Report(1), -1);
        await channel.Report(leaves.Report(0), -1);

        await channel.Publish(new Publication([1], null, Confirmed: true));

        // Confirmed: both gateways would hold the frame by now if the grain had sent it to both.
        Assert.Equal([1], stays.Deliveries.Select(d => (int)d.Frame[0]));
        Assert.Empty(leaves.Deliveries);
    }

    [Fact]
    public async Task A_new_registration_restarts_the_sequence_and_an_older_report_is_ignored()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        var channel = Channel("renewed");
        await channel.Report(gateway.Report(1), -1);
        await channel.Publish(new Publication([1], null));
        await channel.Publish(new Publication([2], null));
        await gateway.WaitFor(2);

        var stale = gateway.Report(5);
        gateway.StartNewRegistration();
        await channel.Report(gateway.Report(1), -1);
        await channel.Report(stale, -1);
        await channel.Publish(new Publication([3], null));

        var deliveries = await gateway.WaitFor(3);
        Assert.Equal((2L, 1L), (deliveries[2].Registration, deliveries[2].Sequence));
        Assert.Equal(1, await channel.SubscriptionCount());
    }

    [Fact]
    public async Task A_newer_report_on_an_older_registration_updates_the_count_and_keeps_the_stream()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        var channel = Channel("pulled");
        var onTheWay = gateway.Report(1);
        gateway.StartNewRegistration();
        await channel.Report(gateway.Report(2), -1);
        await channel.Report(onTheWay with { Version = long.MaxValue, SocketCount = 3 }, -1);
        await channel.Publish(new Publication([1], null));

        var delivery = Assert.Single(await gateway.WaitFor(1));
        Assert.Equal((2L, 1L), (delivery.Registration, delivery.Sequence));
        Assert.Equal(3, await channel.SubscriptionCount());
    }

    [Fact]
    public async Task Welcome_goes_to_one_socket_of_one_gateway_in_stream_order()
    {
        var (one, two) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        var channel = Channel("welcome");
        await channel.Report(one.Report(1), -1);
        await channel.Report(two.Report(1), -1);

        await channel.Publish(new Publication([1], null));
        await channel.Welcome(two.Id, "9.9", [2]);
        await channel.Publish(new Publication([3], null));

        var atTwo = await two.WaitFor(3);
        Assert.Equal([(1L, (string?)null), (2, "9.9"), (3, null)], atTwo.Select(d => (d.Sequence, d.WelcomeSocketId)));
        var atOne = await one.WaitFor(2);
        Assert.Equal([1, 3], atOne.Select(d => (int)d.Frame[0]));
    }

    [Fact]
    public async Task A_new_activation_takes_the_gateways_acknowledged_state_before_it_serves()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        var key = ChannelKey.Format(_appId, "rebuilt");
        StubGatewayState.Channels[key] = gateway.Report(4) with { Registration = 7 };

        var channel = Channel("rebuilt");
        await channel.Publish(new Publication([1], null));

        var delivery = Assert.Single(await gateway.WaitFor(1));
        Assert.Equal((7L, 1L), (delivery.Registration, delivery.Sequence));
        Assert.Equal(4, await channel.SubscriptionCount());
        await Eventually.Get(() => fixture.Grains.GetGrain<IAppGrain>(_appId).Channels(null),
            c => c.SequenceEqual([new ChannelSummary("rebuilt", 4, 0)]), "the rebuilt channel in the app index");

        // It was occupied before, so the activation announces nothing: the vacated webhook its
        // emptying raises afterwards is the channel's first.
        await channel.Report(gateway.Report(0) with { Registration = 7 }, -1);
        Assert.Equal([WebhookEvent.ChannelVacated("rebuilt")], await Eventually.Get(
            () => Task.FromResult(RecordingWebhookEvents.For(_appId, "rebuilt")), e => e.Count > 0, "the vacated webhook"));
    }
}
