using System.Text;
using SoketiOrleans.Channels;
using SoketiOrleans.Tests.Harness;
using SoketiOrleans.Users;

namespace SoketiOrleans.Tests.Grains;

[Collection(nameof(ClusterCollection))]
public sealed class UserGrainTests(ClusterFixture fixture)
{
    private static readonly byte[] Success = """{"event":"pusher:signin_success","data":{}}"""u8.ToArray();

    private readonly string _appId = $"app-{Guid.NewGuid():N}";

    private IUserGrain User(string id) => fixture.Grains.GetGrain<IUserGrain>(UserKey.Format(_appId, id));

    /// <summary>A gateway with sockets in the user's server-to-user channel, as the real one has before signing in.</summary>
    private async Task<RecordingGateway> GatewayOf(string userId)
    {
        var gateway = RecordingGateway.Create(fixture.Grains);
        await fixture.Grains.GetGrain<IChannelGrain>(ChannelKey.Format(_appId, ServerToUserChannel.For(userId))).Report(gateway.Report(1), -1);
        return gateway;
    }

    private static UserSocket SignedIn(string socketId, params string[] watchlist) => new(socketId, watchlist, Success);

    [Fact]
    public async Task Watch_notices_that_are_older_or_change_nothing_are_dropped()
    {
        await User("x").Report((await GatewayOf("x")).User(SignedIn("9.1")));
        var x = await User("x").AddWatcher("probe");
        var gateway = await GatewayOf("w");
        var w = User("w");
        await w.Report(gateway.User(SignedIn("1.1", "x")));
        // w reads x's state in the background: the online event says it has, at x.Version.
        await gateway.WaitFor(2);

        await w.WatchedUserChanged("x", new WatchedUser(false, x.Version - 1)); // older than what w read
        await w.WatchedUserChanged("y", new WatchedUser(false, long.MaxValue)); // not watched
        await w.WatchedUserChanged("x", new WatchedUser(false, x.Version + 2));
        await gateway.WaitFor(3);
        await w.WatchedUserChanged("x", new WatchedUser(true, x.Version + 1)); // overtaken by the one above
        await w.WatchedUserChanged("x", new WatchedUser(false, x.Version + 3)); // no change
        await w.WatchedUserChanged("x", new WatchedUser(true, x.Version + 4));
        await gateway.WaitFor(4);
        await w.WatchedUserChanged("x", new WatchedUser(false, x.Version + 5));

        var d = await gateway.WaitFor(5);
        const string online = """{"event":"pusher_internal:watchlist_events","data":{"events":[{"name":"online","user_ids":["x"]}]}}""";
        const string offline = """{"event":"pusher_internal:watchlist_events","data":{"events":[{"name":"offline","user_ids":["x"]}]}}""";
        Assert.Equal(
            [("1.1", Encoding.UTF8.GetString(Success)), (null, online), (null, offline), (null, online), (null, offline)],
            d.Select(delivery => (delivery.WelcomeSocketId, RecordingGateway.Text(delivery))));
    }

    [Fact]
    public async Task Users_watching_each_other_sign_in_at_once_and_each_hears_the_other_online()
    {
        var gx = await GatewayOf("x");
        var gy = await GatewayOf("y");

        await Task.WhenAll(User("x").Report(gx.User(SignedIn("1.1", "y"))), User("y").Report(gy.User(SignedIn("2.1", "x"))));

        const string online = """{"event":"pusher_internal:watchlist_events","data":{"events":[{"name":"online","user_ids":["{0}"]}]}}""";
        Assert.Equal(online.Replace("{0}", "y"), RecordingGateway.Text((await gx.WaitFor(2))[1]));
        Assert.Equal(online.Replace("{0}", "x"), RecordingGateway.Text((await gy.WaitFor(2))[1]));
    }

    [Fact]
    public async Task Terminate_asks_each_gateway_to_close_the_users_sockets_there()
    {
        var first = await GatewayOf("u");
        var second = await GatewayOf("u");
        var u = User("u");
        await u.Report(first.User(SignedIn("1.1")));
        await u.Report(first.User(SignedIn("1.1"), SignedIn("1.2")));
        await u.Report(second.User(SignedIn("2.1")));
        await u.Report(first.User(new UserSocket("1.1", [])));

        await u.Terminate();

        foreach (var (gateway, sockets) in new[] { (first, new[] { "1.1" }), (second, ["2.1"]) })
        {
            var close = await Eventually.Get(() => Task.FromResult(gateway.Closes.ToArray()), c => c.Length > 0, $"a close order at {gateway.Id}");
            var (socketIds, code, message) = Assert.Single(close);
            Assert.Equal(sockets, socketIds.Order());
            Assert.Equal((4009, "You got disconnected by the app."), (code, message));
        }
    }
}
