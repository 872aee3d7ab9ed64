using System.Text;
using System.Text.Json;
using SoketiOrleans.Gateway.Protocol;

namespace SoketiOrleans.Tests.Unit;

public sealed class ClientMessageTests
{
    [Fact]
    public void Reads_event_channel_and_data()
    {
        using var message = Parse("""{"event":"client-typing","channel":"private-a","data":{"x":1}}""", out _)!;

        Assert.Equal("client-typing", message.Event);
        Assert.Equal("private-a", message.Channel);
        Assert.Equal(JsonValueKind.Object, message.Data.ValueKind);
    }

    [Fact]
    public void Reads_subscribe_data_sent_as_an_object_or_as_a_json_string()
    {
        using var asObject = Parse("""{"event":"pusher:subscribe","data":{"channel":"a","auth":"k:s"}}""", out _)!;
        using var asString = Parse("""{"event":"pusher:subscribe","data":"{\"channel\":\"a\",\"auth\":\"k:s\"}"}""", out _)!;

        Assert.Equal(("a", "k:s"), (asObject.DataString("channel"), asObject.DataString("auth")));
        Assert.Equal(("a", "k:s"), (asString.DataString("channel"), asString.DataString("auth")));
    }

    [Theory]
    [InlineData("""{"event":"pusher:subscribe"}""")]
    [InlineData("""{"event":"pusher:subscribe","data":"not json"}""")]
    [InlineData("""{"event":"pusher:subscribe","data":{"channel":5}}""")]
    [InlineData("""{"event":"pusher:subscribe","data":[1]}""")]
    public void Gives_no_channel_when_data_does_not_hold_one(string json)
    {
        using var message = Parse(json, out _)!;
        Assert.Null(message.DataString("channel"));
    }

    [Theory]
    [InlineData("not json", "Invalid message format: not JSON.")]
    [InlineData("""{"event":""", "Invalid message format: not JSON.")]
    [InlineData("[1,2]", "Invalid message format: expected an object with a string \"event\".")]
    [InlineData("\"pusher:ping\"", "Invalid message format: expected an object with a string \"event\".")]
    [InlineData("""{"data":{}}""", "Invalid message format: expected an object with a string \"event\".")]
    [InlineData("""{"event":7}""", "Invalid message format: expected an object with a string \"event\".")]
    [InlineData("""{"event":"x","channel":["a"]}""", "Invalid message format: \"channel\" must be a string.")]
    public void Refuses_what_is_not_a_pusher_message(string json, string expected)
    {
        Assert.Null(Parse(json, out var error));
        Assert.Equal(expected, error);
    }

    private static ClientMessage? Parse(string json, out string? error) => ClientMessage.Parse(Encoding.UTF8.GetBytes(json), out error);
}
