using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>How a fuzzed request's query string is made: signed right, or wrong in one way.</summary>
public enum FuzzSigning
{
    Valid,
    NoSignature,
    WrongSignature,
    UnknownKey,
    StaleTimestamp,
    TimestampNotANumber,
    NoBodyMd5,
    WrongBodyMd5,
    NoQuery,
}

/// <summary>One HTTP request to the server: any method, a path around the API's routes, a query signed right or wrong, any body.</summary>
public sealed record FuzzRequest(string Method, string Path, FuzzSigning Signing, IReadOnlyDictionary<string, string> Extra, string? Body, string? ContentType)
{
    public override string ToString() =>
        $"{Method} {Path} [{Signing}{string.Concat(Extra.Select(p => $" {p.Key}={p.Value}"))}] {ContentType ?? "no content type"} {(Body is null ? "no body" : Body.Length > 300 ? Body[..300] + $"… ({Body.Length} chars)" : Body)}";
}

/// <summary>The generators of <see cref="HttpApiFuzzTests"/>; the JSON and text ones are the WebSocket fuzzer's.</summary>
public static class FuzzRequests
{
    private static readonly Gen<string> Method = Gen.Frequency(
        (4, Gen.Const("GET")), (4, Gen.Const("POST")), (1, Gen.Const("HEAD")), (1, Gen.Const("PUT")),
        (1, Gen.Const("DELETE")), (1, Gen.Const("PATCH")), (1, Gen.Const("OPTIONS")));

    /// <summary>
    /// Percent-encoded UTF-8, without NUL: Kestrel itself refuses an encoded NUL in a path with an
    /// empty-bodied 400 before any of the server's code runs (docs/robustness.md).
    /// </summary>
    private static string Segment(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text.Replace("\0", "", StringComparison.Ordinal)))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2"));
            }
        }

        return builder.ToString();
    }

    private static readonly Gen<string> App = Gen.Frequency((8, Gen.Const("app-id")), (1, Gen.Const("no-such-app")), (1, FuzzMessages.Text.Select(Segment)));

    private static readonly Gen<string> ChannelSegment = FuzzMessages.Channel.Select(Segment);

    private static readonly Gen<string> Path = Gen.Frequency(
        (6, App.Select(a => $"/apps/{a}/events")),
        (3, App.Select(a => $"/apps/{a}/batch_events")),
        (3, App.Select(a => $"/apps/{a}/channels")),
        (3, Gen.Select(App, ChannelSegment, (a, c) => $"/apps/{a}/channels/{c}")),
        (3, Gen.Select(App, ChannelSegment, (a, c) => $"/apps/{a}/channels/{c}/users")),
        (2, Gen.Select(App, FuzzMessages.Text, (a, u) => $"/apps/{a}/users/{Segment(u)}/terminate_connections")),
        (1, Gen.OneOf("/", "/ready", "/accept-traffic", "/usage", "/metrics", "/apps", "/apps/app-id", "/app/app-key")),
        (1, FuzzMessages.Text.Array[1, 4].Select(parts => "/" + string.Join('/', parts.Select(Segment)))));

    private static readonly Gen<string> JsonText = FuzzMessages.Json.Select(j => j?.ToJsonString() ?? "null");

    /// <summary>A trigger or batch body with each field plausible, missing or of any JSON type.</summary>
    private static readonly Gen<string> EventBody = Gen.Select(FuzzMessages.Text, FuzzMessages.Channel.Array[0, 4], FuzzMessages.Json, Gen.Int[0, 63], FuzzMessages.Json, (name, channels, data, shape, other) =>
    {
        var o = new JsonObject();
        if ((shape & 1) == 0)
        {
            o["name"] = name;
        }

        if ((shape & 2) == 0)
        {
            o["channels"] = new JsonArray(channels.Select(c => (JsonNode?)c).ToArray());
        }
        else if ((shape & 4) == 0)
        {
            o["channel"] = channels.FirstOrDefault();
        }

        o["data"] = (shape & 8) == 0 ? data?.ToJsonString() : data;
        if ((shape & 16) != 0)
        {
            o["socket_id"] = other?.DeepClone();
        }

        if ((shape & 32) != 0)
        {
            o["info"] = other?.DeepClone();
        }

        return o.ToJsonString();
    });

    private static readonly Gen<string?> Body = Gen.Frequency(
        (2, Gen.Const((string?)null)),
        (5, EventBody.Select(b => (string?)b)),
        (2, EventBody.Array[0, 12].Select(events => (string?)$"{{\"batch\":[{string.Join(',', events)}]}}")),
        (2, JsonText.Select(b => (string?)b)),
        (1, FuzzMessages.Text.Select(b => (string?)b)),
        // Around the default body limit (the app's payload limit and the server's request bound).
        (1, Gen.Int[9 * 1024, 1200 * 1024].Select(n => (string?)$$"""{"name":"big","channels":["big"],"data":"{{new string('a', n)}}"}""")));

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (6, Gen.Const((string?)"application/json")), (1, Gen.Const((string?)null)), (1, Gen.Const((string?)"text/plain")), (1, Gen.Const((string?)"application/x-www-form-urlencoded")));

    private static readonly Gen<IReadOnlyDictionary<string, string>> Extra = Gen.Frequency(
        (4, Gen.Const((IReadOnlyDictionary<string, string>)new Dictionary<string, string>())),
        (1, Gen.Select(Gen.OneOf("info", "filter_by_prefix", "auth_version", "auth_key", "body_md5"), FuzzMessages.Text,
            (k, v) => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { [k] = v })));

    public static readonly Gen<FuzzRequest> Request = Gen.Select(Method, Path, Gen.Enum<FuzzSigning>(), Extra, Body, ContentType,
        (method, path, signing, extra, body, contentType) => new FuzzRequest(method, path, signing, extra, body, contentType));

    /// <summary>The query string for <paramref name="request"/>, as <see cref="PusherSigner"/> signs it and then spoilt as asked.</summary>
    public static string Query(FuzzRequest request, PusherSigner signer)
    {
        var path = Uri.UnescapeDataString(request.Path);
        var signed = request.Signing switch
        {
            FuzzSigning.NoQuery => "",
            FuzzSigning.UnknownKey => (signer with { Key = "no-such-key" }).SignedQuery(request.Method, path, request.Body, Escaped(request.Extra)),
            FuzzSigning.StaleTimestamp => signer.SignedQuery(request.Method, path, request.Body, Escaped(request.Extra), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600),
            _ => signer.SignedQuery(request.Method, path, request.Body, Escaped(request.Extra)),
        };
        return request.Signing switch
        {
            FuzzSigning.NoSignature => Remove(signed, "auth_signature"),
            FuzzSigning.WrongSignature => Replace(signed, "auth_signature", new string('0', 64)),
            FuzzSigning.TimestampNotANumber => Replace(signed, "auth_timestamp", "soon"),
            FuzzSigning.NoBodyMd5 => Remove(signed, "body_md5"),
            FuzzSigning.WrongBodyMd5 => Replace(signed, "body_md5", new string('f', 32)),
            _ => signed,
        };
    }

    private static Dictionary<string, string> Escaped(IReadOnlyDictionary<string, string> extra) =>
        extra.ToDictionary(p => p.Key, p => Segment(p.Value));

    private static string Remove(string query, string name) =>
        string.Join('&', query.Split('&').Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal)));

    private static string Replace(string query, string name, string value) =>
        string.Join('&', query.Split('&').Select(p => p.StartsWith(name + "=", StringComparison.Ordinal) ? $"{name}={value}" : p));
}
