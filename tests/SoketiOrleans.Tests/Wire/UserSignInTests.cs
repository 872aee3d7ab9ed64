using SoketiOrleans.Tests.Harness;
using static SoketiOrleans.Tests.Harness.UserSteps;

namespace SoketiOrleans.Tests.Wire;

/// <summary><c>pusher:signin</c> on an app without mandatory sign-in, and the user's own channel.</summary>
[Collection(nameof(DefaultServer))]
public sealed class UserSignInTests(ServerFixture fixture) : IDisposable
{
    private const string NotAuthorized = "Connection not authorized.";
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private PusherSigner Signer => _api.Signer;

    private Task<RawPusherClient> Connect() => RawPusherClient.Connect(fixture.Server.WebSocketUri());

    [Fact]
    public async Task Signin_success_echoes_the_data_object_exactly()
    {
        await using var client = await Connect();
        var auth = Signer.UserAuth(client.SocketId, """{"id":"7","name":"Ada"}""");

        await client.SendText($$$"""{"event":"pusher:signin","data":{"user_data":"{\"id\":\"7\",\"name\":\"Ada\"}","auth":"{{{auth}}}"}}""");

        Assert.Equal($$$"""{"event":"pusher:signin_success","data":{"user_data":"{\"id\":\"7\",\"name\":\"Ada\"}","auth":"{{{auth}}}"}}""", await client.Next());
        await client.ExpectPong();
    }

    public static TheoryData<string> BadSignIns => new() { "wrong signature", "missing auth", "other socket", "other key", "no user_data", "user_data not JSON", "user_data not an object" };

    [Theory]
    [MemberData(nameof(BadSignIns))]
    public async Task Bad_signin_gets_error_4009_and_close_4009(string bad)
    {
        await using var other = await Connect();
        await using var client = await Connect();
        var userData = UserData(Names.Unique("u"));
        var valid = Signer.UserAuth(client.SocketId, userData);
        switch (bad)
        {
            case "wrong signature":
                await client.SendSignIn(userData, valid[..^4] + (valid.EndsWith("0000") ? "1111" : "0000"));
                break;
            case "missing auth":
                await client.SendSignIn(userData, null);
                break;
            case "other socket":
                await client.SendSignIn(userData, Signer.UserAuth(other.SocketId, userData));
                break;
            case "other key":
                await client.SendSignIn(userData, "other-key:" + valid[(valid.IndexOf(':') + 1)..]);
                break;
            case "no user_data":
                await client.SendText($$$"""{"event":"pusher:signin","data":{"auth":"{{{valid}}}"}}""");
                break;
            case "user_data not JSON":
                await client.SendSignIn("{id:1", Signer.UserAuth(client.SocketId, "{id:1"));
                break;
            case "user_data not an object":
                await client.SendSignIn("[1]", Signer.UserAuth(client.SocketId, "[1]"));
                break;
        }

        Assert.Equal(Frames.Error(4009, NotAuthorized), await client.Next());
        Assert.Equal(4009, (int?)(await client.WaitForClose()).Status);
        await other.ExpectPong();
    }

    [Theory]
    [InlineData("""{"name":"Ada"}""")]
    [InlineData("""{"id":""}""")]
    [InlineData("""{"id":null}""")]
    [InlineData("""{"id":{"nested":1}}""")]
    public async Task User_data_without_a_usable_id_gets_error_4009_and_close(string userData)
    {
        await using var client = await Connect();

        await client.SendSignIn(userData, Signer.UserAuth(client.SocketId, userData));

        Assert.Equal(Frames.Error(4009, """The returned user data must contain the \"id\" field."""), await client.Next());
        Assert.Equal(4009, (int?)(await client.WaitForClose()).Status);
    }

    [Fact]
    public async Task A_numeric_id_is_the_user_of_the_same_string_id()
    {
        var id = Random.Shared.NextInt64(1, long.MaxValue).ToString();
        await using var client = await Connect();
        await client.SignIn(Signer, $$$"""{"id":{{{id}}}}""");

        ApiAssert.IsOk(await _api.Trigger($"#server-to-user-{id}", "hello", "h"));

        Assert.Equal($$"""{"event":"hello","channel":"#server-to-user-{{id}}","data":"h"}""", await client.Next());
    }

