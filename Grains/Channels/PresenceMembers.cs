namespace SoketiOrleans.Grains.Channels;

/// <summary>Users of a presence channel with their info and how many sockets each has in it.</summary>
internal sealed class PresenceMembers
{
    // Made by the first member: every channel's roster has this, and only presence channels fill it.
    private Dictionary<string, Member>? _byUser;
    private List<KeyValuePair<string, string?>>? _snapshot;
    private bool _snapshotStale;

    public int Count => _byUser?.Count ?? 0;

    /// <summary>Users in join order with their info (the info of the user's first socket).</summary>
    public IReadOnlyCollection<KeyValuePair<string, string?>> Snapshot
    {
        get
        {
            if (_byUser is null)
            {
                return [];
            }

            if (_snapshot is null || _snapshotStale)
            {
                _snapshot ??= [];
                _snapshot.Clear();
                _snapshot.AddRange(_byUser.Values.OrderBy(m => m.Order).Select(m => KeyValuePair.Create(m.UserId, m.InfoJson)));
                _snapshotStale = false;
            }

            return _snapshot;
        }
    }

    private long _nextOrder;

    public bool Contains(string userId) => _byUser?.ContainsKey(userId) == true;

    /// <returns>true when the user was not a member before.</returns>
    public bool AddSocket(string userId, string? infoJson)
    {
        _byUser ??= new Dictionary<string, Member>(StringComparer.Ordinal);
        if (_byUser.TryGetValue(userId, out var member))
        {
            member.Sockets++;
            return false;
        }

        _byUser.Add(userId, new Member(userId, infoJson, _nextOrder++));
        _snapshotStale = true;
        return true;
    }

    /// <returns>true when that was the user's last socket.</returns>
    public bool RemoveSocket(string userId)
    {
        if (_byUser is null || !_byUser.TryGetValue(userId, out var member) || --member.Sockets > 0)
        {
            return false;
        }

        _byUser.Remove(userId);
        _snapshotStale = true;
        return true;
    }

    private sealed class Member(string userId, string? infoJson, long order)
    {
        public string UserId { get; } = userId;

        public string? InfoJson { get; } = infoJson;

        public long Order { get; } = order;

        public int Sockets { get; set; } = 1;
    }
}
