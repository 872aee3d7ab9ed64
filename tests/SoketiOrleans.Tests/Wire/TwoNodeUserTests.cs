using SoketiOrleans.Tests.Harness;
using static SoketiOrleans.Tests.Harness.UserSteps;

namespace SoketiOrleans.Tests.Wire;

/// <summary>A user is one user across the two processes: events, terminate and watchlists reach every gateway.</summary>
public abstract class TwoNodeUserTests(TwoNodeFixture fixture) : IDisposable
{
    private readonly PusherApi _apiB = new(fixture.B.HttpUri);

    private PusherSigner Signer => _apiB.Signer;

    private static Task<RawPusherClient> Connect(ServerProcess server) => RawPusherClient.Connect(server.WebSocketUri());

    [Fact]
    public async Task Event_sent_to_a_user_through_b_reaches_its_sockets_on_a_and_b()
    {
        var id = Names.Unique("u");
        await using var onA = await Connect(fixture.A);
        await using var onB = await Connect(fixture.B);
        await onA.SignIn(Signer, UserData(id));
        await onB.SignIn(Signer, UserData(id));

        ApiAssert.IsOk(await _apiB.Trigger($"#server-to-user-{id}", "to-user", "1"));

        var expected = $$"""{"event":"to-user","channel":"#server-to-user-{{id}}","data":"1"}""";
        Assert.Equal(expected, await onA.Next());
        Assert.Equal(expected, await onB.Next());
        await onA.AssertSilent();
    }

    [Fact]
    public async Task Terminate_through_b_closes_the_users_sockets_on_a_and_b_and_no_other()
    {
        var id = Names.Unique("u");
        await using var onA = await Connect(fixture.A);
        await using var onB = await Connect(fixture.B);
        await using var otherOnA = await Connect(fixture.A);
        await onA.SignIn(Signer, UserData(id));
        await onB.SignIn(Signer, UserData(id));
        await otherOnA.SignIn(Signer, UserData(Names.Unique("u")));

        ApiAssert.IsOk(await _apiB.TerminateUserConnections(id));

        await onA.ExpectTerminated();
        await onB.ExpectTerminated();
        await otherOnA.ExpectPong();
    }

    [Fact]
    public async Task Watcher_on_a_sees_a_user_on_b_come_online_and_go_offline()
    {
        var (watcherId, x) = (Names.Unique("w"), Names.Unique("x"));
        await using var watcher = await Connect(fixture.A);
        await watcher.SignIn(Signer, UserData(watcherId, x));

        await using var xOnB = await Connect(fixture.B);
        await xOnB.SignIn(Signer, UserData(x));
        Assert.Equal(WatchlistEvent("online", x), await watcher.Next());

        await xOnB.DisposeAsync();
        Assert.Equal(WatchlistEvent("offline", x), await watcher.Next());
    }

    [Fact]
    public async Task Watcher_signing_in_on_b_gets_the_users_online_on_a()
    {
        var (watcherId, x) = (Names.Unique("w"), Names.Unique("x"));
        await using var xOnA = await Connect(fixture.A);
        await xOnA.SignIn(Signer, UserData(x));
        await using var watcher = await Connect(fixture.B);

        await watcher.SignIn(Signer, UserData(watcherId, x));

        Assert.Equal(WatchlistEvent("online", x), await watcher.Next());
    }

    public void Dispose() => _apiB.Dispose();
}

/// <summary>Run against two processes of a <c>local</c> mode cluster.</summary>
[Collection(nameof(TwoNodes))]
public sealed class LocalTwoNodeUserTests(TwoNodeFixture fixture) : TwoNodeUserTests(fixture);