    [Fact]
    public async Task Second_signin_as_the_same_user_succeeds_again_and_as_another_is_refused_without_close()
    {
        var id = Names.Unique("u");
        await using var client = await Connect();
        await client.SignIn(Signer, UserData(id));

        await client.SignIn(Signer, UserData(id));
        var other = UserData(Names.Unique("u"));
        await client.SendSignIn(other, Signer.UserAuth(client.SocketId, other));

        Assert.Equal(Frames.Error(4009, "Already signed in as another user."), await client.Next());
        await client.ExpectPong();
        ApiAssert.IsOk(await _api.Trigger($"#server-to-user-{id}", "still-me", "1"));
        Assert.Equal($$"""{"event":"still-me","channel":"#server-to-user-{{id}}","data":"1"}""", await client.Next());
    }

    [Fact]
    public async Task Watchlist_over_100_ids_gets_error_4302_and_no_signin()
    {
        var id = Names.Unique("u");
        await using var client = await Connect();
        var userData = UserData(id, Enumerable.Range(1, 101).Select(i => i.ToString()).ToArray());

        await client.SendSignIn(userData, Signer.UserAuth(client.SocketId, userData));

        Assert.Equal(Frames.Error(4302, "The watchlist may hold at most 100 user ids."), await client.Next());
        await client.ExpectPong();
        ApiAssert.IsOk(await _api.Trigger($"#server-to-user-{id}", "not-signed-in", "1"));
        await client.AssertSilent();
        await client.SignIn(Signer, UserData(id, Enumerable.Range(1, 100).Select(i => i.ToString()).ToArray()));
    }

    [Fact]
    public async Task Own_server_to_user_channel_subscribes_others_are_refused()
    {
        var id = Names.Unique("u");
        var own = $"#server-to-user-{id}";
        var another = $"#server-to-user-{Names.Unique("u")}";
        await using var stranger = await Connect();
        await using var client = await Connect();
        await client.SignIn(Signer, UserData(id));

        await client.Subscribe(own, "");
        Assert.Equal(Frames.SubscriptionSucceeded(own), await client.Next());
        await client.Subscribe(another, "");
        Assert.Equal(Frames.AuthError(another, "The connection is not signed in as this user."), await client.Next());
        await stranger.Subscribe(own, "");
        Assert.Equal(Frames.AuthError(own, "The connection is not signed in as this user."), await stranger.Next());
        await client.Subscribe("#other", "");
        Assert.Equal(
            """{"event":"pusher:subscription_error","channel":"#other","data":{"error":"The channel name is not allowed. Read channel conventions: https://pusher.com/docs/channels/using_channels/channels/#channel-naming-conventions","status":4009}}""",
            await client.Next());

        ApiAssert.IsOk(await _api.Trigger(own, "once", "1"));
        Assert.Equal($$"""{"event":"once","channel":"{{own}}","data":"1"}""", await client.Next());
        await client.AssertSilent();
        stranger.AssertNothingReceived(); // in the same window
    }

    [Fact]
    public async Task Events_api_takes_server_to_user_channels_but_no_other_hash_channel()
    {
        ApiAssert.IsOk(await _api.Trigger("#server-to-user-nobody:here", "e", "1"));
        ApiAssert.IsError(await _api.Trigger("#server-to-user-", "e", "1"), 400, "The channel name \"#server-to-user-\" is not allowed.");
        ApiAssert.IsError(await _api.Trigger("#other", "e", "1"), 400, "The channel name \"#other\" is not allowed.");
    }

    [Fact]
    public async Task Server_to_user_channels_are_not_listed_by_the_channels_api()
    {
        await using var client = await Connect();
        await client.SignIn(Signer, UserData(Names.Unique("u")));
        var channel = Names.Unique("listed-");
        await client.SubscribePublic(channel);

        var listed = await Eventually.Get(() => _api.Get("/channels"), r => r.Body.Contains(channel), $"{channel} to be listed");

        Assert.DoesNotContain("#server-to-user-", listed.Body);
    }

