using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Cluster;
using SoketiOrleans.Gateway.Reassertion;
using SoketiOrleans.Gateways;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Users;

/// <summary>This gateway's signed-in sockets of one user, reported to the user grain as a whole.</summary>
public sealed class LocalUser : ReassertedState<UserReport, bool>
{
    private readonly Dictionary<string, UserSocket> _sockets = new(StringComparer.Ordinal);

    // What the user's sockets here were last told about each watched user: online or offline.
    private readonly Dictionary<string, bool> _told = new(StringComparer.Ordinal);
    private readonly LocalUsers _index;
    private readonly GatewayIdentity _gateway;
    private readonly ICluster _cluster;
    private UserReport? _acknowledged;

    internal LocalUser(string appId, string userId, LocalUsers index, GatewayIdentity gateway, ICluster cluster, Reassertion.Reassertion reassertion)
        : base(reassertion)
    {
        AppId = appId;
        UserId = userId;
        Key = UserKey.Format(appId, userId);
        _index = index;
        _gateway = gateway;
        _cluster = cluster;
    }

    public string Key { get; }

    public string AppId { get; }

    public string UserId { get; }

    public override string Name => $"user {Key}";

    protected override bool IsEmpty => _sockets.Count == 0 && (_acknowledged?.Sockets.Length ?? 0) == 0;

    /// <summary>
    /// Adds the socket; the task completes once the user grain took it (and sent its
    /// <c>signin_success</c>). Null: this instance has retired; take a fresh one.
    /// </summary>
    internal Task? SignIn(string socketId, string[] watchlist, byte[] signinSuccess)
    {
        long version;
        lock (Gate)
        {
            if (IsRetired)
            {
                return null;
            }

            _sockets[socketId] = new UserSocket(socketId, watchlist, signinSuccess);
            version = Changed();
        }

        Schedule();
        return WhenAcknowledged(version);
    }

    internal void SignOut(string socketId)
    {
        lock (Gate)
        {
            if (!_sockets.Remove(socketId))
            {
                return;
            }

            Changed();
        }

        Schedule();
    }

    /// <summary>Whether one of the user's sockets here watches <paramref name="userId"/>.</summary>
    internal bool Watches(string userId)
    {
        lock (Gate)
        {
            return _sockets.Values.Any(s => s.Watchlist.Contains(userId, StringComparer.Ordinal));
        }
    }

    /// <summary>A watchlist event reached the user's sockets here.</summary>
    internal void Told(WatchlistNotice notice)
    {
        lock (Gate)
        {
            foreach (var userId in notice.UserIds)
            {
                _told[userId] = notice.Online;
            }
        }
    }

    /// <summary>What the grain had acknowledged, for a new activation of it (null when it had no socket here), and what the sockets were told.</summary>
    internal (UserReport? Report, string[] ToldOnline, string[] ToldOffline) ForNewActivation()
    {
        lock (Gate)
        {
            return (
                _acknowledged is { Sockets.Length: > 0 } acknowledged ? acknowledged : null,
                _told.Where(t => t.Value).Select(t => t.Key).ToArray(),
                _told.Where(t => !t.Value).Select(t => t.Key).ToArray());
        }
    }

    public override LedgerEntry? LedgerEntry()
    {
        lock (Gate)
        {
            return new LedgerEntry(LedgerTarget.User, Key, _sockets.Count, SocketIds: _sockets.Keys.ToArray());
        }
    }

    protected override UserReport Snapshot(long version) =>
        new(_gateway.Id, _gateway.Observer, version, _sockets.Values.ToArray());

    protected override async Task<bool> Send(UserReport report)
    {
        await _cluster.ReportUser(Key, report);
        return true;
    }

    protected override void Acknowledge(UserReport report, bool answer)
    {
        // A socket is welcomed once: the grain has taken these.
        foreach (var socket in report.Sockets.Where(s => s.SigninSuccess is not null))
        {
            if (_sockets.TryGetValue(socket.SocketId, out var current) && current.SigninSuccess is not null)
            {
                _sockets[socket.SocketId] = current with { SigninSuccess = null };
            }
        }

        _acknowledged = report with { Sockets = report.Sockets.Select(s => s with { SigninSuccess = null }).ToArray() };
    }

    protected override void Retired() => _index.Remove(this);
}
