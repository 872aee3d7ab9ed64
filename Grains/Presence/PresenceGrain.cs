using SoketiOrleans.Apps;
using SoketiOrleans.Channels;
using SoketiOrleans.Presence;
using SoketiOrleans.Protocol;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Grains.Presence;

/// <summary>
/// The single writer of a presence channel's member list for the whole cluster, so each user is
/// announced once when its first socket joins and once when its last leaves (to subscribers and to
/// webhooks). Member frames and snapshots go through the channel grain, which orders them with
/// everything else on the channel.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class PresenceGrain(IWebhookEvents webhooks) : Grain, IPresenceGrain
{
    private readonly Dictionary<string, string> _userBySocket = new(StringComparer.Ordinal);
    private readonly PresenceMembers _members = new();
    private string? _key;
    private string? _channel;

    private string Key => _key ??= this.GetPrimaryKeyString();

    private string Channel => _channel ??= ChannelKey.Parse(Key).Channel;

    private string AppId => ChannelKey.Parse(Key).AppId;

    private IChannelGrain ChannelGrain => GrainFactory.GetGrain<IChannelGrain>(Key);

    public async Task<bool> Join(PresenceJoin join)
    {
        // A repeated subscribe of the same socket only gets a fresh snapshot.
        if (!_userBySocket.ContainsKey(join.SocketId))
        {
            // The limit counts users, so a member's further sockets are always let in.
            if (join.MaxMembers >= 0 && _members.Count >= join.MaxMembers && !_members.Contains(join.UserId))
            {
                return false;
            }

            _userBySocket.Add(join.SocketId, join.UserId);
            if (_members.AddSocket(join.UserId, join.UserInfoJson))
            {
                await ChannelGrain.Publish(new Publication(
                    PresenceFrames.MemberAdded(Channel, join.UserId, join.UserInfoJson), join.SocketId));
                webhooks.Raise(AppId, WebhookEvent.MemberAdded(Channel, join.UserId));
                await UserCountChanged();
            }
        }

        await ChannelGrain.Welcome(join.GatewayId, join.SocketId, PresenceFrames.SubscriptionSucceeded(Channel, _members.Snapshot));
        return true;
    }

    public async Task Leave(string socketId)
    {
        if (!_userBySocket.Remove(socketId, out var userId) || !_members.RemoveSocket(userId))
        {
            return;
        }

        await ChannelGrain.Publish(new Publication(PresenceFrames.MemberRemoved(Channel, userId), socketId));
        webhooks.Raise(AppId, WebhookEvent.MemberRemoved(Channel, userId));
        await UserCountChanged();
    }

    public Task<int> UserCount() => Task.FromResult(_members.Count);

    public Task<string[]> UserIds() => Task.FromResult(_members.Snapshot.Select(m => m.Key).ToArray());

    private Task UserCountChanged()
    {
        DelayDeactivation(_members.Count > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);
        return GrainFactory.GetGrain<IAppGrain>(AppId).SetUserCount(Channel, _members.Count);
    }
}
