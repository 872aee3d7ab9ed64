using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

[Collection(nameof(DefaultServer))]
public sealed class ConnectionTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Connection_established_carries_socket_id_and_activity_timeout_as_a_json_string()
    {
        await using var client = await RawPusherClient.Open(Server.WebSocketUri());
        var frame = await client.NextJson();

        Assert.Equal("pusher:connection_established", frame.GetProperty("event").GetString());
        var data = JsonDocument.Parse(frame.GetProperty("data").GetString()!).RootElement;
        Assert.Matches(new Regex(@"^\d+\.\d+$"), data.GetProperty("socket_id").GetString());
        Assert.Equal(30, data.GetProperty("activity_timeout").GetInt32());
    }

    [Fact]
    public async Task Unknown_app_key_gets_error_4001_then_close_4001()
    {
        await using var client = await RawPusherClient.Open(Server.WebSocketUri("no-such-key"));

        Assert.Equal("""{"event":"pusher:error","data":{"code":4001,"message":"App key no-such-key does not exist."}}""", await client.Next());
        Assert.Equal((WebSocketCloseStatus)4001, (await client.WaitForClose()).Status);
    }

    [Fact]
    public async Task Refusals_one_after_another_each_say_their_own_reason()
    {
        // The same code with another message, another code, then the first again: a refusal's frame is reused only for one alike.
        foreach (var (uri, code, message) in new[]
        {
            (Server.WebSocketUri("key-one"), 4001, "App key key-one does not exist."),
            (Server.WebSocketUri("key-two"), 4001, "App key key-two does not exist."),
            (Server.WebSocketUri(query: "protocol=abc"), 4006, "Invalid version string format."),
            (Server.WebSocketUri("key-one"), 4001, "App key key-one does not exist."),
        })
        {
            await using var client = await RawPusherClient.Open(uri);
            Assert.Equal($$$"""{"event":"pusher:error","data":{"code":{{{code}}},"message":"{{{message}}}"}}""", await client.Next());
            Assert.Equal(((WebSocketCloseStatus)code, message), await client.WaitForClose());
        }
    }

    [Fact]
    public async Task Protocol_that_is_not_a_number_gets_error_4006_then_close_4006()
    {
        await using var client = await RawPusherClient.Open(Server.WebSocketUri(query: "protocol=abc"));

        Assert.Equal("""{"event":"pusher:error","data":{"code":4006,"message":"Invalid version string format."}}""", await client.Next());
        Assert.Equal((WebSocketCloseStatus)4006, (await client.WaitForClose()).Status);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Protocol_outside_4_to_7_gets_error_4007_then_close_4007(int version)
    {
        await using var client = await RawPusherClient.Open(Server.WebSocketUri(query: $"protocol={version}"));

        Assert.Equal(
            $$$"""{"event":"pusher:error","data":{"code":4007,"message":"Unsupported protocol version {{{version}}}; supported: 4 to 7."}}""",
            await client.Next());
        Assert.Equal((WebSocketCloseStatus)4007, (await client.WaitForClose()).Status);
    }

    [Fact]
    public async Task Connection_without_protocol_parameter_is_accepted()
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri(query: "client=js&version=8.4.0"));

        await client.ExpectPong();
    }

    [Fact]
    public async Task Without_an_allow_list_any_origin_is_accepted()
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri(), origin: "https://anything.example");

        await client.ExpectPong();
    }

    [Fact]
    public async Task Ping_gets_pong()
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());
        await client.SendText(Frames.Ping);

        Assert.Equal(Frames.Pong, await client.Next());
    }
}
