using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Protocol;

namespace SoketiOrleans.Tests.Unit;

public sealed class ChannelAuthorizationTests
{
    private static readonly App DocApp = new() { Id = "3", Key = PusherDocVectors.Key, Secret = PusherDocVectors.Secret };

    [Fact]
    public void Accepts_pushers_private_channel_example() =>
        Assert.True(ChannelAuthorization.IsValid(DocApp, PusherDocVectors.SocketId, "private-foobar", null, PusherDocVectors.PrivateAuth));

    [Fact]
    public void Accepts_pushers_presence_channel_example() =>
        Assert.True(ChannelAuthorization.IsValid(DocApp, PusherDocVectors.SocketId, "presence-foobar",
            PusherDocVectors.PresenceChannelData, PusherDocVectors.PresenceAuth));

    [Theory]
    [InlineData("1234.1235", "private-foobar")] // another socket
    [InlineData("1234.1234", "private-foobaz")] // another channel
    public void Rejects_a_signature_made_for_something_else(string socketId, string channel) =>
        Assert.False(ChannelAuthorization.IsValid(DocApp, socketId, channel, null, PusherDocVectors.PrivateAuth));

    [Fact]
    public void Rejects_presence_data_other_than_what_was_signed() =>
        Assert.False(ChannelAuthorization.IsValid(DocApp, PusherDocVectors.SocketId, "presence-foobar",
            """{"user_id":11,"user_info":{"name":"Mr. Channels"}}""", PusherDocVectors.PresenceAuth));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4")] // no key part
    [InlineData("other-key:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4")]
    [InlineData("278d425bdf160c739803:58DF8B0C36D6982B82C3ECF6B4662E34FE8C25BBA48F5369F135BF843651C3A")] // truncated
    [InlineData("278d425bdf160c739803:zz")]
    [InlineData("278d425bdf160c739803:")]
    public void Rejects_malformed_auth(string? auth) =>
        Assert.False(ChannelAuthorization.IsValid(DocApp, PusherDocVectors.SocketId, "private-foobar", null, auth));
}
