using System.Diagnostics.CodeAnalysis;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// A dictionary kept only while it holds something: a channel's joining sockets are there for one
/// grain round trip, and a server holds far more channels than channels being joined, so an empty
/// one is dropped rather than kept (and copied by every collection) for the channel's life.
/// </summary>
internal static class WhileNotEmpty
{
    public static void Set<TValue>(ref Dictionary<string, TValue>? entries, string key, TValue value) =>
        (entries ??= new Dictionary<string, TValue>(StringComparer.Ordinal))[key] = value;

    public static bool Remove<TValue>(ref Dictionary<string, TValue>? entries, string key, [MaybeNullWhen(false)] out TValue value)
    {
        if (entries is null || !entries.Remove(key, out value))
        {
            value = default;
            return false;
        }

        if (entries.Count == 0)
        {
            entries = null;
        }

        return true;
    }
}
