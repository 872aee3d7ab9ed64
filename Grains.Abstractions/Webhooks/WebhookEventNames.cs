namespace SoketiOrleans.Webhooks;

/// <summary>The event types a webhook can ask for (soketi's list plus Pusher's <c>subscription_count</c>).</summary>
public static class WebhookEventNames
{
    public const string ChannelOccupied = "channel_occupied";
    public const string ChannelVacated = "channel_vacated";
    public const string MemberAdded = "member_added";
    public const string MemberRemoved = "member_removed";
    public const string ClientEvent = "client_event";
    public const string CacheMiss = "cache_miss";
    public const string SubscriptionCount = "subscription_count";

    public static readonly IReadOnlyList<string> All =
        [ChannelOccupied, ChannelVacated, MemberAdded, MemberRemoved, ClientEvent, CacheMiss, SubscriptionCount];
}
