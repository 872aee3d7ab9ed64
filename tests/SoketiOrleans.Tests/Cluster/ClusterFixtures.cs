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
