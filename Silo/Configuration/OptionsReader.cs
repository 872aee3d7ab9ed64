using System.Text.Json.Nodes;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// Typed reads from the merged option tree. A wrong value is recorded as a problem naming the key
/// (and its env var), the value and what is allowed, and the default stands in so that every
/// problem is reported in one go. A wrong value from an unprefixed variable is a warning instead
/// (see <see cref="UnprefixedVariable"/>).
/// </summary>
/// <param name="unprefixed">Option paths set from unprefixed variables; one whose value does not parse is taken out once it has been warned about.</param>
internal sealed class OptionsReader(JsonObject root, Dictionary<string, UnprefixedVariable> unprefixed)
{
    public List<string> Problems { get; } = [];

    /// <summary>Values that were ignored or have no effect; logged at start-up.</summary>
    public List<string> Warnings { get; } = [];

    public JsonNode? Node(string path) => ConfigTree.Get(root, path);

    public string String(string path, string fallback = "") =>
        Read(path, Node(path), fallback, "a string", ConfigValue.TryString);

    public int Int(string path, int min, int max, int fallback) =>
        Read(path, Node(path), fallback, max == int.MaxValue ? $"an integer of at least {min}" : $"an integer from {min} to {max}",
            (JsonNode n, out int v) => ConfigValue.TryInt(n, out v) && v >= min && v <= max);

    public bool Bool(string path, bool fallback = false) =>
        Read(path, Node(path), fallback, "true or false (or 1/0)", ConfigValue.TryBool);

    public TimeSpan Milliseconds(string path, int min, TimeSpan fallback) =>
        TimeSpan.FromMilliseconds(Int(path, min, int.MaxValue, (int)fallback.TotalMilliseconds));

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

        // Only the node the variable put there: callers may read another node under the same path name.
        if (ReferenceEquals(node, Node(path)) && unprefixed.Remove(path, out var variable))
        {
            Warnings.Add(variable.Warning(path, allowed));
            ConfigTree.Replace(root, path, variable.Before);
            return Read(path, Node(path), fallback, allowed, parse);
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
