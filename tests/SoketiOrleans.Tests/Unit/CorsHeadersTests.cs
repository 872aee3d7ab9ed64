using Microsoft.AspNetCore.Http;
using SoketiOrleans.Gateway.Hosting;

namespace SoketiOrleans.Tests.Unit;

/// <summary>The origin rules of <see cref="CorsHeaders"/> that the wire tests' configurations do not reach.</summary>
public sealed class CorsHeadersTests
{
    [Fact]
    public async Task A_listed_origin_is_echoed_without_credentials_when_credentials_is_false()
    {
        var headers = await Respond(CorsOptions.Defaults with { Credentials = false, Origins = ["https://app.example"] }, "https://app.example");

        Assert.Equal("https://app.example", headers.AccessControlAllowOrigin);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
        Assert.Equal("Origin", headers.Vary);
    }

    [Fact]
    public async Task A_request_without_origin_gets_no_allow_origin_from_a_list_of_origins()
    {
        var headers = await Respond(CorsOptions.Defaults with { Origins = ["https://app.example"] }, origin: null);

        Assert.False(headers.ContainsKey("Access-Control-Allow-Origin"));
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
        Assert.Equal("Origin", headers.Vary);
    }

    [Fact]
    public async Task Empty_lists_of_methods_and_headers_leave_their_headers_out()
    {
        var headers = await Respond(CorsOptions.Defaults with { Methods = [], AllowedHeaders = [] }, "https://app.example");

        Assert.Equal(["Access-Control-Allow-Origin"], headers.Keys.Where(k => k.StartsWith("Access-Control-", StringComparison.Ordinal)));
    }

    private static async Task<IHeaderDictionary> Respond(CorsOptions cors, string? origin)
    {
        var options = new GatewayOptions("", new PusherSocketOptions(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), 1024, 1000), 1024, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30), new DrainOptions(TimeSpan.Zero, TimeSpan.FromSeconds(3)), 85, cors);
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        await new CorsHeaders(options).Handle(context, _ => Task.CompletedTask);
        return context.Response.Headers;
    }
}
