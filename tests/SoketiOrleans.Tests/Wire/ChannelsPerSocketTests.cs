using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// <c>websockets.maxChannelsPerSocket</c>: every channel costs the cluster a grain, so one socket's
/// subscriptions are bounded; beyond the bound a subscription is refused and the socket stays open.
/// </summary>
public sealed class ChannelsPerSocketTests
{
    [Fact]
    public async Task A_subscription_beyond_the_limit_is_refused_until_the_socket_leaves_a_channel()
    {
        await using var server = await ServerProcess.Start(new Dictionary<string, string> { ["SOKETI_WEBSOCKETS_MAX_CHANNELS_PER_SOCKET"] = "3" });
        await using var client = await RawPusherClient.Connect(server.WebSocketUri());
        var channels = Enumerable.Range(0, 4).Select(i => Names.Unique($"bounded-{i}-")).ToArray();
        foreach (var channel in channels.Take(3))
        {
            await client.SubscribePublic(channel);
        }

        await client.Subscribe(channels[3]);
        Assert.Equal(Frames.SubscriptionError(channels[3], "LimitReached", "The connection is subscribed to the maximum of 3 channels.", 4100), await client.Next());

        await client.Unsubscribe(channels[0]);
        await client.SubscribePublic(channels[3]);
        using var api = new PusherApi(server.HttpUri);
        Assert.Equal((200, """{"occupied":true,"subscription_count":1}"""), await api.Get($"/channels/{channels[3]}"));
    }
}
