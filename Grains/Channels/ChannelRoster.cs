using SoketiOrleans.Channels;
using SoketiOrleans.Gateways;

namespace SoketiOrleans.Grains.Channels;

/// <summary>
/// Who is in one channel, through which gateway: the part of the channel grain that decides. It
/// takes the gateways' absolute reports and their departures and says what changed; the grain
/// sends the frames and raises the webhooks.
/// </summary>
/// <param name="inProcess">The object of a gateway that runs in this process (see <see cref="Gateways.LiveGateways.InProcess"/>).</param>
internal sealed class ChannelRoster(bool presence, Func<string, IGatewayObserver?> inProcess)
{
    private static readonly Dictionary<string, PresenceSocket> NoSockets = [];

    private readonly Dictionary<string, GatewayShare> _gateways = new(StringComparer.Ordinal);

    // With the gateways in _gateways, every gateway this activation has heard of: the departure of
    // one that already left is old news. Made when the first gateway leaves or reports nothing, which
    // a channel that keeps its subscribers never sees.
    private HashSet<string>? _left;

    public int SubscriptionCount { get; private set; }

    public PresenceMembers Members { get; } = new();

    public IEnumerable<GatewayShare> Gateways => _gateways.Values;

    public int GatewayCount => _gateways.Count;

    public GatewayShare? Gateway(string gatewayId) => _gateways.GetValueOrDefault(gatewayId);

    /// <summary>
    /// Takes a gateway's state without announcing anything: a new activation asking the gateways
    /// what they hold, all of which was announced when it happened.
    /// </summary>
    public void Restore(ChannelReport report) => Apply(report, maxMembers: -1);

    /// <summary>Takes a gateway's report in place of its previous one; an older report than the one held changes nothing.</summary>
    public RosterChange Apply(ChannelReport report, int maxMembers)
    {
        var share = _gateways.GetValueOrDefault(report.GatewayId);
        if (share is not null && report.Version < share.Version)
        {
            return RosterChange.None(SubscriptionCount);
        }

        var change = Replace(share, report.GatewayId, report.Members ?? [], report.SocketCount, maxMembers, out var kept);
        if (kept.Count == 0 && (presence || report.SocketCount == 0))
        {
            Forget(report.GatewayId);
        }
        else if (share is null)
        {
            _gateways.Add(report.GatewayId, new GatewayShare(report, inProcess(report.GatewayId)) { Members = presence ? kept : null });
        }
        else
        {
            share.Renew(report);
            share.Members = presence ? kept : null;
        }

        return change;
    }

    /// <summary>
    /// The gateway is gone. One this activation holds leaves with what it had; one it never heard
    /// of (it was rebuilt after the gateway died) leaves with what the gateway's ledger says it had.
    /// </summary>
    public RosterChange Depart(GatewayDeparture departure)
    {
        if (_gateways.TryGetValue(departure.GatewayId, out var share))
        {
            return Remove(share);
        }

        if (!MarkLeft(departure.GatewayId))
        {
            return RosterChange.None(SubscriptionCount);
        }

        var removed = (departure.Entry.Members ?? [])
            .DistinctBy(m => m.UserId)
            .Where(m => !Members.Contains(m.UserId))
            .Select(m => (m.UserId, m.SocketId))
            .ToArray();
        return new RosterChange(SubscriptionCount + departure.Entry.Count, SubscriptionCount, [], removed, [], []);
    }

    /// <summary>A gateway found gone without word from its ledger: it leaves with what it had.</summary>
    public RosterChange Remove(GatewayShare share)
    {
        var change = Replace(share, share.GatewayId, [], 0, -1, out _);
        Forget(share.GatewayId);
        return change;
    }

    private void Forget(string gatewayId)
    {
        _gateways.Remove(gatewayId);
        MarkLeft(gatewayId);
    }

    /// <returns>false when the gateway was already known to have left.</returns>
    private bool MarkLeft(string gatewayId) => (_left ??= new HashSet<string>(StringComparer.Ordinal)).Add(gatewayId);

    /// <summary>Replaces the gateway's sockets with <paramref name="sockets"/> (presence) or its count with <paramref name="socketCount"/>.</summary>
    /// <param name="keptSockets">The gateway's admitted presence sockets afterwards.</param>
    private RosterChange Replace(
        GatewayShare? share, string gatewayId, PresenceSocket[] sockets, int socketCount, int maxMembers, out Dictionary<string, PresenceSocket> keptSockets)
    {
        var before = SubscriptionCount;
        if (!presence)
        {
            keptSockets = NoSockets;
            SubscriptionCount += socketCount - (share?.SocketCount ?? 0);
            return RosterChange.None(before) with { CountAfter = SubscriptionCount };
        }

        var kept = new Dictionary<string, PresenceSocket>(StringComparer.Ordinal);
        keptSockets = kept;
        var old = share?.Members ?? NoSockets;
        var reported = sockets.Select(s => s.SocketId).ToHashSet(StringComparer.Ordinal);
        var joining = sockets.Where(s => !old.ContainsKey(s.SocketId)).ToArray();
        var leaving = old.Values.Where(s => !reported.Contains(s.SocketId)).ToArray();
        var wasMember = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var socket in joining.Concat(leaving))
        {
            wasMember.TryAdd(socket.UserId, Members.Contains(socket.UserId));
        }

        foreach (var socket in sockets.Where(s => old.ContainsKey(s.SocketId)))
        {
            kept[socket.SocketId] = old[socket.SocketId];
        }

        // Sockets of members join first and new users last: a socket swapped for another of the same
        // user stays a member throughout, and a user who leaves makes room for one who joins.
        var broughtBy = new Dictionary<string, PresenceSocket>(StringComparer.Ordinal);
        var welcomed = new List<string>();
        var refused = new List<string>();
        void Join(PresenceSocket socket)
        {
            if (maxMembers >= 0 && !Members.Contains(socket.UserId) && Members.Count >= maxMembers)
            {
                refused.Add(socket.SocketId);
                return;
            }

            Members.AddSocket(socket.UserId, socket.UserInfoJson);
            broughtBy.TryAdd(socket.UserId, socket);
            kept[socket.SocketId] = socket;
            welcomed.Add(socket.SocketId);
        }

        foreach (var socket in joining.Where(s => Members.Contains(s.UserId)).ToArray())
        {
            Join(socket);
        }

        var removed = new List<(string, string)>();
        foreach (var socket in leaving)
        {
            if (Members.RemoveSocket(socket.UserId))
            {
                removed.Add((socket.UserId, socket.SocketId));
            }
        }

        foreach (var socket in joining.Where(s => !kept.ContainsKey(s.SocketId)).ToArray())
        {
            Join(socket);
        }

        var added = broughtBy.Values
            .Where(s => !wasMember[s.UserId] && Members.Contains(s.UserId))
            .Select(s => (s.UserId, s.UserInfoJson, s.SocketId))
            .ToArray();
        SubscriptionCount += kept.Count - old.Count;
        return new RosterChange(before, SubscriptionCount, added, removed, welcomed, [.. refused]);
    }
}
