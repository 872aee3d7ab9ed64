using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// One two-process cluster for the tests that race many clients at once against something the
/// cluster must decide once (a member cap, a connection quota, a cache replay), configured with a
/// <c>--config</c> file in which each test class owns its app.
/// </summary>
public sealed class ContendedClusterFixture : IAsyncLifetime
{
    public const int MaxMembers = 4;
    public const int MaxConnections = 5;

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("soketi-orleans-contended-");
    private LocalCluster? _cluster;

    public ServerProcess A => _cluster![0];

    public ServerProcess B => _cluster![1];

    public static PusherSigner App(string id) => new(id, $"{id}-key", $"{id}-secret");

    public async Task InitializeAsync()
    {
        var config = Path.Combine(_temp.FullName, "apps.json");
        await File.WriteAllTextAsync(config, $$"""
            {"appManager.array.apps":[
              {"id":"members","key":"members-key","secret":"members-secret","maxPresenceMembersPerChannel":{{MaxMembers}}},
              {"id":"burst","key":"burst-key","secret":"burst-secret","maxConnections":{{MaxConnections}}},
              {"id":"cache","key":"cache-key","secret":"cache-secret"}
            ]}
            """);
        _cluster = await LocalCluster.Start(2, args: $"--config={config}");
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _temp.Delete(recursive: true);
    }
}

[CollectionDefinition(nameof(ContendedCluster))]
public sealed class ContendedCluster : ICollectionFixture<ContendedClusterFixture>;
