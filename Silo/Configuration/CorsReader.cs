using System.Text.Json.Nodes;
using SoketiOrleans.Gateway.Hosting;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>soketi's <c>cors.*</c>, which it reads from the config file only (it has no env vars for them).</summary>
internal static class CorsReader
{
    public static CorsOptions Read(OptionsReader r)
    {
        var d = CorsOptions.Defaults;
        return new CorsOptions(
            r.Bool("cors.credentials", d.Credentials),
            Strings(r, "cors.origin", d.Origins),
            Strings(r, "cors.methods", d.Methods),
            Strings(r, "cors.allowedHeaders", d.AllowedHeaders));
    }

    /// <summary>Each entry becomes part of a header value: an empty one or a control character would break every response.</summary>
    private static IReadOnlyList<string> Strings(OptionsReader r, string path, IReadOnlyList<string> fallback) =>
        r.Read(path, r.Node(path), fallback, "a list of non-empty strings of printable characters", TryHeaderValues);

    private static bool TryHeaderValues(JsonNode node, out IReadOnlyList<string> values) =>
        ConfigValue.TryStrings(node, out values) && values.All(v => v.Trim().Length > 0 && !v.Any(char.IsControl));
}
