using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>A <c>cors.origin</c> list: a listed origin (exact or by pattern) is echoed with <c>Vary: Origin</c> and credentials; another gets no Allow-Origin.</summary>
public sealed class CorsOriginListTests(CorsOriginListTests.Fixture fixture) : IClassFixture<CorsOriginListTests.Fixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.HttpUri };

    [Theory]
    [InlineData("https://app.example")]
    [InlineData("https://admin.trusted.example")]
    public async Task A_preflight_from_a_listed_origin_gets_it_echoed_with_vary_and_credentials(string origin)
    {
        using var response = await _http.SendAsync(CorsResponse.Preflight("/apps/app-id/events", origin));

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Access-Control-Allow-Credentials"] = "true",
            ["Access-Control-Allow-Headers"] = "Content-Type, Authorization",
            ["Access-Control-Allow-Methods"] = "GET, POST",
            ["Access-Control-Allow-Origin"] = origin,
            ["Access-Control-Max-Age"] = "600",
            ["Vary"] = "Origin",
        }, CorsResponse.Headers(response));
    }

    [Fact]
    public async Task A_preflight_from_an_unlisted_origin_gets_no_allow_origin()
    {
        using var response = await _http.SendAsync(CorsResponse.Preflight("/apps/app-id/events", "https://evil.example"));

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Access-Control-Allow-Headers"] = "Content-Type, Authorization",
            ["Access-Control-Allow-Methods"] = "GET, POST",
            ["Access-Control-Max-Age"] = "600",
            ["Vary"] = "Origin",
        }, CorsResponse.Headers(response));
    }

    [Fact]
    public async Task A_signed_post_from_a_listed_origin_answers_200_with_the_origin_echoed()
    {
        using var api = new PusherApi(fixture.Server.HttpUri, handler: new OriginHandler("https://app.example"));

        using var response = await api.SendSigned(HttpMethod.Post, "/events", PusherApi.EventBody(Names.Unique("cors-list-"), "e", "d"));

        Assert.Equal((200, ApiAssert.Ok), ((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Access-Control-Allow-Credentials"] = "true",
            ["Access-Control-Allow-Headers"] = "Content-Type, Authorization",
            ["Access-Control-Allow-Methods"] = "GET, POST",
            ["Access-Control-Allow-Origin"] = "https://app.example",
            ["Vary"] = "Origin",
        }, CorsResponse.Headers(response));
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Sends every request with an Origin, as a browser page on that origin does.</summary>
    private sealed class OriginHandler(string origin) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("Origin", origin);
            return base.SendAsync(request, cancellationToken);
        }
    }

    public sealed class Fixture : ServerFixture
    {
        protected override string Config => """
            {
              "cors": {
                "origin": ["https://app.example", "https://*.trusted.example"],
                "methods": ["GET", "POST"],
                "allowedHeaders": ["Content-Type", "Authorization"]
              }
            }
            """;
    }
}
