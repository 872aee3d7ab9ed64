using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace SoketiOrleans.Gateway.Protocol;

/// <summary>
/// The member a presence auth vouches for, from its <c>channel_data</c>. A numeric <c>user_id</c>
/// (Laravel sends integers) is keyed by its JSON text, so <c>1001</c> and <c>"1001"</c> are one user.
/// </summary>
public sealed record PresenceMember(string UserId, string? UserInfoJson)
{
    public static PresenceMember? Parse(string channelData, out string? error)
    {
        try
        {
            using var document = StrictJson.Parse(channelData);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("user_id"u8, out var id))
            {
                error = "The presence channel_data must be a JSON object with a user_id.";
                return null;
            }

            var userId = id.ValueKind switch
            {
                JsonValueKind.String => id.GetString(),
                JsonValueKind.Number => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(id)),
                _ => null,
            };
            if (string.IsNullOrEmpty(userId))
            {
                error = "The presence channel_data user_id must be a non-empty string or a number.";
                return null;
            }

            string? info = null;
            if (root.TryGetProperty("user_info"u8, out var infoElement) && infoElement.ValueKind != JsonValueKind.Null)
            {
                info = Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(infoElement));
            }

            error = null;
            return new PresenceMember(userId, info);
        }
        catch (JsonException)
        {
            error = "The presence channel_data is not valid JSON.";
            return null;
        }
    }

    public int UserInfoBytes => UserInfoJson is null ? 0 : Encoding.UTF8.GetByteCount(UserInfoJson);
}
