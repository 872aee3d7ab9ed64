using Microsoft.Extensions.Logging;
using SoketiOrleans.Channels;
using SoketiOrleans.Protocol;
using SoketiOrleans.Users;

namespace SoketiOrleans.Grains.Users;

/// <summary>
/// The single writer of a user's online state for the whole cluster: online from its first
/// signed-in socket on any gateway until its last ends. Watchers hear each transition once; what
/// the user's sockets are sent goes through its server-to-user channel grain, ordered with the
/// events the HTTP API sends to the user.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class UserGrain(ILogger<UserGrain> logger) : Grain, IUserGrain
{
    // soketi's code and message for connections the app terminates; 4009 keeps pusher-js from reconnecting.
    private const int TerminatedCode = 4009;
    private const string TerminatedMessage = "You got disconnected by the app.";

    private readonly Dictionary<string, (IGatewayObserver Observer, HashSet<string> SocketIds)> _gateways = new(StringComparer.Ordinal);
    private readonly HashSet<string> _watchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WatchedUser> _watched = new(StringComparer.Ordinal);

    // Starts from the clock, so a re-activated grain never reuses a version its watchers have seen.
    private long _version = DateTime.UtcNow.Ticks;
    private Task _registering = Task.CompletedTask;
    private string? _appId;
    private string? _userId;

    private string AppId => _appId ?? ParseKey().AppId;

    private string UserId => _userId ?? ParseKey().UserId;

    private bool IsOnline => _gateways.Count > 0;

    private IChannelGrain ServerToUser => GrainFactory.GetGrain<IChannelGrain>(ChannelKey.Format(AppId, ServerToUserChannel.For(UserId)));

    public async Task SignIn(UserSignIn signIn)
    {
        var wasOnline = IsOnline;
        if (!_gateways.TryGetValue(signIn.GatewayId, out var gateway))
        {
            gateway = (signIn.Observer, new HashSet<string>(StringComparer.Ordinal));
        }

        gateway.SocketIds.Add(signIn.SocketId);
        _gateways[signIn.GatewayId] = (signIn.Observer, gateway.SocketIds);
        if (!wasOnline)
        {
            Transition();
        }

        KeepAliveWhileNeeded();

        // Taken before the first await: a report applied meanwhile is published to this socket too.
        var online = _watched.Where(w => w.Value.Online).Select(w => w.Key).ToArray();
        var channel = ServerToUser;
        await channel.Welcome(signIn.GatewayId, signIn.SocketId, signIn.SigninSuccess);
        if (online.Length > 0)
        {
            await channel.Welcome(signIn.GatewayId, signIn.SocketId, WatchlistFrames.Online(online));
        }

        Watch(signIn.Watchlist);
    }

    public Task SignOut(string gatewayId, string socketId)
    {
        if (!_gateways.TryGetValue(gatewayId, out var gateway) || !gateway.SocketIds.Remove(socketId))
        {
            return Task.CompletedTask;
        }

        if (gateway.SocketIds.Count == 0)
        {
            _gateways.Remove(gatewayId);
        }

        if (!IsOnline)
        {
            Transition();
            Watch([]);
        }

        KeepAliveWhileNeeded();
        return Task.CompletedTask;
    }

    public Task Terminate()
    {
        foreach (var (observer, socketIds) in _gateways.Values)
        {
            // The sockets sign out as they close.
            _ = observer.CloseSockets(socketIds.ToArray(), TerminatedCode, TerminatedMessage);
        }

        return Task.CompletedTask;
    }

    public Task<WatchedUser> AddWatcher(string watcherId)
    {
        _watchers.Add(watcherId);
        KeepAliveWhileNeeded();
        return Task.FromResult(new WatchedUser(IsOnline, _version));
    }

    public Task RemoveWatcher(string watcherId)
    {
        _watchers.Remove(watcherId);
        KeepAliveWhileNeeded();
        return Task.CompletedTask;
    }

    public Task WatchedUserChanged(string userId, WatchedUser state) =>
        Apply([(userId, state)]);

    /// <summary>
    /// Takes what watched users report about themselves and tells this user's sockets about real
    /// changes. Reports may overtake each other: only a newer version counts.
    /// </summary>
    private Task Apply(IReadOnlyList<(string UserId, WatchedUser State)> reports)
    {
        List<string>? cameOnline = null;
        List<string>? wentOffline = null;
        foreach (var (userId, state) in reports)
        {
            if (!_watched.TryGetValue(userId, out var known) || state.Version <= known.Version)
            {
                continue;
            }

            _watched[userId] = state;
            if (known.Online != state.Online)
            {
                (state.Online ? cameOnline ??= [] : wentOffline ??= []).Add(userId);
            }
        }

        if (!IsOnline || (cameOnline is null && wentOffline is null))
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(
            cameOnline is null ? Task.CompletedTask : ServerToUser.Publish(new Publication(WatchlistFrames.Online(cameOnline), ExceptSocketId: null)),
            wentOffline is null ? Task.CompletedTask : ServerToUser.Publish(new Publication(WatchlistFrames.Offline(wentOffline), ExceptSocketId: null)));
    }

    /// <summary>Went online or offline: tells every watcher, without waiting for any of them.</summary>
    private void Transition()
    {
        var state = new WatchedUser(IsOnline, ++_version);
        foreach (var watcher in _watchers)
        {
            _ = User(watcher).WatchedUserChanged(UserId, state);
        }
    }

    /// <summary>
    /// Makes <paramref name="watchlist"/> the users this one watches. Registering with them is not
    /// awaited in this turn: two users who watch each other sign in at once, and neither may wait on
    /// the other. Their answers come back as reports, applied like any notice.
    /// </summary>
    private void Watch(IReadOnlyCollection<string> watchlist)
    {
        var wanted = watchlist.Where(id => id != UserId).ToHashSet(StringComparer.Ordinal);
        var dropped = _watched.Keys.Where(id => !wanted.Contains(id)).ToArray();
        var added = wanted.Where(id => !_watched.ContainsKey(id)).ToArray();
        foreach (var id in dropped)
        {
            _watched.Remove(id);
        }

        foreach (var id in added)
        {
            _watched[id] = default; // offline at version 0 until the user answers
        }

        if (dropped.Length > 0 || added.Length > 0)
        {
            _registering = Register(_registering, dropped, added);
        }
    }

    /// <summary>After the previous registration, so a quick sign-out and sign-in reach each user in order.</summary>
    private async Task Register(Task previous, string[] dropped, string[] added)
    {
        await previous;
        try
        {
            await Task.WhenAll(dropped.Select(id => User(id).RemoveWatcher(UserId)));
            var states = await Task.WhenAll(added.Select(id => User(id).AddWatcher(UserId)));
            await Apply(added.Zip(states, (id, state) => (id, state)).ToArray());
        }
        catch (Exception e)
        {
            LogWatchFailed(logger, e, UserId);
        }
    }

    private IUserGrain User(string userId) => GrainFactory.GetGrain<IUserGrain>(UserKey.Format(AppId, userId));

    /// <summary>Signed-in sockets and watchers exist only in this activation: keep it while there are any.</summary>
    private void KeepAliveWhileNeeded() =>
        DelayDeactivation(IsOnline || _watchers.Count > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);

    private (string AppId, string UserId) ParseKey()
    {
        (_appId, _userId) = UserKey.Parse(this.GetPrimaryKeyString());
        return (_appId, _userId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Updating the watchlist registrations of user {UserId} failed")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string userId);
}