    [Fact]
    public async Task Terminate_closes_every_socket_of_the_user_and_no_other()
    {
        var id = Names.Unique("u");
        await using var first = await Connect();
        await using var second = await Connect();
        await using var otherUser = await Connect();
        await using var anonymous = await Connect();
        await first.SignIn(Signer, UserData(id));
        await second.SignIn(Signer, UserData(id));
        await otherUser.SignIn(Signer, UserData(Names.Unique("u")));

        ApiAssert.IsOk(await _api.TerminateUserConnections(id));

        await first.ExpectTerminated();
        await second.ExpectTerminated();
        await otherUser.ExpectPong();
        await anonymous.ExpectPong();
    }

    [Fact]
    public async Task Terminate_needs_a_signed_request()
    {
        ApiAssert.IsError(await _api.Raw(HttpMethod.Post, "/apps/app-id/users/u1/terminate_connections", "{}"), 401);
    }

    [Fact]
    public async Task Watchlist_gets_online_at_signin_then_transitions()
    {
        var (watcherId, x, y, z) = (Names.Unique("w"), Names.Unique("x"), Names.Unique("y"), Names.Unique("z"));
        await using var xSocket = await Connect();
        await xSocket.SignIn(Signer, UserData(x));
        await using var watcher = await Connect();

        await watcher.SignIn(Signer, UserData(watcherId, x, y, z));
        Assert.Equal(WatchlistEvent("online", x), await watcher.Next());

        await using var ySocket = await Connect();
        await ySocket.SignIn(Signer, UserData(y));
        Assert.Equal(WatchlistEvent("online", y), await watcher.Next());
        await using var ySecond = await Connect();
        await ySecond.SignIn(Signer, UserData(y));

        await xSocket.DisposeAsync();
        Assert.Equal(WatchlistEvent("offline", x), await watcher.Next());
        await ySocket.DisposeAsync();
        await watcher.AssertSilent();
        await ySecond.DisposeAsync();
        Assert.Equal(WatchlistEvent("offline", y), await watcher.Next());
    }

    [Fact]
    public async Task Watchlist_with_nobody_online_sends_no_event_and_every_socket_of_the_watcher_hears_transitions()
    {
        var (watcherId, x) = (Names.Unique("w"), Names.Unique("x"));
        await using var watcher = await Connect();
        await using var watcherAgain = await Connect();

        await watcher.SignIn(Signer, UserData(watcherId, x));
        await watcher.ExpectPong();
        await watcherAgain.SignIn(Signer, UserData(watcherId, x));
        await watcherAgain.ExpectPong();

        await using var xSocket = await Connect();
        await xSocket.SignIn(Signer, UserData(x));
        Assert.Equal(WatchlistEvent("online", x), await watcher.Next());
        Assert.Equal(WatchlistEvent("online", x), await watcherAgain.Next());
    }

    [Fact]
    public async Task Two_users_watching_each_other_sign_in_at_once_and_each_hears_the_other_once()
    {
        var (x, y) = (Names.Unique("x"), Names.Unique("y"));
        await using var xSocket = await Connect();
        await using var ySocket = await Connect();
        var (xData, yData) = (UserData(x, y), UserData(y, x));
        var (xAuth, yAuth) = (Signer.UserAuth(xSocket.SocketId, xData), Signer.UserAuth(ySocket.SocketId, yData));

        await Task.WhenAll(xSocket.SendSignIn(xData, xAuth), ySocket.SendSignIn(yData, yAuth));

        Assert.Equal(SigninSuccess(xData, xAuth), await xSocket.Next());
        Assert.Equal(SigninSuccess(yData, yAuth), await ySocket.Next());
        Assert.Equal(WatchlistEvent("online", y), await xSocket.Next());
        Assert.Equal(WatchlistEvent("online", x), await ySocket.Next());
        await xSocket.AssertSilent();
        ySocket.AssertNothingReceived(); // in the same window
    }

    public void Dispose() => _api.Dispose();
}
