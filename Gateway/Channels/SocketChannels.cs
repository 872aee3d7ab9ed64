using System.Diagnostics.CodeAnalysis;

namespace SoketiOrleans.Gateway.Channels;

/// <summary>
/// A socket's subscriptions by channel name. Nearly every socket is in one channel, so that one is
/// held in place and a dictionary is made only for a second: a socket in one channel keeps no
/// collection of its own (a dictionary and its two arrays were about 200 bytes per socket, kept
/// for the socket's life and copied by every collection that found it new).
/// </summary>
internal struct SocketChannels
{
    private string? _name;
    private SocketSubscription? _subscription;
    private Dictionary<string, SocketSubscription>? _many;

    public readonly int Count => _many?.Count ?? (_name is null ? 0 : 1);

    public readonly SocketSubscription this[string channel] =>
        TryGetValue(channel, out var subscription) ? subscription : throw new KeyNotFoundException($"The socket is not subscribed to {channel}.");

    public readonly bool ContainsKey(string channel) => TryGetValue(channel, out _);

    public readonly bool TryGetValue(string channel, [MaybeNullWhen(false)] out SocketSubscription subscription)
    {
        if (_many is not null)
        {
            return _many.TryGetValue(channel, out subscription);
        }

        subscription = _name == channel ? _subscription : null;
        return subscription is not null;
    }

    public void Add(string channel, SocketSubscription subscription)
    {
        if (_many is not null)
        {
            _many.Add(channel, subscription);
        }
        else if (_name is null)
        {
            (_name, _subscription) = (channel, subscription);
        }
        else if (_name == channel)
        {
            throw new ArgumentException($"The socket is already subscribed to {channel}.", nameof(channel));
        }
        else
        {
            _many = new Dictionary<string, SocketSubscription>(StringComparer.Ordinal) { { _name, _subscription! } };
            _many.Add(channel, subscription);
            (_name, _subscription) = (null, null);
        }
    }

    public bool Remove(string channel, [MaybeNullWhen(false)] out SocketSubscription subscription)
    {
        if (_many is not null)
        {
            return _many.Remove(channel, out subscription);
        }

        if (_name != channel || _subscription is null)
        {
            subscription = null;
            return false;
        }

        subscription = _subscription;
        (_name, _subscription) = (null, null);
        return true;
    }

    public bool Remove(string channel) => Remove(channel, out _);

    public readonly string[] Names() => _many is not null ? [.. _many.Keys] : _name is null ? [] : [_name];
}
