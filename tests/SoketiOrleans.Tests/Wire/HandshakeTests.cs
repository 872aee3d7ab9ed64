using System.Text;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// The WebSocket handshake over a raw TCP connection: a plain upgrade is answered straight off the
/// transport (no Kestrel HTTP headers such as <c>Date</c>), an unusual one through Kestrel's HTTP
/// path; both end in a working Pusher connection.
/// </summary>
[Collection(nameof(DefaultServer))]
public sealed class HandshakeTests(ServerFixture fixture)
{
    // RFC 6455's example key and the accept value it gives.
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string Accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private const string SwitchingProtocols =
        $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {Accept}\r\n\r\n";

    private const string ConnectionEstablishedPattern =
        """^\{"event":"pusher:connection_established","data":"\{\\"socket_id\\":\\"\d+\.\d+\\",\\"activity_timeout\\":30\}"\}$""";

    private static string Upgrade(string target) =>
        $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {Key}\r\nSec-WebSocket-Version: 13\r\n\r\n";

    [Fact]
    public async Task A_plain_upgrade_gets_exactly_the_101_answer_and_then_connection_established()
    {
        await using var connection = await RawConnection.Open(fixture.Server.Port);
        await connection.Send(Upgrade("/app/app-key?protocol=7&client=js&version=8.4.0"));

        Assert.Equal(SwitchingProtocols, await connection.ReadHead());
        Assert.Matches(ConnectionEstablishedPattern, await connection.ReadTextFrame());
    }

    [Fact]
    public async Task A_handshake_sent_a_few_bytes_at_a_time_is_answered_once_it_is_whole()
    {
        await using var connection = await RawConnection.Open(fixture.Server.Port);
        foreach (var piece in Upgrade("/app/app-key?protocol=7").Chunk(7))
        {
            await connection.Send(new string(piece));
        }

        Assert.Equal(SwitchingProtocols, await connection.ReadHead());
        Assert.Matches(ConnectionEstablishedPattern, await connection.ReadTextFrame());
    }

    [Fact]
    public async Task A_frame_sent_in_the_same_write_as_the_handshake_is_read_after_it()
    {
        await using var connection = await RawConnection.Open(fixture.Server.Port);
        await connection.Send(Encoding.ASCII.GetBytes(Upgrade("/app/app-key?protocol=7"))
            .Concat(RawConnection.MaskedText("""{"event":"pusher:ping","data":{}}""")).ToArray());

        await connection.ReadHead();
        Assert.Matches(ConnectionEstablishedPattern, await connection.ReadTextFrame());
        Assert.Equal("""{"event":"pusher:pong","data":{}}""", await connection.ReadTextFrame());
    }

    [Theory]
    [InlineData("/app/app-key/?protocol=7")]
    [InlineData("/app/app%2Dkey?protocol=7")]
    public async Task An_upgrade_left_to_kestrel_still_connects(string target)
    {
        await using var connection = await RawConnection.Open(fixture.Server.Port);
        await connection.Send(Upgrade(target));

        var head = await connection.ReadHead();
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", head);
        Assert.Contains("\r\nDate: ", head);
        Assert.Contains($"\r\nSec-WebSocket-Accept: {Accept}\r\n", head);
        Assert.Matches(ConnectionEstablishedPattern, await connection.ReadTextFrame());
    }

    [Fact]
    public async Task An_upgrade_with_a_refused_protocol_is_accepted_then_told_why_on_the_socket()
    {
        await using var connection = await RawConnection.Open(fixture.Server.Port);
        await connection.Send(Upgrade("/app/app-key?protocol=3"));

        await connection.ReadHead();
        Assert.Equal("""{"event":"pusher:error","data":{"code":4007,"message":"Unsupported protocol version 3; supported: 4 to 7."}}""", await connection.ReadTextFrame());
    }

    [Fact]
    public async Task A_get_of_the_socket_path_without_an_upgrade_is_a_json_400()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.HttpUri };

        using var response = await http.GetAsync("/app/app-key?protocol=7");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("""{"error":"This endpoint only accepts WebSocket connections.","code":400}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_upgrade_of_another_version_is_left_to_kestrel_and_refused_there()
    {
        await using var connection = await RawConnection.Open(fixture.Server.Port);
        await connection.Send(Upgrade("/app/app-key?protocol=7").Replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));

        var head = await connection.ReadHead();
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", head);
    }
}
