using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>Whatever a client sends, the answer is at most an error frame: the socket stays open and keeps working.</summary>
[Collection(nameof(DefaultServer))]
public sealed class MalformedMessageTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    private static async Task AssertInvalidMessageFormat(RawPusherClient client)
    {
        var frame = JsonDocument.Parse(await client.Next()).RootElement;
        Assert.Equal(["event", "data"], frame.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("pusher:error", frame.GetProperty("event").GetString());
        var data = frame.GetProperty("data");
        Assert.Equal(["code", "message"], data.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(4300, data.GetProperty("code").GetInt32());
        Assert.StartsWith("Invalid message format", data.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"event\":\"pusher:ping\"")]
    [InlineData("[1,2,3]")]
    [InlineData("\"pusher:ping\"")]
    [InlineData("{\"data\":{}}")]
    [InlineData("{\"event\":5}")]
    [InlineData("{\"event\":null}")]
    [InlineData("{\"event\":\"pusher:ping\",\"channel\":5}")]
    [InlineData("{\"event\":\"pusher:subscribe\"}")]
    [InlineData("{\"event\":\"pusher:subscribe\",\"data\":{}}")]
    [InlineData("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":7}}")]
    [InlineData("{\"event\":\"pusher:subscribe\",\"data\":\"not an object\"}")]
    public async Task Malformed_message_gets_error_4300_and_the_socket_keeps_working(string message)
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SendText(message);

        await AssertInvalidMessageFormat(client);
        await client.ExpectPong();
        await client.SubscribePublic(Names.Unique("after-"));
    }

    [Fact]
    public async Task Unknown_event_is_ignored()
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SendText("""{"event":"foo","data":{}}""");

        await client.ExpectPong();
    }

    [Fact]
    public async Task Client_event_with_channel_gets_error_4301_naming_the_channel()
    {
        var channel = Names.Unique("private-");
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SendText($$$"""{"event":"client-typing","channel":"{{{channel}}}","data":{"who":"me"}}""");

        Assert.Equal(
            Frames.Error(4301, "The app does not have client messaging enabled.", channel),
            await client.Next());
        await client.ExpectPong();
    }

    [Fact]
    public async Task Client_event_without_channel_gets_error_4301()
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SendText("""{"event":"client-typing","data":{}}""");

        Assert.Equal(
            Frames.Error(4301, "The app does not have client messaging enabled."),
            await client.Next());
        await client.ExpectPong();
    }

    [Fact]
    public async Task Binary_frames_are_parsed_like_text()
    {
        var channel = Names.Unique("bin-");
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SendBytes(Encoding.UTF8.GetBytes(Frames.Ping));
        Assert.Equal(Frames.Pong, await client.Next());

        await client.SendBytes(Encoding.UTF8.GetBytes($$$"""{"event":"pusher:subscribe","data":{"channel":"{{{channel}}}"}}"""));
        Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next());

        await client.SendBytes(Encoding.UTF8.GetBytes("[]"), WebSocketMessageType.Binary);
        await AssertInvalidMessageFormat(client);
        await client.ExpectPong();
    }

    /// <summary>
    /// Found by the coverage-guided fuzzer (fuzz/): a binary message is not checked for UTF-8 by the
    /// WebSocket, and a string in it that is not UTF-8 threw out of the socket's session.
    /// </summary>
    [Theory]
    [InlineData("{\"event\":\"pusher:ping\u00ff\"}")]
    [InlineData("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"a\u00ff\"}}")]
    [InlineData("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-a\",\"auth\":\"app-key:\u00ff\"}}")]
    [InlineData("{\"event\":\"client-a\",\"channel\":\"private-a\",\"data\":\"\u00ff\"}")]
    public async Task A_binary_message_that_is_not_utf8_gets_error_4300_and_the_socket_keeps_working(string latin1)
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        // Latin-1 turns U+00FF into the lone byte 0xFF, which no UTF-8 text holds.
        await client.SendBytes(Encoding.Latin1.GetBytes(latin1), WebSocketMessageType.Binary);

        Assert.Equal(Frames.Error(4300, "Invalid message format: not UTF-8."), await client.Next());
        await client.ExpectPong();
        await client.SubscribePublic(Names.Unique("after-"));
    }

    /// <summary>
    /// Found by the coverage-guided fuzzer (fuzz/): JSON may escape half of a surrogate pair on its
    /// own, which no .NET string can hold; reading one threw out of the session (a text message, so
    /// any client could cut its own connection without a Pusher error) or out of a handler (a server
    /// error logged).
    /// </summary>
    [Theory]
    [InlineData("{\"event\":\"\\ud800\"}")]
    [InlineData("{\"event\":\"pusher:ping\",\"channel\":\"a\\udfff\"}")]
    [InlineData("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"\\udc00\"}}")]
    [InlineData("{\"event\":\"pusher:subscribe\",\"data\":{\"\\ud800\":1,\"channel\":\"a\"}}")]
    public async Task A_lone_surrogate_escape_gets_error_4300_and_the_socket_keeps_working(string message)
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SendText(message);

        Assert.Equal(Frames.Error(4300, "Invalid message format: not JSON."), await client.Next());
        await client.ExpectPong();
        await client.SubscribePublic(Names.Unique("after-"));
    }

    /// <summary>The same escape one level down, in data sent as a JSON string: data is then not an object.</summary>
    [Fact]
    public async Task A_lone_surrogate_escape_in_data_sent_as_a_string_gets_error_4300()
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SendText("""{"event":"pusher:subscribe","data":"{\"channel\":\"\\ud800\"}"}""");

        Assert.Equal(Frames.Error(4300, "Invalid message format: pusher:subscribe needs data.channel as a string."), await client.Next());
        await client.ExpectPong();
    }

    [Fact]
    public async Task A_lone_surrogate_escape_in_presence_channel_data_is_refused_as_its_subscription()
    {
        var channel = Names.Unique("presence-");
        var signer = new PusherSigner();
        var channelData = """{"user_id":"\ud800"}""";
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.Subscribe(channel, signer.PresenceAuth(client.SocketId, channel, channelData), channelData);

        Assert.Equal(
            Frames.SubscriptionError(channel, "AuthError", "The presence channel_data is not valid JSON.", 401),
            await client.Next());
        await client.ExpectPong();
    }

    [Fact]
    public async Task Data_sent_as_a_json_string_reads_like_an_object()
    {
        var channel = Names.Unique("str-");
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.SendText($$"""{"event":"pusher:subscribe","data":"{\"channel\":\"{{channel}}\"}"}""");

        Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next());
    }
}
