using System.Buffers;
using System.Text;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Tests.Unit;

/// <summary>Which first requests are upgraded straight off the transport, and which are left to Kestrel.</summary>
public sealed class UpgradeRequestTests
{
    private const string Plain =
        "GET /app/app-key?protocol=7&client=js HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static (UpgradeRequest.Outcome Outcome, UpgradeRequest? Request, long End) Read(string text, string prefix = "")
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text));
        var outcome = UpgradeRequest.TryRead(buffer, UpgradeRequest.Start(prefix), out var request, out var end);
        return (outcome, request, buffer.Slice(0, end).Length);
    }

    [Fact]
    public void A_plain_upgrade_is_taken_with_its_key_protocol_and_where_it_ends()
    {
        var (outcome, request, end) = Read(Plain + "frame bytes");

        Assert.Equal(UpgradeRequest.Outcome.Upgrade, outcome);
        Assert.Equal(new UpgradeRequest("app-key", "7", null, "dGhlIHNhbXBsZSBub25jZQ=="), request);
        Assert.Equal(Plain.Length, end);
    }

    [Fact]
    public void Header_names_are_case_insensitive_and_the_connection_header_may_list_tokens()
    {
        var text = Plain.Replace("Upgrade: websocket", "upgrade: WebSocket").Replace("Connection: Upgrade", "CONNECTION: keep-alive, Upgrade")
            .Replace("Host: x", "Host: x\r\norigin: https://a.example");

        var (outcome, request, _) = Read(text);

        Assert.Equal(UpgradeRequest.Outcome.Upgrade, outcome);
        Assert.Equal("https://a.example", request!.Origin);
    }

    [Theory]
    [InlineData("?protocol=7", "7")]
    [InlineData("?client=js&PROTOCOL=%37&protocol=5", "7")]
    [InlineData("?protocol=", "")]
    [InlineData("?protocol", "")]
    [InlineData("?client=js", null)]
    [InlineData("", null)]
    public void The_protocol_parameter_is_read_as_the_http_path_reads_it(string query, string? protocol)
    {
        var (_, request, _) = Read(Plain.Replace("?protocol=7&client=js", query));

        Assert.Equal(protocol, request!.Protocol);
    }

    [Fact]
    public void The_path_prefix_is_part_of_the_path()
    {
        Assert.Equal(UpgradeRequest.Outcome.Upgrade, Read(Plain.Replace("GET /app/", "GET /ws/app/"), "/ws").Outcome);
        Assert.Equal(UpgradeRequest.Outcome.NotTaken, Read(Plain, "/ws").Outcome);
    }

    [Theory]
    [InlineData("GET /app/app-key?protocol=7", "GET /app/app-key/?protocol=7")]
    [InlineData("GET /app/app-key?protocol=7", "GET /app/app%2Dkey?protocol=7")]
    [InlineData("GET /app/app-key?protocol=7", "GET /app/?protocol=7")]
    [InlineData("GET /app/app-key?protocol=7", "GET /app/a/b?protocol=7")]
    [InlineData("GET ", "POST ")]
    [InlineData("HTTP/1.1\r\n", "HTTP/1.0\r\n")]
    [InlineData("Host: x\r\n", "")]
    [InlineData("Host: x\r\n", "Host: x\r\nHost: y\r\n")]
    [InlineData("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8")]
    [InlineData("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Key: short")]
    [InlineData("Upgrade: websocket", "Upgrade: h2c")]
    [InlineData("Connection: Upgrade", "Connection: keep-alive")]
    [InlineData("Host: x\r\n", "Host: x\r\nContent-Length: 2\r\n")]
    [InlineData("Host: x\r\n", "Host: x\r\n continued\r\n")]
    [InlineData("Host: x\r\n", "Host : x\r\n")]
    public void Anything_less_plain_is_left_to_kestrel(string from, string to)
    {
        Assert.Equal(UpgradeRequest.Outcome.NotTaken, Read(Plain.Replace(from, to)).Outcome);
    }

    [Fact]
    public void A_partial_request_waits_for_more_only_while_it_can_still_be_an_upgrade()
    {
        Assert.Equal(UpgradeRequest.Outcome.NeedMore, Read("GE").Outcome);
        Assert.Equal(UpgradeRequest.Outcome.NeedMore, Read(Plain[..60]).Outcome);
        Assert.Equal(UpgradeRequest.Outcome.NotTaken, Read("POST /apps/app-id/events HTTP/1.1\r\n").Outcome);
        Assert.Equal(UpgradeRequest.Outcome.NotTaken, Read("GET /apps/app-id/channels").Outcome);
    }

    [Fact]
    public void Headers_longer_than_the_limit_are_left_to_kestrel()
    {
        var padding = "X-Pad: " + new string('a', UpgradeRequest.MaxHeaderBytes) + "\r\n";

        Assert.Equal(UpgradeRequest.Outcome.NotTaken, Read(Plain.Replace("Host: x\r\n", "Host: x\r\n" + padding)).Outcome);
        Assert.Equal(UpgradeRequest.Outcome.NotTaken, Read(Plain[..60] + padding).Outcome);
    }

    [Fact]
    public void The_answer_carries_the_accept_value_of_rfc_6455s_example()
    {
        var (_, request, _) = Read(Plain);
        var answer = new ArrayBufferWriter<byte>();
        request!.WriteSwitchingProtocols(answer);

        Assert.Equal(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
            Encoding.ASCII.GetString(answer.WrittenSpan));
    }
}
