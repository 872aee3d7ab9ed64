using Microsoft.Extensions.Logging;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Hosting;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Protocol;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// <c>pusher:subscribe</c> and <c>pusher:unsubscribe</c>: name rules, auth, then the local index
/// and, through it, the channel grain (which also keeps presence members).
/// </summary>
public sealed partial class ChannelSubscriptions(
    LocalChannelIndex channels, ICluster cluster, GatewayIdentity gateway, GatewayOptions options, ILogger<ChannelSubscriptions> logger)
{
    /// <summary>How long a subscription waits for the grains of channels the socket left to count it out (a failing-over silo's are moving).</summary>
    private static readonly TimeSpan LeavesConfirmationTimeout = TimeSpan.FromSeconds(10);

    private const string NameNotAllowed =
        "The channel name is not allowed. Read channel conventions: https://pusher.com/docs/channels/using_channels/channels/#channel-naming-conventions";

    internal async Task Subscribe(PusherSocket socket, ClientMessage message)
    {
        if (message.DataString("channel") is not { } channel)
        {
            socket.Send(PusherFrame.Error(PusherCloseCodes.InvalidMessage, "Invalid message format: pusher:subscribe needs data.channel as a string."));
            return;
        }

        if (!IsAllowed(socket, channel, message, out var presence))
        {
            return;
        }

        if (socket.Subscriptions.ContainsKey(channel))
        {
            // soketi answers a repeated subscribe again; presence gets a fresh snapshot, cache channels their event.
            if (presence is not null || CacheChannels.IsCache(channel))
            {
                await Welcome(socket, channel, presence is null ? ServerFrames.SubscriptionSucceeded(channel) : null);
            }
            else
            {
                socket.Send(ServerFrames.SubscriptionSucceeded(channel));
            }

            return;
        }

        var maxChannels = options.WebSockets.MaxChannelsPerSocket;
        if (socket.Subscriptions.Count >= maxChannels)
        {
            // Each channel costs the cluster a grain: one socket must not be able to create them without bound.
            socket.Send(PusherFrame.SubscriptionError(channel, "LimitReached",
                $"The connection is subscribed to the maximum of {maxChannels} channels.", PusherCloseCodes.OverCapacity));
            return;
        }

        LocalChannel local;
        bool admitted;
        try
        {
            // Read-your-writes: the channels this socket left stop counting it before it hears of its next subscription.
            await socket.LeavesConfirmed(channel).WaitAsync(LeavesConfirmationTimeout);
            var member = presence is null ? null : new PresenceSocket(socket.Id, presence.UserId, presence.UserInfoJson);
            (local, admitted) = await channels.Join(socket.App, channel, socket, member);
        }
        catch (Exception e)
        {
            Fail(socket, channel, e);
            return;
        }

        if (!admitted)
        {
            // soketi's status and type for this limit.
            socket.Send(PusherFrame.SubscriptionError(channel, "LimitReached",
                $"The maximum of {socket.App.MaxPresenceMembersPerChannel} members per presence channel was reached.", PusherCloseCodes.OverCapacity));
            return;
        }

        socket.Subscriptions.Add(channel, new SocketSubscription(local, presence?.UserId));
        if (presence is not null)
        {
            LogJoinedAs(logger, socket.Id, channel, presence.UserId);
            return; // the grain sends the snapshot in the channel's stream, which makes the socket a subscriber
        }

        LogJoined(logger, socket.Id, channel);

        if (!CacheChannels.IsCache(channel))
        {
            local.Activate(socket, ServerFrames.SubscriptionSucceeded(channel));
        }
        else if (!await Welcome(socket, channel, ServerFrames.SubscriptionSucceeded(channel)))
        {
            await Unsubscribe(socket, channel);
        }
    }

    internal Task Unsubscribe(PusherSocket socket, string channel)
    {
        if (socket.Subscriptions.Remove(channel, out var subscription))
        {
            if (subscription.Channel.Leave(socket) is var version and > 0)
            {
                socket.LeftUnconfirmed(subscription.Channel, version);
            }

            LogLeft(logger, socket.Id, channel);
        }

        return Task.CompletedTask;
    }

    internal Task UnsubscribeAll(PusherSocket socket) =>
        Task.WhenAll(socket.Subscriptions.Names().Select(channel => Unsubscribe(socket, channel)));

    /// <summary>Sends the refusal when the subscription is not allowed.</summary>
    /// <param name="presence">The member the auth vouches for; null for channels other than presence.</param>
    private static bool IsAllowed(PusherSocket socket, string channel, ClientMessage message, out PresenceMember? presence)
    {
        presence = null;
        var app = socket.App;
        if (channel.Length > app.MaxChannelNameLength)
        {
            socket.Send(PusherFrame.SubscriptionError(channel, "LimitReached",
                $"The channel name is longer than the allowed {app.MaxChannelNameLength} characters.", PusherCloseCodes.Unauthorized));
            return false;
        }

        if (ServerToUserChannel.UserIdOf(channel) is { } userId)
        {
            // The socket joined its own server-to-user channel when it signed in; pusher-js subscribes to it again.
            if (socket.UserId == userId)
            {
                return true;
            }

            socket.Send(PusherFrame.SubscriptionError(channel, "AuthError", "The connection is not signed in as this user.", 401));
            return false;
        }

        if (!ChannelName.HasValidCharacters(channel))
        {
            socket.Send(PusherFrame.SubscriptionError(channel, null, NameNotAllowed, PusherCloseCodes.Unauthorized));
            return false;
        }

        var type = ChannelName.TypeOf(channel);
        if (type == ChannelType.Public)
        {
            return true;
        }

        var channelData = type == ChannelType.Presence ? message.DataString("channel_data") : null;
        if (!ChannelAuthorization.IsValid(app, socket.Id, channel, channelData, message.DataString("auth")))
        {
            socket.Send(PusherFrame.SubscriptionError(channel, "AuthError", "The connection is unauthorized.", 401));
            return false;
        }

        // As in soketi, an app that vouches for a private or presence subscription has authorized the socket.
        socket.Authorized();

        if (type != ChannelType.Presence)
        {
            return true;
        }

        if (PresenceMember.Parse(channelData ?? "", out var error) is not { } member)
        {
            socket.Send(PusherFrame.SubscriptionError(channel, "AuthError", error!, 401));
            return false;
        }

        if (member.UserInfoBytes > app.MaxPresenceMemberSizeInKb * 1024)
        {
            socket.Send(PusherFrame.SubscriptionError(channel, "LimitReached",
                $"The maximum size for a channel member is {app.MaxPresenceMemberSizeInKb} KB.", 4301));
            return false;
        }

        presence = member;
        return true;
    }

    /// <summary>
    /// The channel grain sends <paramref name="frame"/> (null: the presence snapshot) and, on a cache
    /// channel, the cached event (or <c>pusher:cache_miss</c>), in order with the channel's other events.
    /// </summary>
    private async Task<bool> Welcome(PusherSocket socket, string channel, byte[]? frame)
    {
        try
        {
            await ClusterRetry.Run(() => cluster.Welcome(ChannelKey.Format(socket.App.Id, channel), gateway.Id, socket.Id, frame));
            return true;
        }
        catch (Exception e)
        {
            Fail(socket, channel, e);
            return false;
        }
    }

    private void Fail(PusherSocket socket, string channel, Exception e)
    {
        LogSubscribeFailed(logger, e, channel, socket.Id);
        socket.Send(PusherFrame.SubscriptionError(channel, "ServerError", "A server error has occurred.", 500));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket {SocketId} subscribed to {Channel}")]
    private static partial void LogJoined(ILogger logger, string socketId, string channel);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket {SocketId} subscribed to {Channel} as user {UserId}")]
    private static partial void LogJoinedAs(ILogger logger, string socketId, string channel, string userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket {SocketId} unsubscribed from {Channel}")]
    private static partial void LogLeft(ILogger logger, string socketId, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing socket {SocketId} to {Channel} failed")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string channel, string socketId);
}
