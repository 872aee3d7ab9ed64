using System.Runtime.InteropServices;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Protocol;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// Events a client sends to the other subscribers of a private or presence channel. Every refusal
/// is a <c>pusher:error</c> 4301 (soketi's code for all of them) and the socket stays open; an
/// accepted event is serialized once and fanned out by the channel grain to everyone but the sender.
/// Only this gateway sees the event arrive, so its <c>client_event</c> webhook is raised here, once.
/// </summary>
public sealed class ClientEvents(ChannelPublisher publisher, IWebhookEvents webhooks)
{
    private const int Rejected = 4301;

    internal Task Relay(PusherSocket socket, ClientMessage message)
    {
        if (Refusal(socket, message, out var data) is { } refusal)
        {
            socket.Send(PusherFrame.Error(Rejected, refusal, message.Channel));
            return Task.CompletedTask;
        }

        var channel = message.Channel!;
        var userId = socket.Subscriptions[channel].PresenceUserId;
        var frame = PusherFrame.Event(message.Event, channel, data, userId);
        if (webhooks.Wants(socket.App.Id, WebhookEventNames.ClientEvent))
        {
            webhooks.Raise(socket.App.Id, new WebhookEvent(WebhookEventNames.ClientEvent, channel)
            {
                Event = message.Event,
                DataJson = data.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(data),
                SocketId = socket.Id,
                UserId = userId,
            });
        }

        return publisher.Publish(socket.App.Id, channel, frame, socket.Id);
    }

    /// <param name="data">The event's data as the client wrote it; empty when it sent none.</param>
    private static string? Refusal(PusherSocket socket, ClientMessage message, out ReadOnlySpan<byte> data)
    {
        data = default;
        var app = socket.App;
        if (!message.Event.StartsWith(PusherEvents.ClientEventPrefix, StringComparison.Ordinal))
        {
            return "Client event names must start with client-.";
        }

        if (!app.EnableClientMessages)
        {
            return "The app does not have client messaging enabled.";
        }

        if (message.Event.Length > app.MaxEventNameLength)
        {
            return $"Event name is too long. Maximum allowed size is {app.MaxEventNameLength}.";
        }

        if (message.Channel is not { } channel || !socket.Subscriptions.ContainsKey(channel))
        {
            return "Client event rejected: the connection is not subscribed to the channel.";
        }

        if (ChannelName.TypeOf(channel) is not (ChannelType.Private or ChannelType.Presence))
        {
            return "Client events are only supported on private and presence channels.";
        }

        if (message.Data.ValueKind != System.Text.Json.JsonValueKind.Undefined)
        {
            data = JsonMarshal.GetRawUtf8Value(message.Data);
        }

        if (data.Length > app.MaxEventPayloadInKb * 1024)
        {
            return $"The event data should be less than {app.MaxEventPayloadInKb} KB.";
        }

        if (!socket.ClientEventLimit.TryTake(app.MaxClientEventsPerSecond, Environment.TickCount64))
        {
            socket.Metrics.RateLimited("client_events");
            return "The rate limit for sending client events exceeded the quota.";
        }

        return null;
    }
}
