using System.Text.Json;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>
/// JSON from clients and operators, parsed so that every string in it can be read. JSON's grammar
/// lets a string escape half of a surrogate pair on its own (<c>"\ud800"</c>), but no .NET string
/// can hold what it means: <see cref="JsonElement.GetString"/> throws on it, wherever a reader meets
/// it later. Such text is refused here, as not JSON (RFC 7493 rules it out too).
/// </summary>
public static class StrictJson
{
    private const string LoneSurrogate = "A string holds an escape of half a surrogate pair without the other half.";

    /// <exception cref="JsonException">Not JSON, or a string that cannot be read.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options = default)
    {
        var document = JsonDocument.Parse(utf8, options);
        return MayEscapeSurrogates(utf8.Span) ? Readable(document) : document;
    }

    /// <exception cref="JsonException">Not JSON, or a string that cannot be read.</exception>
    public static JsonDocument Parse(string json, JsonDocumentOptions options = default)
    {
        var document = JsonDocument.Parse(json, options);
        return json.Contains("\\u", StringComparison.Ordinal) ? Readable(document) : document;
    }

    /// <summary>Only text with a <c>\u</c> escape can hold a lone surrogate: most is not walked.</summary>
    private static bool MayEscapeSurrogates(ReadOnlySpan<byte> utf8) => utf8.IndexOf("\\u"u8) >= 0;

    private static JsonDocument Readable(JsonDocument document)
    {
        try
        {
            ReadAll(document.RootElement);
            return document;
        }
        catch (InvalidOperationException)
        {
            document.Dispose();
            throw new JsonException(LoneSurrogate);
        }
    }

    private static void ReadAll(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                element.GetString();
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    ReadAll(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    ReadAll(item);
                }

                break;
        }
    }
}
