using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>The limit on one client message: 100 KB of payload plus 16 KB for the envelope by default.</summary>
public sealed class MessageSizeTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private ServerProcess Server => fixture.Server;

    private static string PingOfSize(int bytes)
    {
        const string head = "{\"event\":\"pusher:ping\",\"data\":{},\"pad\":\"";
        return head + new string('p', bytes - head.Length - 2) + "\"}";
    }

    private const int Limit = (100 + 16) * 1024;

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(Limit)]
    public async Task Message_within_the_limit_is_handled(int size)
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SendText(PingOfSize(size));

        Assert.Equal(ClientSteps.Pong, await client.Next());
    }

    [Theory]
    [InlineData(Limit + 1)]
    [InlineData(120 * 1024)]
    [InlineData(200 * 1024)]
    public async Task Message_over_the_limit_is_refused_with_1009(int size)
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        try
        {
            await client.SendText(PingOfSize(size));
        }
        catch (WebSocketException)
        {
            // The server may close before the client has written the whole message.
        }

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, (await client.WaitForClose()).Status);
    }

    [Fact]
    public async Task Message_over_the_limit_closes_only_that_socket_with_1009()
    {
        var channel = Names.Unique("size-");
        await using var bystander = await RawPusherClient.Connect(Server.WebSocketUri());
        await bystander.SubscribePublic(channel);
        await using var offender = await RawPusherClient.Connect(Server.WebSocketUri());

        try
        {
            await offender.SendText(PingOfSize(200 * 1024));
        }
        catch (WebSocketException)
        {
            // The server may close before the client has written the whole message.
        }

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, (await offender.WaitForClose()).Status);
        await bystander.ExpectPong();
        ApiAssert.IsOk(await _api.Trigger(channel, "still-here", "yes"));
        Assert.Equal($$"""{"event":"still-here","channel":"{{channel}}","data":"yes"}""", await bystander.Next());
    }

    public void Dispose() => _api.Dispose();
}
