namespace SoketiOrleans.Tests.Harness;

/// <summary>Recurring client steps, each asserting the exact frames the server answers with.</summary>
public static class ClientSteps
{
    /// <summary>
    /// A ping answered by a pong as the very next frame: proves the socket is open and working, and
    /// (frames being handled in order) that everything sent before it produced no reply.
    /// </summary>
    public static async Task ExpectPong(this RawPusherClient client)
    {
        await client.SendText(Frames.Ping);
        Assert.Equal(Frames.Pong, await client.Next());
    }

    public static async Task SubscribePublic(this RawPusherClient client, string channel)
    {
        await client.Subscribe(channel);
        Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next());
    }

    public static async Task SubscribePrivate(this RawPusherClient client, PusherSigner signer, string channel)
    {
        await client.Subscribe(channel, signer.PrivateAuth(client.SocketId, channel));
        Assert.Equal(Frames.SubscriptionSucceeded(channel), await client.Next());
    }

    /// <returns>The raw <c>subscription_succeeded</c> frame.</returns>
    public static async Task<string> SubscribePresence(this RawPusherClient client, PusherSigner signer, string channel, string channelData)
    {
        await client.Subscribe(channel, signer.PresenceAuth(client.SocketId, channel, channelData), channelData);
        var frame = await client.Next();
        Assert.StartsWith($$"""{"event":"pusher_internal:subscription_succeeded","channel":"{{channel}}","data":""", frame);
        return frame;
    }
}
