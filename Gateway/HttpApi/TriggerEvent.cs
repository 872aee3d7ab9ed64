using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Protocol;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>
/// One event of <c>POST /events</c> or of a <c>batch_events</c> batch, checked against the app's
/// limits. <c>data</c> passes through as the JSON the caller sent (normally a string); <c>info</c>
/// names the channel attributes the response should carry.
/// </summary>
public sealed record TriggerEvent(string Name, byte[] Data, IReadOnlyList<string> Channels, string? SocketId, ChannelInfo Info)
{
    /// <summary>A refusal: HTTP status and message.</summary>
    public sealed record Problem(int Status, string Message);

    public static TriggerEvent? Read(JsonElement body, App app, out Problem? problem)
    {
        problem = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            problem = BadRequest("The event must be a JSON object.");
            return null;
        }

        if (!body.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
        {
            problem = BadRequest("The event needs a name (a non-empty string).");
            return null;
        }

        var eventName = name.GetString()!;
        if (eventName.Length > app.MaxEventNameLength)
        {
            problem = BadRequest($"Event name is too long. Maximum allowed size is {app.MaxEventNameLength}.");
            return null;
        }

        if (!body.TryGetProperty("data"u8, out var data) || data.ValueKind == JsonValueKind.Null)
        {
            problem = BadRequest("The event needs data.");
            return null;
        }

        if (PayloadBytes(data) > app.MaxEventPayloadInKb * 1024)
        {
            problem = new Problem(StatusCodes.Status413PayloadTooLarge, $"The event data should be less than {app.MaxEventPayloadInKb} KB.");
            return null;
        }

        if (ReadChannels(body, app, out problem) is not { } channels)
        {
            return null;
        }

        string? socketId = null;
        if (body.TryGetProperty("socket_id"u8, out var socket) && socket.ValueKind != JsonValueKind.Null)
        {
            socketId = socket.ValueKind == JsonValueKind.String ? socket.GetString() : null;
            if (socketId is null || !SocketIds.IsValid(socketId))
            {
                problem = BadRequest("The socket_id is not a valid socket id.");
                return null;
            }
        }

        var info = default(ChannelInfo);
        if (body.TryGetProperty("info"u8, out var attributes) && attributes.ValueKind != JsonValueKind.Null)
        {
            if (attributes.ValueKind != JsonValueKind.String)
            {
                problem = BadRequest("The info must be a string of comma-separated attributes.");
                return null;
            }

            info = ChannelInfo.Parse(attributes.GetString());
        }

        return new TriggerEvent(eventName, JsonMarshal.GetRawUtf8Value(data).ToArray(), channels, socketId, info);
    }

    /// <summary>Size as soketi counts it: the UTF-8 bytes of a string, or of the JSON of anything else.</summary>
    private static int PayloadBytes(JsonElement data) => data.ValueKind == JsonValueKind.String
        ? Encoding.UTF8.GetByteCount(data.GetString()!)
        : JsonMarshal.GetRawUtf8Value(data).Length;

    private static string[]? ReadChannels(JsonElement body, App app, out Problem? problem)
    {
        problem = null;
        string[] channels;
        if (body.TryGetProperty("channels"u8, out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
            {
                problem = BadRequest("The channels must be an array of strings.");
                return null;
            }

            channels = list.EnumerateArray().Select(c => c.GetString()!).ToArray();
        }
        else if (body.TryGetProperty("channel"u8, out var single) && single.ValueKind == JsonValueKind.String)
        {
            channels = [single.GetString()!];
        }
        else
        {
            problem = BadRequest("The event needs channels (an array) or channel (a string).");
            return null;
        }

        if (channels.Length == 0)
        {
            problem = BadRequest("The event needs at least one channel.");
            return null;
        }

        if (channels.Length > app.MaxEventChannelsAtOnce)
        {
            problem = BadRequest($"Cannot broadcast to more than {app.MaxEventChannelsAtOnce} channels at once");
            return null;
        }

        foreach (var channel in channels)
        {
            if (channel.Length > app.MaxChannelNameLength)
            {
                problem = BadRequest($"The channel name is longer than the allowed {app.MaxChannelNameLength} characters.");
                return null;
            }

            // Server-to-user channels are the pusher SDK's sendToUser; other '#' names stay reserved.
            if (!(ChannelName.HasValidCharacters(channel) || ServerToUserChannel.UserIdOf(channel) is not null))
            {
                problem = BadRequest($"The channel name \"{channel}\" is not allowed.");
                return null;
            }
        }

        return channels;
    }

    private static Problem BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
}
