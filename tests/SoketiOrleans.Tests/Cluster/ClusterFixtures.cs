using SoketiOrleans.Tests.Harness;
using SoketiOrleans.Tests.Wire;

namespace SoketiOrleans.Tests.Cluster;

/// <summary>Three <c>cluster</c> mode processes that find each other by loopback broadcast; A and B are the first two. Client events are on.</summary>
public sealed class BroadcastThreeNodeFixture : TwoNodeFixture
{
    protected override int Count => 3;

    protected override DiscoveryNet? Discovery { get; } = new();
}

[CollectionDefinition(nameof(BroadcastThreeNodes))]
public sealed class BroadcastThreeNodes : ICollectionFixture<BroadcastThreeNodeFixture>;

/// <summary>Webhooks raised and sent by three cluster mode processes: each once.</summary>
public sealed class BroadcastThreeNodeWebhookFixture : WebhookTwoNodeTests.Fixture
{
    protected override int Count => 3;

    protected override DiscoveryNet? Discovery { get; } = new();
}

public sealed class BroadcastThreeNodeWebhookCountFixture : WebhookCountTwoNodeTests.Fixture
{
    protected override int Count => 3;

    protected override DiscoveryNet? Discovery { get; } = new();
}

public sealed class BroadcastQuotaFixture : QuotaClusterFixture
{
    protected override int Count => 3;

    protected override DiscoveryNet? Discovery { get; } = new();
}

public sealed class BroadcastRateLimitLeaseFixture : RateLimitLeaseTests.Fixture
{
    protected override int Count => 3;

    protected override DiscoveryNet? Discovery { get; } = new();
}
