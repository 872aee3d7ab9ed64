using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// Two processes in one cluster, configured with a <c>--config</c> file of apps that each have one
/// small limit (so each test owns its app and its windows), and one app without limits.
/// </summary>
public sealed class QuotaClusterFixture : IAsyncLifetime
{
    public const int MaxConnections = 3;
    public const int MaxBackendEvents = 6;
    public const int MaxReads = 6;
    public const int FloodLimit = 5;

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("soketi-orleans-quotas-");

    public ServerProcess A { get; private set; } = null!;

    public ServerProcess B { get; private set; } = null!;

    public static PusherSigner App(string id) => new(id, $"{id}-key", $"{id}-secret");

    public async Task InitializeAsync()
    {
        var config = Path.Combine(_temp.FullName, "apps.json");
        await File.WriteAllTextAsync(config, $$"""
            {"appManager.array.apps":[
              {"id":"conns","key":"conns-key","secret":"conns-secret","maxConnections":{{MaxConnections}}},
              {"id":"backend","key":"backend-key","secret":"backend-secret","maxBackendEventsPerSecond":{{MaxBackendEvents}}},
              {"id":"reads","key":"reads-key","secret":"reads-secret","maxReadRequestsPerSecond":{{MaxReads}}},
              {"id":"flood","key":"flood-key","secret":"flood-secret","maxBackendEventsPerSecond":{{FloodLimit}},"maxReadRequestsPerSecond":{{FloodLimit}}},
              {"id":"calm","key":"calm-key","secret":"calm-secret"}
            ]}
            """);
        A = await ServerProcess.Start(new Dictionary<string, string>(), $"--config={config}");
        B = await ServerProcess.Start(new Dictionary<string, string>
        {
            ["SOKETI_ORLEANS_PRIMARY_SILO_PORT"] = A.SiloPort.ToString(),
        }, $"--config={config}");
    }

    public async Task DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }

        _temp.Delete(recursive: true);
    }
}
