using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

public sealed class OriginAllowListFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["SOKETI_DEFAULT_APP_ALLOWED_ORIGINS"] = """["https://good.example","https://*.trusted.example"]""",
    };
}

public sealed class OriginAllowListTests(OriginAllowListFixture fixture) : IClassFixture<OriginAllowListFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Origin_not_on_the_list_gets_error_4009_then_close_4009()
    {
        await using var client = await RawPusherClient.Open(Server.WebSocketUri(), origin: "https://evil.example");

        Assert.Equal(
            """{"event":"pusher:error","data":{"code":4009,"message":"The origin is not allowed to connect to this app."}}""",
            await client.Next());
        Assert.Equal((WebSocketCloseStatus)4009, (await client.WaitForClose()).Status);
    }

    [Theory]
    [InlineData("https://good.example")]
    [InlineData("https://a.trusted.example")]
    public async Task Origin_on_the_list_is_accepted(string origin)
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri(), origin);

        await client.ExpectPong();
    }

    [Fact]
    public async Task Connection_without_origin_header_is_accepted()
    {
        await using var client = await RawPusherClient.Connect(Server.WebSocketUri());

        await client.ExpectPong();
    }
}
