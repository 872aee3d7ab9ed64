using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// The server's WebSocket at the byte level, over a raw TCP connection: what it answers to a ping,
/// to a client's close, and to frames that break RFC 6455, and that the connection then ends.
/// </summary>
[Collection(nameof(DefaultServer))]
public sealed class WebSocketFramingTests(ServerFixture fixture)
{
    private Task<RawConnection> Connect() => RawConnection.OpenWebSocket(fixture.Server.Port);

    [Fact]
    public async Task A_ping_frame_is_answered_with_a_pong_that_carries_its_payload_and_the_socket_keeps_working()
    {
        await using var connection = await Connect();

        await connection.Send(RawConnection.ClientFrame(0x9, "are you there"u8.ToArray()));

        Assert.Equal([0x8A, 13, .. "are you there"u8], await connection.Read(15));
        await connection.Send(RawConnection.MaskedText("""{"event":"pusher:ping","data":{}}"""));
        Assert.Equal("""{"event":"pusher:pong","data":{}}""", await connection.ReadTextFrame());
    }

    [Fact]
    public async Task A_client_close_is_answered_with_its_own_code_and_the_connection_ends()
    {
        await using var connection = await Connect();

        await connection.Send(RawConnection.ClientFrame(0x8, [0x0F, 0xA0, .. "bye"u8]));

        Assert.Equal([0x88, 2, 0x0F, 0xA0], await connection.Read(4));
        Assert.True(await connection.Ended());
    }

    [Theory]
    [InlineData("an unmasked frame", new byte[] { 0x81, 0x02, 0x68, 0x69 })]
    [InlineData("a reserved bit", new byte[] { 0xC1, 0x80, 1, 2, 3, 4 })]
    [InlineData("an unknown opcode", new byte[] { 0x83, 0x80, 1, 2, 3, 4 })]
    [InlineData("a continuation with no message", new byte[] { 0x80, 0x80, 1, 2, 3, 4 })]
    public async Task A_frame_that_breaks_the_protocol_gets_close_1002_and_the_connection_ends(string what, byte[] frame)
    {
        await using var connection = await Connect();

        await connection.Send(frame);

        Assert.Equal([0x88, 2, 0x03, 0xEA], await connection.Read(4));
        Assert.True(await connection.Ended(), what);
    }

    [Fact]
    public async Task Text_that_is_not_utf8_gets_close_1007_and_the_connection_ends()
    {
        await using var connection = await Connect();

        await connection.Send(RawConnection.ClientFrame(0x1, [(byte)'{', 0xC3, 0x28, (byte)'}']));

        Assert.Equal([0x88, 2, 0x03, 0xEF], await connection.Read(4));
        Assert.True(await connection.Ended());
    }
}
