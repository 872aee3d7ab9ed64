using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>A server whose HTTP API takes bodies of at most 16 KB (soketi's httpApi.requestLimitInMb, config file only).</summary>
public sealed class SmallBodyFixture : ServerFixture
{
    public const int LimitBytes = 16 * 1024;

    protected override string Config => $$"""{ "httpApi.requestLimitInMb": {{LimitBytes / (1024.0 * 1024.0)}} }""";
}

public sealed class RequestBodyLimitTests(SmallBodyFixture fixture) : IClassFixture<SmallBodyFixture>, IDisposable
{
    private readonly PusherApi _api = new(fixture.Server.HttpUri);

    /// <summary>A valid trigger body of exactly <paramref name="bytes"/> bytes.</summary>
    private static string TriggerOfSize(int bytes)
    {
        const string head = """{"name":"e","channels":["c"],"data":" """;
        return head.TrimEnd() + new string('d', bytes - head.TrimEnd().Length - 2) + "\"}";
    }

    [Fact]
    public async Task A_body_at_the_limit_is_accepted()
    {
        var body = TriggerOfSize(SmallBodyFixture.LimitBytes);
        Assert.Equal(SmallBodyFixture.LimitBytes, body.Length);

        ApiAssert.IsOk(await _api.Post("/events", body));
    }

    [Fact]
    public async Task A_body_one_byte_over_the_limit_gets_413_naming_the_limit()
    {
        ApiAssert.IsError(await _api.Post("/events", TriggerOfSize(SmallBodyFixture.LimitBytes + 1)), 413,
            $"The request body is larger than the allowed {SmallBodyFixture.LimitBytes} bytes (httpApi.requestLimitInMb).");
    }

    public void Dispose() => _api.Dispose();
}
