using SoketiOrleans.Channels;

namespace SoketiOrleans.Gateways;

/// <summary>What a gateway holds at one grain, as its ledger keeps it.</summary>
/// <param name="Count">Sockets in a channel, or connections of an app; 0 with no sockets listed means none.</param>
/// <param name="Members">A presence channel's sockets with their users.</param>
/// <param name="SocketIds">A user's signed-in sockets.</param>
[GenerateSerializer, Immutable, Alias("so.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] LedgerTarget Target,
    [property: Id(1)] string Key,
    [property: Id(2)] int Count,
    [property: Id(3)] PresenceSocket[]? Members = null,
    [property: Id(4)] string[]? SocketIds = null)
{
    public bool IsEmpty => Count == 0 && (SocketIds is null || SocketIds.Length == 0);
}

/// <summary>The kinds of grains a gateway reports to, and so the grain a ledger entry is for.</summary>
[GenerateSerializer, Alias("so.LedgerTarget")]
public enum LedgerTarget
{
    Channel,
    User,
    Connections,
}
