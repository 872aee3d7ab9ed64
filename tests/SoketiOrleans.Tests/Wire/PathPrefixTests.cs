using System.Net;
using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary><c>pathPrefix</c>: every route (probes, sockets, HTTP API) is served under it, and only there.</summary>
public sealed class PathPrefixTests(PathPrefixTests.Fixture fixture) : IClassFixture<PathPrefixTests.Fixture>, IDisposable
{
    private const string Prefix = "/ws-prefix";

    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.HttpUri };

    /// <summary>Calls and signs <c>{prefix}/apps/…</c>, as an SDK configured with the prefix does.</summary>
    private readonly PusherApi _api = new(fixture.Server.HttpUri, pathPrefix: Prefix);

    /// <summary>Calls and signs <c>/apps/…</c>, as an SDK that does not know the prefix does.</summary>
    private readonly PusherApi _unprefixedApi = new(fixture.Server.HttpUri);

    private async Task<(int Status, string Body)> Probe(string path)
    {
        using var response = await _http.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_socket_under_the_prefix_subscribes_and_receives_an_event_published_through_the_prefixed_api()
    {
        var channel = Names.Unique("prefixed-");
        await using var client = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
        // The harness puts the prefix in the socket's URL; without it this test would prove nothing.
        Assert.StartsWith($"ws://127.0.0.1:{fixture.Server.Port}{Prefix}/app/app-key?", fixture.Server.WebSocketUri().ToString());
        await client.SubscribePublic(channel);

        ApiAssert.IsOk(await _api.Trigger(channel, "greeting", "hello"));

        Assert.Equal($$"""{"event":"greeting","channel":"{{channel}}","data":"hello"}""", await client.Next());
    }

    [Fact]
    public async Task The_channels_api_under_the_prefix_answers_with_signatures_over_the_prefixed_path()
    {
        var channel = Names.Unique("listed-");
        await using var client = await RawPusherClient.Connect(fixture.Server.WebSocketUri());
        await client.SubscribePublic(channel);

        Assert.Equal((200, """{"occupied":true,"subscription_count":1}"""), await _api.Get($"/channels/{channel}"));
        Assert.Equal(
            (200, $$$$"""{"channels":{"{{{{channel}}}}":{"subscription_count":1,"occupied":true}}}"""),
            await _api.Get("/channels", new Dictionary<string, string> { ["filter_by_prefix"] = channel }));
    }

    [Fact]
    public async Task An_api_request_under_the_prefix_signed_over_the_path_without_it_is_refused_401()
    {
        var signedWithoutPrefix = _unprefixedApi.Signer.SignedQuery("GET", "/apps/app-id/channels", null);

        var response = await _api.Raw(HttpMethod.Get, $"{Prefix}/apps/app-id/channels?{signedWithoutPrefix}");

        ApiAssert.IsError(response, 401, "Invalid signature: the auth_signature does not match the request.");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ready")]
    public async Task Probes_answer_200_OK_under_the_prefix(string path)
    {
        Assert.Equal((200, "OK"), await Probe(Prefix + path));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ready")]
    public async Task Probes_without_the_prefix_answer_404(string path)
    {
        Assert.Equal((404, """{"error":"There is nothing at this path.","code":404}"""), await Probe(path));
    }

    [Fact]
    public async Task The_http_api_without_the_prefix_answers_404_even_when_correctly_signed_for_that_path()
    {
        Assert.Equal((404, """{"error":"There is nothing at this path.","code":404}"""), await _unprefixedApi.Trigger(Names.Unique("unprefixed-"), "e", "d"));
        Assert.Equal((404, """{"error":"There is nothing at this path.","code":404}"""), await _unprefixedApi.Get("/channels"));
    }

    [Fact]
    public async Task A_websocket_without_the_prefix_is_refused_with_404()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() =>
            socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Server.Port}/app/app-key?protocol=7"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, socket.HttpStatusCode);
    }

    public void Dispose()
    {
        _http.Dispose();
        _api.Dispose();
        _unprefixedApi.Dispose();
    }

    public sealed class Fixture : ServerFixture
    {
        protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
        {
            ["SOKETI_PATH_PREFIX"] = Prefix,
        };
    }
}
