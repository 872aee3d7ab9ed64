using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>soketi's default <c>cors</c> (every origin): its headers on every HTTP response, and preflights answered 204.</summary>
[Collection(nameof(DefaultServer))]
public sealed class CorsTests(ServerFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.HttpUri };
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    [Fact]
    public async Task A_preflight_for_a_post_to_the_events_api_answers_204_with_the_cors_headers()
    {
        using var response = await _http.SendAsync(CorsResponse.Preflight("/apps/app-id/events", "https://app.example"));

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Access-Control-Allow-Headers"] = CorsResponse.DefaultHeaders,
            ["Access-Control-Allow-Methods"] = CorsResponse.DefaultMethods,
            ["Access-Control-Allow-Origin"] = "*",
            ["Access-Control-Max-Age"] = "600",
        }, CorsResponse.Headers(response));
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_signed_post_to_the_events_api_answers_200_with_the_cors_headers()
    {
        using var response = await _api.SendSigned(HttpMethod.Post, "/events", PusherApi.EventBody(Names.Unique("cors-"), "e", "d"));

        Assert.Equal((200, ApiAssert.Ok), ((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
        Assert.Equal(DefaultHeaders, CorsResponse.Headers(response));
    }

    [Theory]
    [InlineData("/", 200)]
    [InlineData("/ready", 200)]
    [InlineData("/no-such-route", 404)]
    [InlineData("/apps/app-id/channels", 401)]
    public async Task Probes_errors_and_404s_carry_the_cors_headers(string path, int status)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(DefaultHeaders, CorsResponse.Headers(response));
    }

    [Fact]
    public async Task The_websocket_handshake_carries_no_cors_headers()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "https://app.example");

        await socket.ConnectAsync(fixture.Server.WebSocketUri(), CancellationToken.None);

        Assert.Equal(101, (int)socket.HttpStatusCode);
        Assert.DoesNotContain(socket.HttpResponseHeaders!.Keys, k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }

    public void Dispose()
    {
        _http.Dispose();
        _api.Dispose();
    }

    private static SortedDictionary<string, string> DefaultHeaders => new(StringComparer.Ordinal)
    {
        ["Access-Control-Allow-Headers"] = CorsResponse.DefaultHeaders,
        ["Access-Control-Allow-Methods"] = CorsResponse.DefaultMethods,
        ["Access-Control-Allow-Origin"] = "*",
    };
}
