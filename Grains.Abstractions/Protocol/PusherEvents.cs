namespace SoketiOrleans.Protocol;

/// <summary>Event names of the Pusher protocol (v7).</summary>
public static class PusherEvents
{
    public const string ConnectionEstablished = "pusher:connection_established";
    public const string Error = "pusher:error";
    public const string Ping = "pusher:ping";
    public const string Pong = "pusher:pong";
    public const string Subscribe = "pusher:subscribe";
    public const string Unsubscribe = "pusher:unsubscribe";
    public const string SubscriptionError = "pusher:subscription_error";
    public const string SubscriptionSucceeded = "pusher_internal:subscription_succeeded";
    public const string MemberAdded = "pusher_internal:member_added";
    public const string MemberRemoved = "pusher_internal:member_removed";
    public const string CacheMiss = "pusher:cache_miss";
    public const string ClientEventPrefix = "client-";
    public const string SignIn = "pusher:signin";
    public const string SigninSuccess = "pusher:signin_success";
    public const string WatchlistEvents = "pusher_internal:watchlist_events";
}
