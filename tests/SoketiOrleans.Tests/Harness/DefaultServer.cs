namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// One server for the many test classes that need nothing but the default app and options: they
/// use unique channel and user names, so they can share it (and run one after another).
/// </summary>
[CollectionDefinition(nameof(DefaultServer))]
public sealed class DefaultServer : ICollectionFixture<ServerFixture>;
