using Microsoft.Extensions.Primitives;
using SoketiOrleans.Gateway.Sockets;

namespace SoketiOrleans.Tests.Unit;

public sealed class OriginPolicyTests
{
    private static readonly string[] AllowList = ["https://app.example.com", "https://*.trusted.example"];

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("HTTPS://APP.EXAMPLE.COM", true)]
    [InlineData("https://a.trusted.example", true)]
    [InlineData("https://a.b.trusted.example", true)]
    [InlineData("https://trusted.example", false)]
    [InlineData("http://app.example.com", false)]
    [InlineData("https://evil.example", false)]
    [InlineData("https://app.example.com.evil.example", false)]
    public void Matches_exact_origins_and_star_patterns(string origin, bool allowed) =>
        Assert.Equal(allowed, OriginPolicy.Allows(AllowList, origin));

    [Fact]
    public void Allows_every_origin_without_a_list() => Assert.True(OriginPolicy.Allows([], "https://anything.example"));

    [Fact]
    public void Allows_clients_that_send_no_origin() => Assert.True(OriginPolicy.Allows(AllowList, StringValues.Empty));
}
