using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>
/// Reads typed values out of option-tree nodes, accepting what soketi accepts: numbers written as
/// strings (env values and SQL columns), 1/0 and "true"/"false" for booleans, numeric ids.
/// </summary>
internal static class ConfigValue
{
    public delegate bool Parser<T>(JsonNode node, out T value);

    public static bool TryString(JsonNode? node, out string value)
    {
        value = "";
        if (node is not JsonValue v)
        {
            return false;
        }

        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                value = v.GetValue<string>();
                return true;
            case JsonValueKind.Number:
                value = v.ToJsonString();
                return true;
            default:
                return false;
        }
    }

    public static bool TryDouble(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() switch
        {
            JsonValueKind.Number => v.TryGetValue(out value) || double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            JsonValueKind.String => double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    public static bool TryInt(JsonNode? node, out int value)
    {
        value = 0;
        return TryDouble(node, out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue
            && (value = (int)d) == d;
    }

    public static bool TryBool(JsonNode? node, out bool value)
    {
        value = false;
        if (node is not JsonValue v)
        {
            return false;
        }

        switch (v.GetValueKind())
        {
            case JsonValueKind.True:
                value = true;
                return true;
            case JsonValueKind.False:
                return true;
            case JsonValueKind.Number when TryInt(v, out var n) && n is 0 or 1:
                value = n == 1;
                return true;
            case JsonValueKind.String:
                var s = v.GetValue<string>().Trim();
                if (s is "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    value = true;
                    return true;
                }

                return s is "0" || s.Equals("false", StringComparison.OrdinalIgnoreCase);
            default:
                return false;
        }
    }

    public static bool TryStrings(JsonNode? node, out IReadOnlyList<string> value)
    {
        value = [];
        if (node is not JsonArray array || !array.All(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String))
        {
            return false;
        }

        value = array.Select(e => e!.GetValue<string>()).ToArray();
        return true;
    }

    /// <summary>The value as the message shows it; null for a missing key.</summary>
    public static string Show(JsonNode? node) => node is null ? "nothing" : node.ToJsonString();
}
