using SoketiOrleans.Channels;

namespace SoketiOrleans.Tests.Unit;

public sealed class ChannelKeyTests
{
    [Theory]
    [InlineData("app-id", "presence-room")]
    [InlineData("app-id", "#server-to-user-urn:user:7")]
    public void Parse_gives_back_what_format_joined(string appId, string channel) =>
        Assert.Equal((appId, channel), ChannelKey.Parse(ChannelKey.Format(appId, channel)));
}
