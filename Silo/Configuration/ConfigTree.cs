using System.Globalization;
using System.Text.Json.Nodes;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// The option tree soketi keeps, addressed by dotted paths (<c>appManager.array.apps.0.id</c>).
/// Setting an object merges it into what is there instead of replacing it, so a nested
/// <c>"appManager": {"array": {...}}</c> keeps the defaults it does not mention.
/// </summary>
internal static class ConfigTree
{
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path);
        if (value is JsonObject incoming && Child(parent, last) is JsonObject existing)
        {
            Merge(existing, incoming);
        }
        else
        {
            Attach(parent, last, value?.DeepClone());
        }
    }

    /// <summary>Puts <paramref name="value"/> in place of what is there, without merging: undoes a <see cref="Set"/>.</summary>
    public static void Replace(JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path);
        Attach(parent, last, value?.DeepClone());
    }

    public static JsonNode? Get(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var segment in path.Split('.'))
        {
            node = node is null ? null : Child(node, segment);
        }

        return node;
    }

    /// <summary>The node holding the path's last segment, created as objects where missing.</summary>
    private static (JsonNode Parent, string Last) Parent(JsonObject root, string path)
    {
        var segments = path.Split('.');
        JsonNode parent = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            parent = Child(parent, segments[i]) ?? Attach(parent, segments[i], new JsonObject())!;
        }

        return (parent, segments[^1]);
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject nested && target[key] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static JsonNode? Child(JsonNode parent, string segment) => parent switch
    {
        JsonObject obj => obj[segment],
        JsonArray array when TryIndex(segment, out var index) && index < array.Count => array[index],
        _ => null,
    };

    private static JsonNode? Attach(JsonNode parent, string segment, JsonNode? value)
    {
        switch (parent)
        {
            case JsonObject obj:
                obj[segment] = value;
                return value;
            case JsonArray array when TryIndex(segment, out var index):
                while (array.Count <= index)
                {
                    array.Add(new JsonObject());
                }

                array[index] = value;
                return value;
            default:
                throw new InvalidOperationException($"'{segment}' cannot be set inside a {parent.GetValueKind()} value");
        }
    }

    private static bool TryIndex(string segment, out int index) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index);
}
