using System.Text.Json.Nodes;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// Typed reads from the merged option tree. A wrong value is recorded as a problem naming the key
/// (and its env var), the value and what is allowed, and the default stands in so that every
/// problem is reported in one go.
/// </summary>
internal sealed class OptionsReader(JsonObject root)
{
    public List<string> Problems { get; } = [];

    public JsonNode? Node(string path) => ConfigTree.Get(root, path);

    public string String(string path, string fallback = "") =>
        Read(path, Node(path), fallback, "a string", ConfigValue.TryString);

    public int Int(string path, int min, int max, int fallback) =>
        Read(path, Node(path), fallback, max == int.MaxValue ? $"an integer of at least {min}" : $"an integer from {min} to {max}",
            (JsonNode n, out int v) => ConfigValue.TryInt(n, out v) && v >= min && v <= max);

    public bool Bool(string path, bool fallback = false) =>
        Read(path, Node(path), fallback, "true or false (or 1/0)", ConfigValue.TryBool);

    public double PositiveNumber(string path, double fallback) =>
        Read(path, Node(path), fallback, "a positive number", (JsonNode n, out double v) => ConfigValue.TryDouble(n, out v) && v > 0);

    /// <summary>The parsed value; the fallback when <paramref name="node"/> is absent or (recorded as a problem) invalid.</summary>
    public T Read<T>(string path, JsonNode? node, T fallback, string allowed, ConfigValue.Parser<T> parse)
    {
        if (node is null)
        {
            return fallback;
        }

        if (parse(node, out var value))
        {
            return value;
        }

        Problem(path, node, allowed);
        return fallback;
    }

    /// <param name="supported">What this server offers.</param>
    /// <param name="known">Values soketi knows that this server does not offer (yet): named in the message.</param>
    public string OneOf(string path, string fallback, string[] supported, string[] known)
    {
        var value = String(path, fallback);
        if (supported.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        var why = known.Contains(value, StringComparer.Ordinal) ? " is not supported by this server" : " is not a known value";
        Problems.Add($"{EnvironmentVariables.Describe(path)}: \"{value}\"{why}; allowed: {string.Join(", ", supported)}");
        return fallback;
    }

    public void Problem(string path, JsonNode? node, string allowed) =>
        Problems.Add($"{EnvironmentVariables.Describe(path)} must be {allowed}; got {ConfigValue.Show(node)}");
}
