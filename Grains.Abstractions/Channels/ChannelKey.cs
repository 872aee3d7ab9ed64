namespace SoketiOrleans.Channels;

/// <summary>
/// The grain key of one channel of one app: <c>{appId}:{channel}</c>. App ids may not contain ':'
/// (the config loader refuses them), so the first ':' separates the two parts even in
/// <c>#server-to-user-{id}</c> channels, whose user ids may hold any character.
/// </summary>
public static class ChannelKey
{
    public static string Format(string appId, string channel) => string.Concat(appId, ":", channel);

    public static (string AppId, string Channel) Parse(string key)
    {
        var split = key.IndexOf(':');
        if (split < 0)
        {
            throw new ArgumentException($"'{key}' is not a channel key", nameof(key));
        }

        return (key[..split], key[(split + 1)..]);
    }
}
