using Microsoft.Extensions.Logging;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;
using SoketiOrleans.Grains.Gateways;
using SoketiOrleans.Protocol;
using SoketiOrleans.Users;
using SoketiOrleans.Hosting;

namespace SoketiOrleans.Grains.Users;

/// <summary>
/// The single writer of a user's online state for the whole cluster: online from its first
/// signed-in socket on any gateway until its last ends. Watchers hear each transition once; what
/// the user's sockets are sent goes through its server-to-user channel grain, ordered with the
/// events the HTTP API sends to the user. A new activation asks every live gateway for the user's
/// sockets and watchers before it serves.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class UserGrain(LiveGateways gateways, ILogger<UserGrain> logger) : Grain, IUserGrain, IDropsGoneGateways
{
    // soketi's code and message for connections the app terminates; 4009 keeps pusher-js from reconnecting.
    private const int TerminatedCode = 4009;
    private const string TerminatedMessage = "You got disconnected by the app.";

    // 200 ms doubling: the last attempt is about 25 s after the first, past any failover.
    private const int NoticeAttempts = 8;

    private readonly Dictionary<string, UserReport> _gateways = new(StringComparer.Ordinal);

    // Gateways this activation holds or held sockets of: the departure of one that already left is old news.
    private readonly HashSet<string> _heard = new(StringComparer.Ordinal);
    private readonly HashSet<string> _watchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WatchedUser> _watched = new(StringComparer.Ordinal);

    // Starts from the clock, so a re-activated grain never reuses a version its watchers have seen.
    private long _version = DateTime.UtcNow.Ticks;
    private Task _registering = Task.CompletedTask;
    private IGrainTimer? _goneGatewayCheck;
    private string _appId = "";
    private string _userId = "";

    private bool IsOnline => _gateways.Count > 0;

    private IChannelGrain ServerToUser => GrainFactory.Grain<IChannelGrain>(ChannelKey.Format(_appId, ServerToUserChannel.For(_userId)));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        (_appId, _userId) = UserKey.Parse(key);
        var told = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var state in await gateways.Ask(link => link.User(key), gateway => gateway.User(key)))
        {
            if (state.Report is { } report)
            {
                _gateways[report.GatewayId] = report;
                _heard.Add(report.GatewayId);
                _goneGatewayCheck = gateways.WatchIfElsewhere(this, _goneGatewayCheck, report.GatewayId);
            }

            _watchers.UnionWith(state.Watchers);
            state.ToldOffline.ToList().ForEach(id => told.TryAdd(id, false));
            state.ToldOnline.ToList().ForEach(id => told[id] = true);
        }

        // The sockets already know what they were told: the watched users' answers announce only what changed since.
        Watch(Watchlist(), told);
        KeepAliveWhileNeeded();
    }

    public async Task Report(UserReport report)
    {
        if (_gateways.TryGetValue(report.GatewayId, out var previous) && report.Version < previous.Version)
        {
            return;
        }

        _heard.Add(report.GatewayId);
        _goneGatewayCheck = gateways.WatchIfElsewhere(this, _goneGatewayCheck, report.GatewayId);
        var known = previous?.Sockets.Select(s => s.SocketId).ToHashSet(StringComparer.Ordinal) ?? [];
        var welcome = report.Sockets.Where(s => s.SigninSuccess is not null && !known.Contains(s.SocketId)).ToArray();
        var kept = report with { Sockets = report.Sockets.Select(s => s with { SigninSuccess = null }).ToArray() };
        SetGateway(report.GatewayId, kept.Sockets.Length > 0 ? kept : null, watch: welcome.Length == 0);

        // Taken before the first await: a watched user's answer applied meanwhile is published to these sockets too.
        var online = _watched.Where(w => w.Value.Online).Select(w => w.Key).ToArray();
        var channel = ServerToUser;
        foreach (var socket in welcome)
        {
            await channel.Welcome(report.GatewayId, socket.SocketId, socket.SigninSuccess!);
            if (online.Length > 0)
            {
                var notice = new WatchlistNotice(true, online);
                await channel.Welcome(report.GatewayId, socket.SocketId, notice.Frame(), notice);
            }
        }

        if (welcome.Length > 0)
        {
            // Only now: answers from newly watched users must find the new sockets welcomed.
            Watch(Watchlist());
        }
    }

    public Task Depart(GatewayDeparture departure)
    {
        if (_gateways.ContainsKey(departure.GatewayId))
        {
            SetGateway(departure.GatewayId, null);
        }
        else if (_heard.Add(departure.GatewayId) && departure.Entry.SocketIds is { Length: > 0 } && !IsOnline)
        {
            // Rebuilt after the gateway died: it was online through it, and is not any more.
            Transition();
        }

        return Task.CompletedTask;
    }

    public Task Terminate()
    {
        foreach (var report in _gateways.Values)
        {
            // The sockets sign out as they close.
            _ = report.Observer.CloseSockets(report.Sockets.Select(s => s.SocketId).ToArray(), TerminatedCode, TerminatedMessage);
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

    /// <summary>Replaces one gateway's sockets (null: it has none); online and (unless told not to yet) the watchlist follow.</summary>
    private void SetGateway(string gatewayId, UserReport? report, bool watch = true)
    {
        var wasOnline = IsOnline;
        if (report is null)
        {
            _gateways.Remove(gatewayId);
        }
        else
        {
            _gateways[gatewayId] = report;
        }

        if (wasOnline != IsOnline)
        {
            Transition();
        }

        if (watch)
        {
            Watch(Watchlist());
        }

        KeepAliveWhileNeeded();
    }

    Task IDropsGoneGateways.DropGoneGateways(CancellationToken cancellationToken)
    {
        foreach (var gatewayId in _gateways.Keys.Where(gateways.IsGone).ToArray())
        {
            SetGateway(gatewayId, null);
        }

        return Task.CompletedTask;
    }

    /// <summary>The users watched by any of the user's sockets.</summary>
    private HashSet<string> Watchlist() =>
        _gateways.Values.SelectMany(r => r.Sockets).SelectMany(s => s.Watchlist).ToHashSet(StringComparer.Ordinal);

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

        return Task.WhenAll(Tell(true, cameOnline), Tell(false, wentOffline));
    }

    private Task Tell(bool online, List<string>? userIds)
    {
        if (userIds is null)
        {
            return Task.CompletedTask;
        }

        var notice = new WatchlistNotice(online, [.. userIds]);
        return ServerToUser.Publish(new Publication(notice.Frame(), ExceptSocketId: null, Confirmed: true, Watchlist: notice));
    }

    /// <summary>
    /// Went online or offline: tells every watcher, after the turn (watchers may be telling this
    /// user something at the same moment, and neither may wait on the other) and again when a notice
    /// fails, e.g. while a watcher's grain moves off a dead silo. Notices carry versions, so a
    /// repeat or a late one changes nothing.
    /// </summary>
    private void Transition()
    {
        var state = new WatchedUser(IsOnline, ++_version);
        foreach (var watcher in _watchers)
        {
            _ = Notify(watcher, state);
        }
    }

    private async Task Notify(string watcher, WatchedUser state)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await User(watcher).WatchedUserChanged(_userId, state);
                return;
            }
            catch (Exception e) when (attempt < NoticeAttempts)
            {
                LogNoticeRetry(logger, e, _userId, watcher, attempt);
                await Task.Delay(delay);
                delay *= 2;
            }
            catch (Exception e)
            {
                LogNoticeFailed(logger, e, _userId, watcher);
                return;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="watchlist"/> the users this one watches. Registering with them is not
    /// awaited in this turn: two users who watch each other sign in at once, and neither may wait on
    /// the other. Their answers come back as reports, applied like any notice.
    /// </summary>
    /// <param name="told">What the user's sockets were told about some of these users, as the baseline to tell changes against.</param>
    private void Watch(HashSet<string> watchlist, IReadOnlyDictionary<string, bool>? told = null)
    {
        watchlist.Remove(_userId);
        var dropped = _watched.Keys.Where(id => !watchlist.Contains(id)).ToArray();
        var added = watchlist.Where(id => !_watched.ContainsKey(id)).ToArray();
        foreach (var id in dropped)
        {
            _watched.Remove(id);
        }

        foreach (var id in added)
        {
            // At version 0 until the user answers: offline, unless the sockets were told otherwise.
            _watched[id] = new WatchedUser(told?.GetValueOrDefault(id) ?? false, 0);
        }

        if (dropped.Length > 0 || added.Length > 0)
        {
            _registering = Register(_registering, dropped, added);
        }
    }

    /// <summary>After the previous registration, so a quick sign-out and sign-in reach each user in order.</summary>
    /// <remarks>Registrations are repeated when one fails (a watched user's grain may be moving off a dead silo); repeating them changes nothing.</remarks>
    private async Task Register(Task previous, string[] dropped, string[] added)
    {
        await previous;
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Task.WhenAll(dropped.Select(id => User(id).RemoveWatcher(_userId)));
                var states = await Task.WhenAll(added.Select(id => User(id).AddWatcher(_userId)));
                await Apply(added.Zip(states, (id, state) => (id, state)).ToArray());
                return;
            }
            catch (Exception e) when (attempt < NoticeAttempts)
            {
                LogWatchRetry(logger, e, _userId, attempt);
                await Task.Delay(delay);
                delay *= 2;
            }
            catch (Exception e)
            {
                LogWatchFailed(logger, e, _userId);
                return;
            }
        }
    }

    private IUserGrain User(string userId) => GrainFactory.Grain<IUserGrain>(UserKey.Format(_appId, userId));

    /// <summary>Signed-in sockets and watchers exist only in this activation: keep it while there are any.</summary>
    private void KeepAliveWhileNeeded() =>
        DelayDeactivation(IsOnline || _watchers.Count > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telling watcher {Watcher} about user {UserId} failed (attempt {Attempt}); retrying")]
    private static partial void LogNoticeRetry(ILogger logger, Exception exception, string userId, string watcher, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling watcher {Watcher} about user {UserId} failed; giving up")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception, string userId, string watcher);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Updating the watchlist registrations of user {UserId} failed (attempt {Attempt}); retrying")]
    private static partial void LogWatchRetry(ILogger logger, Exception exception, string userId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Updating the watchlist registrations of user {UserId} failed; giving up")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string userId);
}
