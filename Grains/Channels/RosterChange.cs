namespace SoketiOrleans.Grains.Channels;

/// <summary>What one report or departure changed in a channel: counts, members, sockets to welcome or refuse.</summary>
/// <param name="Added">Users that became members, with the info and the socket that brought them.</param>
/// <param name="Removed">Users whose last socket left, with that socket.</param>
/// <param name="Welcomed">New presence sockets of the reporting gateway, to be sent their snapshot.</param>
/// <param name="Refused">New presence sockets turned away by the member limit.</param>
internal sealed record RosterChange(
    int CountBefore,
    int CountAfter,
    IReadOnlyList<(string UserId, string? InfoJson, string SocketId)> Added,
    IReadOnlyList<(string UserId, string SocketId)> Removed,
    IReadOnlyList<string> Welcomed,
    string[] Refused)
{
    public static RosterChange None(int count) => new(count, count, [], [], [], []);

    public bool MembersChanged => Added.Count > 0 || Removed.Count > 0;

    public bool CountsChanged => CountBefore != CountAfter || MembersChanged;
}
