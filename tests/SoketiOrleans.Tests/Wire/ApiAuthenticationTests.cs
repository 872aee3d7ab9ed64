using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>The HTTP API's app lookup and Pusher request signature checks.</summary>
[Collection(nameof(DefaultServer))]
public sealed class ApiAuthenticationTests(ServerFixture fixture) : IDisposable
{
    private const string Path = "/apps/app-id/events";
    private const string Body = """{"name":"e","data":"d","channels":["auth-test"]}""";

    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    private PusherSigner Signer => _api.Signer;

    private Task<(int Status, string Body)> PostEvents(string query, string body = Body) =>
        _api.Raw(HttpMethod.Post, $"{Path}?{query}", body);

    [Fact]
    public async Task Correctly_signed_request_is_accepted()
    {
        ApiAssert.IsOk(await PostEvents(Signer.SignedQuery("POST", Path, Body)));
    }

    [Fact]
    public async Task Unknown_app_id_gets_404()
    {
        using var api = new PusherApi(fixture.Server.HttpUri, new PusherSigner(AppId: "no-such-app"));

        ApiAssert.IsError(await api.Post("/events", Body), 404, "The app no-such-app could not be found.");
        ApiAssert.IsError(await api.Get("/channels"), 404, "The app no-such-app could not be found.");
    }

    [Fact]
    public async Task Bad_signature_gets_401()
    {
        var query = Signer.SignedQuery("POST", Path, Body);
        var tampered = query[..^1] + (query[^1] == '0' ? '1' : '0');

        ApiAssert.IsError(await PostEvents(tampered), 401);
    }

    [Fact]
    public async Task Signature_of_another_method_or_path_gets_401()
    {
        ApiAssert.IsError(await PostEvents(Signer.SignedQuery("GET", Path, Body)), 401);
        ApiAssert.IsError(await PostEvents(Signer.SignedQuery("POST", "/apps/app-id/batch_events", Body)), 401);
    }

    [Fact]
    public async Task Signature_made_with_another_secret_gets_401()
    {
        var other = Signer with { Secret = "not-the-secret" };

        ApiAssert.IsError(await PostEvents(other.SignedQuery("POST", Path, Body)), 401);
    }

    [Fact]
    public async Task Missing_auth_parameters_get_401()
    {
        ApiAssert.IsError(await _api.Raw(HttpMethod.Post, Path, Body), 401);
        ApiAssert.IsError(await _api.Raw(HttpMethod.Get, "/apps/app-id/channels"), 401);
    }

    [Theory]
    [InlineData("auth_key")]
    [InlineData("auth_timestamp")]
    [InlineData("auth_version")]
    [InlineData("auth_signature")]
    public async Task Each_missing_auth_parameter_gets_401(string parameter)
    {
        var query = string.Join('&', Signer.SignedQuery("POST", Path, Body).Split('&').Where(p => !p.StartsWith(parameter + "=", StringComparison.Ordinal)));

        ApiAssert.IsError(await PostEvents(query), 401);
    }

    [Fact]
    public async Task Wrong_auth_key_gets_401()
    {
        var wrongKey = Signer with { Key = "other-key" };

        ApiAssert.IsError(await PostEvents(wrongKey.SignedQuery("POST", Path, Body)), 401);
    }

    [Fact]
    public async Task Timestamp_older_than_600_seconds_gets_401()
    {
        var old = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 700;

        ApiAssert.IsError(await PostEvents(Signer.SignedQuery("POST", Path, Body, timestamp: old)), 401);
    }

    [Fact]
    public async Task Timestamp_a_little_old_is_accepted()
    {
        var recent = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 300;

        ApiAssert.IsOk(await PostEvents(Signer.SignedQuery("POST", Path, Body, timestamp: recent)));
    }

    [Fact]
    public async Task Timestamp_more_than_600_seconds_ahead_gets_401()
    {
        var ahead = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 700;

        ApiAssert.IsError(await PostEvents(Signer.SignedQuery("POST", Path, Body, timestamp: ahead)), 401);
    }

    [Fact]
    public async Task Timestamp_that_is_not_a_number_gets_401()
    {
        var query = Signer.SignedQuery("POST", Path, Body);
        var timestamp = query.Split('&').First(p => p.StartsWith("auth_timestamp=", StringComparison.Ordinal));

        ApiAssert.IsError(await PostEvents(query.Replace(timestamp, "auth_timestamp=soon")), 401);
    }

    [Fact]
    public async Task Query_parameters_in_any_order_are_accepted()
    {
        var reversed = string.Join('&', Signer.SignedQuery("POST", Path, Body).Split('&').Reverse());

        ApiAssert.IsOk(await PostEvents(reversed));
    }

    [Fact]
    public async Task Body_md5_mismatch_gets_401()
    {
        const string otherBody = """{"name":"e","data":"changed","channels":["auth-test"]}""";

        ApiAssert.IsError(await PostEvents(Signer.SignedQuery("POST", Path, Body), otherBody), 401);
    }

    [Fact]
    public async Task Body_without_body_md5_gets_401()
    {
        ApiAssert.IsError(await PostEvents(Signer.SignedQuery("POST", Path, body: null)), 401);
    }

    [Fact]
    public async Task Duplicate_query_parameter_gets_401()
    {
        var query = Signer.SignedQuery("POST", Path, Body);
        var key = query.Split('&').First(p => p.StartsWith("auth_key=", StringComparison.Ordinal));

        ApiAssert.IsError(await PostEvents(query + "&" + key), 401);
    }

    [Fact]
    public async Task Signed_extra_query_parameters_are_part_of_the_signature()
    {
        var query = Signer.SignedQuery("GET", "/apps/app-id/channels", null, new Dictionary<string, string> { ["filter_by_prefix"] = "x-" });

        Assert.Equal(200, (await _api.Raw(HttpMethod.Get, $"/apps/app-id/channels?{query}")).Status);
        ApiAssert.IsError(await _api.Raw(HttpMethod.Get, $"/apps/app-id/channels?{query.Replace("filter_by_prefix=x-", "filter_by_prefix=y-")}"), 401);
    }

    [Fact]
    public async Task Malformed_json_body_signed_correctly_gets_400()
    {
        const string broken = """{"name":"e",""";

        ApiAssert.IsError(await PostEvents(Signer.SignedQuery("POST", Path, broken), broken), 400);
    }

    public void Dispose() => _api.Dispose();
}
