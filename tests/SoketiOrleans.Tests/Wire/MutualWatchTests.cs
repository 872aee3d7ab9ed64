using SoketiOrleans.Tests.Harness;
using static SoketiOrleans.Tests.Harness.UserSteps;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// On a fresh server, pairs of users who watch each other sign in at the same moment. Their user
/// grains once waited on each other here (seen only on a cold server), so every pair is checked.
/// </summary>
[Collection(nameof(DefaultServer))]
public sealed class MutualWatchTests(ServerFixture fixture)
{
    private const int Pairs = 10;

    private readonly PusherSigner _signer = new();

    [Fact]
    public async Task Users_watching_each_other_sign_in_at_once_and_each_hears_the_other_once()
    {
        for (var i = 0; i < Pairs; i++)
        {
            var (x, y) = (Names.Unique("x"), Names.Unique("y"));
            await using var xSocket = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
            await using var ySocket = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
            var (xData, yData) = (UserData(x, y), UserData(y, x));
            var (xAuth, yAuth) = (_signer.UserAuth(xSocket.SocketId, xData), _signer.UserAuth(ySocket.SocketId, yData));

            await Task.WhenAll(xSocket.SendSignIn(xData, xAuth), ySocket.SendSignIn(yData, yAuth));

            Assert.Equal(SigninSuccess(xData, xAuth), await xSocket.Next());
            Assert.Equal(SigninSuccess(yData, yAuth), await ySocket.Next());
            Assert.Equal(WatchlistEvent("online", y), await xSocket.Next());
            Assert.Equal(WatchlistEvent("online", x), await ySocket.Next());
            await xSocket.ExpectPong();
            await ySocket.ExpectPong();
        }
    }
}
