using System.Text.Json;
using System.Text.Json.Nodes;
using SoketiOrleans.Gateway.Protocol;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// JSON read as soketi's <c>JSON.parse</c> reads it: a key given twice in an object takes its last
/// value. (A <see cref="JsonNode"/> parsed directly throws when such an object is first enumerated.)
/// </summary>
internal static class SoketiJson
{
    /// <exception cref="JsonException">Not JSON, or a string that cannot be read (see <see cref="StrictJson"/>).</exception>
    public static JsonNode? Parse(string json, JsonDocumentOptions options = default)
    {
        using var document = StrictJson.Parse(json, options);
        return ToNode(document.RootElement);
    }

    private static JsonNode? ToNode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    entries[property.Name] = ToNode(property.Value);
                }

                return entries;
            case JsonValueKind.Array:
                return new JsonArray(element.EnumerateArray().Select(ToNode).ToArray());
            case JsonValueKind.Null:
                return null;
            default:
                // Cloned: the value outlives the document it was read from.
                return JsonValue.Create(element.Clone());
        }
    }
}
