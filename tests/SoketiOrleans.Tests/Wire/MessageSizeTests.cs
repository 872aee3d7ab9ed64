using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>The limit on one client message: 100 KB of payload plus 16 KB for the envelope by default.</summary>
[Collection(nameof(DefaultServer))]
public sealed class MessageSizeTests(ServerFixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private ServerProcess Server => fixture.Server;

    private static string PingOfSize(int bytes)
    {
        const string head = "{\"event\":\"pusher:ping\",\"data\":{},\"pad\":\"";
        return head + new string('p', bytes - head.Length - 2) + "\"}";
    }

    private const int Limit = (100 + 16) * 1024;

    private static readonly WebSocketCloseStatus TooBig = (WebSocketCloseStatus)4300;

    private static async Task SendOversized(RawPusherClient client, int size)
    {
        try
        {
            await client.SendText(PingOfSize(size));
        }
        catch (WebSocketException)
        {
            // The server may close before the client has written the whole message.
        }
    }

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(Limit)]
    public async Task Message_within_the_limit_is_handled(int size)
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SendText(PingOfSize(size));

        Assert.Equal(Frames.Pong, await client.Next());
    }

    [Theory]
    [InlineData(Limit + 1)]
    [InlineData(120 * 1024)]
    [InlineData(200 * 1024)]
    public async Task Message_over_the_limit_gets_error_4300_and_close_4300(int size)
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await SendOversized(client, size);

        Assert.Equal($$$"""{"event":"pusher:error","data":{"code":4300,"message":"Message too big: at most {{{Limit}}} bytes."}}""", await client.Next());
        Assert.Equal((TooBig, $"Message too big: at most {Limit} bytes."), await client.WaitForClose());
    }

    [Fact]
    public async Task Message_over_the_limit_closes_only_that_socket()
    {
        var channel = Names.Unique("size-");
        await using var bystander = await RawPusherClient.Connect(Server.WebSocketUri());
        await bystander.SubscribePublic(channel);
        await using var offender = await RawPusherClient.Connect(Server.WebSocketUri());

        await SendOversized(offender, 200 * 1024);

        Assert.Equal(TooBig, (await offender.WaitForClose()).Status);
        await bystander.ExpectPong();
        ApiAssert.IsOk(await _api.Trigger(channel, "still-here", "yes"));
        Assert.Equal($$"""{"event":"still-here","channel":"{{channel}}","data":"yes"}""", await bystander.Next());
    }

    public void Dispose() => _api.Dispose();
}
