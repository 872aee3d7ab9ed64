using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Apps;

/// <summary>
/// One tenant, as soketi's app managers describe it. Limits of -1 mean unlimited; the limits that
/// soketi takes from server-wide defaults are already resolved here.
/// </summary>
public sealed record App
{
    public required string Id { get; init; }

    public required string Key { get; init; }

    public required string Secret { get; init; }

    public bool Enabled { get; init; } = true;

    public bool EnableClientMessages { get; init; }

    public bool EnableUserAuthentication { get; init; }

    public int MaxConnections { get; init; } = -1;

    public int MaxBackendEventsPerSecond { get; init; } = -1;

    public int MaxClientEventsPerSecond { get; init; } = -1;

    public int MaxReadRequestsPerSecond { get; init; } = -1;

    public int MaxPresenceMembersPerChannel { get; init; } = 100;

    public double MaxPresenceMemberSizeInKb { get; init; } = 2;

    public int MaxChannelNameLength { get; init; } = 200;

    public int MaxEventChannelsAtOnce { get; init; } = 100;

    public int MaxEventNameLength { get; init; } = 200;

    public double MaxEventPayloadInKb { get; init; } = 100;

    public int MaxEventBatchSize { get; init; } = 10;

    /// <summary>Origins allowed to open sockets (exact, or <c>*.example.com</c> patterns); empty allows all.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    public IReadOnlyList<WebhookTarget> Webhooks { get; init; } = [];

    /// <summary>
    /// The largest WebSocket message accepted from a client: the biggest event payload plus room for
    /// the envelope, auth and presence data.
    /// </summary>
    public int MaxClientMessageBytes => (int)Math.Min(int.MaxValue, MaxEventPayloadInKb * 1024 + 16 * 1024);
}
