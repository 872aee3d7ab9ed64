using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Wire;

/// <summary>
/// Two processes in one cluster, configured with a <c>--config</c> file of apps that each have one
/// small limit (so each test owns its app and its windows), and one app without limits.
/// </summary>
public class QuotaClusterFixture : ServerFixture
{
    public const int MaxConnections = 3;
    public const int MaxBackendEvents = 6;
    public const int MaxReads = 6;
    public const int FloodLimit = 5;

    protected override int Count => 2;

    protected override string Config => $$"""
        {"appManager.array.apps":[
          {"id":"conns","key":"conns-key","secret":"conns-secret","maxConnections":{{MaxConnections}}},
          {"id":"backend","key":"backend-key","secret":"backend-secret","maxBackendEventsPerSecond":{{MaxBackendEvents}}},
          {"id":"reads","key":"reads-key","secret":"reads-secret","maxReadRequestsPerSecond":{{MaxReads}}},
          {"id":"flood","key":"flood-key","secret":"flood-secret","maxBackendEventsPerSecond":{{FloodLimit}},"maxReadRequestsPerSecond":{{FloodLimit}}},
          {"id":"calm","key":"calm-key","secret":"calm-secret"}
        ]}
        """;

    /// <summary>
    /// The first requests through a fresh process compile its API path: that happens here, on the
    /// app without limits, so that the tests' requests fit into one rate-limit window.
    /// </summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var gateway in Cluster.Gateways)
        {
            using var api = new PusherApi(gateway.HttpUri, PusherSigner.Named("calm"));
            ApiAssert.IsOk(await api.Trigger("warm-up", "warm-up", "{}"));
            Assert.Equal(200, (await api.Get("/channels")).Status);
        }
    }
}
