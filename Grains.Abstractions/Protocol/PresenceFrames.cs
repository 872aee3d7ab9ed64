namespace SoketiOrleans.Protocol;

/// <summary>The frames of presence channels: member events and the subscription snapshot.</summary>
public static class PresenceFrames
{
    public static byte[] MemberAdded(string channel, string userId, string? userInfoJson)
    {
        var inner = PusherFrame.Json((userId, userInfoJson), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("user_id"u8, s.userId);
            if (s.userInfoJson is not null)
            {
                w.WritePropertyName("user_info"u8);
                w.WriteRawValue(s.userInfoJson, skipInputValidation: true);
            }

            w.WriteEndObject();
        });
        return PusherFrame.EventWithJsonString(PusherEvents.MemberAdded, channel, inner);
    }

    public static byte[] MemberRemoved(string channel, string userId)
    {
        var inner = PusherFrame.Json(userId, static (w, id) =>
        {
            w.WriteStartObject();
            w.WriteString("user_id"u8, id);
            w.WriteEndObject();
        });
        return PusherFrame.EventWithJsonString(PusherEvents.MemberRemoved, channel, inner);
    }

    /// <summary>
    /// <c>{"presence":{"ids":[…],"hash":{id:info},"count":n}}</c> as the data string of
    /// <c>subscription_succeeded</c>; a member without info maps to null so ids and hash agree.
    /// </summary>
    public static byte[] SubscriptionSucceeded(string channel, IReadOnlyCollection<KeyValuePair<string, string?>> members)
    {
        var inner = PusherFrame.Json(members, static (w, m) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("presence"u8);
            w.WriteStartArray("ids"u8);
            foreach (var member in m)
            {
                w.WriteStringValue(member.Key);
            }

            w.WriteEndArray();
            w.WriteStartObject("hash"u8);
            foreach (var member in m)
            {
                w.WritePropertyName(member.Key);
                if (member.Value is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteRawValue(member.Value, skipInputValidation: true);
                }
            }

            w.WriteEndObject();
            w.WriteNumber("count"u8, m.Count);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return PusherFrame.EventWithJsonString(PusherEvents.SubscriptionSucceeded, channel, inner);
    }
}
