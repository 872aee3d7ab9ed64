using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Protocol;

namespace SoketiOrleans.Gateway.Users;

/// <summary>The <c>auth</c> of <c>pusher:signin</c>: <c>key:HMAC(secret, socket_id::user::user_data)</c>.</summary>
public static class SignInAuthorization
{
    public static bool IsValid(App app, string socketId, string userData, string? auth) =>
        AppSignature.Matches(app, $"{socketId}::user::{userData}", auth);
}
