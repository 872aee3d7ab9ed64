namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// One write to the Orleans membership table, as a Raft log entry. Every node applies the same
/// commands in the same order, so the conditions Orleans asks for (row and table etags) are checked
/// identically everywhere and the proposer learns the outcome from its own copy.
/// </summary>
[GenerateSerializer]
public sealed record TableCommand(
    [property: Id(0)] Guid Id,
    [property: Id(1)] TableCommandKind Kind,
    [property: Id(2)] MembershipEntry? Entry = null,
    [property: Id(3)] string? ETag = null,
    [property: Id(4)] TableVersion? Version = null,
    [property: Id(5)] DateTimeOffset Before = default);

[GenerateSerializer]
public enum TableCommandKind
{
    Insert,
    Update,
    IAmAlive,
    CleanupDefunct,
    DeleteAll,
}
