using System.Net.WebSockets;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

public sealed class AppDisabledFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["SOKETI_DEFAULT_APP_ENABLED"] = "false",
    };
}

public sealed class AppDisabledTests(AppDisabledFixture fixture) : IClassFixture<AppDisabledFixture>
{
    [Fact]
    public async Task Disabled_app_gets_error_4003_then_close_4003()
    {
        await using var client = await RawPusherClient.Open(fixture.Server.WebSocketUri());

        Assert.Equal("""{"event":"pusher:error","data":{"code":4003,"message":"The app is not enabled."}}""", await client.Next());
        Assert.Equal((WebSocketCloseStatus)4003, (await client.WaitForClose()).Status);
    }
}
