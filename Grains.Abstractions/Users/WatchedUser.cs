namespace SoketiOrleans.Users;

/// <summary>
/// Whether a watched user is online. <see cref="Version"/> grows with every transition, so a
/// watcher can drop notices that arrive after a newer one.
/// </summary>
[GenerateSerializer, Immutable, Alias("so.WatchedUser")]
public readonly record struct WatchedUser(
    [property: Id(0)] bool Online,
    [property: Id(1)] long Version);
