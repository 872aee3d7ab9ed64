using Microsoft.Extensions.Logging;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Presence;
using SoketiOrleans.Protocol;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// <c>pusher:subscribe</c> and <c>pusher:unsubscribe</c>: name rules, auth, then the local index
/// and, for presence channels, the presence grain.
/// </summary>
public sealed partial class ChannelSubscriptions(LocalChannelIndex channels, IGrainFactory grains, GatewayIdentity gateway, ILogger<ChannelSubscriptions> logger)
{
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
            if (presence is not null)
            {
                await JoinPresence(socket, channel, presence);
            }
            else if (CacheChannels.IsCache(channel))
            {
                await WelcomeWithCache(socket, channel);
            }
            else
            {
                socket.Send(ServerFrames.SubscriptionSucceeded(channel));
            }

            return;
        }

        LocalChannel local;
        try
        {
            local = await channels.Join(socket.App.Id, channel, socket);
        }
        catch (Exception e)
        {
            Fail(socket, channel, e);
            return;
        }

        socket.Subscriptions.Add(channel, new SocketSubscription(local, presence?.UserId));
        if (presence is not null)
        {
            if (!await JoinPresence(socket, channel, presence))
            {
                await Unsubscribe(socket, channel);
            }
        }
        else if (CacheChannels.IsCache(channel))
        {
            if (!await WelcomeWithCache(socket, channel))
            {
                await Unsubscribe(socket, channel);
            }
        }
        else
        {
            local.Activate(socket, ServerFrames.SubscriptionSucceeded(channel));
        }
    }

    internal async Task Unsubscribe(PusherSocket socket, string channel)
    {
        if (!socket.Subscriptions.Remove(channel, out var subscription))
        {
            return;
        }

        subscription.Channel.Leave(socket);
        if (subscription.IsPresence)
        {
            try
            {
                await Presence(socket, channel).Leave(socket.Id);
            }
            catch (Exception e)
            {
                LogPresenceLeaveFailed(logger, e, channel, socket.Id);
            }
        }
    }

    internal Task UnsubscribeAll(PusherSocket socket) =>
        Task.WhenAll(socket.Subscriptions.Keys.ToArray().Select(channel => Unsubscribe(socket, channel)));

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
    /// The presence grain answers through the channel stream with the socket's snapshot, or refuses
    /// a new user when the channel is full (soketi's status and type for that limit).
    /// </summary>
    private Task<bool> JoinPresence(PusherSocket socket, string channel, PresenceMember member) =>
        Welcome(socket, channel, async () =>
        {
            var join = new PresenceJoin(gateway.Id, socket.Id, member.UserId, member.UserInfoJson, socket.App.MaxPresenceMembersPerChannel);
            if (await Presence(socket, channel).Join(join))
            {
                return true;
            }

            socket.Send(PusherFrame.SubscriptionError(channel, "LimitReached",
                $"The maximum of {socket.App.MaxPresenceMembersPerChannel} members per presence channel was reached.", PusherCloseCodes.OverCapacity));
            return false;
        });

    /// <summary>
    /// The channel grain sends <c>subscription_succeeded</c> and then the cached event (or
    /// <c>pusher:cache_miss</c>), in order with the channel's other events.
    /// </summary>
    private Task<bool> WelcomeWithCache(PusherSocket socket, string channel) =>
        Welcome(socket, channel, async () =>
        {
            await grains.GetGrain<IChannelGrain>(ChannelKey.Format(socket.App.Id, channel))
                .Welcome(gateway.Id, socket.Id, ServerFrames.SubscriptionSucceeded(channel));
            return true;
        });

    /// <summary>Runs a grain call that makes the socket a subscriber (or refuses it); a failure becomes a subscription error.</summary>
    private async Task<bool> Welcome(PusherSocket socket, string channel, Func<Task<bool>> welcome)
    {
        try
        {
            return await welcome();
        }
        catch (Exception e)
        {
            Fail(socket, channel, e);
            return false;
        }
    }

    private IPresenceGrain Presence(PusherSocket socket, string channel) =>
        grains.GetGrain<IPresenceGrain>(ChannelKey.Format(socket.App.Id, channel));

    private void Fail(PusherSocket socket, string channel, Exception e)
    {
        LogSubscribeFailed(logger, e, channel, socket.Id);
        socket.Send(PusherFrame.SubscriptionError(channel, "ServerError", "A server error has occurred.", 500));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing socket {SocketId} to {Channel} failed")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string channel, string socketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing socket {SocketId} from presence channel {Channel} failed")]
    private static partial void LogPresenceLeaveFailed(ILogger logger, Exception exception, string channel, string socketId);
}
