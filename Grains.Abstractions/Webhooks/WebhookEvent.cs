namespace SoketiOrleans.Webhooks;

/// <summary>
/// One event of a webhook body, with soketi's fields: every event has <c>name</c> and
/// <c>channel</c>; the others are set only by the kinds that carry them.
/// </summary>
/// <remarks>Serializable: a gateway outside the silos hands client events to a silo to be sent.</remarks>
[GenerateSerializer, Immutable, Alias("so.WebhookEvent")]
public sealed record WebhookEvent([property: Id(0)] string Name, [property: Id(1)] string Channel)
{
    [Id(2)]
    public string? UserId { get; init; }

    /// <summary>The client event's name (<c>client-…</c>).</summary>
    [Id(3)]
    public string? Event { get; init; }

    /// <summary>The client event's data as the client wrote it: raw JSON, passed through unchanged.</summary>
    [Id(4)]
    public string? DataJson { get; init; }

    [Id(5)]
    public string? SocketId { get; init; }

    [Id(6)]
    public int? SubscriptionCount { get; init; }

    public static WebhookEvent ChannelOccupied(string channel) => new(WebhookEventNames.ChannelOccupied, channel);

    public static WebhookEvent ChannelVacated(string channel) => new(WebhookEventNames.ChannelVacated, channel);

    public static WebhookEvent MemberAdded(string channel, string userId) => new(WebhookEventNames.MemberAdded, channel) { UserId = userId };

    public static WebhookEvent MemberRemoved(string channel, string userId) => new(WebhookEventNames.MemberRemoved, channel) { UserId = userId };

    public static WebhookEvent CacheMiss(string channel) => new(WebhookEventNames.CacheMiss, channel);

    public static WebhookEvent SubscriptionCountChanged(string channel, int count) =>
        new(WebhookEventNames.SubscriptionCount, channel) { SubscriptionCount = count };
}
