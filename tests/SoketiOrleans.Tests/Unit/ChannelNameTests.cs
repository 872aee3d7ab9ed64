using SoketiOrleans.Protocol;

namespace SoketiOrleans.Tests.Unit;

public sealed class ChannelNameTests
{
    [Theory]
    [InlineData("my-channel")]
    [InlineData("private-App.Models.User.7")]
    [InlineData("presence-chat_room=1@a,b;c")]
    [InlineData("A-Z_a-z_0-9")]
    public void Accepts_pushers_characters(string name) => Assert.True(ChannelName.HasValidCharacters(name));

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("#server-to-user-1")]
    [InlineData("colon:inside")]
    [InlineData("slash/inside")]
    [InlineData("back\\slash")]
    [InlineData("ümlaut")]
    [InlineData("star*")]
    public void Rejects_other_characters(string name) => Assert.False(ChannelName.HasValidCharacters(name));

    [Theory]
    [InlineData("public-chat", ChannelType.Public)]
    [InlineData("private-chat", ChannelType.Private)]
    [InlineData("private-encrypted-chat", ChannelType.PrivateEncrypted)]
    [InlineData("presence-chat", ChannelType.Presence)]
    [InlineData("foo-private-chat", ChannelType.Public)] // anchored prefixes, unlike soketi's regexes
    [InlineData("foo-presence-chat", ChannelType.Public)]
    [InlineData("privatechat", ChannelType.Public)]
    public void Takes_the_type_from_an_anchored_prefix(string name, ChannelType type) => Assert.Equal(type, ChannelName.TypeOf(name));
}
