using System.Text.Json;
using System.Text.Unicode;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>
/// JSON from clients and operators, parsed so that every string in it can be read. The parser
/// leaves strings unchecked until they are read, and <see cref="JsonElement.GetString"/> then throws,
/// wherever a reader meets one, on bytes that are not UTF-8 (a binary WebSocket message, an API
/// body) and on an escape of half a surrogate pair on its own (<c>"\ud800"</c>: JSON's grammar allows
/// it, but no .NET string can hold what it means; RFC 7493 rules it out). Both are refused here.
/// </summary>
public static class StrictJson
{
    private const string LoneSurrogate = "A string holds an escape of half a surrogate pair without the other half.";

    /// <exception cref="NotUtf8Exception">Bytes that are not UTF-8.</exception>
    /// <exception cref="JsonException">Not JSON, or a string that cannot be read.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, JsonDocumentOptions options = default)
    {
        if (!Utf8.IsValid(utf8.Span))
        {
            throw new NotUtf8Exception();
        }

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

/// <summary>What was to be parsed as JSON is not UTF-8.</summary>
public sealed class NotUtf8Exception() : JsonException("The text is not UTF-8.");
