using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SoketiOrleans.Webhooks;

namespace SoketiOrleans.Tests.Grains;

/// <summary>An in-process Orleans cluster of two silos running the real grains.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(2).AddSiloBuilderConfigurator<WithRecordedWebhooks>().Build();

    public IGrainFactory Grains => Cluster.Client;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class WithRecordedWebhooks : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.Services.AddSingleton<IWebhookEvents, RecordingWebhookEvents>();
    }
}

[CollectionDefinition(nameof(ClusterCollection))]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>;
