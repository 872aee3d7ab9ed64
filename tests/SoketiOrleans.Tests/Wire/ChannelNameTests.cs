using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

[Collection(nameof(DefaultServer))]
public sealed class ChannelNameTests(ServerFixture fixture)
{
    private const string NotAllowed =
        "The channel name is not allowed. Read channel conventions: https://pusher.com/docs/channels/using_channels/channels/#channel-naming-conventions";

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Name_longer_than_200_characters_gets_limit_reached()
    {
        var channel = "long-" + new string('x', 196);
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.Subscribe(channel);

        Assert.Equal(
            $$$"""{"event":"pusher:subscription_error","channel":"{{{channel}}}","data":{"type":"LimitReached","error":"The channel name is longer than the allowed 200 characters.","status":4009}}""",
            await client.Next());
        await client.ExpectPong();
    }

    [Fact]
    public async Task Name_of_exactly_200_characters_is_accepted()
    {
        var channel = Names.Unique("long-");
        channel += new string('x', 200 - channel.Length);
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SubscribePublic(channel);
    }

    [Theory]
    [InlineData("bad channel!")]
    [InlineData("#foo")]
    [InlineData("a:b")]
    [InlineData("caf\u00e9")]
    public async Task Name_with_invalid_characters_gets_subscription_error_without_type(string channel)
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.Subscribe(channel);

        Assert.Equal(
            $$$"""{"event":"pusher:subscription_error","channel":"{{{channel}}}","data":{"error":"{{{NotAllowed}}}","status":4009}}""",
            await client.Next());
        await client.ExpectPong();
    }

    [Fact]
    public async Task Name_with_every_allowed_special_character_is_accepted()
    {
        var channel = Names.Unique("Az09_-=@,.;");
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SubscribePublic(channel);
    }
}
