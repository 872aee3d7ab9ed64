using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>Laravel-style names reach clients byte for byte: only what JSON requires is escaped.</summary>
[Collection(nameof(DefaultServer))]
public sealed class NamePassThroughTests(ServerFixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    [Fact]
    public async Task Laravel_event_and_channel_names_arrive_unchanged()
    {
        const string channel = "private-App.Models.User.7";
        await using var client = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
        await client.SubscribePrivate(_api.Signer, channel);

        ApiAssert.IsOk(await _api.Post("/events",
            """{"name":"App\\Events\\OrderShipped","channels":["private-App.Models.User.7"],"data":"{\"order\":7}"}"""));

        Assert.Equal(
            """{"event":"App\\Events\\OrderShipped","channel":"private-App.Models.User.7","data":"{\"order\":7}"}""",
            await client.Next());
    }

    [Fact]
    public async Task Html_characters_and_non_ascii_pass_unescaped()
    {
        var channel = Names.Unique("Shop.Orders.");
        await using var client = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
        await client.SubscribePublic(channel);

        ApiAssert.IsOk(await _api.Post("/events",
            $$"""{"name":"<Tom & Jerry> \u00fcber 日本","channels":["{{channel}}"],"data":"<b>Café & 日本 'q'</b>"}"""));

        Assert.Equal(
            $$"""{"event":"<Tom & Jerry> über 日本","channel":"{{channel}}","data":"<b>Café & 日本 'q'</b>"}""",
            await client.Next());
    }

    public void Dispose() => _api.Dispose();
}
