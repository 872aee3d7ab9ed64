using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

[Collection(nameof(DefaultServer))]
public sealed class PrivateChannelTests(ServerFixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private ServerProcess Server => fixture.Server;

    private PusherSigner Signer => _api.Signer;

    [Theory]
    [InlineData("private-")]
    [InlineData("private-encrypted-")]
    public async Task Valid_auth_subscribes_and_receives_events(string prefix)
    {
        var channel = Names.Unique(prefix);
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.Subscribe(channel, Signer.PrivateAuth(client.SocketId, channel));
        Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next());

        ApiAssert.IsOk(await _api.Trigger(channel, "secret", "s"));
        Assert.Equal($$"""{"event":"secret","channel":"{{channel}}","data":"s"}""", await client.Next());
    }

    public static TheoryData<string, string> BadAuths => new()
    {
        { "private-", "wrong signature" },
        { "private-", "missing" },
        { "private-", "other key" },
        { "private-", "other socket" },
        { "private-", "no colon" },
        { "private-encrypted-", "wrong signature" },
        { "private-encrypted-", "missing" },
    };

    [Theory]
    [MemberData(nameof(BadAuths))]
    public async Task Bad_auth_gets_auth_error_and_no_events_of_the_channel(string prefix, string badAuth)
    {
        var channel = Names.Unique(prefix);
        await using var member = await RawPusherClient.Connect(Server.WebSocketUri());
        await member.SubscribePrivate(Signer, channel);
        await using var intruder = await RawPusherClient.Connect(Server.WebSocketUri());
        var valid = Signer.PrivateAuth(intruder.SocketId, channel);
        var auth = badAuth switch
        {
            "wrong signature" => valid[..^4] + (valid.EndsWith("0000") ? "1111" : "0000"),
            "missing" => null,
            "other key" => "other-key:" + valid[(valid.IndexOf(':') + 1)..],
            "other socket" => Signer.PrivateAuth(member.SocketId, channel),
            "no colon" => valid.Replace(":", ""),
            _ => throw new ArgumentOutOfRangeException(nameof(badAuth)),
        };

        await intruder.Subscribe(channel, auth);

        Assert.Equal(Frames.AuthError(channel), await intruder.Next());
        ApiAssert.IsOk(await _api.Trigger(channel, "secret", "s"));
        Assert.Equal($$"""{"event":"secret","channel":"{{channel}}","data":"s"}""", await member.Next());
        await intruder.AssertSilent();
        await intruder.ExpectPong();
    }

    public void Dispose() => _api.Dispose();
}
