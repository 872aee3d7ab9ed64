namespace SoketiOrleans.Tests.Harness;

/// <summary>Browser-facing headers of one HTTP response: every <c>Access-Control-*</c> header and <c>Vary</c>, sorted by name.</summary>
public static class CorsResponse
{
    public const string DefaultMethods = "GET, POST, PUT, DELETE, OPTIONS";
    public const string DefaultHeaders = "Origin, Content-Type, X-Auth-Token, X-Requested-With, Accept, Authorization, X-CSRF-TOKEN, XSRF-TOKEN, X-Socket-Id";

    public static SortedDictionary<string, string> Headers(HttpResponseMessage response) =>
        new(response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Vary", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value)), StringComparer.Ordinal);

    /// <summary>A preflight as browsers send it before a cross-origin JSON POST.</summary>
    public static HttpRequestMessage Preflight(string path, string origin) => new(HttpMethod.Options, path)
    {
        Headers =
        {
            { "Origin", origin },
            { "Access-Control-Request-Method", "POST" },
            { "Access-Control-Request-Headers", "content-type" },
        },
    };
}
