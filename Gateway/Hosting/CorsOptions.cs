namespace SoketiOrleans.Gateway.Hosting;

/// <summary>soketi's <c>cors.*</c>: what the HTTP responses tell browsers about cross-origin calls.</summary>
/// <param name="Credentials">Whether browsers may send cookies and credentials (only ever said to a listed origin, never with <c>*</c>).</param>
/// <param name="Origins">Origins allowed to call: <c>*</c> for every one, else exact origins or patterns with <c>*</c> (<c>https://*.example.com</c>).</param>
public sealed record CorsOptions(bool Credentials, IReadOnlyList<string> Origins, IReadOnlyList<string> Methods, IReadOnlyList<string> AllowedHeaders)
{
    /// <summary>soketi's defaults.</summary>
    public static readonly CorsOptions Defaults = new(
        true,
        ["*"],
        ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
        ["Origin", "Content-Type", "X-Auth-Token", "X-Requested-With", "Accept", "Authorization", "X-CSRF-TOKEN", "XSRF-TOKEN", "X-Socket-Id"]);
}
