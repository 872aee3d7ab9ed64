using System.Security.Cryptography;
using System.Text;
using SoketiOrleans.Grains.Redis;
using StackExchange.Redis;

namespace SoketiOrleans.Grains.Webhooks.Redis;

/// <summary>
/// The keys of one destination, all under the store's root so that deployments with other prefixes
/// never meet. A destination is named by its app id and a hash of its URL (not its position in the
/// config, which an edit may reorder, nor its filters or headers, which an edit may change while
/// entries are queued), plus its rank among the app's entries with that same URL. The <c>{…}</c> hash
/// tag keeps a destination's keys in one Redis Cluster slot, as its Lua scripts need.
/// </summary>
internal sealed class RedisWebhookKeys
{
    public RedisWebhookKeys(RedisStore store, WebhookDestination destination, string node)
    {
        var url = destination.Target.Url;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)).AsSpan(0, 8));
        var rank = destination.App.Webhooks.TakeWhile(t => !ReferenceEquals(t, destination.Target)).Count(t => t.Url == url);
        var tag = $"{{{destination.App.Id}:{hash}{(rank > 0 ? $":{rank}" : "")}}}";
        Stream = store.Key($"webhooks:{tag}:events");
        Owner = store.Key($"webhooks:{tag}:owner");
        WriterMark = store.Key($"webhooks:{tag}:writer:{node}");
    }

    /// <summary>The events not yet delivered, oldest first.</summary>
    public RedisKey Stream { get; }

    /// <summary>The lease: which node sends this destination's events.</summary>
    public RedisKey Owner { get; }

    /// <summary>How far this node's appends got, so that a retried append adds nothing twice.</summary>
    public RedisKey WriterMark { get; }
}
