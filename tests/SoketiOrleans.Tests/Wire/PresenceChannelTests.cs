using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

[Collection(nameof(DefaultServer))]
public sealed class PresenceChannelTests(ServerFixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private ServerProcess Server => fixture.Server;

    private PusherSigner Signer => _api.Signer;

    private Task<RawPusherClient> Connect() => RawPusherClient.Connect(Server.WebSocketUri());

    /// <summary>The presence object inside the data string of subscription_succeeded.</summary>
    private static JsonElement Presence(string frame)
    {
        var data = JsonDocument.Parse(frame).RootElement.GetProperty("data");
        Assert.Equal(JsonValueKind.String, data.ValueKind);
        var inner = JsonDocument.Parse(data.GetString()!).RootElement;
        Assert.Equal(["presence"], inner.EnumerateObject().Select(p => p.Name).ToArray());
        return inner.GetProperty("presence");
    }

    [Fact]
    public async Task First_member_gets_a_snapshot_of_itself()
    {
        var channel = Names.Unique("presence-");
        await using var ann = await Connect();

        var frame = await ann.SubscribePresence(Signer, channel, """{"user_id":"ann","user_info":{"name":"Ann"}}""");

        Assert.Equal(
            $$$"""{"event":"pusher_internal:subscription_succeeded","channel":"{{{channel}}}","data":"{\"presence\":{\"ids\":[\"ann\"],\"hash\":{\"ann\":{\"name\":\"Ann\"}},\"count\":1}}"}""",
            frame);
    }

    [Fact]
    public async Task Joiner_gets_everyone_and_the_others_get_member_added_but_not_the_joiner()
    {
        var channel = Names.Unique("presence-");
        await using var ann = await Connect();
        await using var bob = await Connect();
        await ann.SubscribePresence(Signer, channel, """{"user_id":"ann","user_info":{"name":"Ann"}}""");

        var frame = await bob.SubscribePresence(Signer, channel, """{"user_id":"bob","user_info":{"name":"Bob","tags":["x"]}}""");

        var presence = Presence(frame);
        Assert.Equal(2, presence.GetProperty("count").GetInt32());
        Assert.Equal(["ann", "bob"], presence.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).Order().ToArray());
        Assert.Equal("""{"ann":{"name":"Ann"},"bob":{"name":"Bob","tags":["x"]}}""", presence.GetProperty("hash").GetRawText());
        Assert.Equal(Frames.MemberAdded(channel, """{"user_id":"bob","user_info":{"name":"Bob","tags":["x"]}}"""), await ann.Next());
        await bob.ExpectPong();
        await bob.AssertSilent();
    }

    [Fact]
    public async Task Numeric_user_id_is_keyed_as_a_string()
    {
        var channel = Names.Unique("presence-");
        await using var watcher = await Connect();
        await using var numeric = await Connect();
        await watcher.SubscribePresence(Signer, channel, """{"user_id":"watcher"}""");

        var frame = await numeric.SubscribePresence(Signer, channel, """{"user_id":1001,"user_info":{"n":1}}""");

        var presence = Presence(frame);
        Assert.Contains("1001", presence.GetProperty("ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("""{"n":1}""", presence.GetProperty("hash").GetProperty("1001").GetRawText());
        Assert.Equal(Frames.MemberAdded(channel, """{"user_id":"1001","user_info":{"n":1}}"""), await watcher.Next());
        var users = await _api.Get($"/channels/{channel}/users");
        Assert.Equal(200, users.Status);
        Assert.Equal(["1001", "watcher"], JsonDocument.Parse(users.Body).RootElement.GetProperty("users").EnumerateArray()
            .Select(u => u.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToArray());

        await numeric.Unsubscribe(channel);
        Assert.Equal(Frames.MemberRemoved(channel, "1001"), await watcher.Next());
    }

    [Fact]
    public async Task Same_user_with_two_sockets_is_one_member_until_its_last_socket_leaves()
    {
        var channel = Names.Unique("presence-");
        const string sue = """{"user_id":"sue","user_info":{"name":"Sue"}}""";
        await using var observer = await Connect();
        await using var first = await Connect();
        var second = await Connect();
        await using var secondCleanup = second;
        await observer.SubscribePresence(Signer, channel, """{"user_id":"observer"}""");

        await first.SubscribePresence(Signer, channel, sue);
        Assert.Equal(Frames.MemberAdded(channel, sue), await observer.Next());

        var snapshot = Presence(await second.SubscribePresence(Signer, channel, sue));
        Assert.Equal(2, snapshot.GetProperty("count").GetInt32());
        Assert.Equal(["observer", "sue"], snapshot.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).Order().ToArray());
        Assert.Equal((200, $$"""{"occupied":true,"subscription_count":3,"user_count":2}"""), await _api.Get($"/channels/{channel}"));
        await observer.AssertSilent();
        await first.ExpectPong();

        await first.Unsubscribe(channel);
        await first.ExpectPong();
        Assert.Equal((200, """{"occupied":true,"subscription_count":2,"user_count":2}"""),
            await Eventually.Get(() => _api.Get($"/channels/{channel}"), r => r.Body.Contains("\"subscription_count\":2"), "the first socket to leave"));
        await observer.AssertSilent();

        await second.DisposeAsync();
        Assert.Equal(Frames.MemberRemoved(channel, "sue"), await observer.Next());
        Assert.Equal((200, """{"occupied":true,"subscription_count":1,"user_count":1}"""),
            await Eventually.Get(() => _api.Get($"/channels/{channel}"), r => r.Body.Contains("\"user_count\":1"), "sue to be gone"));
    }

    [Fact]
    public async Task Repeated_subscribe_gets_a_fresh_snapshot_and_announces_nothing()
    {
        var channel = Names.Unique("presence-");
        const string dan = """{"user_id":"dan","user_info":{"name":"Dan"}}""";
        await using var observer = await Connect();
        await using var client = await Connect();
        await observer.SubscribePresence(Signer, channel, """{"user_id":"observer"}""");
        await client.SubscribePresence(Signer, channel, dan);
        Assert.Equal(Frames.MemberAdded(channel, dan), await observer.Next());

        var again = Presence(await client.SubscribePresence(Signer, channel, dan));

        Assert.Equal(2, again.GetProperty("count").GetInt32());
        Assert.Equal("""{"name":"Dan"}""", again.GetProperty("hash").GetProperty("dan").GetRawText());
        Assert.Equal((200, """{"occupied":true,"subscription_count":2,"user_count":2}"""), await _api.Get($"/channels/{channel}"));
        await observer.AssertSilent();

        await client.Unsubscribe(channel);
        Assert.Equal(Frames.MemberRemoved(channel, "dan"), await observer.Next());
    }

    /// <summary>
    /// Leaving and joining again at once, over and over, as the presence benchmark does: each join
    /// waits for the channel's grain to have taken the leave before it (read-your-writes), which
    /// takes the channel's report to run.
    /// </summary>
    [Fact]
    public async Task A_member_that_leaves_and_joins_again_at_once_is_answered_every_time()
    {
        var channel = Names.Unique("presence-");
        const string eve = """{"user_id":"eve"}""";
        await using var observer = await Connect();
        await using var client = await Connect();
        await observer.SubscribePresence(Signer, channel, """{"user_id":"observer"}""");

        for (var i = 0; i < 20; i++)
        {
            var joined = Presence(await client.SubscribePresence(Signer, channel, eve));
            Assert.Equal(2, joined.GetProperty("count").GetInt32());
            await client.Unsubscribe(channel);
        }
    }

    [Fact]
    public async Task Disconnecting_member_is_removed_for_the_others()
    {
        var channel = Names.Unique("presence-");
        await using var stayer = await Connect();
        var leaver = await Connect();
        await using var leaverCleanup = leaver;
        await stayer.SubscribePresence(Signer, channel, """{"user_id":"stayer"}""");
        await leaver.SubscribePresence(Signer, channel, """{"user_id":"leaver"}""");
        Assert.Equal(Frames.MemberAdded(channel, """{"user_id":"leaver"}"""), await stayer.Next());

        await leaver.DisposeAsync();

        Assert.Equal(Frames.MemberRemoved(channel, "leaver"), await stayer.Next());
    }

    [Fact]
    public async Task User_info_one_byte_over_2_KB_gets_limit_reached()
    {
        var channel = Names.Unique("presence-");
        var channelData = ChannelDataWithInfoOf(2 * 1024 + 1);
        await using var client = await Connect();

        await client.Subscribe(channel, Signer.PresenceAuth(client.SocketId, channel, channelData), channelData);

        Assert.Equal(
            $$$"""{"event":"pusher:subscription_error","channel":"{{{channel}}}","data":{"type":"LimitReached","error":"The maximum size for a channel member is 2 KB.","status":4301}}""",
            await client.Next());
        await client.ExpectPong();
        Assert.Equal((200, """{"occupied":false,"subscription_count":0,"user_count":0}"""), await _api.Get($"/channels/{channel}"));
    }

    [Fact]
    public async Task User_info_of_exactly_2_KB_is_accepted()
    {
        var channel = Names.Unique("presence-");
        await using var client = await Connect();

        var frame = await client.SubscribePresence(Signer, channel, ChannelDataWithInfoOf(2 * 1024));

        Assert.Equal(1, Presence(frame).GetProperty("count").GetInt32());
    }

    /// <summary>Channel data whose <c>user_info</c> JSON is exactly <paramref name="bytes"/> bytes.</summary>
    private static string ChannelDataWithInfoOf(int bytes) =>
        $$$"""{"user_id":"big","user_info":{"bio":"{{{new string('b', bytes - """{"bio":""}""".Length)}}}"}}""";

    [Fact]
    public async Task Channel_data_without_user_id_gets_auth_error()
    {
        var channel = Names.Unique("presence-");
        const string channelData = """{"user_info":{"name":"Nobody"}}""";
        await using var client = await Connect();

        await client.Subscribe(channel, Signer.PresenceAuth(client.SocketId, channel, channelData), channelData);

        var error = await client.NextJson();
        Assert.Equal("pusher:subscription_error", error.GetProperty("event").GetString());
        Assert.Equal(channel, error.GetProperty("channel").GetString());
        var data = error.GetProperty("data");
        Assert.Equal("AuthError", data.GetProperty("type").GetString());
        Assert.Equal(401, data.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(data.GetProperty("error").GetString()));
        await client.ExpectPong();
    }

    [Fact]
    public async Task Presence_auth_not_covering_the_channel_data_gets_auth_error()
    {
        var channel = Names.Unique("presence-");
        await using var client = await Connect();
        var signedFor = """{"user_id":"honest"}""";

        await client.Subscribe(channel, Signer.PresenceAuth(client.SocketId, channel, signedFor), """{"user_id":"impostor"}""");

        Assert.Equal(
            Frames.AuthError(channel),
            await client.Next());
    }

    public void Dispose() => _api.Dispose();
}
