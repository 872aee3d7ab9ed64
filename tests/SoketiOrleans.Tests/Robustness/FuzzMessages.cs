using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>One WebSocket message a fuzzed client sends: its bytes, its type, and the fragment size it is cut into (0: whole).</summary>
public sealed record FuzzMessage(byte[] Bytes, WebSocketMessageType Type, int FragmentSize)
{
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Bytes);
        return $"{Type} {Bytes.Length} B{(FragmentSize > 0 ? $" in {FragmentSize} B fragments" : "")}: {(text.Length > 300 ? text[..300] + "…" : text)}";
    }
}

/// <summary>
/// Generators of what a client can send: Pusher events with every field present, missing or of a
/// wrong type, arbitrary JSON nested deep, arbitrary text, bytes that are not UTF-8, binary
/// messages, messages cut into fragments, and messages near and past the size limit.
/// </summary>
public static class FuzzMessages
{
    private static readonly string[] Events =
        ["pusher:subscribe", "pusher:unsubscribe", "pusher:ping", "pusher:pong", "pusher:signin", "pusher:cache_miss", "client-typing", "client-", "pusher:", "", "x"];

    private static readonly string[] ChannelPrefixes =
        ["", "private-", "presence-", "private-encrypted-", "private-cache-", "cache-", "presence-cache-", "#server-to-user-", "private-encrypted-cache-"];

    internal static readonly Gen<string> Text = Gen.OneOf(Gen.String[0, 24], Gen.Char.Array[0, 24].Select(c => new string(c)), Gen.Const(""), Gen.Const("\u0000\uD800\uFFFF"));

    private static readonly Gen<JsonNode?> Scalar = Gen.Frequency<JsonNode?>(
        (3, Text.Select(s => (JsonNode?)JsonValue.Create(s))),
        (2, Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : null)),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (1, Gen.Const((JsonNode?)null)));

    internal static readonly Gen<JsonNode?> Json = Gen.Recursive<JsonNode?>((depth, inner) => depth > 5
        ? Scalar
        : Gen.Frequency<JsonNode?>(
            (4, Scalar),
            (1, inner.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))),
            (2, Gen.Select(Text, inner).Array[0, 4].Select(fields =>
            {
                var o = new JsonObject();
                foreach (var (k, v) in fields)
                {
                    o[k] = v?.DeepClone();
                }

                return (JsonNode?)o;
            }))));

    internal static readonly Gen<string> Channel = Gen.Select(Gen.OneOf(ChannelPrefixes), Text, (p, s) => p + s);

    /// <summary>A Pusher-shaped event: each field present with a plausible value, missing, or of any JSON type.</summary>
    private static readonly Gen<string> PusherEvent = Gen.Select(Gen.OneOf(Events), Channel, Json, Gen.Int[0, 15], Gen.Select(Channel, Text, Json), (name, channel, data, shape, inner) =>
    {
        var o = new JsonObject();
        if ((shape & 1) == 0)
        {
            o["event"] = name;
        }

        if ((shape & 2) == 0)
        {
            o["channel"] = channel;
        }

        o["data"] = (shape >> 2) switch
        {
            0 => new JsonObject { ["channel"] = inner.Item1, ["auth"] = inner.Item2, ["channel_data"] = inner.Item3?.ToJsonString() },
            1 => data?.ToJsonString(),
            2 => data,
            _ => new JsonObject { ["channel"] = inner.Item3?.DeepClone(), ["user_data"] = inner.Item2, ["auth"] = inner.Item3?.DeepClone() },
        };
        return o.ToJsonString();
    });

    private static Gen<FuzzMessage> Whole(Gen<byte[]> bytes, WebSocketMessageType type) => bytes.Select(b => new FuzzMessage(b, type, 0));

    public static readonly Gen<FuzzMessage> Message = Gen.Select(
        Gen.Frequency(
            (8, Whole(PusherEvent.Select(Encoding.UTF8.GetBytes), WebSocketMessageType.Text)),
            (2, Whole(Json.Select(j => Encoding.UTF8.GetBytes(j?.ToJsonString() ?? "null")), WebSocketMessageType.Text)),
            (2, Whole(Text.Select(Encoding.UTF8.GetBytes), WebSocketMessageType.Text)),
            (1, Whole(Gen.Byte.Array[0, 48], WebSocketMessageType.Text)),
            (1, Whole(Gen.Byte.Array[0, 48], WebSocketMessageType.Binary)),
            // Around the default limit for one message: 100 KB of payload + 16 KB.
            (1, Whole(Gen.Int[100 * 1024, 140 * 1024].Select(n => Encoding.UTF8.GetBytes($$"""{"event":"client-big","channel":"private-x","data":"{{new string('a', n)}}"}""")), WebSocketMessageType.Text))),
        Gen.Frequency((4, Gen.Const(0)), (1, Gen.Int[1, 16])),
        (m, fragment) => m with { FragmentSize = fragment });

    /// <summary>What one client sends on one connection.</summary>
    public static readonly Gen<FuzzMessage[]> Session = Message.Array[1, 5];
}
