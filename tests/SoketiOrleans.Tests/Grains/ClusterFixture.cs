using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using SoketiOrleans.Gateways;
using SoketiOrleans.Grains.Gateways;
using SoketiOrleans.Grains.Hosting;
using SoketiOrleans.Grains.Webhooks;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Tests.Grains;

/// <summary>
/// An in-process Orleans cluster of two silos running the real grains, each silo with a stand-in
/// for a co-hosted gateway (<see cref="StubGatewayState"/>) that a rebuilding grain asks.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(2).AddSiloBuilderConfigurator<WithGrainServices>().Build();

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The clock gateway leases are timed with, in every silo (the silos share this process).</summary>
    public static FakeTimeProvider LeaseClock { get; } = new();

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    internal sealed class WithGrainServices : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(GatewayLease.Clock, LeaseClock);
            siloBuilder.Services.AddSoketiGrains(new GrainsOptions([], WebhookOptions.Defaults, TimeSpan.Zero));
            siloBuilder.Services.AddSingleton<IWebhookEvents, RecordingWebhookEvents>();
            siloBuilder.Services.AddSingleton<IGatewayState, StubGatewayState>();
        }
    }
}

[CollectionDefinition(nameof(ClusterCollection))]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>;
