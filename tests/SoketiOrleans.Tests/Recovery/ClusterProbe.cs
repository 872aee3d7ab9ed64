using System.Text.Json;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Recovery;

/// <summary>Reads of a cluster's state and of what clients received, for the recovery scenarios.</summary>
public static class ClusterProbe
{
    public static string Member(string userId) => $$"""{"user_id":"{{userId}}"}""";

    /// <summary>What the HTTP API answers while a failover takes longer than its budget.</summary>
    public const string FailingOver =
        """{"error":"The cluster could not handle the request in time: a server is failing over. Retry the request.","code":503}""";

    /// <summary><c>GET /channels</c> as channel → subscription_count.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> ChannelCounts(PusherApi api) =>
        await ChannelCountsOrFailover(api) ?? throw new Xunit.Sdk.XunitException("GET /channels answered 503 (failing over)");

    /// <summary>The same, or null for the failover's 503 (any other answer but 200 fails).</summary>
    public static async Task<IReadOnlyDictionary<string, int>?> ChannelCountsOrFailover(PusherApi api) =>
        await JsonOrFailover(api, "/channels") is { } root
            ? root.GetProperty("channels").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetProperty("subscription_count").GetInt32())
            : null;

    public static async Task<string[]> PresenceUsers(PusherApi api, string channel) =>
        await PresenceUsersOrFailover(api, channel) ?? throw new Xunit.Sdk.XunitException($"GET /channels/{channel}/users answered 503 (failing over)");

    /// <summary>The user ids, or null for the failover's 503 (any other answer but 200 fails).</summary>
    public static async Task<string[]?> PresenceUsersOrFailover(PusherApi api, string channel) =>
        await JsonOrFailover(api, $"/channels/{channel}/users") is { } root
            ? root.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("id").GetString()!).Order().ToArray()
            : null;

    /// <summary>A GET's JSON body, or null for the failover's 503 (its body checked); any other answer but 200 fails.</summary>
    private static async Task<JsonElement?> JsonOrFailover(PusherApi api, string path)
    {
        var (status, body) = await api.Get(path);
        if (status == 503)
        {
            Assert.Equal(FailingOver, body);
            return null;
        }

        Assert.Equal(200, status);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Publishes <paramref name="marker"/> on each channel (every answer 200).</summary>
    public static async Task Mark(PusherApi api, string marker, IEnumerable<string> channels)
    {
        foreach (var channel in channels)
        {
            ApiAssert.IsOk(await api.Trigger(channel, marker, "{}"));
        }
    }

    /// <summary>
    /// Every frame the client receives until it has seen <paramref name="marker"/> on each of
    /// <paramref name="channels"/>: markers go through the same ordered channel streams, so nothing
    /// sent to those channels before them can still be on its way.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> Until(RawPusherClient client, string marker, IEnumerable<string> channels, TimeSpan? timeout = null)
    {
        var waiting = channels.ToHashSet();
        var frames = new List<JsonElement>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (waiting.Count > 0)
        {
            var frame = await client.NextJson(deadline - DateTime.UtcNow);
            frames.Add(frame);
            if (frame.GetProperty("event").GetString() == marker && frame.TryGetProperty("channel", out var channel))
            {
                waiting.Remove(channel.GetString()!);
            }
        }

        return frames;
    }

    public static string Event(JsonElement frame) => frame.GetProperty("event").GetString()!;

    public static string Channel(JsonElement frame) => frame.TryGetProperty("channel", out var c) ? c.GetString()! : "";

    /// <summary>The user id in a member event's data.</summary>
    public static string MemberId(JsonElement frame) =>
        JsonDocument.Parse(frame.GetProperty("data").GetString()!).RootElement.GetProperty("user_id").GetString()!;

    /// <summary>The member ids of a <c>subscription_succeeded</c> presence snapshot.</summary>
    public static string[] SnapshotIds(string frame) =>
        JsonDocument.Parse(JsonDocument.Parse(frame).RootElement.GetProperty("data").GetString()!).RootElement
            .GetProperty("presence").GetProperty("ids").EnumerateArray().Select(i => i.GetString()!).Order().ToArray();
}
