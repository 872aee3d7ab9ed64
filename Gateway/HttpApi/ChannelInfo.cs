namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>
/// The <c>info</c> parameter (query string, or the events body): a comma-separated list of the
/// attributes to include. Unknown attributes are ignored, as Pusher does.
/// </summary>
public readonly record struct ChannelInfo(bool UserCount, bool SubscriptionCount, bool Cache)
{
    public bool Any => UserCount || SubscriptionCount || Cache;

    public static ChannelInfo Parse(string? info)
    {
        if (string.IsNullOrEmpty(info))
        {
            return default;
        }

        var attributes = info.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new ChannelInfo(attributes.Contains("user_count"), attributes.Contains("subscription_count"), attributes.Contains("cache"));
    }
}
