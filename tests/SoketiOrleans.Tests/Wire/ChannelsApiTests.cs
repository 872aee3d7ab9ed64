using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary><c>GET /channels</c>, <c>/channels/{name}</c> and <c>/channels/{name}/users</c>.</summary>
[Collection(nameof(DefaultServer))]
public sealed class ChannelsApiTests(ServerFixture fixture) : IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    /// <summary>soketi's <c>CHANNEL_CACHE_TTL</c> default, which the fixture's server keeps.</summary>
    private static readonly TimeSpan DefaultCacheTtl = TimeSpan.FromSeconds(1800);

    private ServerProcess Server => fixture.Server;

    private PusherSigner Signer => _api.Signer;

    private Task<RawPusherClient> Connect() => RawPusherClient.Connect(Server.WebSocketUri());

    private Task<(int Status, string Body)> List(string prefix, string? info = null)
    {
        var query = new Dictionary<string, string> { ["filter_by_prefix"] = prefix };
        if (info is not null)
        {
            query["info"] = info;
        }

        return _api.Get("/channels", query);
    }

    private static Dictionary<string, string> Info(string info) => new() { ["info"] = info };

    /// <summary>
    /// Paths no route takes answer a JSON 404 like every other refusal, also those that look like
    /// file names (the default fallback leaves them out), found by <c>Robustness/HttpApiFuzzTests</c>.
    /// </summary>
    [Theory]
    [InlineData("GET", "/apps/app-id/channels//users")]
    [InlineData("PATCH", "/apps/app-id/channels/a.b")]
    [InlineData("DELETE", "/apps/app-id/channels/presence-room.1/users")]
    [InlineData("GET", "/favicon.ico")]
    [InlineData("GET", "/apps/app-id/events")]
    public async Task A_path_no_route_takes_answers_a_json_404(string method, string path)
    {
        Assert.Equal((404, """{"error":"There is nothing at this path.","code":404}"""), await _api.Raw(new HttpMethod(method), path));
    }

    [Fact]
    public async Task List_shows_occupied_channels_with_subscription_counts()
    {
        var prefix = Names.Unique("list-") + "-";
        await using var a = await Connect();
        await using var b = await Connect();
        await a.SubscribePublic(prefix + "one");
        await b.SubscribePublic(prefix + "one");
        await b.SubscribePublic(prefix + "two");

        var expected = $$$$"""{"channels":{"{{{{prefix}}}}one":{"subscription_count":2,"occupied":true},"{{{{prefix}}}}two":{"subscription_count":1,"occupied":true}}}""";
        var list = await Eventually.Get(() => List(prefix), r => Normalize(r.Body) == Normalize(expected), "both channels listed");

        Assert.Equal(200, list.Status);
    }

    [Fact]
    public async Task List_without_filter_contains_every_occupied_channel()
    {
        var one = Names.Unique("all-");
        var two = Names.Unique("private-all-");
        await using var client = await Connect();
        await client.SubscribePublic(one);
        await client.SubscribePrivate(Signer, two);

        var list = await Eventually.Get(() => _api.Get("/channels"), r => r.Body.Contains(two), "both channels listed");

        Assert.Equal(200, list.Status);
        var channels = JsonDocument.Parse(list.Body).RootElement.GetProperty("channels");
        Assert.Equal("""{"subscription_count":1,"occupied":true}""", channels.GetProperty(one).GetRawText());
        Assert.Equal("""{"subscription_count":1,"occupied":true}""", channels.GetProperty(two).GetRawText());
    }

    [Fact]
    public async Task List_filter_by_prefix_leaves_out_other_channels()
    {
        var prefix = Names.Unique("pre-");
        await using var client = await Connect();
        await client.SubscribePublic(prefix + "-in");
        await client.SubscribePublic("x" + prefix + "-out");

        var expected = $$$$"""{"channels":{"{{{{prefix}}}}-in":{"subscription_count":1,"occupied":true}}}""";
        Assert.Equal((200, expected), await Eventually.Get(() => List(prefix), r => r.Body == expected, "the filtered list"));
    }

    [Fact]
    public async Task Channel_disappears_from_the_list_when_its_sockets_leave()
    {
        var prefix = Names.Unique("gone-");
        var channel = prefix + "-c";
        var unsubscriber = await Connect();
        await using (unsubscriber)
        {
            var disconnecter = await Connect();
            await using (disconnecter)
            {
                await unsubscriber.SubscribePublic(channel);
                await disconnecter.SubscribePublic(channel);
                await Eventually.Get(() => List(prefix), r => r.Body.Contains("\"subscription_count\":2"), "two subscriptions");
            }

            await Eventually.Get(() => _api.Get($"/channels/{channel}"), r => r.Body == """{"occupied":true,"subscription_count":1}""", "the disconnect to count");
            await unsubscriber.Unsubscribe(channel);
        }

        Assert.Equal((200, """{"channels":{}}"""), await Eventually.Get(() => List(prefix), r => r.Body == """{"channels":{}}""", "the channel to leave the list"));
        Assert.Equal((200, """{"occupied":false,"subscription_count":0}"""), await _api.Get($"/channels/{channel}"));
    }

    [Fact]
    public async Task List_with_user_count_needs_a_presence_prefix()
    {
        ApiAssert.IsError(await _api.Get("/channels", Info("user_count")), 400);
        ApiAssert.IsError(await List("private-", "user_count"), 400);
    }

    [Fact]
    public async Task List_with_user_count_and_presence_prefix_adds_user_counts()
    {
        var prefix = Names.Unique("presence-uc-");
        var channel = prefix + "-room";
        await using var a = await Connect();
        await using var b = await Connect();
        await using var c = await Connect();
        await a.SubscribePresence(Signer, channel, """{"user_id":"1"}""");
        await b.SubscribePresence(Signer, channel, """{"user_id":"2"}""");
        await c.SubscribePresence(Signer, channel, """{"user_id":"2"}""");

        var expected = $$$$"""{"channels":{"{{{{channel}}}}":{"subscription_count":3,"occupied":true,"user_count":2}}}""";
        var list = await Eventually.Get(() => List(prefix, "user_count"), r => Normalize(r.Body) == Normalize(expected), "the presence listing");
        Assert.Equal(200, list.Status);
    }

    [Fact]
    public async Task Channel_info_of_a_public_channel()
    {
        var channel = Names.Unique("info-");
        Assert.Equal((200, """{"occupied":false,"subscription_count":0}"""), await _api.Get($"/channels/{channel}"));
        await using var a = await Connect();
        await using var b = await Connect();
        await a.SubscribePublic(channel);
        await b.SubscribePublic(channel);

        Assert.Equal((200, """{"occupied":true,"subscription_count":2}"""),
            await Eventually.Get(() => _api.Get($"/channels/{channel}"), r => r.Body.Contains("\"subscription_count\":2"), "two subscriptions"));
    }

    [Fact]
    public async Task Channel_info_of_a_presence_channel_adds_user_count()
    {
        var channel = Names.Unique("presence-info-");
        await using var a = await Connect();
        await a.SubscribePresence(Signer, channel, """{"user_id":"7"}""");

        var expected = """{"occupied":true,"subscription_count":1,"user_count":1}""";
        Assert.Equal((200, expected), await Eventually.Get(() => _api.Get($"/channels/{channel}"), r => r.Body == expected, "one user"));
        Assert.Equal((200, expected), await _api.Get($"/channels/{channel}", Info("user_count")));
    }

    [Fact]
    public async Task Channel_info_with_user_count_of_a_non_presence_channel_gets_400()
    {
        ApiAssert.IsError(await _api.Get($"/channels/{Names.Unique("plain-")}", Info("user_count")), 400);
        ApiAssert.IsError(await _api.Get($"/channels/{Names.Unique("private-")}", Info("user_count")), 400);
    }

    [Theory]
    [InlineData("bad%20channel")]
    [InlineData("%23foo")]
    [InlineData("a%3Ab")]
    public async Task Channel_info_of_an_invalid_name_gets_400(string encodedName)
    {
        ApiAssert.IsError(await _api.Get($"/channels/{encodedName}"), 400);
        ApiAssert.IsError(await _api.Get($"/channels/{encodedName}/users"), 400);
    }

    [Fact]
    public async Task Channel_info_of_a_name_over_200_characters_gets_400()
    {
        ApiAssert.IsError(await _api.Get($"/channels/{new string('c', 201)}"), 400);
    }

    [Fact]
    public async Task List_with_subscription_count_answers_as_by_default()
    {
        var prefix = Names.Unique("list-sc-");
        await using var client = await Connect();
        await client.SubscribePublic(prefix + "-c");

        var expected = $$$$"""{"channels":{"{{{{prefix}}}}-c":{"subscription_count":1,"occupied":true}}}""";
        Assert.Equal((200, expected), await Eventually.Get(() => List(prefix, "subscription_count"), r => r.Body == expected, "the listing"));
    }

    [Theory]
    [InlineData("cache-")]
    [InlineData("private-encrypted-cache-")]
    public async Task Channel_info_with_cache_adds_the_cached_event_and_its_seconds_left(string prefix)
    {
        var channel = Names.Unique(prefix);
        Assert.Equal((200, """{"occupied":false,"subscription_count":0}"""), await _api.Get($"/channels/{channel}", Info("cache")));

        ApiAssert.IsOk(await _api.Post("/events", $$"""{"name":"price","data":"{\"v\":1}","channel":"{{channel}}"}"""));
        var (status, body) = await _api.Get($"/channels/{channel}", Info("cache,subscription_count"));

        var ttl = JsonDocument.Parse(body).RootElement.GetProperty("cache").GetProperty("ttl").GetInt32();
        Assert.InRange(ttl, (int)DefaultCacheTtl.TotalSeconds - 60, (int)DefaultCacheTtl.TotalSeconds);
        Assert.Equal((200, $$$"""{"occupied":false,"subscription_count":0,"cache":{"event":"price","data":"{\"v\":1}","ttl":{{{ttl}}}}}"""), (status, body));
    }

    [Fact]
    public async Task Channel_info_of_a_presence_cache_channel_with_every_attribute()
    {
        var channel = Names.Unique("presence-cache-");
        await using var client = await Connect();
        await client.SubscribePresence(Signer, channel, """{"user_id":"3"}""");
        ApiAssert.IsOk(await _api.Trigger(channel, "state", "s"));

        var (status, body) = await _api.Get($"/channels/{channel}", Info("user_count,subscription_count,cache"));

        var ttl = JsonDocument.Parse(body).RootElement.GetProperty("cache").GetProperty("ttl").GetInt32();
        Assert.Equal((200, $$$"""{"occupied":true,"subscription_count":1,"user_count":1,"cache":{"event":"state","data":"s","ttl":{{{ttl}}}}}"""), (status, body));
    }

    [Fact]
    public async Task Channel_info_with_cache_of_a_channel_that_is_not_a_cache_channel_gets_400()
    {
        ApiAssert.IsError(await _api.Get($"/channels/{Names.Unique("plain-")}", Info("cache")), 400, "info=cache is only allowed for cache channels");
        ApiAssert.IsError(await _api.Get($"/channels/{Names.Unique("presence-")}", Info("user_count,cache")), 400, "info=cache is only allowed for cache channels");
    }

    [Fact]
    public async Task Users_of_a_presence_channel_are_listed_once_each()
    {
        var channel = Names.Unique("presence-users-");
        await using var a = await Connect();
        await using var b = await Connect();
        await using var c = await Connect();
        await a.SubscribePresence(Signer, channel, """{"user_id":"1","user_info":{"n":"one"}}""");
        await b.SubscribePresence(Signer, channel, """{"user_id":"2"}""");
        await c.SubscribePresence(Signer, channel, """{"user_id":"2"}""");

        var users = await Eventually.Get(() => _api.Get($"/channels/{channel}/users"), r => UserIds(r.Body).Length == 2, "two users");

        Assert.Equal(200, users.Status);
        Assert.Equal(["1", "2"], UserIds(users.Body));
        Assert.Equal(["users"], JsonDocument.Parse(users.Body).RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.All(JsonDocument.Parse(users.Body).RootElement.GetProperty("users").EnumerateArray(),
            u => Assert.Equal(["id"], u.EnumerateObject().Select(p => p.Name).ToArray()));
    }

    [Fact]
    public async Task Users_go_away_when_their_sockets_leave()
    {
        var channel = Names.Unique("presence-users-");
        await using var stays = await Connect();
        var leaves = await Connect();
        await using var cleanup = leaves;
        await stays.SubscribePresence(Signer, channel, """{"user_id":"stays"}""");
        await leaves.SubscribePresence(Signer, channel, """{"user_id":"leaves"}""");
        await Eventually.Get(() => _api.Get($"/channels/{channel}/users"), r => UserIds(r.Body).Length == 2, "two users");

        await leaves.DisposeAsync();

        Assert.Equal((200, """{"users":[{"id":"stays"}]}"""),
            await Eventually.Get(() => _api.Get($"/channels/{channel}/users"), r => UserIds(r.Body).Length == 1, "one user"));
        const string oneLeft = """{"occupied":true,"subscription_count":1,"user_count":1}""";
        Assert.Equal((200, oneLeft), await Eventually.Get(() => _api.Get($"/channels/{channel}"), r => r.Body == oneLeft, "one subscription left"));

        await stays.Unsubscribe(channel);

        Assert.Equal((200, """{"users":[]}"""),
            await Eventually.Get(() => _api.Get($"/channels/{channel}/users"), r => UserIds(r.Body).Length == 0, "no users"));
        Assert.Equal((200, """{"occupied":false,"subscription_count":0,"user_count":0}"""),
            await Eventually.Get(() => _api.Get($"/channels/{channel}"), r => r.Body.Contains("\"subscription_count\":0"), "no subscriptions"));
    }

    [Theory]
    [InlineData("plain-")]
    [InlineData("private-")]
    [InlineData("private-encrypted-")]
    public async Task Users_of_a_non_presence_channel_gets_400(string prefix)
    {
        ApiAssert.IsError(await _api.Get($"/channels/{Names.Unique(prefix)}/users"), 400, "The channel must be a presence channel.");
    }

    private static string[] UserIds(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("users").EnumerateArray()
            .Select(u => u.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The listing with its channels sorted by name: their order in the object is not part of the behaviour.</summary>
    private static string Normalize(string body)
    {
        var channels = JsonDocument.Parse(body).RootElement.GetProperty("channels").EnumerateObject()
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => $"{JsonSerializer.Serialize(c.Name)}:{c.Value.GetRawText()}");
        return "{\"channels\":{" + string.Join(",", channels) + "}}";
    }

    public void Dispose() => _api.Dispose();
}
