using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Webhooks;

/// <summary>One entry of an app's <c>webhooks</c>: where to POST, which events, which channels.</summary>
public sealed record WebhookTarget
{
    public required Uri Url { get; init; }

    public required IReadOnlySet<string> EventTypes { get; init; }

    public string? ChannelNameStartsWith { get; init; }

    public string? ChannelNameEndsWith { get; init; }

    /// <summary>Extra request headers; they cannot replace the signature headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public bool Accepts(WebhookEvent webhookEvent) =>
        EventTypes.Contains(webhookEvent.Name)
        && (ChannelNameStartsWith is not { Length: > 0 } prefix || webhookEvent.Channel.StartsWith(prefix, StringComparison.Ordinal))
        && (ChannelNameEndsWith is not { Length: > 0 } suffix || webhookEvent.Channel.EndsWith(suffix, StringComparison.Ordinal));
}
