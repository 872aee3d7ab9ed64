using System.Security.Cryptography;
using System.Text;

namespace SoketiOrleans.Tests.Harness;

/// <summary>What a Pusher server SDK computes, written out independently of the server's own code.</summary>
public sealed record PusherSigner(string AppId = "app-id", string Key = "app-key", string Secret = "app-secret")
{
    /// <summary>An app of a test's config file, named by the convention <c>{id}-key</c> and <c>{id}-secret</c>.</summary>
    public static PusherSigner Named(string id) => new(id, $"{id}-key", $"{id}-secret");

    public string Hmac(string data) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(data)));

    public string PrivateAuth(string socketId, string channel) => $"{Key}:{Hmac($"{socketId}:{channel}")}";

    public string PresenceAuth(string socketId, string channel, string channelData) =>
        $"{Key}:{Hmac($"{socketId}:{channel}:{channelData}")}";

    /// <summary>The <c>auth</c> of <c>pusher:signin</c> (pusher-http-node's authenticateUser).</summary>
    public string UserAuth(string socketId, string userData) => $"{Key}:{Hmac($"{socketId}::user::{userData}")}";

    /// <summary>The signed query string of an HTTP API request (pusher-http-node's algorithm).</summary>
    public string SignedQuery(string method, string path, string? body, IReadOnlyDictionary<string, string>? extra = null, long? timestamp = null) =>
        Signed(method, path, body is null ? null : Encoding.UTF8.GetBytes(body), extra, timestamp);

    /// <summary>The signed query string of an HTTP API request whose body is these bytes (any, UTF-8 or not).</summary>
    public string SignedQueryOfBytes(string method, string path, byte[] body) => Signed(method, path, body, null, null);

    private string Signed(string method, string path, byte[]? body, IReadOnlyDictionary<string, string>? extra, long? timestamp)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["auth_key"] = Key,
            ["auth_timestamp"] = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(),
            ["auth_version"] = "1.0",
        };
        if (body is not null)
        {
            parameters["body_md5"] = Convert.ToHexStringLower(MD5.HashData(body));
        }

        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            parameters[k] = v;
        }

        var query = string.Join('&', parameters.Select(p => $"{p.Key}={p.Value}"));
        return query + "&auth_signature=" + Hmac($"{method}\n{path}\n{query}");
    }
}
