using SoketiOrleans.Apps;
using SoketiOrleans.Channels;

namespace SoketiOrleans.Tests.Grains;

/// <summary>Presence members, kept by the channel grain from the gateways' reports of their sockets.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class PresenceTests(ClusterFixture fixture)
{
    private const string Name = "presence-room";
    private readonly string _appId = $"app-{Guid.NewGuid():N}";

    private IChannelGrain Channel => fixture.Grains.GetGrain<IChannelGrain>(ChannelKey.Format(_appId, Name));

    [Fact]
    public async Task A_users_first_socket_is_announced_to_the_others_then_welcomed_with_the_member_list()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        var ann = new PresenceSocket("1.1", "ann", """{"name":"Ann"}""");

        Assert.Empty(await Channel.Report(gateway.Presence(ann), -1));
        Assert.Empty(await Channel.Report(gateway.Presence(ann, new PresenceSocket("1.2", "bob")), -1));

        var d = await gateway.WaitFor(4);
        Assert.Equal(((string?)null, "1.1", """{"event":"pusher_internal:member_added","channel":"presence-room","data":"{\"user_id\":\"ann\",\"user_info\":{\"name\":\"Ann\"}}"}"""),
            (d[0].WelcomeSocketId, d[0].ExceptSocketId, RecordingGateway.Text(d[0])));
        Assert.Equal(("1.1", """{"event":"pusher_internal:subscription_succeeded","channel":"presence-room","data":"{\"presence\":{\"ids\":[\"ann\"],\"hash\":{\"ann\":{\"name\":\"Ann\"}},\"count\":1}}"}"""),
            (d[1].WelcomeSocketId, RecordingGateway.Text(d[1])));
        Assert.Equal(((string?)null, "1.2", """{"event":"pusher_internal:member_added","channel":"presence-room","data":"{\"user_id\":\"bob\"}"}"""),
            (d[2].WelcomeSocketId, d[2].ExceptSocketId, RecordingGateway.Text(d[2])));
        Assert.Equal(("1.2", """{"event":"pusher_internal:subscription_succeeded","channel":"presence-room","data":"{\"presence\":{\"ids\":[\"ann\",\"bob\"],\"hash\":{\"ann\":{\"name\":\"Ann\"},\"bob\":null},\"count\":2}}"}"""),
            (d[3].WelcomeSocketId, RecordingGateway.Text(d[3])));
        Assert.Equal([1L, 2, 3, 4], d.Select(x => x.Sequence));
        Assert.Equal((2, 2), (await Channel.UserCount(), await Channel.SubscriptionCount()));
    }

    [Fact]
    public async Task A_user_with_sockets_on_two_gateways_is_one_member_until_both_leave()
    {
        var (a, b) = (RecordingGateway.Create(fixture.Grains), RecordingGateway.Create(fixture.Grains));
        PresenceSocket annOnA = new("1.1", "ann"), bobOnA = new("1.2", "bob"), annOnB = new("2.1", "ann");
        await Channel.Report(a.Presence(annOnA, bobOnA), -1);
        await Channel.Report(b.Presence(annOnB), -1); // same user elsewhere: no announcement
        await Channel.Welcome(a.Id, "1.1", null);    // repeated subscribe: only a new snapshot
        Assert.Equal(["ann", "bob"], await Channel.UserIds());

        await Channel.Report(b.Presence(), -1);
        Assert.Equal((2, 2), (await Channel.UserCount(), await Channel.SubscriptionCount()));
        await Channel.Report(a.Presence(bobOnA), -1);
        Assert.Equal((1, 1), (await Channel.UserCount(), await Channel.SubscriptionCount()));

        var atA = await a.WaitFor(6);
        Assert.Equal(
            [("member_added", (string?)null, (string?)"1.1"), ("member_added", null, "1.2"), ("subscription_succeeded", "1.1", null),
             ("subscription_succeeded", "1.2", null), ("subscription_succeeded", "1.1", null), ("member_removed", null, "1.1")],
            atA.Select(x => (RecordingGateway.Text(x).Split('"')[3].Split(':')[1], x.WelcomeSocketId, x.ExceptSocketId)));
        Assert.Equal("""{"event":"pusher_internal:member_removed","channel":"presence-room","data":"{\"user_id\":\"ann\"}"}""", RecordingGateway.Text(atA[5]));
        Assert.Equal([("subscription_succeeded", (string?)"2.1")], b.Deliveries.Select(x => (RecordingGateway.Text(x).Split('"')[3].Split(':')[1], x.WelcomeSocketId)));
    }

    [Fact]
    public async Task A_socket_swapped_for_another_of_the_same_user_in_one_report_announces_nothing()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        await Channel.Report(gateway.Presence(new PresenceSocket("1.1", "ann")), -1);
        await Channel.Report(gateway.Presence(new PresenceSocket("1.2", "ann")), -1);
        await Channel.Publish(new Publication([9], null, Confirmed: true));

        Assert.Equal(["member_added", "subscription_succeeded", "subscription_succeeded", null],
            gateway.Deliveries.Select(x => x.Frame.Length == 1 ? null : RecordingGateway.Text(x).Split('"')[3].Split(':')[1]));
        Assert.Equal(["ann"], await Channel.UserIds());
    }

    [Fact]
    public async Task User_counts_reach_the_app_index()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        await Channel.Report(gateway.Presence(new PresenceSocket("1.1", "ann"), new PresenceSocket("1.2", "bob"), new PresenceSocket("1.3", "bob")), -1);

        Assert.Equal([new ChannelSummary(Name, 3, 2)], await fixture.Grains.GetGrain<IAppGrain>(_appId).Channels("presence-"));
        Assert.Empty(await fixture.Grains.GetGrain<IAppGrain>(_appId).Channels("private-"));
    }

    [Fact]
    public async Task The_member_limit_counts_users_and_refuses_only_new_ones()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        PresenceSocket ann = new("1.1", "ann"), bob = new("1.2", "bob"), cat = new("1.3", "cat"), bob2 = new("1.4", "bob");
        Assert.Empty(await Channel.Report(gateway.Presence(ann, bob), 2));

        Assert.Equal(["1.3"], await Channel.Report(gateway.Presence(ann, bob, cat, bob2), 2));
        Assert.Equal(3, await Channel.SubscriptionCount());
        Assert.Empty(await Channel.Report(gateway.Presence(bob, bob2, cat), 2));

        Assert.Equal(["bob", "cat"], (await Channel.UserIds()).Order());
        Assert.Equal(3, await Channel.SubscriptionCount());
    }
}
