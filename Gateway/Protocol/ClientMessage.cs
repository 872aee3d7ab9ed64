using System.Text.Json;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>
/// One frame from a client: <c>{"event":…,"channel"?:…,"data"?:…}</c>. <c>data</c> may arrive as an
/// object or as a JSON string holding one; both read the same.
/// </summary>
public sealed class ClientMessage : IDisposable
{
    private readonly JsonDocument _document;
    private JsonDocument? _decodedData;

    private ClientMessage(JsonDocument document, string eventName, string? channel, JsonElement data)
    {
        _document = document;
        Event = eventName;
        Channel = channel;
        Data = data;
    }

    public string Event { get; }

    public string? Channel { get; }

    /// <summary>The raw <c>data</c>; <see cref="JsonValueKind.Undefined"/> when absent.</summary>
    public JsonElement Data { get; }

    /// <returns>null with <paramref name="error"/> set when the frame is not a Pusher message.</returns>
    public static ClientMessage? Parse(ReadOnlyMemory<byte> utf8, out string? error)
    {
        JsonDocument document;
        try
        {
            // Binary messages too: the WebSocket checks only text messages for UTF-8.
            document = StrictJson.Parse(utf8);
        }
        catch (JsonException e)
        {
            error = e is NotUtf8Exception ? "Invalid message format: not UTF-8." : "Invalid message format: not JSON.";
            return null;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("event"u8, out var eventElement)
            || eventElement.ValueKind != JsonValueKind.String)
        {
            document.Dispose();
            error = "Invalid message format: expected an object with a string \"event\".";
            return null;
        }

        string? channel = null;
        if (root.TryGetProperty("channel"u8, out var channelElement))
        {
            if (channelElement.ValueKind != JsonValueKind.String)
            {
                document.Dispose();
                error = "Invalid message format: \"channel\" must be a string.";
                return null;
            }

            channel = channelElement.GetString();
        }

        var data = root.TryGetProperty("data"u8, out var dataElement) ? dataElement : default;
        error = null;
        return new ClientMessage(document, eventElement.GetString()!, channel, data);
    }

    /// <summary><c>data</c> as an object, decoding it first when it came as a JSON string.</summary>
    public bool TryGetDataObject(out JsonElement data)
    {
        data = Data;
        if (data.ValueKind == JsonValueKind.String && _decodedData is null)
        {
            try
            {
                _decodedData = StrictJson.Parse(data.GetString()!);
            }
            catch (JsonException)
            {
                return false;
            }
        }

        if (_decodedData is not null)
        {
            data = _decodedData.RootElement;
        }

        return data.ValueKind == JsonValueKind.Object;
    }

    /// <summary>A string member of the data object, or null when absent or of another type.</summary>
    public string? DataString(string name) =>
        TryGetDataObject(out var data) && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public void Dispose()
    {
        _decodedData?.Dispose();
        _document.Dispose();
    }
}
