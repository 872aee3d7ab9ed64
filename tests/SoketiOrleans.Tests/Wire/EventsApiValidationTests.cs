using System.Text;
using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>Correctly signed <c>POST /events</c> requests whose body is refused, and nothing sent when it is.</summary>
[Collection(nameof(DefaultServer))]
public sealed class EventsApiValidationTests(ServerFixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    /// <summary>Why, the body, and the message where it names a limit (null: any message).</summary>
    public static TheoryData<string, string, string?> BadRequests => new()
    {
        { "malformed JSON", """{"name":"e","data":"d","channels":["c"]""", null },
        { "JSON array", """[{"name":"e","data":"d","channels":["c"]}]""", null },
        { "missing name", """{"data":"d","channels":["c"]}""", null },
        { "empty name", """{"name":"","data":"d","channels":["c"]}""", null },
        { "missing data", """{"name":"e","channels":["c"]}""", null },
        { "missing channels", """{"name":"e","data":"d"}""", null },
        { "empty channels", """{"name":"e","data":"d","channels":[]}""", null },
        { "invalid channel name", """{"name":"e","data":"d","channels":["bad channel!"]}""", "The channel name \"bad channel!\" is not allowed." },
        { "invalid single channel name", """{"name":"e","data":"d","channel":"#foo"}""", "The channel name \"#foo\" is not allowed." },
        { "channel name over 200", $$"""{"name":"e","data":"d","channels":["{{new string('c', 201)}}"]}""", "The channel name is longer than the allowed 200 characters." },
        { "101 channels", JsonSerializer.Serialize(new { name = "e", data = "d", channels = Enumerable.Range(0, 101).Select(i => $"c{i}") }), "Cannot broadcast to more than 100 channels at once" },
        { "event name over 200", $$"""{"name":"{{new string('e', 201)}}","data":"d","channels":["c"]}""", "Event name is too long. Maximum allowed size is 200." },
        { "socket_id not a socket id", """{"name":"e","data":"d","channels":["c"],"socket_id":"abc"}""", null },
        { "socket_id without second part", """{"name":"e","data":"d","channels":["c"],"socket_id":"123."}""", null },
    };

    /// <summary>Found by the coverage-guided fuzzer (fuzz/): a string that is not UTF-8 inside JSON that is otherwise well formed threw out of the endpoint (a 500 without a body).</summary>
    [Theory]
    [InlineData("/events", "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"\u00ff\"}")]
    [InlineData("/events", "{\"name\":\"\u00ff\",\"channels\":[\"c\"],\"data\":\"d\"}")]
    [InlineData("/batch_events", "{\"batch\":[{\"name\":\"e\",\"channel\":\"c\u00ff\",\"data\":\"d\"}]}")]
    public async Task A_body_that_is_not_utf8_is_refused_with_400(string path, string latin1)
    {
        // Latin-1 turns U+00FF into the lone byte 0xFF, which no UTF-8 text holds.
        ApiAssert.IsError(await _api.Post(path, Encoding.Latin1.GetBytes(latin1)), 400, "The received data is incorrect: the body is not UTF-8.");
    }


    /// <summary>Found by the coverage-guided fuzzer (fuzz/): JSON escaping half of a surrogate pair on its own threw out of the endpoint (a 500 without a body).</summary>
    [Theory]
    [InlineData("/events", "{\"name\":\"\\ud800\",\"channel\":\"c\",\"data\":\"d\"}")]
    [InlineData("/events", "{\"name\":\"e\",\"channels\":[\"c\\udc00\"],\"data\":\"d\"}")]
    [InlineData("/batch_events", "{\"batch\":[{\"name\":\"e\",\"channel\":\"c\",\"data\":\"\\ud800\"}]}")]
    public async Task A_lone_surrogate_escape_in_the_body_is_refused_with_400(string path, string body)
    {
        ApiAssert.IsError(await _api.Post(path, body), 400, "The received data is incorrect: the body is not valid JSON.");
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Invalid_trigger_body_is_refused_with_400(string why, string body, string? limit)
    {
        _ = why; // names the case in the test output

        ApiAssert.IsError(await _api.Post("/events", body), 400, limit);
    }

    [Fact]
    public async Task Refused_trigger_delivers_nothing()
    {
        var channel = Names.Unique("val-");
        await using var client = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
        await client.SubscribePublic(channel);

        ApiAssert.IsError(await _api.Post("/events", $$"""{"name":"e","data":"d","channels":["{{channel}}","bad channel!"]}"""), 400);

        await client.AssertSilent();
    }

    [Fact]
    public async Task Exactly_100_channels_and_200_character_names_are_accepted()
    {
        var channels = Enumerable.Range(0, 99).Select(i => $"c{i}").Append(new string('c', 200));
        var body = JsonSerializer.Serialize(new { name = new string('e', 200), data = "d", channels });

        ApiAssert.IsOk(await _api.Post("/events", body));
    }

    [Fact]
    public async Task Data_over_100_KB_is_refused_with_413()
    {
        var body = JsonSerializer.Serialize(new { name = "e", data = new string('d', 100 * 1024 + 1), channels = new[] { "c" } });

        ApiAssert.IsError(await _api.Post("/events", body), 413, "The event data should be less than 100 KB.");
    }

    [Fact]
    public async Task Data_of_exactly_100_KB_is_accepted()
    {
        var body = JsonSerializer.Serialize(new { name = "e", data = new string('d', 100 * 1024), channels = new[] { "c" } });

        ApiAssert.IsOk(await _api.Post("/events", body));
    }

    [Fact]
    public async Task Invalid_event_in_a_batch_refuses_the_whole_batch()
    {
        var channel = Names.Unique("val-");
        await using var client = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
        await client.SubscribePublic(channel);

        ApiAssert.IsError(await _api.Post("/batch_events", $$"""
            {"batch":[{"channel":"{{channel}}","name":"ok","data":"1"},{"channel":"{{channel}}","data":"no name"}]}
            """), 400);

        await client.AssertSilent();
    }

    public void Dispose() => _api.Dispose();
}
