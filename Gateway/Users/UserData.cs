using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using SoketiOrleans.Gateway.Protocol;

namespace SoketiOrleans.Gateway.Users;

/// <summary>
/// The signed <c>user_data</c> of a sign-in: the user's <c>id</c> and optional <c>watchlist</c>.
/// A numeric id (as soketi accepts) is keyed by its JSON text, so <c>7</c> and <c>"7"</c> are one user.
/// </summary>
public sealed record UserData(string Id, string[] Watchlist)
{
    public const int MaxWatchlistLength = 100;

    public static UserData? Parse(string userDataJson, out SignInRefusal? refusal)
    {
        try
        {
            using var document = StrictJson.Parse(userDataJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                refusal = SignInRefusal.NotAuthorized;
                return null;
            }

            if (!root.TryGetProperty("id"u8, out var idElement) || UserIdOf(idElement) is not { } id)
            {
                refusal = SignInRefusal.MissingId;
                return null;
            }

            var watchlist = ReadWatchlist(root, out refusal);
            return watchlist is null ? null : new UserData(id, watchlist);
        }
        catch (JsonException)
        {
            refusal = SignInRefusal.NotAuthorized;
            return null;
        }
    }

    private static string[]? ReadWatchlist(JsonElement root, out SignInRefusal? refusal)
    {
        refusal = null;
        if (!root.TryGetProperty("watchlist"u8, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            refusal = SignInRefusal.InvalidWatchlist;
            return null;
        }

        if (list.GetArrayLength() > MaxWatchlistLength)
        {
            refusal = SignInRefusal.WatchlistTooLong;
            return null;
        }

        var ids = list.EnumerateArray().Select(UserIdOf).ToArray();
        if (ids.Any(id => id is null))
        {
            refusal = SignInRefusal.InvalidWatchlist;
            return null;
        }

        return ids.Distinct(StringComparer.Ordinal).ToArray()!;
    }

    /// <returns>A non-empty string as is, a number as its JSON text; null for anything else.</returns>
    private static string? UserIdOf(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.String when id.GetString() is { Length: > 0 } s => s,
        JsonValueKind.Number => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(id)),
        _ => null,
    };
}
