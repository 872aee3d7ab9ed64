using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Presence;

namespace SoketiOrleans.Tests.Grains;

[Collection(nameof(ClusterCollection))]
public sealed class PresenceGrainTests(ClusterFixture fixture)
{
    private const string Channel = "presence-room";
    private readonly string _appId = $"app-{Guid.NewGuid():N}";

    private string Key => ChannelKey.Format(_appId, Channel);

    [Fact]
    public async Task A_users_first_socket_is_announced_to_the_others_then_welcomed_with_the_member_list()
    {
        var (gateway, presence) = await Setup();

        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.1", "ann", """{"name":"Ann"}""")));
        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.2", "bob", null)));

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
        Assert.Equal(2, await presence.UserCount());
    }

    [Fact]
    public async Task A_user_with_two_sockets_is_one_member_until_both_leave()
    {
        var (gateway, presence) = await Setup();
        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.1", "ann", null)));
        Assert.True(await presence.Join(new PresenceJoin("other-gateway", "2.1", "ann", null))); // same user elsewhere: no announcement
        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.1", "ann", null)));       // repeated subscribe: only a new snapshot
        Assert.Equal(1, await presence.UserCount());
        Assert.Equal(["ann"], await presence.UserIds());

        await presence.Leave("1.1");
        Assert.Equal(1, await presence.UserCount());
        await presence.Leave("2.1");
        await presence.Leave("2.1"); // already gone: nothing

        var d = await gateway.WaitFor(4);
        Assert.Equal(4, d.Count);
        Assert.Equal([("member_added", (string?)null), ("subscription_succeeded", "1.1"), ("subscription_succeeded", "1.1"), ("member_removed", null)],
            d.Select(x => (RecordingGateway.Text(x).Split('"')[3].Split(':')[1], x.WelcomeSocketId)));
        Assert.Equal("""{"event":"pusher_internal:member_removed","channel":"presence-room","data":"{\"user_id\":\"ann\"}"}""", RecordingGateway.Text(d[3]));
        Assert.Equal("2.1", d[3].ExceptSocketId);
        Assert.Equal(0, await presence.UserCount());
    }

    [Fact]
    public async Task User_counts_reach_the_app_index()
    {
        var (gateway, presence) = await Setup();
        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.1", "ann", null)));
        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.2", "bob", null)));
        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.3", "bob", null)));

        Assert.Equal([new ChannelSummary(Channel, 3, 2)], await fixture.Grains.GetGrain<IAppGrain>(_appId).Channels("presence-"));
        Assert.Empty(await fixture.Grains.GetGrain<IAppGrain>(_appId).Channels("private-"));
    }

    [Fact]
    public async Task The_member_limit_counts_users_and_refuses_only_new_ones()
    {
        var (gateway, presence) = await Setup();
        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.1", "ann", null, MaxMembers: 2)));
        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.2", "bob", null, MaxMembers: 2)));

        Assert.False(await presence.Join(new PresenceJoin(gateway.Id, "1.3", "cat", null, MaxMembers: 2)));
        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.4", "bob", null, MaxMembers: 2)));
        await presence.Leave("1.1");
        Assert.True(await presence.Join(new PresenceJoin(gateway.Id, "1.3", "cat", null, MaxMembers: 2)));

        Assert.Equal(["bob", "cat"], (await presence.UserIds()).Order());
    }

    private async Task<(RecordingGateway Gateway, IPresenceGrain Presence)> Setup()
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        await fixture.Grains.GetGrain<IChannelGrain>(Key).Register(gateway.Registration(3));
        return (gateway, fixture.Grains.GetGrain<IPresenceGrain>(Key));
    }
}
