namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// The exact frames the server writes, as text (tests compare what arrived byte for byte), built
/// in one place. Arguments are names and messages that need no JSON escaping.
/// </summary>
public static class Frames
{
    public const string Ping = """{"event":"pusher:ping","data":{}}""";

    public const string Pong = """{"event":"pusher:pong","data":{}}""";


    public static readonly string OverQuota = Error(4004, "The current concurrent connections quota has been reached.");

    public static readonly string ShuttingDown = Error(4200, "Server is shutting down. Please reconnect shortly.");

    /// <summary>A channel event whose data is a string, as the HTTP API and client events deliver it.</summary>
    public static string Event(string name, string channel, string data) =>
        $$"""{"event":"{{name}}","channel":"{{channel}}","data":"{{data}}"}""";

    public static string Error(int code, string message, string? channel = null) => channel is null
        ? $$$"""{"event":"pusher:error","data":{"code":{{{code}}},"message":"{{{message}}}"}}"""
        : $$$"""{"event":"pusher:error","channel":"{{{channel}}}","data":{"code":{{{code}}},"message":"{{{message}}}"}}""";

    public static string ConnectionEstablished(string socketId, int activityTimeout = 30) =>
        $$"""{"event":"pusher:connection_established","data":"{\"socket_id\":\"{{socketId}}\",\"activity_timeout\":{{activityTimeout}}}"}""";

    public static string SubscriptionSucceeded(string channel) =>
        $$"""{"event":"pusher_internal:subscription_succeeded","channel":"{{channel}}","data":"{}"}""";

    /// <param name="type">Pusher's error type (<c>AuthError</c>, <c>LimitReached</c>), or none.</param>
    public static string SubscriptionError(string channel, string? type, string error, int status) => type is null
        ? $$$"""{"event":"pusher:subscription_error","channel":"{{{channel}}}","data":{"error":"{{{error}}}","status":{{{status}}}}}"""
        : $$$"""{"event":"pusher:subscription_error","channel":"{{{channel}}}","data":{"type":"{{{type}}}","error":"{{{error}}}","status":{{{status}}}}}""";

    /// <summary>A presence member without <c>user_info</c>, as JSON.</summary>
    public static string Member(string userId) => $$"""{"user_id":"{{userId}}"}""";

    /// <param name="member">The member as JSON (<see cref="Member"/>, or with <c>user_info</c>).</param>
    public static string MemberAdded(string channel, string member) =>
        $$"""{"event":"pusher_internal:member_added","channel":"{{channel}}","data":"{{member.Replace("\"", "\\\"")}}"}""";

    public static string MemberRemoved(string channel, string userId) =>
        $$"""{"event":"pusher_internal:member_removed","channel":"{{channel}}","data":"{\"user_id\":\"{{userId}}\"}"}""";

    public static string CacheMiss(string channel) => $$"""{"event":"pusher:cache_miss","channel":"{{channel}}"}""";

    public static string AuthError(string channel, string error = "The connection is unauthorized.") =>
        SubscriptionError(channel, "AuthError", error, 401);

    public static string PresenceFull(string channel, int maxMembers) =>
        SubscriptionError(channel, "LimitReached", $"The maximum of {maxMembers} members per presence channel was reached.", 4100);
}
