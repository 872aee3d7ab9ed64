namespace SoketiOrleans.Channels;

/// <summary>
/// The grain key of one channel of one app: <c>{appId}:{channel}</c>. Channel names never contain
/// ':' (see the allowed characters), so the last ':' always separates the two parts even when the
/// app id has one.
/// </summary>
public static class ChannelKey
{
    public static string Format(string appId, string channel) => string.Concat(appId, ":", channel);

    public static (string AppId, string Channel) Parse(string key)
    {
        var split = key.LastIndexOf(':');
        if (split < 0)
        {
            throw new ArgumentException($"'{key}' is not a channel key", nameof(key));
        }

        return (key[..split], key[(split + 1)..]);
    }
}
