using SoketiOrleans.Channels;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Tests.Grains;

/// <summary>The grains are the one place each cluster-wide webhook is decided: each is raised once.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class WebhookGrainTests(ClusterFixture fixture)
{
    private readonly string _appId = $"app-{Guid.NewGuid():N}";

    private IChannelGrain Channel(string name) => fixture.Grains.GetGrain<IChannelGrain>(ChannelKey.Format(_appId, name));

    [Fact]
    public async Task Occupied_and_vacated_are_raised_once_for_all_gateways_with_each_count_between()
    {
        var (a, b) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        var channel = Channel("shared");
        await channel.Report(a.Report(1), -1);
        await channel.Report(b.Report(1), -1);
        await channel.Report(b.Report(1), -1); // a re-assertion changes nothing
        await channel.Report(a.Report(0), -1);
        await channel.Report(b.Report(0), -1);

        Assert.Equal(
        [
            WebhookEvent.ChannelOccupied("shared"),
            WebhookEvent.SubscriptionCountChanged("shared", 1),
            WebhookEvent.SubscriptionCountChanged("shared", 2),
            WebhookEvent.SubscriptionCountChanged("shared", 1),
            WebhookEvent.ChannelVacated("shared"),
        ], RecordingWebhookEvents.For(_appId, "shared"));
    }

    [Fact]
    public async Task Presence_channels_have_no_subscription_count_events()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        await Channel("presence-x").Report(gateway.Presence(new PresenceSocket("1.1", "ann")), -1);
        await Channel("presence-x").Report(gateway.Presence(), -1);

        Assert.Equal(
            [WebhookEvent.ChannelOccupied("presence-x"), WebhookEvent.MemberAdded("presence-x", "ann"), WebhookEvent.MemberRemoved("presence-x", "ann"), WebhookEvent.ChannelVacated("presence-x")],
            RecordingWebhookEvents.For(_appId, "presence-x"));
    }

    [Fact]
    public async Task Server_to_user_channels_raise_nothing()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        await Channel("#server-to-user-ann").Report(gateway.Report(1), -1);
        await Channel("#server-to-user-ann").Report(gateway.Report(0), -1);

        Assert.Empty(RecordingWebhookEvents.For(_appId, "#server-to-user-ann"));
    }

    [Fact]
    public async Task Members_are_raised_once_per_user_whichever_gateways_their_sockets_are_on()
    {
        const string name = "presence-members";
        var channel = Channel(name);
        var (a, b) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));

        await channel.Report(a.Presence(new PresenceSocket("1.1", "ann")), -1);
        await channel.Report(b.Presence(new PresenceSocket("2.1", "ann"), new PresenceSocket("2.2", "bob")), -1);
        await channel.Report(a.Presence(), -1);
        await channel.Report(b.Presence(new PresenceSocket("2.2", "bob")), -1);
        await channel.Report(b.Presence(new PresenceSocket("2.2", "bob")), -1);

        Assert.Equal(
        [
            WebhookEvent.ChannelOccupied(name),
            WebhookEvent.MemberAdded(name, "ann"),
            WebhookEvent.MemberAdded(name, "bob"),
            WebhookEvent.MemberRemoved(name, "ann"),
        ], RecordingWebhookEvents.For(_appId, name));
    }

    [Fact]
    public async Task Cache_miss_is_raised_for_each_subscriber_welcomed_without_a_cached_event()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        var channel = Channel("cache-news");
        await channel.Report(gateway.Report(2), -1);
        await channel.Welcome(gateway.Id, "1.1", [1]);
        await channel.Publish(new Publication([2], null, TimeSpan.FromMinutes(1)));
        await channel.Welcome(gateway.Id, "1.2", [1]);

        Assert.Equal(
            [WebhookEvent.ChannelOccupied("cache-news"), WebhookEvent.SubscriptionCountChanged("cache-news", 2), WebhookEvent.CacheMiss("cache-news")],
            RecordingWebhookEvents.For(_appId, "cache-news"));
    }
}
