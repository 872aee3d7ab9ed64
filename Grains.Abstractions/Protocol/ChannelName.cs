namespace SoketiOrleans.Protocol;

/// <summary>
/// Pusher's channel naming rules: <c>[A-Za-z0-9_\-=@,.;]</c>, and the type from an anchored prefix
/// (soketi's unanchored regexes make <c>foo-private-x</c> private; Pusher does not).
/// </summary>
public static class ChannelName
{
    public static bool HasValidCharacters(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '=' or '@' or ',' or '.' or ';'))
            {
                return false;
            }
        }

        return true;
    }

    public static ChannelType TypeOf(string name) =>
        name.StartsWith("presence-", StringComparison.Ordinal) ? ChannelType.Presence
        : name.StartsWith("private-encrypted-", StringComparison.Ordinal) ? ChannelType.PrivateEncrypted
        : name.StartsWith("private-", StringComparison.Ordinal) ? ChannelType.Private
        : ChannelType.Public;

    public static bool IsPresence(string name) => TypeOf(name) == ChannelType.Presence;
}
