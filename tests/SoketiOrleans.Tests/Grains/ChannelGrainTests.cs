using SoketiOrleans.Apps;
using SoketiOrleans.Channels;

namespace SoketiOrleans.Tests.Grains;

[Collection(nameof(ClusterCollection))]
public sealed class ChannelGrainTests(ClusterFixture fixture)
{
    private readonly string _appId = $"app-{Guid.NewGuid():N}";

    private IChannelGrain Channel(string name) => fixture.Grains.GetGrain<IChannelGrain>(ChannelKey.Format(_appId, name));

    [Fact]
    public async Task Each_registered_gateway_gets_each_frame_once_numbered_in_order()
    {
        var (one, two) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        var channel = Channel("news");
        await channel.Register(one.Registration(3));
        await channel.Register(two.Registration(1));

        for (var i = 1; i <= 3; i++)
        {
            await channel.Publish(new Publication([(byte)i], i == 2 ? "1.2" : null));
        }

        foreach (var gateway in new[] { one, two })
        {
            var deliveries = await gateway.WaitFor(3);
            Assert.Equal([1L, 2, 3], deliveries.Select(d => d.Sequence));
            Assert.Equal([1, 2, 3], deliveries.Select(d => (int)d.Frame[0]));
            Assert.All(deliveries, d => Assert.Equal((ChannelKey.Format(_appId, "news"), 1L), (d.ChannelKey, d.Registration)));
            Assert.Equal([null, "1.2", null], deliveries.Select(d => d.ExceptSocketId));
        }
    }

    [Fact]
    public async Task Subscription_count_sums_the_gateways_and_feeds_the_app_index()
    {
        var (one, two) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        var channel = Channel("counted");
        var app = fixture.Grains.GetGrain<IAppGrain>(_appId);

        await channel.Register(one.Registration(3));
        await channel.Register(two.Registration(2));
        await channel.Register(two.Registration(2)); // re-asserting the same count changes nothing
        Assert.Equal(5, await channel.SubscriptionCount());
        Assert.Equal([new ChannelSummary("counted", 5, 0)], await app.Channels(null));

        await channel.Register(one.Registration(0));
        Assert.Equal(2, await channel.SubscriptionCount());
        await channel.Register(two.Registration(0));
        Assert.Equal(0, await channel.SubscriptionCount());
        Assert.Empty(await app.Channels(null));
    }

    [Fact]
    public async Task A_gateway_that_left_gets_nothing()
    {
        var (stays, leaves) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        var channel = Channel("leaving");
        await channel.Register(stays.Registration(1));
        await channel.Register(leaves.Registration(1));
        await channel.Register(leaves.Registration(0));

        await channel.Publish(new Publication([1], null));
        await channel.Publish(new Publication([2], null));

        await stays.WaitFor(2);
        Assert.Empty(leaves.Deliveries);
    }

    [Fact]
    public async Task A_new_registration_restarts_the_sequence_and_an_older_one_is_ignored()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        var channel = Channel("renewed");
        await channel.Register(gateway.Registration(1));
        await channel.Publish(new Publication([1], null));
        await channel.Publish(new Publication([2], null));
        await gateway.WaitFor(2);

        var stale = gateway.Registration(5);
        gateway.StartNewRegistration();
        await channel.Register(gateway.Registration(1));
        await channel.Register(stale);
        await channel.Publish(new Publication([3], null));

        var deliveries = await gateway.WaitFor(3);
        Assert.Equal((2L, 1L), (deliveries[2].Registration, deliveries[2].Sequence));
        Assert.Equal(1, await channel.SubscriptionCount());
    }

    [Fact]
    public async Task Welcome_goes_to_one_socket_of_one_gateway_in_stream_order()
    {
        var (one, two) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        var channel = Channel("welcome");
        await channel.Register(one.Registration(1));
        await channel.Register(two.Registration(1));

        await channel.Publish(new Publication([1], null));
        await channel.Welcome(two.Id, "9.9", [2]);
        await channel.Publish(new Publication([3], null));

        var atTwo = await two.WaitFor(3);
        Assert.Equal([(1L, (string?)null), (2, "9.9"), (3, null)], atTwo.Select(d => (d.Sequence, d.WelcomeSocketId)));
        var atOne = await one.WaitFor(2);
        Assert.Equal([1, 3], atOne.Select(d => (int)d.Frame[0]));
    }
}
