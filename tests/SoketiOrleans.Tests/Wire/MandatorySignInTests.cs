using SoketiOrleans.Tests.Harness;
using static SoketiOrleans.Tests.Harness.UserSteps;

namespace SoketiOrleans.Tests.Wire;

public sealed class MandatorySignInFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["SOKETI_DEFAULT_APP_USER_AUTHENTICATION"] = "true",
        // Long enough for a fresh server's first subscribe and sign-in under a loaded CI machine (at
        // 1 s, one run's first public subscribe was answered after the deadline's 4009).
        ["SOKETI_USER_AUTHENTICATION_TIMEOUT"] = "3000",
    };
}

/// <summary>An app with <c>enableUserAuthentication</c>: sockets must sign in (or authorize a private channel) in time.</summary>
public sealed class MandatorySignInTests(MandatorySignInFixture fixture) : IClassFixture<MandatorySignInFixture>
{
    private static readonly PusherSigner Signer = new();

    private Task<RawPusherClient> Connect() => RawPusherClient.Connect(fixture.Server.WebSocketUri());

    [Fact]
    public async Task Silent_socket_is_closed_with_4009_after_the_timeout_and_authorized_ones_stay()
    {
        // The authorized sockets connect first, so their deadlines have passed when the silent one's has.
        await using var signedIn = await Connect();
        await signedIn.SignIn(Signer, UserData(Names.Unique("u")));
        await using var privateSubscriber = await Connect();
        await privateSubscriber.SubscribePrivate(Signer, Names.Unique("private-"));
        await using var silent = await Connect();

        Assert.Equal(Frames.Error(4009, "Connection not authorized within timeout."), await silent.Next(TimeSpan.FromSeconds(5)));
        Assert.Equal(4009, (int?)(await silent.WaitForClose()).Status);

        await signedIn.ExpectPong();
        await privateSubscriber.ExpectPong();
    }

    [Fact]
    public async Task A_public_subscription_does_not_count_as_authorized()
    {
        await using var client = await Connect();
        await client.SubscribePublic(Names.Unique("public-"));

        Assert.Equal(Frames.Error(4009, "Connection not authorized within timeout."), await client.Next(TimeSpan.FromSeconds(5)));
        Assert.Equal(4009, (int?)(await client.WaitForClose()).Status);
    }
}
