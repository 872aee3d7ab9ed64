using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Users;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Unit;

public sealed class SignInAuthorizationTests
{
    private const string UserData = """{"id":"12345","user_info":{"name":"Mr. Channels"}}""";

    private static readonly App DocApp = new() { Id = "3", Key = PusherDocVectors.Key, Secret = PusherDocVectors.Secret };
    private static readonly PusherSigner Sdk = new("3", PusherDocVectors.Key, PusherDocVectors.Secret);

    [Fact]
    public void Accepts_what_a_server_sdk_signs() =>
        Assert.True(SignInAuthorization.IsValid(DocApp, PusherDocVectors.SocketId, UserData, Sdk.UserAuth(PusherDocVectors.SocketId, UserData)));

    [Fact]
    public void Rejects_a_private_channel_signature_of_the_same_string_shape() =>
        Assert.False(SignInAuthorization.IsValid(DocApp, PusherDocVectors.SocketId, UserData,
            $"{PusherDocVectors.Key}:{Sdk.Hmac($"{PusherDocVectors.SocketId}:{UserData}")}"));

    [Theory]
    [InlineData("1234.1235", UserData)] // another socket
    [InlineData("1234.1234", """{"id":"12346","user_info":{"name":"Mr. Channels"}}""")] // other user data
    public void Rejects_a_signature_made_for_something_else(string socketId, string userData) =>
        Assert.False(SignInAuthorization.IsValid(DocApp, socketId, userData, Sdk.UserAuth(PusherDocVectors.SocketId, UserData)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("278d425bdf160c739803")]
    [InlineData("278d425bdf160c739803:")]
    [InlineData("other-key:0000")]
    public void Rejects_malformed_auth(string? auth) =>
        Assert.False(SignInAuthorization.IsValid(DocApp, PusherDocVectors.SocketId, UserData, auth));
}
