using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>Two processes whose presence channels hold at most two users (soketi's SOKETI_PRESENCE_MAX_MEMBERS).</summary>
public sealed class TwoMembersFixture : TwoNodeFixture
{
    protected override IReadOnlyDictionary<string, string> Environment =>
        new Dictionary<string, string> { ["SOKETI_PRESENCE_MAX_MEMBERS"] = "2" };
}

/// <summary>The member limit counts users across the cluster, not sockets and not per gateway.</summary>
public sealed class PresenceLimitTests(TwoMembersFixture fixture) : IClassFixture<TwoMembersFixture>, IDisposable
{
    private readonly PusherApi _api = new(fixture.A.HttpUri);

    private PusherSigner Signer => _api.Signer;

    private static string Member(string userId) => $$"""{"user_id":"{{userId}}"}""";

    private Task SubscribeMember(RawPusherClient client, string channel, string userId) =>
        client.SubscribePresence(Signer, channel, Member(userId));

    [Fact]
    public async Task A_third_user_is_refused_on_either_gateway_until_a_member_leaves()
    {
        var channel = Names.Unique("presence-full-");
        await using var ann = await RawPusherClient.Connect(fixture.A.WebSocketUri());
        await using var bob = await RawPusherClient.Connect(fixture.B.WebSocketUri());
        await using var cat = await RawPusherClient.Connect(fixture.B.WebSocketUri());
        await SubscribeMember(ann, channel, "ann");
        await SubscribeMember(bob, channel, "bob");

        await cat.Subscribe(channel, Signer.PresenceAuth(cat.SocketId, channel, Member("cat")), Member("cat"));
        Assert.Equal(Frames.PresenceFull(channel, 2), await cat.Next());

        ApiAssert.IsOk(await _api.Trigger(channel, "members-only", "m"));
        await cat.AssertSilent();
        Assert.Equal("""{"users":[{"id":"ann"},{"id":"bob"}]}""", (await _api.Get($"/channels/{channel}/users")).Body);

        await ann.Unsubscribe(channel);
        await Eventually.Get(
            async () =>
            {
                await cat.Subscribe(channel, Signer.PresenceAuth(cat.SocketId, channel, Member("cat")), Member("cat"));
                return await cat.Next();
            },
            frame => frame.StartsWith($$"""{"event":"pusher_internal:subscription_succeeded","channel":"{{channel}}""", StringComparison.Ordinal),
            "cat to be admitted once ann left");
    }

    [Fact]
    public async Task A_members_further_sockets_are_admitted_at_the_limit()
    {
        var channel = Names.Unique("presence-full-");
        await using var ann = await RawPusherClient.Connect(fixture.A.WebSocketUri());
        await using var bob = await RawPusherClient.Connect(fixture.A.WebSocketUri());
        await using var annAgain = await RawPusherClient.Connect(fixture.B.WebSocketUri());
        await SubscribeMember(ann, channel, "ann");
        await SubscribeMember(bob, channel, "bob");

        var snapshot = await annAgain.SubscribePresence(Signer, channel, Member("ann"));

        Assert.Contains("\\\"count\\\":2", snapshot);
    }

    public void Dispose() => _api.Dispose();
}
