using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>
/// The answer to <c>/events</c> and <c>/batch_events</c> when an event asks for <c>info</c>, as
/// Pusher gives it: <c>{"channels":{name:{…}}}</c> for one event, <c>{"batch":[{…},…]}</c> (one
/// object per event, empty for events without info) for a batch. Read after the publish, so the
/// counts include everything that happened before it. Only <c>subscription_count</c> and
/// <c>user_count</c> (presence channels) apply to events.
/// </summary>
internal static class TriggerResponse
{
    public static ChannelInfo AttributesOf(TriggerEvent trigger) => trigger.Info with { Cache = false };

    public static bool WantsAttributes(IReadOnlyList<TriggerEvent> triggers)
    {
        for (var i = 0; i < triggers.Count; i++)
        {
            if (AttributesOf(triggers[i]).Any)
            {
                return true;
            }
        }

        return false;
    }

    public static async Task<byte[]> ForEvent(ICluster cluster, string appId, TriggerEvent trigger)
    {
        var channels = trigger.Channels.Distinct(StringComparer.Ordinal).ToArray();
        var attributes = await Task.WhenAll(channels.Select(c => ChannelAttributes.Read(cluster, appId, c, AttributesOf(trigger))));
        return PusherFrame.Json((channels, attributes), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("channels"u8);
            for (var i = 0; i < s.channels.Length; i++)
            {
                w.WriteStartObject(s.channels[i]);
                s.attributes[i].WriteProperties(w);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>Each event of a batch has one channel (checked before publishing).</summary>
    public static async Task<byte[]> ForBatch(ICluster cluster, string appId, IReadOnlyList<TriggerEvent> triggers)
    {
        var attributes = await Task.WhenAll(triggers.Select(t => ChannelAttributes.Read(cluster, appId, t.Channels[0], AttributesOf(t))));
        return PusherFrame.Json(attributes, static (w, items) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("batch"u8);
            foreach (var item in items)
            {
                w.WriteStartObject();
                item.WriteProperties(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
