using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SoketiOrleans.Apps;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Protocol;

namespace SoketiOrleans.Gateway.HttpApi;

/// <summary>
/// Pusher's HTTP API signature: HMAC-SHA256 over <c>METHOD\nPATH\nQUERY</c>, QUERY being every
/// parameter but <c>auth_signature</c>, keys lowercased and sorted, <c>key=value</c> joined by
/// <c>&amp;</c> (values decoded). <c>body_md5</c> must match the body; the timestamp must be within
/// 600 s of the server's clock (soketi checks neither).
/// </summary>
public static class RequestSignature
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(600);

    /// <returns>null when valid, otherwise why not.</returns>
    public static string? Check(HttpContext context, App app, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in context.Request.Query)
        {
            if (values.Count != 1)
            {
                return $"The query parameter {key} is given more than once.";
            }

            if (!parameters.TryAdd(key.ToLowerInvariant(), values[0] ?? ""))
            {
                return $"The query parameter {key} is given more than once.";
            }
        }

        foreach (var required in (string[])["auth_key", "auth_timestamp", "auth_version", "auth_signature"])
        {
            if (!parameters.ContainsKey(required))
            {
                return $"Missing authentication parameter {required}.";
            }
        }

        if (parameters["auth_key"] != app.Key)
        {
            return "The auth_key does not belong to this app.";
        }

        if (!long.TryParse(parameters["auth_timestamp"], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(now.ToUnixTimeSeconds() - timestamp) > MaxClockSkew.TotalSeconds)
        {
            return $"Timestamp expired: the given auth_timestamp is not within {MaxClockSkew.TotalSeconds} s of the server time ({now.ToUnixTimeSeconds()}).";
        }

        if (body.Length > 0 || parameters.ContainsKey("body_md5"))
        {
            var md5 = BodyMd5(body);
            if (!parameters.TryGetValue("body_md5", out var given) || given != md5)
            {
                return "The body_md5 does not match the body.";
            }
        }

        var signature = parameters["auth_signature"];
        parameters.Remove("auth_signature");
        return HmacSignature.Matches(app.Secret, Signed(context.Request.Method.ToUpperInvariant(), RawPath(context), Query(parameters)), signature)
            ? null
            : "Invalid signature: the auth_signature does not match the request.";
    }

    /// <summary>The query of a call signed as a server SDK signs it (the start-up warm-up's client); <paramref name="path"/> as sent.</summary>
    public static string SignedQuery(App app, string method, string path, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["auth_key"] = app.Key,
            ["auth_timestamp"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["auth_version"] = "1.0",
        };
        if (body.Length > 0)
        {
            parameters["body_md5"] = BodyMd5(body);
        }

        var query = Query(parameters);
        return query + "&auth_signature=" + HmacSignature.Sign(app.Secret, Signed(method, path, query));
    }

    private static string Signed(string method, string path, string query) => string.Join('\n', method, path, query);

    private static string Query(SortedDictionary<string, string> parameters) => string.Join('&', parameters.Select(p => p.Key + "=" + p.Value));

    private static string BodyMd5(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(MD5.HashData(body));

    /// <summary>The path as the client sent (and signed) it, before any decoding.</summary>
    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            return (context.Request.PathBase + context.Request.Path).ToUriComponent();
        }

        var query = raw.IndexOf('?');
        return query < 0 ? raw : raw[..query];
    }
}
