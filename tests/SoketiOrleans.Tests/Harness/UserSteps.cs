using System.Text.Encodings.Web;
using System.Text.Json;

namespace SoketiOrleans.Tests.Harness;

/// <summary>Sign-in steps of a raw client, asserting the exact frames the server answers with.</summary>
public static class UserSteps
{
    /// <summary>Escapes only what JSON requires, as pusher-js's JSON.stringify does.</summary>
    private static readonly JsonSerializerOptions ClientJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The <c>data</c> object pusher-js sends with <c>pusher:signin</c>.</summary>
    public static string SignInData(string userData, string? auth) =>
        JsonSerializer.Serialize(new { auth, user_data = userData }, ClientJson);

    public static Task SendSignIn(this RawPusherClient client, string userData, string? auth) =>
        client.SendText($$$"""{"event":"pusher:signin","data":{{{SignInData(userData, auth)}}}}""");

    public static string SigninSuccess(string userData, string auth) =>
        $$$"""{"event":"pusher:signin_success","data":{{{SignInData(userData, auth)}}}}""";

    /// <summary>Signs in with a correct signature and expects <c>signin_success</c> echoing what was sent.</summary>
    public static async Task SignIn(this RawPusherClient client, PusherSigner signer, string userData)
    {
        var auth = signer.UserAuth(client.SocketId, userData);
        await client.SendSignIn(userData, auth);
        Assert.Equal(SigninSuccess(userData, auth), await client.Next());
    }

    public static string UserData(string id, params string[] watchlist) =>
        watchlist.Length == 0
            ? JsonSerializer.Serialize(new { id }, ClientJson)
            : JsonSerializer.Serialize(new { id, watchlist }, ClientJson);

    public static string WatchlistEvent(string name, params string[] userIds) =>
        $$$"""{"event":"pusher_internal:watchlist_events","data":{"events":[{"name":"{{{name}}}","user_ids":{{{JsonSerializer.Serialize(userIds, ClientJson)}}}}]}}""";

    /// <summary>What pusher-js reads when <c>terminate_connections</c> closes the socket.</summary>
    public static async Task ExpectTerminated(this RawPusherClient client)
    {
        Assert.Equal(Frames.Error(4009, "You got disconnected by the app."), await client.Next());
        Assert.Equal(4009, (int?)(await client.WaitForClose()).Status);
    }
}
