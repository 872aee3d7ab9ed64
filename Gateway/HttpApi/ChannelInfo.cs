using Microsoft.Extensions.Primitives;

namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>The <c>info</c> query parameter: a comma-separated list of attributes to include.</summary>
internal readonly record struct ChannelInfo(bool UserCount, bool SubscriptionCount)
{
    public static ChannelInfo Parse(StringValues info)
    {
        var attributes = info.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new ChannelInfo(attributes.Contains("user_count"), attributes.Contains("subscription_count"));
    }
}
