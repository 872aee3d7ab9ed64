namespace SoketiOrleans.Protocol;

/// <summary>
/// <c>pusher_internal:watchlist_events</c> as pusher-js reads it: <c>data.events[]</c>, each
/// <c>{"name":"online"|"offline","user_ids":[…]}</c>. No channel: pusher-js hands connection-level
/// messages to its watchlist.
/// </summary>
public static class WatchlistFrames
{
    /// <param name="name"><c>online</c> or <c>offline</c>.</param>
    public static byte[] Frame(string name, IReadOnlyCollection<string> userIds) =>
        PusherFrame.Json((name, userIds), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("event"u8, PusherEvents.WatchlistEvents);
            w.WriteStartObject("data"u8);
            w.WriteStartArray("events"u8);
            w.WriteStartObject();
            w.WriteString("name"u8, s.name);
            w.WriteStartArray("user_ids"u8);
            foreach (var id in s.userIds)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
}
